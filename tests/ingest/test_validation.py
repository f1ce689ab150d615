"""Bad input is a 400 with `{"ok": false, "errors": {field: [message]}}`, never a 500."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from ingest_helpers import SEED_EXAMPLE, STATUS_FLAGS, post_row

from ingest.models import LLMRequest

LONG = "x" * 129


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"externalRequestId": None}, "externalRequestId"),
        ({"externalRequestId": "  "}, "externalRequestId"),
        ({"externalRequestId": LONG}, "externalRequestId"),
        ({"externalRequestId": 42}, "externalRequestId"),
        ({"provider": None}, "provider"),
        ({"model": None}, "model"),
        ({"model": ["gpt-4o"]}, "model"),
        ({"endpointTag": LONG}, "endpointTag"),
        ({"inputTokens": "120"}, "inputTokens"),
        ({"inputTokens": 1.5}, "inputTokens"),
        ({"inputTokens": True}, "inputTokens"),
        ({"inputTokens": -1}, "inputTokens"),
        ({"outputTokens": -5}, "outputTokens"),
        ({"totalTokens": 100}, "totalTokens"),
        ({"cachedInputTokens": 500}, "cachedInputTokens"),
        ({"reasoningTokens": 46}, "reasoningTokens"),
        ({"latencyMs": -1}, "latencyMs"),
        ({"status": "ok"}, "status"),
        ({"dataMode": "staging"}, "dataMode"),
        ({"environment": "production"}, "environment"),
        ({"occurredAt": "yesterday"}, "occurredAt"),
        ({"occurredAt": 1700000000}, "occurredAt"),
        ({"costUsd": "abc"}, "costUsd"),
        ({"costUsd": -1}, "costUsd"),
        ({"costUsd": "NaN"}, "costUsd"),
        ({"metadata": ["a"]}, "metadata"),
        ({"metadata": {"nested": {"a": "b"}}}, "metadata"),
        ({"metadata": {"n": 1}}, "metadata"),
        ({"metadata": {f"k{i}": "v" for i in range(21)}}, "metadata"),
        ({"metadata": {"k": "v" * 257}}, "metadata"),
    ],
)
def test_it_rejects_a_bad_field_with_its_name(ingest_client, changes, field):
    body = {**SEED_EXAMPLE, **changes}
    body = {key: value for key, value in body.items() if value is not None}

    response = post_row(ingest_client, body)

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert list(response.json()["errors"]) == [field]
    assert isinstance(response.json()["errors"][field][0], str)
    assert not LLMRequest.objects.exists()


def test_it_rejects_an_occurred_at_more_than_a_day_ahead(ingest_client):
    body = {**SEED_EXAMPLE, "occurredAt": (timezone.now() + timedelta(hours=25)).isoformat()}

    response = post_row(ingest_client, body)

    assert response.status_code == 400
    assert "occurredAt" in response.json()["errors"]


def test_it_reports_every_bad_field_at_once(ingest_client):
    response = post_row(ingest_client, {"inputTokens": -1, "status": "nope"})

    assert set(response.json()["errors"]) == {"externalRequestId", "provider", "model", "inputTokens", "status"}


def test_it_rejects_malformed_json(ingest_client):
    response = ingest_client.post("/v1/ingest/llm-request", '{"externalRequestId": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert "body" in response.json()["errors"]
    assert set(STATUS_FLAGS) <= set(response.json())
    assert "X-RateLimit-Limit" in response


def test_it_rejects_a_json_body_that_is_not_an_object(ingest_client):
    response = ingest_client.post("/v1/ingest/llm-request", "[1, 2]", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Expected a JSON object."]}


@override_settings(INGEST_MAX_BODY_BYTES=1024)
def test_it_refuses_an_oversize_body_with_a_json_413(ingest_client):
    body = {**SEED_EXAMPLE, "metadata": {"k": "v" * 200, "l": "v" * 200, "m": "v" * 200, "n": "v" * 200, "o": "v" * 200}}

    response = post_row(ingest_client, body)

    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"
    assert response.json()["detail"] == "Bodies are limited to 1024 bytes."
    assert set(STATUS_FLAGS) <= set(response.json())
    assert not LLMRequest.objects.exists()


def test_unknown_fields_are_ignored_for_forward_compatibility(ingest_client):
    response = post_row(ingest_client, {**SEED_EXAMPLE, "sdkVersion": "9.9"})

    assert response.status_code == 200
