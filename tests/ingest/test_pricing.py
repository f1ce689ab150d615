"""Cost in USD from genai-prices, workspace overrides first; unknown models accepted."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from genai_prices import Usage, calc_price
from ingest_helpers import SEED_EXAMPLE, post_row

from ingest.models import LLMRequest, PriceOverride
from ingest.pricing import price_for
from opsmeter.celery import app as celery_app

WHEN = datetime(2026, 2, 7, 12, tzinfo=UTC)


def catalog(model, provider, **usage):
    return calc_price(Usage(**usage), model, provider_id=provider, genai_request_timestamp=WHEN).total_price


@pytest.mark.parametrize(
    ("provider", "model"),
    [("openai", "gpt-4o-mini"), ("openai", "o3-mini"), ("anthropic", "claude-3-5-haiku-latest"),
     ("google", "gemini-2.0-flash"), ("google", "gemini-2.5-pro"), ("anthropic", "claude-sonnet-4-5")],
)  # fmt: skip
@pytest.mark.parametrize("tokens", [(1000, 100, 0), (1000, 100, 200), (300_000, 2000, 100_000)])
def test_catalog_cost_matches_genai_prices(provider, model, tokens, db):
    input_tokens, output_tokens, cached = tokens

    price = price_for(0, provider, model, input_tokens=input_tokens, output_tokens=output_tokens,
                      cached_input_tokens=cached, occurred_at=WHEN)  # fmt: skip

    expected = catalog(model, provider, input_tokens=input_tokens, output_tokens=output_tokens, cache_read_tokens=cached)
    assert price.cost_usd == expected.quantize(Decimal("1e-10"))
    assert price.source == "catalog"


def test_cached_tokens_are_priced_once_at_the_cache_read_rate(ingest_client):
    body = {**SEED_EXAMPLE, "inputTokens": 1000, "cachedInputTokens": 200, "outputTokens": 0, "totalTokens": 1000}

    cost = Decimal(post_row(ingest_client, body).json()["costUsd"])

    # gpt-4o-mini: $0.15/M input, $0.075/M cached input → 800 × 0.15 + 200 × 0.075 per million.
    assert cost == Decimal("0.000135")


def test_reasoning_tokens_are_priced_as_output_and_not_twice(ingest_client):
    body = {**SEED_EXAMPLE, "model": "o3-mini", "inputTokens": 100, "outputTokens": 1000, "reasoningTokens": 800,
            "totalTokens": 1100}  # fmt: skip

    cost = Decimal(post_row(ingest_client, body).json()["costUsd"])

    assert cost == catalog("o3-mini", "openai", input_tokens=100, output_tokens=1000)


def test_an_unknown_model_is_accepted_with_no_cost(ingest_client):
    response = post_row(ingest_client, {**SEED_EXAMPLE, "model": "acme-llm-7"})

    assert response.status_code == 200
    assert response.json()["costUsd"] is None
    assert response.json()["pricing"]["source"] == "unknown"
    stored = LLMRequest.objects.get()
    assert stored.cost_usd is None and stored.pricing_source == "unknown"


def test_an_unknown_provider_is_accepted_with_no_cost(ingest_client):
    response = post_row(ingest_client, {**SEED_EXAMPLE, "provider": "acme-cloud"})

    assert response.status_code == 200
    assert response.json()["pricing"]["source"] == "unknown"


def test_an_unknown_model_with_a_client_cost_uses_it(ingest_client):
    response = post_row(ingest_client, {**SEED_EXAMPLE, "model": "acme-llm-7", "costUsd": 0.0123})

    assert response.json()["costUsd"] == "0.0123"
    assert response.json()["pricing"]["source"] == "client"
    assert LLMRequest.objects.get().cost_usd == Decimal("0.0123")


def override(workspace, **fields):
    values = {"provider": "openai", "model": "gpt-4o-mini", "input_per_million": Decimal("1"),
              "output_per_million": Decimal("2"), "effective_from": date(2026, 1, 1)} | fields  # fmt: skip
    return PriceOverride.objects.create(workspace=workspace, **values)


def test_a_workspace_override_takes_precedence_over_the_catalog(ingest_client, workspace):
    override(workspace, cached_input_per_million=Decimal("0.5"))
    body = {**SEED_EXAMPLE, "inputTokens": 1000, "cachedInputTokens": 200, "totalTokens": 1045,
            "occurredAt": "2026-02-07T12:00:00Z"}  # fmt: skip

    response = post_row(ingest_client, body).json()

    # (800 × 1 + 200 × 0.5 + 45 × 2) / 1M
    assert Decimal(response["costUsd"]) == Decimal("0.00099")
    assert response["pricing"]["source"] == "workspace_override"
    assert LLMRequest.objects.get().price_snapshot == "override 2026-01-01"


def test_an_override_prices_cached_tokens_at_the_input_rate_without_a_cached_rate(workspace):
    override(workspace)

    price = price_for(workspace.pk, "openai", "gpt-4o-mini", input_tokens=1000, cached_input_tokens=500,
                      occurred_at=WHEN)  # fmt: skip

    assert price.cost_usd == Decimal("0.001")


def test_an_override_applies_from_its_effective_date_and_the_latest_wins(workspace):
    override(workspace, effective_from=date(2026, 2, 1))
    override(workspace, effective_from=date(2026, 2, 5), input_per_million=Decimal("3"))

    def cost_on(day):
        moment = datetime(2026, 2, day, tzinfo=UTC)
        return price_for(workspace.pk, "openai", "gpt-4o-mini", input_tokens=1_000_000, occurred_at=moment)

    assert cost_on(1).cost_usd == Decimal(1)
    assert cost_on(7).cost_usd == Decimal(3)
    assert cost_on(1).source == "workspace_override"
    january = price_for(workspace.pk, "openai", "gpt-4o-mini", input_tokens=1_000_000,
                        occurred_at=datetime(2026, 1, 15, tzinfo=UTC))  # fmt: skip
    assert january.source == "catalog"


def test_another_workspace_s_override_does_not_apply(other_workspace, workspace):
    override(other_workspace)

    assert price_for(workspace.pk, "openai", "gpt-4o-mini", input_tokens=10, occurred_at=WHEN).source == "catalog"


def test_price_lookups_are_cached_in_process(workspace, django_assert_num_queries):
    price_for(workspace.pk, "openai", "gpt-4o-mini", input_tokens=10, occurred_at=WHEN)

    with django_assert_num_queries(0):
        for tokens in range(100):
            price_for(workspace.pk, "openai", "gpt-4o-mini", input_tokens=tokens, occurred_at=WHEN)


# --- the overrides management API -----------------------------------------------------

NEW_OVERRIDE = {"provider": "OpenAI", "model": "gpt-4o-mini", "inputPerMillion": "0.10", "outputPerMillion": "0.40",
                "cachedInputPerMillion": "0.05", "effectiveFrom": "2026-01-01"}  # fmt: skip


@pytest.mark.parametrize("client_name", ["owner_api", "admin_api"])
def test_owners_and_admins_add_overrides(request, client_name, workspace):
    response = request.getfixturevalue(client_name).post("/v1/pricing/overrides", NEW_OVERRIDE, format="json")

    assert response.status_code == 201
    assert response.json()["provider"] == "openai"
    assert PriceOverride.objects.get().workspace == workspace


def test_a_member_reads_but_cannot_add_overrides(member_api, workspace):
    override(workspace)

    assert member_api.post("/v1/pricing/overrides", NEW_OVERRIDE, format="json").status_code == 403
    listed = member_api.get("/v1/pricing/overrides").json()
    assert [o["model"] for o in listed] == ["gpt-4o-mini"]


def test_a_second_override_on_the_same_date_is_a_field_error(owner_api):
    owner_api.post("/v1/pricing/overrides", NEW_OVERRIDE, format="json")

    response = owner_api.post("/v1/pricing/overrides", NEW_OVERRIDE, format="json")

    assert response.status_code == 400
    assert "effectiveFrom" in response.json()["errors"]


def test_an_override_is_deleted_only_in_its_own_workspace(owner_api, outsider_api, workspace):
    existing = override(workspace)

    assert outsider_api.delete(f"/v1/pricing/overrides/{existing.pk}").status_code == 404
    assert owner_api.delete(f"/v1/pricing/overrides/{existing.pk}").status_code == 204
    assert not PriceOverride.objects.exists()


def test_a_new_override_takes_effect_for_the_next_row_at_once(owner_api, ingest_client):
    post_row(ingest_client, {**SEED_EXAMPLE, "externalRequestId": "before"})
    owner_api.post("/v1/pricing/overrides", NEW_OVERRIDE, format="json")

    after = post_row(ingest_client, {**SEED_EXAMPLE, "externalRequestId": "after"}).json()

    assert after["pricing"]["source"] == "workspace_override"


def test_re_pricing_updates_stored_rows_of_the_date_range(owner_api, ingest_client, workspace, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # run the Celery task in-process
    for day in (5, 6, 9):
        post_row(ingest_client, {**SEED_EXAMPLE, "externalRequestId": f"d{day}", "occurredAt": f"2026-02-0{day}T12:00:00Z"})
    override(workspace)

    response = owner_api.post("/v1/pricing/reprice", {"from": "2026-02-05", "to": "2026-02-06"}, format="json")

    assert response.status_code == 202
    rows = {row.external_request_id: row for row in LLMRequest.objects.all()}
    assert rows["d5"].pricing_source == rows["d6"].pricing_source == "workspace_override"
    assert rows["d5"].cost_usd == Decimal("0.00021")  # (120 × 1 + 45 × 2) / 1M
    assert rows["d9"].pricing_source == "catalog"


def test_only_owners_and_admins_re_price(member_api):
    response = member_api.post("/v1/pricing/reprice", {"from": "2026-02-05", "to": "2026-02-06"}, format="json")

    assert response.status_code == 403


def test_re_pricing_refuses_a_backwards_range(owner_api):
    response = owner_api.post("/v1/pricing/reprice", {"from": "2026-02-06", "to": "2026-02-05"}, format="json")

    assert response.status_code == 400
