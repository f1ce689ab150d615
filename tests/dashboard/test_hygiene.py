"""Settings → Data hygiene: counts per data mode, "Try demo data", and clearing test/demo rows
with a confirmation step — "mine" for every role, the whole workspace for Owner/Admin only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.hygiene import counts_by_data_mode
from ingest.models import LLMRequest
from workspaces.models import ApiKey

CLEAR_URL = "/settings/data-hygiene/clear"


def add_rows(workspace, prefix, count, *, api_key=None, seeded_by=None, data_mode="real"):
    now = timezone.now()
    LLMRequest.objects.bulk_create(
        LLMRequest(
            workspace=workspace,
            external_request_id=f"{prefix}-{n}",
            occurred_at=now - timedelta(minutes=n + 1),
            received_at=now,
            provider="openai",
            model="gpt-4o-mini",
            data_mode=data_mode,
            api_key=api_key,
            seeded_by=seeded_by,
        )
        for n in range(count)
    )


@pytest.fixture
def member_browser(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def admin_browser(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def mixed_rows(workspace, other_workspace, owner, member, api_key_pair):
    """Owner's key: 3 test, 2 real. Member's key: 4 test. Member seeded 5 demo. Owner seeded 1 demo.
    The other workspace: 6 test rows."""
    owner_key, _ = api_key_pair
    member_key, _ = ApiKey.issue(workspace, "Member's key", created_by=member)
    add_rows(workspace, "owner-test", 3, api_key=owner_key, data_mode="test")
    add_rows(workspace, "owner-real", 2, api_key=owner_key, data_mode="real")
    add_rows(workspace, "member-test", 4, api_key=member_key, data_mode="test")
    add_rows(workspace, "member-demo", 5, seeded_by=member, data_mode="demo")
    add_rows(workspace, "owner-demo", 1, seeded_by=owner, data_mode="demo")
    add_rows(other_workspace, "globex-test", 6, data_mode="test")


def modes(workspace):
    return counts_by_data_mode(workspace)


def test_counts_are_per_data_mode_and_per_workspace(workspace, other_workspace, mixed_rows, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert modes(workspace) == {"real": 2, "test": 7, "demo": 6}
    assert modes(other_workspace) == {"real": 0, "test": 6, "demo": 0}


def test_the_section_shows_the_counts(owner_browser, mixed_rows):
    response = owner_browser.get(reverse("data-hygiene"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the partial only, for htmx
    assert 'data-testid="count-real">2<' in html
    assert 'data-testid="count-test">7<' in html
    assert 'data-testid="count-demo">6<' in html


def test_a_plain_link_to_the_section_opens_settings_at_its_anchor(owner_browser):
    response = owner_browser.get(reverse("data-hygiene"))
    assert response.status_code == 302
    assert response["Location"] == "/settings#data-hygiene"


def test_without_javascript_the_section_has_a_page_of_its_own(owner_browser, mixed_rows):
    response = owner_browser.get(reverse("data-hygiene"), {"standalone": "1"})
    assert "<html" in response.content.decode()
    assert 'data-testid="count-test">7<' in response.content.decode()


def test_without_javascript_the_confirmation_is_a_page_too(owner_browser, mixed_rows):
    response = owner_browser.get(CLEAR_URL, {"data_mode": "test", "scope": "mine"})
    assert "<html" in response.content.decode()
    assert "Delete 3 of your test rows?" in response.content.decode()


def test_the_settings_page_has_the_data_hygiene_anchor(owner_browser):
    html = owner_browser.get("/settings").content.decode()
    assert 'id="data-hygiene"' in html
    assert f'hx-get="{reverse("data-hygiene")}"' in html
    assert 'id="first-ingest-checklist"' in html


def test_owners_and_admins_see_the_workspace_buttons(owner_browser, admin_browser, mixed_rows):
    for browser in (owner_browser, admin_browser):
        html = browser.get(reverse("data-hygiene"), HTTP_HX_REQUEST="true").content.decode()
        assert "Clear my test data" in html and "Clear my demo data" in html
        assert "Clear workspace test data" in html and "Clear workspace demo data" in html


def test_members_see_only_their_own_buttons(member_browser, mixed_rows):
    html = member_browser.get(reverse("data-hygiene"), HTTP_HX_REQUEST="true").content.decode()
    assert "Clear my test data" in html and "Clear my demo data" in html
    assert "Clear workspace" not in html
    assert "scope=workspace" not in html


def test_clearing_asks_for_confirmation_with_the_count_first(member_browser, workspace, mixed_rows):
    response = member_browser.get(CLEAR_URL, {"data_mode": "test", "scope": "mine"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Delete 4 of your test rows?" in html
    assert 'name="confirm"' in html
    assert modes(workspace)["test"] == 7  # nothing deleted yet


def test_a_post_without_confirm_only_shows_the_confirmation(member_browser, workspace, mixed_rows):
    response = member_browser.post(CLEAR_URL, {"data_mode": "test", "scope": "mine"})
    assert "Delete 4 of your test rows?" in response.content.decode()
    assert modes(workspace)["test"] == 7


def test_a_member_clears_only_their_own_test_rows(member_browser, workspace, other_workspace, mixed_rows):
    response = member_browser.post(CLEAR_URL, {"data_mode": "test", "scope": "mine", "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/settings#data-hygiene"
    assert modes(workspace) == {"real": 2, "test": 3, "demo": 6}
    assert modes(other_workspace)["test"] == 6


def test_clear_my_demo_data_removes_the_demo_rows_i_seeded(member_browser, workspace, mixed_rows):
    member_browser.post(CLEAR_URL, {"data_mode": "demo", "scope": "mine", "confirm": "yes"})
    assert modes(workspace) == {"real": 2, "test": 7, "demo": 1}


def test_with_htmx_the_section_comes_back_with_new_counts(owner_browser, workspace, mixed_rows):
    response = owner_browser.post(
        CLEAR_URL, {"data_mode": "test", "scope": "mine", "confirm": "yes"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deleted 3 of your test rows." in html
    assert 'data-testid="count-test">4<' in html


@pytest.mark.parametrize("data_mode", ["test", "demo"])
def test_a_member_cannot_clear_the_workspace(member_browser, workspace, mixed_rows, data_mode):
    before = modes(workspace)
    confirm = member_browser.get(CLEAR_URL, {"data_mode": data_mode, "scope": "workspace"})
    assert confirm.status_code == 403
    response = member_browser.post(CLEAR_URL, {"data_mode": data_mode, "scope": "workspace", "confirm": "yes"})
    assert response.status_code == 403
    assert modes(workspace) == before


def test_an_admin_clears_every_test_row_of_the_workspace(admin_browser, workspace, other_workspace, mixed_rows):
    confirm = admin_browser.get(CLEAR_URL, {"data_mode": "test", "scope": "workspace"})
    assert "Delete 7 workspace test rows?" in confirm.content.decode()
    admin_browser.post(CLEAR_URL, {"data_mode": "test", "scope": "workspace", "confirm": "yes"})
    assert modes(workspace) == {"real": 2, "test": 0, "demo": 6}
    assert modes(other_workspace)["test"] == 6


def test_the_owner_clears_every_demo_row_of_the_workspace(owner_browser, workspace, mixed_rows):
    owner_browser.post(CLEAR_URL, {"data_mode": "demo", "scope": "workspace", "confirm": "yes"})
    assert modes(workspace) == {"real": 2, "test": 7, "demo": 0}


@pytest.mark.parametrize(
    "params", [{"data_mode": "real", "scope": "workspace"}, {"data_mode": "test", "scope": "everyone"}, {}]
)
def test_real_rows_and_unknown_scopes_are_refused(owner_browser, workspace, mixed_rows, params):
    response = owner_browser.post(CLEAR_URL, {**params, "confirm": "yes"})
    assert response.status_code == 400
    assert modes(workspace) == {"real": 2, "test": 7, "demo": 6}


def test_clearing_goes_back_to_a_local_next_page_only(owner_browser, mixed_rows):
    local = owner_browser.post(
        CLEAR_URL, {"data_mode": "test", "scope": "mine", "confirm": "1", "next": "/?dataMode=test"}
    )
    assert local["Location"] == "/?dataMode=test"
    foreign = owner_browser.post(
        CLEAR_URL, {"data_mode": "test", "scope": "mine", "confirm": "1", "next": "https://evil.example/"}
    )
    assert foreign["Location"] == "/settings#data-hygiene"


def test_clearing_needs_a_logged_in_member(client, mixed_rows, workspace):
    response = client.post(CLEAR_URL, {"data_mode": "test", "scope": "mine", "confirm": "yes"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert modes(workspace)["test"] == 7


def test_clearing_is_csrf_protected(owner, mixed_rows, workspace):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.post(CLEAR_URL, {"data_mode": "test", "scope": "mine", "confirm": "yes"})
    assert response.status_code == 403
    assert modes(workspace)["test"] == 7


def test_try_demo_data_seeds_demo_rows_and_shows_them(member_browser, workspace, member):
    response = member_browser.post(reverse("hygiene-try-demo"))
    assert response.status_code == 302
    assert response["Location"] == "/?dataMode=demo"
    counts = modes(workspace)
    assert counts["demo"] > 0 and counts["real"] == counts["test"] == 0
    assert LLMRequest.objects.filter(workspace=workspace, seeded_by=member).count() == counts["demo"]


def test_trying_demo_data_twice_adds_nothing(owner_browser, workspace):
    owner_browser.post(reverse("hygiene-try-demo"))
    first = modes(workspace)["demo"]
    owner_browser.post(reverse("hygiene-try-demo"))
    assert modes(workspace)["demo"] == first


def test_try_demo_data_returns_to_next_and_redirects_htmx_by_header(owner_browser):
    response = owner_browser.post(reverse("hygiene-try-demo"), {"next": "/requests?dataMode=demo"})
    assert response["Location"] == "/requests?dataMode=demo"
    htmx = owner_browser.post(reverse("hygiene-try-demo"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == "/?dataMode=demo"


def test_try_demo_data_is_post_only(owner_browser, workspace):
    assert owner_browser.get(reverse("hygiene-try-demo")).status_code == 405
    assert modes(workspace)["demo"] == 0


def test_clearing_a_workspace_never_reaches_another_workspace(client, outsider, workspace, other_workspace, mixed_rows):
    client.force_login(outsider)
    client.post(CLEAR_URL, {"data_mode": "test", "scope": "workspace", "confirm": "yes"})
    assert modes(other_workspace)["test"] == 0
    assert modes(workspace) == {"real": 2, "test": 7, "demo": 6}
