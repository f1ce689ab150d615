"""The monthly allowance of real rows: 402 telemetry pause at the limit, exact under concurrency."""

import threading

import pytest
from django.db import connection
from django.utils import timezone
from ingest_helpers import SEED_EXAMPLE, key_client, post_batch, post_row, postgres_only, row

from ingest.limits import month_of
from ingest.models import LLMRequest, UsageCounter


def use_allowance(workspace, requests):
    UsageCounter.objects.update_or_create(
        workspace=workspace, month=month_of(timezone.now()), defaults={"requests": requests}
    )


def test_the_last_allowed_row_is_accepted_and_says_the_limit_is_reached(ingest_client, workspace):
    use_allowance(workspace, 9_999)

    body = post_row(ingest_client, SEED_EXAMPLE).json()

    assert body["ok"] is True
    assert body["freeLimitRemainingRequests"] == 0
    assert body["isPlanLimitReached"] is True
    assert body["telemetryPaused"] is False


def test_past_the_limit_ingest_pauses_with_a_402_and_stores_nothing(ingest_client, workspace):
    use_allowance(workspace, 10_000)

    response = post_row(ingest_client, SEED_EXAMPLE)

    assert response.status_code == 402
    body = response.json()
    assert body["ok"] is False
    assert body["reason"] == "plan_limit_reached"
    assert body["telemetryPaused"] is True
    assert body["isPlanLimitReached"] is True
    assert body["providerCallsContinue"] is True
    assert body["planLimitRequests"] == 10_000
    assert body["freeLimitRemainingRequests"] == 0
    assert "X-RateLimit-Limit" in response
    assert not LLMRequest.objects.exists()
    assert UsageCounter.objects.get().requests == 10_000


@pytest.mark.parametrize("data_mode", ["test", "demo"])
def test_test_and_demo_rows_do_not_use_the_allowance(ingest_client, workspace, data_mode):
    use_allowance(workspace, 10_000)

    response = post_row(ingest_client, {**SEED_EXAMPLE, "dataMode": data_mode})

    assert response.status_code == 200
    assert UsageCounter.objects.get().requests == 10_000


def test_a_replay_at_the_limit_still_gets_its_original_result(ingest_client, workspace):
    use_allowance(workspace, 9_999)
    first = post_row(ingest_client, SEED_EXAMPLE).json()

    replay = post_row(ingest_client, SEED_EXAMPLE)

    assert replay.status_code == 200
    assert replay.json()["id"] == first["id"]


def test_each_plan_has_its_allowance(ingest_client, workspace):
    workspace.plan = "team"
    workspace.save()

    assert post_row(ingest_client, SEED_EXAMPLE).json()["planLimitRequests"] == 2_000_000


def test_an_enterprise_workspace_uses_its_negotiated_allowance(ingest_client, workspace):
    workspace.plan, workspace.custom_requests_per_month = "enterprise", 3
    workspace.save()
    use_allowance(workspace, 3)

    response = post_row(ingest_client, SEED_EXAMPLE)

    assert response.status_code == 402
    assert response.json()["planLimitRequests"] == 3


def test_a_batch_takes_what_fits_in_order_and_refuses_the_rest(ingest_client, workspace):
    use_allowance(workspace, 9_998)

    response = post_batch(ingest_client, [row(1), row(2, dataMode="test"), row(3), row(4), row(5)])

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "accepted", "accepted", "rejected", "rejected"]
    assert results[3]["reason"] == "plan_limit_reached"
    assert response.json()["reason"] == "plan_limit_reached"
    assert set(LLMRequest.objects.values_list("external_request_id", flat=True)) == {"req_00001", "req_00002",
                                                                                      "req_00003"}  # fmt: skip
    assert UsageCounter.objects.get().requests == 10_000


def test_a_batch_with_no_room_at_all_is_a_402(ingest_client, workspace):
    use_allowance(workspace, 10_000)

    response = post_batch(ingest_client, [row(1), row(2)])

    assert response.status_code == 402
    assert response.json()["telemetryPaused"] is True
    assert not LLMRequest.objects.exists()


def test_the_allowance_starts_again_each_month(ingest_client, workspace):
    UsageCounter.objects.create(workspace=workspace, month=month_of(timezone.now()).replace(year=2000), requests=10_000)

    assert post_row(ingest_client, SEED_EXAMPLE).status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_never_overshoot_the_allowance(workspace, owner):
    use_allowance(workspace, 9_995)
    senders = 12
    clients = [key_client(workspace, owner) for _ in range(senders)]
    barrier = threading.Barrier(senders)
    statuses = []

    def send(index):
        try:
            barrier.wait()
            statuses.append(post_row(clients[index], row(index)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 5 + [402] * 7
    assert LLMRequest.objects.count() == 5
    assert UsageCounter.objects.get().requests == 10_000
