"""POST /v1/ingest/llm-requests: up to 1,000 rows, one result per row, valid rows stored."""

from ingest_helpers import SEED_EXAMPLE, STATUS_FLAGS, post_batch, post_row, row

from ingest.models import LLMRequest, UsageCounter


def test_valid_rows_are_stored_even_when_others_are_rejected(ingest_client):
    post_row(ingest_client, row(3))

    response = post_batch(ingest_client, [row(1), row(2, inputTokens=-1), row(3), {"model": "x"}, "nonsense"])

    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicate"], body["rejected"]) == (1, 1, 3)
    results = body["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "duplicate", "rejected", "rejected"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert results[0]["id"] == LLMRequest.objects.get(external_request_id="req_00001").pk
    assert results[0]["pricing"]["source"] == "catalog"
    assert results[1]["errors"] == {"inputTokens": ["Must not be negative."]}
    assert results[1]["externalRequestId"] == "req_00002"
    assert results[2]["duplicate"] is True and results[2]["conflict"] is False
    assert set(results[3]["errors"]) == {"externalRequestId", "provider"}
    assert set(STATUS_FLAGS) <= set(body)
    assert LLMRequest.objects.count() == 2


def test_a_batch_counts_each_new_real_row_against_the_allowance(ingest_client):
    body = post_batch(ingest_client, [row(1), row(2), row(3, dataMode="test")]).json()

    assert UsageCounter.objects.get().requests == 2
    assert body["freeLimitRemainingRequests"] == 9_998


def test_a_row_repeated_inside_one_batch_is_stored_once(ingest_client):
    body = post_batch(ingest_client, [row(1), row(1), row(1, outputTokens=99, totalTokens=219)]).json()

    assert [r["status"] for r in body["results"]] == ["accepted", "duplicate", "duplicate"]
    assert body["results"][1]["id"] == body["results"][0]["id"]
    assert body["results"][1]["conflict"] is False
    assert body["results"][2]["conflict"] is True
    assert LLMRequest.objects.count() == 1
    assert UsageCounter.objects.get().requests == 1


def test_a_replayed_batch_stores_and_counts_nothing_new(ingest_client):
    rows = [row(n) for n in range(10)]
    first = post_batch(ingest_client, rows).json()

    replay = post_batch(ingest_client, rows).json()

    assert replay["duplicate"] == 10
    assert [r["id"] for r in replay["results"]] == [r["id"] for r in first["results"]]
    assert UsageCounter.objects.get().requests == 10


def test_a_full_batch_of_a_thousand_rows_takes_a_handful_of_queries(ingest_client, django_assert_max_num_queries):
    rows = [row(n, occurredAt="2026-02-07T12:00:00Z") for n in range(1000)]

    with django_assert_max_num_queries(12):
        response = post_batch(ingest_client, rows)

    assert response.json()["accepted"] == 1000
    assert LLMRequest.objects.count() == 1000


def test_more_than_a_thousand_rows_is_refused(ingest_client):
    response = post_batch(ingest_client, [row(n) for n in range(1001)])

    assert response.status_code == 400
    assert "requests" in response.json()["errors"]
    assert not LLMRequest.objects.exists()


def test_an_empty_or_missing_list_is_refused(ingest_client):
    assert post_batch(ingest_client, []).status_code == 400
    assert ingest_client.post("/v1/ingest/llm-requests", SEED_EXAMPLE, format="json").status_code == 400
    assert ingest_client.post("/v1/ingest/llm-requests", {"requests": "x"}, format="json").status_code == 400
