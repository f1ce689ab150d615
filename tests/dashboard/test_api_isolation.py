"""/v1/dashboard/*: people only (Bearer JWT or session), one workspace each, 400 JSON on bad
filters, money as strings."""

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/v1/dashboard/overview",
    "/v1/dashboard/top-endpoints",
    "/v1/dashboard/top-users",
    "/v1/dashboard/top-tenants",
    "/v1/dashboard/top-models",
    "/v1/dashboard/prompt-versions",
    "/v1/dashboard/timeseries",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_member_reads_every_endpoint(dataset, member_api, url):
    response = member_api.get(url, {"range": "7d", "dataMode": "all"})
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["filters"]["dataMode"] == "all"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_outsider_never_sees_another_workspaces_rows(dataset, outsider_api, url):
    body = outsider_api.get(url, {"range": "90d", "dataMode": "all"}).content.decode()
    for secret_of_acme in ("checkout.ai_summary", "support.reply", "gpt-4o-mini", '"u1"', "summarizer_v3"):
        assert secret_of_acme not in body


@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_owner_never_sees_the_outsiders_rows(dataset, owner_api, url):
    body = owner_api.get(url, {"range": "90d", "dataMode": "all"}).content.decode()
    assert "secret" not in body
    assert "globex" not in body


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_ingest_api_key_cannot_read_the_dashboard(dataset, ingest_client, url):
    response = ingest_client.get(url)
    # X-API-Key is not a dashboard credential at all: no person, no workspace membership.
    assert response.status_code == 401
    assert "spend" not in response.content.decode().lower()


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_anonymous_caller_is_refused(dataset, client, url):
    assert client.get(url).status_code in (401, 403)


def test_a_logged_in_session_reads_the_api(dataset, owner_browser):
    response = owner_browser.get("/v1/dashboard/overview")
    assert response.status_code == 200
    assert response.json()["current"]["spendUsd"] == "0.2200000000"


def test_the_overview_api_has_money_as_strings_and_changes(dataset, owner_api):
    data = owner_api.get("/v1/dashboard/overview").json()
    assert data["current"]["spendUsd"] == "0.2200000000"
    assert data["current"]["costPerRequestUsd"] == "0.0366666667"
    assert data["current"]["p95LatencyMs"] == 600
    assert data["current"]["unpricedRequests"] == 1
    assert data["previous"]["spendUsd"] == "0.1000000000"
    assert data["previous"]["from"] == "2026-11-10T12:00:00Z"
    spend = next(k for k in data["kpis"] if k["key"] == "spend")
    assert spend["change"] == pytest.approx(1.2)
    assert data["budget"]["budgetSet"] is False


def test_the_seed_000_example_query_works(dataset, owner_api):
    response = owner_api.get("/v1/dashboard/top-users?range=7d&dataMode=all&environment=staging")
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert [(r["key"], r["spendUsd"]) for r in rows] == [("u2", "0.0100000000")]
    assert rows[0]["sparkline"][-1] == "0.0100000000"


def test_the_top_api_sorts_and_limits(dataset, owner_api):
    data = owner_api.get("/v1/dashboard/top-users", {"sort": "p95", "limit": "2"}).json()
    assert [r["key"] for r in data["rows"]] == ["u2", "unknown"]
    assert data["groupCount"] == 4
    assert data["rows"][0]["p95LatencyMs"] == 600
    assert data["rows"][0]["shareOfSpend"] == pytest.approx(0.5)
    smallest_first = owner_api.get("/v1/dashboard/top-users", {"sort": "spend", "order": "asc"}).json()
    assert [r["key"] for r in smallest_first["rows"]] == ["u3", "u1", "unknown", "u2"]


def test_the_timeseries_api_stacks_by_endpoint(dataset, owner_api):
    data = owner_api.get("/v1/dashboard/timeseries", {"stackBy": "endpoint", "range": "24h"}).json()
    assert data["bucket"] == "hour"
    assert len(data["buckets"]) == 24
    assert data["buckets"][0] == "2026-11-23T12:00:00Z"
    assert data["series"][0]["key"] == "support.reply"


@pytest.mark.parametrize(
    "params, bad",
    [
        ({"range": "1y"}, "range"),
        ({"dataMode": "fake"}, "dataMode"),
        ({"environment": "qa"}, "environment"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-11-20", "to": "2026-11-10"}, "to"),
        ({"userId": "x" * 200}, "userId"),
        ({"sort": "cost"}, "sort"),
        ({"order": "up"}, "order"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_filters_get_a_400_naming_the_parameter(dataset, owner_api, params, bad):
    url = "/v1/dashboard/top-users"
    response = owner_api.get(url, params)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert bad in response.json()["errors"]


def test_a_bad_stack_by_gets_a_400(dataset, owner_api):
    response = owner_api.get("/v1/dashboard/timeseries", {"stackBy": "tenant"})
    assert response.status_code == 400
    assert "stackBy" in response.json()["errors"]
