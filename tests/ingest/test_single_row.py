"""POST /v1/ingest/llm-request: the happy path with the docs' example payload."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine
from django.db import OperationalError
from django.utils import timezone
from genai_prices import Usage, calc_price
from ingest_helpers import STATUS_FLAGS, post_row
from rest_framework.test import APIClient

from ingest.models import LLMRequest

NOW = datetime(2026, 2, 7, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_it_accepts_the_seed_example_payload(ingest_client, payload, api_key_pair):
    response = post_row(ingest_client, payload)

    assert response.status_code == 200
    body = response.json()
    expected_cost = calc_price(Usage(input_tokens=120, output_tokens=45), "gpt-4o-mini", provider_id="openai")
    assert body["ok"] is True
    assert body["externalRequestId"] == "req_2026_02_07_001"
    assert body["duplicate"] is False
    assert Decimal(body["costUsd"]) == expected_cost.total_price
    assert body["pricing"] == {"source": "catalog", "model": "gpt-4o-mini"}
    assert body["reason"] is None
    assert body["telemetryPaused"] is False
    assert body["providerCallsContinue"] is True
    assert body["isPlanLimitReached"] is False
    assert body["budgetWarning"] is False and body["budgetExceeded"] is False
    assert body["planLimitRequests"] == 10_000
    assert body["freeLimitRemainingRequests"] == 9_999

    stored = LLMRequest.objects.get(pk=body["id"])
    assert stored.prompt_version == "summarizer_v3"
    assert stored.endpoint_tag == "checkout.ai_summary"
    assert (stored.input_tokens, stored.output_tokens, stored.total_tokens) == (120, 45, 165)
    assert stored.latency_ms == 820
    assert stored.occurred_at == NOW and stored.received_at == NOW
    assert stored.api_key == api_key_pair[0]
    assert stored.cost_usd == expected_cost.total_price
    assert stored.price_snapshot.startswith("genai-prices ")
    assert stored.has_usage is True


def test_it_defaults_data_mode_environment_and_total_tokens(ingest_client):
    body = {"externalRequestId": "r1", "provider": "OpenAI", "model": "gpt-4o-mini", "inputTokens": 10, "outputTokens": 5}

    response = post_row(ingest_client, body)

    assert response.status_code == 200
    stored = LLMRequest.objects.get(pk=response.json()["id"])
    assert (stored.data_mode, stored.environment, stored.status) == ("real", "prod", "success")
    assert stored.total_tokens == 15
    assert stored.provider == "openai"


def test_it_keeps_the_sent_occurred_at(ingest_client, payload):
    payload["occurredAt"] = "2026-02-07T10:15:00+01:00"

    response = post_row(ingest_client, payload)

    stored = LLMRequest.objects.get(pk=response.json()["id"])
    assert stored.occurred_at == datetime(2026, 2, 7, 9, 15, tzinfo=UTC)


def test_it_accepts_an_occurred_at_less_than_a_day_ahead(ingest_client, payload):
    payload["occurredAt"] = (timezone.now() + timedelta(hours=23)).isoformat()

    assert post_row(ingest_client, payload).status_code == 200


def test_it_keeps_the_client_cost_beside_ours(ingest_client, payload):
    payload["costUsd"] = "0.5"

    body = post_row(ingest_client, payload).json()

    stored = LLMRequest.objects.get(pk=body["id"])
    assert stored.client_cost_usd == Decimal("0.5")
    assert stored.pricing_source == "catalog"
    assert stored.cost_usd != Decimal("0.5")


def test_it_marks_rows_sent_without_token_counts(ingest_client):
    body = {"externalRequestId": "r1", "provider": "openai", "model": "gpt-4o-mini", "status": "error",
            "errorCode": "context_length_exceeded", "metadata": {"region": "eu"}}  # fmt: skip

    response = post_row(ingest_client, body)

    stored = LLMRequest.objects.get(pk=response.json()["id"])
    assert stored.has_usage is False
    assert stored.error_code == "context_length_exceeded"
    assert stored.metadata == {"region": "eu"}


def test_it_needs_an_api_key(payload, db):
    response = post_row(APIClient(), payload)

    assert response.status_code in (401, 403)
    assert response.json()["ok"] is False
    assert not LLMRequest.objects.exists()


def test_it_refuses_a_revoked_key(ingest_client, api_key_pair, payload):
    api_key_pair[0].revoke()

    response = post_row(ingest_client, payload)

    assert response.status_code == 401
    assert not LLMRequest.objects.exists()


def test_a_bearer_token_is_not_an_ingest_credential(owner_api, payload):
    response = post_row(owner_api, payload)

    assert response.status_code in (401, 403)


def test_it_stores_rows_in_the_key_s_workspace_only(ingest_client, payload, workspace, other_workspace):
    post_row(ingest_client, payload)

    assert LLMRequest.objects.get().workspace == workspace
    assert not LLMRequest.objects.filter(workspace=other_workspace).exists()


def test_every_flag_is_present_on_a_validation_error(ingest_client, payload):
    payload["inputTokens"] = -1

    body = post_row(ingest_client, payload).json()

    assert body["ok"] is False
    assert set(STATUS_FLAGS) <= set(body)
    assert body["freeLimitRemainingRequests"] == 10_000


def test_a_database_outage_is_a_fast_503_with_retry_after(ingest_client, payload, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(LLMRequest.objects, "insert_counted", unreachable)
    monkeypatch.setattr(LLMRequest.objects, "insert_new", unreachable)

    response = post_row(ingest_client, payload)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["ok"] is False
