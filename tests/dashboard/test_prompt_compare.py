"""Prompt Versions and the Prompt Impact compare: side-by-side figures, the delta, and whether
it is beyond noise (95% CI excluding zero with at least 30 rows per side).

chat.answer, all real rows:
  v0  40 rows from Nov 18: cost 0.0101 / 0.0121 alternating (mean 0.0111)
  v1  40 rows from Nov 20: cost 0.010 / 0.012 (mean 0.011), input 100 / 120, output 50,
      latency 100…139 (p50 = rank 20 = 119, p95 = rank 38 = 137), 2 errors (5%)
  v2  40 rows from Nov 22: cost 0.020 / 0.022 (mean 0.021), input 200 / 220, output 60,
      latency 200…239 (p50 219, p95 237), 4 errors (10%)
  v3   5 rows from Nov 23: cost 0.050, the newest
v1 → v2 cost: Δ = 0.010; each side's sample variance = 40·0.001²/39, so the standard error is
sqrt(2·1.0256e-6/40) = 2.2646e-4 and the 95% CI is 0.010 ± 0.000444: beyond noise.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from dashboard import queries
from dashboard.filters import parse_filters
from ingest.models import LLMRequest
from tests.dashboard.conftest import at, make_row

pytestmark = pytest.mark.django_db
ENDPOINT = "chat.answer"


def version_rows(workspace, version, start, n, costs, inputs=(100, 100), output=50, latency0=100, errors=0):
    return [
        make_row(
            workspace,
            f"{version}-{i}",
            start + timedelta(minutes=i),
            endpoint=ENDPOINT,
            prompt=version,
            tokens=(inputs[i % 2], output),
            latency=latency0 + i,
            status="error" if i < errors else "success",
            cost=costs[i % 2],
        )
        for i in range(n)
    ]


@pytest.fixture
def prompts(workspace, frozen):
    workspace.plan = "pro"
    workspace.save(update_fields=["plan"])
    LLMRequest.objects.bulk_create(
        version_rows(workspace, "v0", at(18, 8), 40, ("0.0101", "0.0121"))
        + version_rows(workspace, "v1", at(20, 8), 40, ("0.010", "0.012"), inputs=(100, 120), errors=2)
        + version_rows(workspace, "v2", at(22, 8), 40, ("0.020", "0.022"), inputs=(200, 220), output=60,
                       latency0=200, errors=4)
        + version_rows(workspace, "v3", at(23, 8), 5, ("0.050", "0.050"))
    )
    return workspace


def compare(workspace, baseline, candidate, **params):
    return queries.prompt_compare(workspace, parse_filters(params), ENDPOINT, baseline, candidate)


def metric(result, key):
    return next(m for m in result["metrics"] if m["key"] == key)


def test_it_lists_versions_newest_first_with_their_figures(prompts):
    data = queries.prompt_versions(prompts, parse_filters({}), ENDPOINT)
    assert [v["prompt_version"] for v in data["versions"]] == ["v3", "v2", "v1", "v0"]
    v1 = data["versions"][2]
    assert v1["requests"] == 40
    assert v1["spend"] == Decimal("0.4400")
    assert v1["cost_per_request"] == Decimal("0.0110")
    assert v1["input_tokens_per_request"] == 110
    assert v1["error_rate"] == 0.05


def test_the_default_pair_is_the_newest_version_against_the_one_before(prompts):
    versions = queries.prompt_versions(prompts, parse_filters({}), ENDPOINT)["versions"]
    assert queries.default_compare_pair(versions, ENDPOINT) == ("v2", "v3")


def test_it_shows_both_versions_side_by_side(prompts):
    result = compare(prompts, "v1", "v2")
    assert result["baseline"]["requests"] == 40
    assert result["candidate"]["cost_per_request"] == Decimal("0.0210")
    assert metric(result, "input_tokens_per_request")["baseline"] == 110
    assert metric(result, "input_tokens_per_request")["candidate"] == 210
    assert metric(result, "output_tokens_per_request")["delta"] == pytest.approx(10)
    assert (metric(result, "p50_latency_ms")["baseline"], metric(result, "p50_latency_ms")["candidate"]) == (119, 219)
    assert (metric(result, "p95_latency_ms")["baseline"], metric(result, "p95_latency_ms")["candidate"]) == (137, 237)
    assert metric(result, "error_rate")["delta"] == pytest.approx(0.05)


def test_a_real_cost_regression_is_beyond_noise(prompts):
    cost = metric(compare(prompts, "v1", "v2"), "cost_per_request")
    assert cost["delta"] == Decimal("0.0100000000")
    assert float(cost["ci_low"]) == pytest.approx(0.010 - 0.000443843, abs=1e-8)
    assert float(cost["ci_high"]) == pytest.approx(0.010 + 0.000443843, abs=1e-8)
    assert cost["relative"] == pytest.approx(0.010 / 0.011)
    assert cost["enough_data"] is True
    assert cost["significant"] is True


def test_a_small_difference_with_enough_rows_is_within_noise(prompts):
    cost = metric(compare(prompts, "v0", "v1"), "cost_per_request")
    assert cost["delta"] == Decimal("-0.0001000000")
    assert cost["ci_low"] < 0 < cost["ci_high"]
    assert cost["enough_data"] is True
    assert cost["significant"] is False


def test_an_error_rate_change_of_two_in_forty_is_within_noise(prompts):
    errors = metric(compare(prompts, "v1", "v2"), "error_rate")
    assert errors["enough_data"] is True
    assert errors["significant"] is False


def test_it_refuses_to_call_a_difference_with_fewer_than_30_rows(prompts):
    result = compare(prompts, "v2", "v3")
    cost = metric(result, "cost_per_request")
    assert cost["delta"] == Decimal("0.0290000000")
    assert result["enough_data"] is False
    assert cost["enough_data"] is False
    assert cost["significant"] is False


def test_percentiles_get_no_verdict(prompts):
    p95 = metric(compare(prompts, "v1", "v2"), "p95_latency_ms")
    assert p95["delta"] == 100
    assert p95["significant"] is False


def test_the_api_compares_on_pro(prompts, owner_api):
    response = owner_api.get("/v1/dashboard/prompt-versions", {"endpointTag": ENDPOINT, "baseline": "v1", "candidate": "v2"})
    assert response.status_code == 200
    cost = next(m for m in response.json()["compare"]["metrics"] if m["key"] == "cost_per_request")
    assert cost["delta"] == "0.0100000000"
    assert cost["significant"] is True


def test_the_api_refuses_compare_below_pro_but_lists_versions(prompts, owner_api):
    prompts.plan = "starter"
    prompts.save(update_fields=["plan"])
    refused = owner_api.get("/v1/dashboard/prompt-versions", {"endpointTag": ENDPOINT, "baseline": "v1", "candidate": "v2"})
    assert refused.status_code == 403
    assert refused.json()["ok"] is False
    assert refused.json()["error"] == "plan_feature_unavailable"
    listed = owner_api.get("/v1/dashboard/prompt-versions", {"endpointTag": ENDPOINT})
    assert listed.status_code == 200
    assert len(listed.json()["versions"]) == 4


def test_the_api_asks_for_both_versions_and_the_endpoint(prompts, owner_api):
    response = owner_api.get("/v1/dashboard/prompt-versions", {"baseline": "v1"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"endpointTag", "candidate"}


def test_the_page_shows_the_default_compare_on_pro(prompts, owner_browser):
    response = owner_browser.get("/prompt-versions", {"endpointTag": ENDPOINT})
    html = response.content.decode()
    assert response.status_code == 200
    assert "not enough data (n&lt;30)" in html  # v2 against v3 (5 rows)
    response = owner_browser.get("/prompt-versions", {"endpointTag": ENDPOINT, "baseline": "v1", "candidate": "v2"})
    assert "beyond noise" in response.content.decode()


def test_the_page_shows_an_upgrade_notice_on_free(prompts, owner_browser):
    prompts.plan = "free"
    prompts.save(update_fields=["plan"])
    html = owner_browser.get("/prompt-versions", {"endpointTag": ENDPOINT}).content.decode()
    assert "available on the <strong>Pro</strong> plan" in html
    assert "compare-table" not in html
    assert "v0" in html  # the version list still works
