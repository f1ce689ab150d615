"""In a real browser: sign up and log in, create an API key (shown once), and Settings → Data
hygiene — clearing my test rows through the confirmation step, and a Member not offered the
workspace-wide buttons."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ingest.models import LLMRequest
from tests.conftest import PASSWORD
from workspaces.models import ApiKey, Membership, User

pytestmark = pytest.mark.browser


def add_rows(workspace, prefix, count, *, data_mode, api_key=None):
    now = timezone.now()
    LLMRequest.objects.bulk_create(
        LLMRequest(
            workspace=workspace, external_request_id=f"{prefix}-{n}", occurred_at=now - timedelta(minutes=n + 1),
            received_at=now, provider="openai", model="gpt-4o-mini", data_mode=data_mode, api_key=api_key,
        )
        for n in range(count)
    )


def hygiene_section(page):
    page.goto("/settings#data-hygiene")
    section = page.locator("section#data-hygiene")
    expect(section.get_by_test_id("count-real")).to_be_visible()  # loaded by htmx after the page
    return section


def test_signing_up_through_the_form_opens_a_workspace_of_ones_own(page, settle):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(lambda url: "/accounts/signup" not in url)
    page.goto("/settings")
    expect(page.locator("#general")).to_contain_text("newcomer's workspace")
    settle()
    assert Membership.objects.get(user__email="newcomer@example.com").role == "owner"


def test_logging_in_through_the_form_and_out_again(page, acme, log_in):
    log_in("owner@example.com")
    page.goto("/settings")
    expect(page.locator("#general")).to_contain_text("Acme")
    page.get_by_role("button", name="Log out").click()
    page.goto("/settings")
    assert "/accounts/login/" in page.url


def test_a_new_api_key_is_shown_once(page, acme, log_in, settle):
    log_in("owner@example.com")
    page.goto("/settings#api-keys")
    page.get_by_role("button", name="Create API key").click()
    secret = page.get_by_test_id("new-api-key")
    expect(secret).to_be_visible()
    raw_key = secret.inner_text().strip()
    assert raw_key.startswith("om_")
    settle()
    assert ApiKey.authenticate(raw_key).workspace == acme
    page.goto("/settings")
    expect(page.locator("#api-keys")).to_contain_text(raw_key[:10])
    assert raw_key not in page.content()
    expect(page.get_by_test_id("new-api-key")).to_have_count(0)


def test_clear_my_test_data_with_the_confirmation_step(page, acme, log_in, settle):
    owner = User.objects.get(email="owner@example.com")
    key, _ = ApiKey.issue(acme, "CI", created_by=owner)
    add_rows(acme, "mine", 5, data_mode="test", api_key=key)
    add_rows(acme, "prod", 2, data_mode="real", api_key=key)
    log_in("owner@example.com")
    section = hygiene_section(page)
    expect(section.get_by_test_id("count-test")).to_have_text("5")
    expect(section.get_by_test_id("count-real")).to_have_text("2")

    section.get_by_role("link", name="Clear my test data").click()
    expect(section).to_contain_text("Delete 5 of your test rows?")
    settle()
    assert LLMRequest.objects.filter(workspace=acme, data_mode="test").count() == 5  # not yet
    section.get_by_role("button", name="Yes, delete 5 rows").click()

    expect(section.get_by_role("status")).to_contain_text("Deleted 5 of your test rows.")
    expect(section.get_by_test_id("count-test")).to_have_text("0")
    expect(section.get_by_test_id("count-real")).to_have_text("2")
    settle()
    assert LLMRequest.objects.filter(workspace=acme, data_mode="test").count() == 0


def test_cancelling_the_confirmation_keeps_the_rows(page, acme, log_in):
    add_rows(acme, "ws", 3, data_mode="demo")
    log_in("owner@example.com")
    section = hygiene_section(page)
    section.get_by_role("link", name="Clear workspace demo data").click()
    expect(section).to_contain_text("Delete 3 workspace demo rows?")
    section.get_by_role("link", name="Cancel").click()
    expect(section.get_by_test_id("count-demo")).to_have_text("3")


def test_a_member_is_not_offered_the_workspace_buttons(page, acme, log_in):
    add_rows(acme, "ws", 3, data_mode="test")
    log_in("member@example.com")
    section = hygiene_section(page)
    expect(section.get_by_test_id("count-test")).to_have_text("3")
    expect(section.get_by_role("link", name="Clear my test data")).to_be_visible()
    expect(section.get_by_role("link", name="Clear workspace test data")).to_have_count(0)
    expect(section.get_by_role("link", name="Clear workspace demo data")).to_have_count(0)
    # and the server refuses the request anyway
    response = page.request.get("/settings/data-hygiene/clear?data_mode=test&scope=workspace")
    assert response.status == 403


def test_the_first_ingest_checklist_shows_the_steps_and_the_quality_score(page, acme, log_in, artifacts):
    owner = User.objects.get(email="owner@example.com")
    key, _ = ApiKey.issue(acme, "CI", created_by=owner)
    now = timezone.now()
    LLMRequest.objects.bulk_create(
        LLMRequest(
            workspace=acme, external_request_id=f"q-{n}", occurred_at=now - timedelta(hours=n + 1), received_at=now,
            provider="acme", model="llm-x" if n < 2 else "gpt-4o-mini",
            pricing_source="unknown" if n < 2 else "catalog",
            endpoint_tag="checkout.ai_summary", user_id="jane@example.com" if n == 0 else f"u_{n}", api_key=key,
        )
        for n in range(4)
    )
    log_in("owner@example.com")
    page.goto("/settings#first-ingest-checklist")
    section = page.locator("section#first-ingest-checklist")
    for step in ("api_key", "payload_received", "response_ok", "row_visible"):
        expect(section.locator(f"[data-step={step}]")).to_have_attribute("data-done", "true")
    # endpointTag 20 + promptVersion 0 + identity 15 + usage 20 + known models 10·½ + no PII 10·¾ + alignment 10
    expect(section.get_by_test_id("quality-score")).to_have_text("78")
    expect(section.get_by_test_id("unknown-models")).to_contain_text("acme/llm-x")
    expect(section.get_by_test_id("pii-warning")).to_contain_text("j***@e***.com")
    assert "jane@example.com" not in section.inner_html()
    page.screenshot(path=str(artifacts / "settings.png"), full_page=True)
