"""Demo data: POST /v1/ingest/demo, seed_demo_data and the seeddemo command."""

import json
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Avg, Count
from ingest_helpers import post_row

from ingest.demo import seed_demo_data
from ingest.models import LLMRequest, UsageCounter
from workspaces.models import ApiKey, User, Workspace


def test_the_demo_endpoint_writes_a_week_of_demo_rows(ingest_client, api_key_pair):
    response = ingest_client.post("/v1/ingest/demo")

    assert response.status_code == 200
    created = response.json()["created"]
    assert 1500 <= created <= 3000
    rows = LLMRequest.objects.all()
    assert rows.count() == created
    assert set(rows.values_list("data_mode", "environment").distinct()) == {("demo", "dev")}
    assert rows.filter(api_key=api_key_pair[0]).count() == created
    assert rows.values("endpoint_tag").distinct().count() >= 5
    assert rows.values("tenant_id").distinct().count() >= 4
    assert rows.values("model").distinct().count() >= 5
    assert "X-RateLimit-Limit" in response


def test_calling_it_again_adds_nothing(ingest_client):
    ingest_client.post("/v1/ingest/demo")

    again = ingest_client.post("/v1/ingest/demo")

    assert again.json()["created"] == 0
    assert LLMRequest.objects.count() < 3000


def test_demo_rows_do_not_use_the_allowance(ingest_client):
    ingest_client.post("/v1/ingest/demo")

    assert not UsageCounter.objects.filter(requests__gt=0).exists()
    assert post_row(ingest_client, {"externalRequestId": "x", "provider": "openai", "model": "gpt-4o-mini"}).json()[
        "freeLimitRemainingRequests"
    ] == 9_999


def test_the_demo_shows_a_prompt_regression_and_a_spike(workspace, owner):
    seed_demo_data(workspace, seeded_by=owner)
    summaries = LLMRequest.objects.filter(endpoint_tag="checkout.ai_summary", status="success")

    per_version = dict(summaries.values_list("prompt_version").annotate(Avg("cost_usd")))

    assert per_version["summarizer_v4"] > Decimal("1.5") * per_version["summarizer_v3"]
    busiest_hour = (
        LLMRequest.objects.filter(tenant_id="tenant_globex", model="gpt-4o")
        .values("occurred_at__date", "occurred_at__hour")
        .annotate(calls=Count("id"))
        .order_by("-calls")
        .first()
    )
    assert busiest_hour["calls"] > 100
    assert LLMRequest.objects.filter(seeded_by=owner).count() == LLMRequest.objects.count()
    assert LLMRequest.objects.filter(cost_usd__isnull=True).count() == 0
    assert LLMRequest.objects.filter(cost_usd__gt=Decimal(0)).exists()


def test_a_member_can_seed_the_demo_from_the_dashboard_api(member_api, member):
    response = member_api.post("/v1/ingest/demo")

    assert response.status_code == 200
    assert LLMRequest.objects.filter(seeded_by=member).count() == response.json()["created"]


def test_seeddemo_is_idempotent_and_prints_the_login(tmp_path, capsys, db):
    login_file = tmp_path / "demo-login.json"

    call_command("seeddemo", login_file=str(login_file))
    first_output = capsys.readouterr().out
    rows, login = LLMRequest.objects.count(), json.loads(login_file.read_text())
    call_command("seeddemo", login_file=str(login_file))
    second_output = capsys.readouterr().out

    user = User.objects.get(email="demo@opsmeter.local")
    assert user.check_password(login["password"])
    workspace = Workspace.objects.get(name="Demo workspace")
    assert workspace.plan == "pro"
    assert LLMRequest.objects.count() == rows
    assert LLMRequest.objects.filter(data_mode="real").count() >= 900
    assert ApiKey.objects.filter(workspace=workspace).count() == 1
    assert ApiKey.authenticate(login["apiKey"]).workspace == workspace
    for output in (first_output, second_output):
        assert "http://127.0.0.1:8000" in output
        assert login["password"] in output and login["apiKey"] in output
        assert "curl -X POST http://127.0.0.1:8000/v1/ingest/llm-request" in output
    assert json.loads(login_file.read_text()) == login
    assert UsageCounter.objects.get(workspace=workspace).requests == LLMRequest.objects.filter(
        workspace=workspace, data_mode="real"
    ).count()


def test_seeddemo_issues_a_new_key_when_the_stored_one_was_revoked(tmp_path, db):
    login_file = tmp_path / "demo-login.json"
    call_command("seeddemo", login_file=str(login_file), stdout=open("/dev/null", "w"))
    old_key = json.loads(login_file.read_text())["apiKey"]
    ApiKey.authenticate(old_key).revoke()

    call_command("seeddemo", login_file=str(login_file), stdout=open("/dev/null", "w"))

    new_key = json.loads(login_file.read_text())["apiKey"]
    assert new_key != old_key
    assert ApiKey.authenticate(new_key) is not None
