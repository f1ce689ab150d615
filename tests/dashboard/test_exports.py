"""Exports: GET /v1/exports/requests.csv and .json stream the filtered rows of the caller's
workspace only, with retention headers, behind the plan's export flags."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from ingest.models import LLMRequest

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CSV_URL = "/v1/exports/requests.csv"
JSON_URL = "/v1/exports/requests.json"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def add_row(workspace, external_id, *, ago=timedelta(hours=1), **fields):
    values = {
        "provider": "openai",
        "model": "gpt-4o-mini",
        "input_tokens": 100,
        "output_tokens": 20,
        "total_tokens": 120,
        "cost_usd": Decimal("0.0000270000"),
        "pricing_source": "catalog",
        **fields,
    }
    occurred = NOW - ago
    return LLMRequest.objects.create(
        workspace=workspace, external_request_id=external_id, occurred_at=occurred, received_at=occurred, **values
    )


@pytest.fixture
def rows(workspace, other_workspace):
    workspace.plan = "pro"
    workspace.save()
    add_row(
        workspace, "req-1", ago=timedelta(hours=3), endpoint_tag="checkout.ai_summary", prompt_version="v3",
        user_id="u_1", latency_ms=820, cost_usd=Decimal("0.0012345678"), client_cost_usd=Decimal("0.0012"),
    )
    add_row(
        workspace, "req-2", ago=timedelta(hours=2), endpoint_tag="support.reply", status="error", error_code="rate_limit"
    )
    add_row(workspace, "req-test", data_mode="test", environment="staging")
    add_row(workspace, "req-old", ago=timedelta(days=20), endpoint_tag="checkout.ai_summary")
    add_row(other_workspace, "req-globex", endpoint_tag="checkout.ai_summary")


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def read_json(response):
    return json.loads(b"".join(response.streaming_content))


def test_csv_export_streams_the_real_rows_of_the_default_range_newest_first(owner_api, rows):
    response = owner_api.get(CSV_URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="opsmeter-requests-2026-11-20.csv"'
    records = read_csv(response)
    assert [r["externalRequestId"] for r in records] == ["req-2", "req-1"]
    first = records[1]
    assert first["occurredAt"] == "2026-11-20T09:00:00Z"
    assert first["endpointTag"] == "checkout.ai_summary"
    assert first["costUsd"] == "0.0012345678"
    assert first["clientCostUsd"] == "0.0012000000"
    assert first["latencyMs"] == "820"
    assert first["dataMode"] == "real"
    assert records[0]["errorCode"] == "rate_limit" and records[0]["latencyMs"] == ""


def test_csv_header_names_every_field_in_camel_case(owner_api, rows):
    body = b"".join(owner_api.get(CSV_URL).streaming_content).decode()
    assert body.splitlines()[0] == (
        "externalRequestId,occurredAt,provider,model,endpointTag,promptVersion,userId,tenantId,"
        "inputTokens,outputTokens,cachedInputTokens,reasoningTokens,totalTokens,latencyMs,status,"
        "errorCode,dataMode,environment,costUsd,pricingSource,clientCostUsd"
    )


def test_json_export_is_an_array_with_money_as_strings_and_absent_fields_as_null(owner_api, rows):
    response = owner_api.get(JSON_URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    records = read_json(response)
    assert [r["externalRequestId"] for r in records] == ["req-2", "req-1"]
    assert records[1] == {
        "externalRequestId": "req-1",
        "occurredAt": "2026-11-20T09:00:00Z",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "endpointTag": "checkout.ai_summary",
        "promptVersion": "v3",
        "userId": "u_1",
        "tenantId": None,
        "inputTokens": 100,
        "outputTokens": 20,
        "cachedInputTokens": 0,
        "reasoningTokens": 0,
        "totalTokens": 120,
        "latencyMs": 820,
        "status": "success",
        "errorCode": None,
        "dataMode": "real",
        "environment": "prod",
        "costUsd": "0.0012345678",
        "pricingSource": "catalog",
        "clientCostUsd": "0.0012000000",
    }


def test_an_empty_selection_is_a_header_or_an_empty_array(owner_api, rows):
    assert read_csv(owner_api.get(CSV_URL, {"endpointTag": "nothing.here"})) == []
    assert read_json(owner_api.get(JSON_URL, {"endpointTag": "nothing.here"})) == []


def test_exports_take_the_dashboard_filters(owner_api, rows):
    by_endpoint = read_csv(owner_api.get(CSV_URL, {"endpointTag": "checkout.ai_summary", "range": "30d"}))
    assert [r["externalRequestId"] for r in by_endpoint] == ["req-1", "req-old"]
    test_rows = read_json(owner_api.get(JSON_URL, {"dataMode": "test"}))
    assert [r["externalRequestId"] for r in test_rows] == ["req-test"]
    everything = read_json(owner_api.get(JSON_URL, {"dataMode": "all", "environment": "staging"}))
    assert [r["externalRequestId"] for r in everything] == ["req-test"]
    custom = read_csv(owner_api.get(CSV_URL, {"from": "2026-10-31", "to": "2026-11-01"}))
    assert [r["externalRequestId"] for r in custom] == ["req-old"]


def test_exports_never_include_another_workspaces_rows(owner_api, outsider_api, rows, other_workspace):
    other_workspace.plan = "pro"
    other_workspace.save()
    mine = read_json(owner_api.get(JSON_URL, {"dataMode": "all", "range": "90d"}))
    assert "req-globex" not in {r["externalRequestId"] for r in mine}
    theirs = read_csv(outsider_api.get(CSV_URL, {"endpointTag": "checkout.ai_summary", "range": "90d"}))
    assert [r["externalRequestId"] for r in theirs] == ["req-globex"]


def test_retention_headers_give_the_oldest_stored_row(owner_api, rows):
    response = owner_api.get(CSV_URL)
    assert response["X-Retention-Truncated"] == "false"
    assert response["X-Retention-Available-From-Utc"] == "2026-10-31T12:00:00Z"


def test_retention_headers_fall_back_to_the_range_start_without_rows(owner_api, workspace):
    workspace.plan = "starter"
    workspace.save()
    response = owner_api.get(CSV_URL, {"range": "24h"})
    assert response["X-Retention-Truncated"] == "false"
    assert response["X-Retention-Available-From-Utc"] == "2026-11-19T12:00:00Z"


def test_bad_filters_are_a_400_naming_the_parameter(owner_api, rows):
    response = owner_api.get(CSV_URL, {"range": "1y", "dataMode": "fake"})
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert set(response.json()["errors"]) == {"range", "dataMode"}


def test_the_free_plan_has_no_exports(owner_api, workspace):
    response = owner_api.get(CSV_URL)
    assert response.status_code == 403
    assert response.json() == {
        "ok": False,
        "error": "plan_feature_unavailable",
        "detail": "CSV export needs the Starter plan or higher.",
    }


def test_starter_exports_csv_but_not_json(owner_api, workspace):
    workspace.plan = "starter"
    workspace.save()
    assert owner_api.get(CSV_URL).status_code == 200
    response = owner_api.get(JSON_URL)
    assert response.status_code == 403
    assert response.json()["error"] == "plan_feature_unavailable"


def test_every_role_may_export(admin_api, member_api, rows):
    assert admin_api.get(CSV_URL).status_code == 200
    assert member_api.get(JSON_URL).status_code == 200


def test_the_browser_session_may_export(owner_browser, rows):
    response = owner_browser.get(CSV_URL, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert len(read_csv(response)) == 2


def test_anonymous_callers_and_api_keys_are_refused(client, ingest_client, rows):
    assert client.get(CSV_URL).status_code == 401
    assert ingest_client.get(CSV_URL).status_code in (401, 403)


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(owner_api, rows, workspace):
    add_row(workspace, "req-formula", ago=timedelta(minutes=5), endpoint_tag="=HYPERLINK(1)", user_id="@evil")
    record = read_csv(owner_api.get(CSV_URL))[0]
    assert record["endpointTag"] == "'=HYPERLINK(1)"
    assert record["userId"] == "'@evil"
    assert read_json(owner_api.get(JSON_URL))[0]["endpointTag"] == "=HYPERLINK(1)"


def test_exports_stream_past_one_database_chunk(owner_api, workspace):
    workspace.plan = "pro"
    workspace.save()
    LLMRequest.objects.bulk_create(
        LLMRequest(
            workspace=workspace, external_request_id=f"bulk-{n:05d}", occurred_at=NOW - timedelta(seconds=n + 1),
            received_at=NOW, provider="openai", model="gpt-4o-mini",
        )
        for n in range(4500)
    )
    records = read_csv(owner_api.get(CSV_URL))
    assert len(records) == 4500
    assert records[0]["externalRequestId"] == "bulk-00000" and records[-1]["externalRequestId"] == "bulk-04499"
    assert len(read_json(owner_api.get(JSON_URL))) == 4500
