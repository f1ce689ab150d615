"""Browser tests: Playwright driving the system's Chromium against Django's live server.

`./dev test` exports CHROMIUM_PATH when it finds Debian's chromium (CI installs it); without
it every test here is skipped with that reason, and nothing is downloaded. Screenshots and
downloads go to test-artifacts/ (gitignored).
"""

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from workspaces.models import Role, User, Workspace

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from it. The ORM calls here are plain synchronous test setup.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 15_000
NO_CHROMIUM = "no Chromium found (CHROMIUM_PATH unset): install Debian's chromium to run the browser tests"


@pytest.fixture(autouse=True)
def _needs_chromium():
    if not CHROMIUM_PATH:
        pytest.skip(NO_CHROMIUM)


@pytest.fixture(scope="session")
def chromium_browser():
    if not CHROMIUM_PATH:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(chromium_browser, live_server, transactional_db):
    context = chromium_browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def acme(transactional_db):
    """A Pro workspace (prompt compare, JSON export and the quality score need Pro) with an
    Owner and a Member."""
    owner = User.objects.create_user("owner@example.com", PASSWORD)
    workspace = Workspace.create_with_owner("Acme", owner, plan="pro")
    member = User.objects.create_user("member@example.com", PASSWORD)
    workspace.add_member(member, Role.MEMBER)
    return workspace


@pytest.fixture
def log_in(page):
    """log_in(email): log in through the real allauth form."""

    def log_in(email, password=PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/login" not in url)

    return log_in
