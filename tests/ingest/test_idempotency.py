"""`(workspace, externalRequestId)` is unique: a replay returns the original row, once."""

import threading

import pytest
from django.db import connection
from ingest_helpers import SEED_EXAMPLE, key_client, post_row, postgres_only

from ingest.models import LLMRequest, UsageCounter


def test_a_replay_returns_the_original_row_marked_duplicate(ingest_client, payload):
    first = post_row(ingest_client, payload).json()

    replay = post_row(ingest_client, payload)

    assert replay.status_code == 200
    body = replay.json()
    assert body["duplicate"] is True
    assert body["conflict"] is False
    assert body["id"] == first["id"]
    assert body["costUsd"] == first["costUsd"]
    assert LLMRequest.objects.count() == 1


def test_a_replay_counts_once_towards_the_plan(ingest_client, payload):
    post_row(ingest_client, payload)
    replay = post_row(ingest_client, payload).json()

    assert UsageCounter.objects.get().requests == 1
    assert replay["freeLimitRemainingRequests"] == 9_999


def test_a_replay_with_a_different_payload_is_reported_and_does_not_overwrite(ingest_client, payload):
    first = post_row(ingest_client, payload).json()

    replay = post_row(ingest_client, {**payload, "outputTokens": 4500, "totalTokens": 4620}).json()

    assert replay["duplicate"] is True
    assert replay["conflict"] is True
    assert replay["id"] == first["id"]
    assert LLMRequest.objects.get().output_tokens == 45


def test_a_replay_without_occurred_at_is_not_a_conflict(ingest_client, payload):
    post_row(ingest_client, payload)

    assert post_row(ingest_client, payload).json()["conflict"] is False


def test_a_replay_with_another_occurred_at_is_a_conflict(ingest_client, payload):
    post_row(ingest_client, {**payload, "occurredAt": "2026-02-07T10:00:00Z"})

    assert post_row(ingest_client, {**payload, "occurredAt": "2026-02-07T10:00:01Z"}).json()["conflict"] is True


def test_the_same_external_id_in_two_workspaces_is_two_rows(ingest_client, payload, other_workspace, outsider):
    post_row(ingest_client, payload)

    response = post_row(key_client(other_workspace, outsider), payload)

    assert response.json()["duplicate"] is False
    assert LLMRequest.objects.count() == 2


def _concurrently(count, send):
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait()
            results[index] = send()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_store_one_row_and_count_once(workspace, owner):
    clients = [key_client(workspace, owner) for _ in range(8)]
    counter = iter(range(8))

    responses = _concurrently(8, lambda: post_row(clients[next(counter)], SEED_EXAMPLE))

    assert [r.status_code for r in responses] == [200] * 8
    bodies = [r.json() for r in responses]
    assert sum(not body["duplicate"] for body in bodies) == 1
    assert len({body["id"] for body in bodies}) == 1
    assert LLMRequest.objects.count() == 1
    assert UsageCounter.objects.get().requests == 1
