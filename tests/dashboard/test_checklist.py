"""Settings → First-ingest checklist and the tracking quality score, on a fixed data set."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from dashboard.checklist import first_ingest_checklist, mask, tracking_quality
from ingest.models import LLMRequest
from workspaces.models import ApiKey

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def add_row(workspace, external_id, *, ago=timedelta(hours=1), **fields):
    values = {"provider": "openai", "model": "gpt-4o-mini", "pricing_source": "catalog", **fields}
    return LLMRequest.objects.create(
        workspace=workspace, external_request_id=external_id, occurred_at=NOW - ago, received_at=NOW - ago, **values
    )


def steps(workspace):
    return {step.key: step for step in first_ingest_checklist(workspace)}


@pytest.fixture
def graded_rows(workspace, api_key_pair):
    """Ten real/test rows in the window, plus rows the grading must ignore.

    endpointTag: 8/10, promptVersion: 5/10, identity: 6/10 (4 userIds + 2 tenant-only),
    usage: 9/10, unknown models: 2/10 (acme/llm-x twice), PII userIds: 2/10 (an email and a
    phone number), misaligned: 1/10 (real from staging).
    """
    key, _ = api_key_pair
    base = {"api_key": key}
    add_row(workspace, "r1", endpoint_tag="a", prompt_version="v1", user_id="u_1", **base)
    add_row(workspace, "r2", endpoint_tag="a", prompt_version="v1", user_id="jane.doe@example.com", **base)
    add_row(workspace, "r3", endpoint_tag="a", prompt_version="v1", user_id="+1 415 555 2671", **base)
    add_row(workspace, "r4", endpoint_tag="b", prompt_version="v1", user_id="12345678", **base)
    add_row(workspace, "r5", endpoint_tag="b", prompt_version="v2", tenant_id="t_1", **base)
    add_row(workspace, "r6", endpoint_tag="b", tenant_id="t_2", environment="staging", **base)
    add_row(workspace, "r7", endpoint_tag="c", provider="acme", model="llm-x", pricing_source="unknown", **base)
    add_row(workspace, "r8", endpoint_tag="c", provider="acme", model="llm-x", pricing_source="unknown", **base)
    add_row(workspace, "r9", has_usage=False, data_mode="test", environment="staging", **base)
    add_row(workspace, "r10", data_mode="test", environment="dev", **base)
    # Ignored: demo rows, rows older than 7 days, another workspace.
    add_row(workspace, "demo-1", data_mode="demo", user_id="x@example.com", pricing_source="unknown")
    add_row(workspace, "old-1", ago=timedelta(days=8), user_id="y@example.com")


def items(report):
    return {item.key: item for item in report.items}


def test_quality_items_measure_the_last_seven_days_of_real_and_test_rows(workspace, graded_rows, other_workspace):
    add_row(other_workspace, "globex-1", user_id="z@example.com")
    report = tracking_quality(workspace)
    assert report.rows == 10
    shares = {key: item.share for key, item in items(report).items()}
    assert shares == {
        "endpoint_tag": 0.8,
        "prompt_version": 0.5,
        "identity": 0.6,
        "usage": 0.9,
        "known_models": 0.8,
        "no_pii": 0.8,
        "data_mode_alignment": 0.9,
    }


def test_the_score_is_the_weighted_sum_of_the_items(workspace, graded_rows):
    report = tracking_quality(workspace)
    weights = {key: item.weight for key, item in items(report).items()}
    assert sum(weights.values()) == 100
    # 20·.8 + 15·.5 + 15·.6 + 20·.9 + 10·.8 + 10·.8 + 10·.9 = 16 + 7.5 + 9 + 18 + 8 + 8 + 9
    assert report.score == 76


def test_perfect_traffic_scores_100(workspace):
    add_row(workspace, "p1", endpoint_tag="a", prompt_version="v1", user_id="u_1")
    assert tracking_quality(workspace).score == 100


def test_no_traffic_has_no_score(workspace):
    add_row(workspace, "demo-only", data_mode="demo")
    report = tracking_quality(workspace)
    assert report.rows == 0 and report.score is None and report.items == []


def test_unknown_models_are_listed_by_name_with_their_row_count(workspace, graded_rows):
    assert tracking_quality(workspace).unknown_models == [{"provider": "acme", "model": "llm-x", "rows": 2}]


def test_pii_examples_are_masked(workspace, graded_rows):
    examples = tracking_quality(workspace).pii_examples
    assert sorted(examples) == sorted(["j***@e***.com", "+*********71"])
    assert not any("jane" in e or "2671" in e for e in examples)


@pytest.mark.parametrize(
    ("value", "looks_like_pii"),
    [
        ("jane@example.com", True),
        ("+14155552671", True),
        ("+44 20 7946 0958", True),
        ("(415) 555-2671", True),
        ("415-555-2671", True),
        ("u_123", False),
        ("12345678", False),
        ("3f2a9c0e8b7d", False),
        ("user@localhost", False),
    ],
)
def test_pii_detection(workspace, value, looks_like_pii):
    add_row(workspace, "one", user_id=value)
    assert (items(tracking_quality(workspace))["no_pii"].share == 0) is looks_like_pii


def test_mask_keeps_only_the_shape():
    assert mask("jane.doe@example.com") == "j***@e***.com"
    assert mask("(415) 555-2671") == "********71"


def test_the_grading_takes_a_fixed_number_of_queries(workspace, graded_rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        tracking_quality(workspace)


def test_a_new_workspace_has_every_step_to_do(workspace):
    assert {key: step.done for key, step in steps(workspace).items()} == {
        "api_key": False,
        "payload_received": False,
        "response_ok": False,
        "row_visible": False,
    }


def test_a_key_and_an_accepted_real_row_complete_the_checklist(workspace, api_key_pair):
    add_row(workspace, "first", api_key=api_key_pair[0])
    assert all(step.done for step in first_ingest_checklist(workspace))


def test_demo_rows_do_not_count_as_a_first_payload(workspace, api_key_pair, owner):
    add_row(workspace, "demo", data_mode="demo", seeded_by=owner)
    result = steps(workspace)
    assert result["api_key"].done
    assert not result["payload_received"].done and not result["row_visible"].done


def test_only_test_rows_explain_that_the_dashboard_defaults_to_real(workspace, api_key_pair):
    add_row(workspace, "t", data_mode="test", api_key=api_key_pair[0])
    result = steps(workspace)
    assert result["payload_received"].done and result["response_ok"].done
    assert not result["row_visible"].done
    assert "real rows by default" in result["row_visible"].detail
    assert result["row_visible"].link == "/?dataMode=test"


def test_a_row_without_an_api_key_is_received_but_not_shown_as_accepted(workspace):
    add_row(workspace, "keyless")
    result = steps(workspace)
    assert result["payload_received"].done and not result["response_ok"].done


def section(browser):
    return browser.get(reverse("first-ingest-checklist"), HTTP_HX_REQUEST="true").content.decode()


def test_pro_workspaces_see_the_numeric_score(owner_browser, workspace, graded_rows):
    workspace.plan = "pro"
    workspace.save()
    html = section(owner_browser)
    assert 'data-testid="quality-score">76<' in html
    assert "acme/llm-x" in html and "Add a price override" in html
    assert reverse("price-overrides") in html
    assert "j***@e***.com" in html and "jane.doe" not in html
    assert "hash" in html


def test_lower_plans_see_the_items_and_an_upgrade_note_instead_of_the_score(owner_browser, workspace, graded_rows):
    html = section(owner_browser)
    assert 'data-testid="quality-score"' not in html
    assert 'data-testid="quality-upgrade"' in html
    assert "endpointTag set" in html and "80%" in html


def test_every_member_sees_the_checklist(client, member, workspace):
    client.force_login(member)
    response = client.get(reverse("first-ingest-checklist"), {"standalone": "1"})
    assert response.status_code == 200
    assert "API key created" in response.content.decode()
    assert 'data-testid="quality-empty"' in response.content.decode()


def test_a_plain_link_to_the_checklist_opens_settings_at_its_anchor(owner_browser):
    response = owner_browser.get(reverse("first-ingest-checklist"))
    assert response["Location"] == "/settings#first-ingest-checklist"


def test_the_checklist_needs_a_login(client):
    assert client.get(reverse("first-ingest-checklist")).status_code == 302


def test_another_workspaces_keys_and_rows_do_not_tick_my_steps(workspace, other_workspace, outsider):
    key, _ = ApiKey.issue(other_workspace, "Globex", created_by=outsider)
    add_row(other_workspace, "globex", api_key=key)
    assert not any(step.done for step in first_ingest_checklist(workspace))
    assert tracking_quality(workspace).rows == 0
