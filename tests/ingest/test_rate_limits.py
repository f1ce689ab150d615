"""Per-workspace, per-minute ingest limits with X-RateLimit-* headers; fail open without Redis."""

import time

import pytest
import redis
from django.core.cache import cache
from ingest_helpers import SEED_EXAMPLE, post_batch, post_row, row
from redis.exceptions import ConnectionError as RedisConnectionError

from ingest import limits
from ingest.limits import take_rate_limit
from ingest.models import LLMRequest


def use_up_the_minute(workspace, requests):
    for _ in range(requests):
        take_rate_limit(workspace)


def test_every_ingest_response_carries_the_rate_limit_headers(ingest_client):
    response = post_row(ingest_client, SEED_EXAMPLE)

    assert response["X-RateLimit-Limit"] == "120"
    assert response["X-RateLimit-Remaining"] == "119"
    reset = int(response["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 60


def test_error_responses_carry_them_too(ingest_client):
    response = post_row(ingest_client, {"inputTokens": -1})

    assert response.status_code == 400
    assert response["X-RateLimit-Remaining"] == "119"


def test_over_the_limit_it_is_a_429_with_retry_after(ingest_client, workspace):
    use_up_the_minute(workspace, 120)

    response = post_row(ingest_client, SEED_EXAMPLE)

    assert response.status_code == 429
    assert response["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["ok"] is False
    assert body["reason"] == "rate_limited"
    assert body["providerCallsContinue"] is True
    assert body["telemetryPaused"] is False
    assert body["retryAfter"] == int(response["Retry-After"])
    assert not LLMRequest.objects.exists()


def test_the_limit_follows_the_plan(ingest_client, workspace):
    workspace.plan = "pro"
    workspace.save()

    assert post_row(ingest_client, SEED_EXAMPLE)["X-RateLimit-Limit"] == "600"


def test_an_enterprise_workspace_uses_its_configured_limit(ingest_client, workspace):
    workspace.plan, workspace.custom_ingest_per_minute = "enterprise", 5
    workspace.save()
    use_up_the_minute(workspace, 5)

    assert post_row(ingest_client, SEED_EXAMPLE).status_code == 429


def test_a_batch_counts_as_one_request(ingest_client):
    response = post_batch(ingest_client, [row(n) for n in range(50)])

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "119"


def test_each_workspace_has_its_own_minute(ingest_client, workspace, other_workspace):
    use_up_the_minute(other_workspace, 120)

    assert post_row(ingest_client, SEED_EXAMPLE).status_code == 200


def test_test_rows_are_rate_limited_like_all_ingest(ingest_client, workspace):
    use_up_the_minute(workspace, 120)

    assert post_row(ingest_client, {**SEED_EXAMPLE, "dataMode": "test"}).status_code == 429


def test_ingest_keeps_accepting_when_the_cache_is_down(ingest_client, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    nothing_listens = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(limits, "_redis", lambda: nothing_listens)  # with REDIS_URL
    monkeypatch.setattr(cache, "incr", down)  # without
    monkeypatch.setattr(cache, "add", down)

    response = post_row(ingest_client, SEED_EXAMPLE)

    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "120"
    assert "rate limiter unavailable" in caplog.text
    assert LLMRequest.objects.count() == 1


@pytest.mark.parametrize("path", ["/v1/ingest/llm-request", "/v1/ingest/llm-requests"])
def test_both_ingest_endpoints_are_limited(ingest_client, workspace, path):
    use_up_the_minute(workspace, 120)

    assert ingest_client.post(path, {}, format="json").status_code == 429
