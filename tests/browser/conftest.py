"""Browser tests: Playwright driving the system's Chromium against Django's live server.

`./dev test` exports CHROMIUM_PATH when it finds Debian's chromium (CI installs it); without
it every test here is skipped with that reason, and nothing is downloaded. Screenshots and
downloads go to test-artifacts/ (gitignored).

On SQLite the test database lives in memory, so the live server and the test share one
connection. Two threads in one SQLite connection deadlock as soon as a query calls back into
Python (the dashboard's percentile aggregate does): one holds the connection's mutex and waits
for the GIL, the other holds the GIL and waits for the mutex. So the live server here answers
one request at a time, and the test touches the database only while the browser has no
request in flight (`settle()`; the `page` fixture waits for that before teardown too).
"""

import os
import time
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from pytest_django.live_server_helper import LiveServer

from tests.conftest import PASSWORD
from workspaces.models import Role, User, Workspace

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

    # Playwright's sync API keeps an event loop running in the test thread; Django refuses
    # database access from such a thread unless told otherwise. The ORM calls in these tests
    # are plain synchronous setup, so allow them while Playwright runs, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class SerialLiveServerThread(LiveServerThread):
    """Django's live server without a thread per request (see the module docstring).
    Django's handler answers `Connection: close` on a non-threaded server, so one slow
    keep-alive connection cannot starve the others."""

    def _create_server(self, connections_override=None):
        return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live_server, on SerialLiveServerThread."""
    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost", start=False)
    threaded = server.thread
    server.thread = SerialLiveServerThread(
        threaded.host, threaded.static_handler, connections_override=threaded.connections_override, port=threaded.port
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


def _idle(page, timeout=TIMEOUT_MS / 1000):
    deadline = time.monotonic() + timeout
    while page.in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(25)
    assert not page.in_flight, f"requests still in flight: {[r.url for r in page.in_flight]}"


@pytest.fixture
def page(chromium_browser, live_server, transactional_db):
    context = chromium_browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.in_flight = set()
    page.on("request", lambda request: page.in_flight.add(request))
    page.on("requestfinished", lambda request: page.in_flight.discard(request))
    page.on("requestfailed", lambda request: page.in_flight.discard(request))
    yield page
    try:
        _idle(page)
    finally:
        context.close()


@pytest.fixture
def settle(page):
    """settle(): wait until the browser has no request in flight, before the test reads the
    database (see the module docstring)."""
    return lambda: _idle(page)


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
