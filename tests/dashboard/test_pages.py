"""The dashboard pages: who may see them, what they show, htmx partials, navigation, empty
states."""

import re
from html import unescape

import pytest

from ingest.models import LLMRequest
from tests.dashboard.conftest import at, make_row

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "Overview",
    "/endpoints": "Endpoints",
    "/users": "Users",
    "/tenants": "Tenants",
    "/models": "Models",
    "/prompt-versions": "Prompt Versions",
    "/requests": "Requests",
}


def html_of(response):
    return response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_and_marks_itself_in_the_navigation(dataset, owner_browser, url):
    response = owner_browser.get(url)
    assert response.status_code == 200
    html = html_of(response)
    current = re.findall(r'<a href="([^"?]*)[^"]*" aria-current="page">([^<]+)</a>', html)
    assert current == [(url, PAGES[url])]
    for label in PAGES.values():
        assert f">{label}</a>" in html


def test_the_overview_shows_the_kpis_with_their_changes(dataset, owner_browser):
    html = html_of(owner_browser.get("/"))
    assert re.search(r'data-kpi="spend">\s*<div class="label">Spend</div>\s*<div class="value">\$0.2200</div>', html)
    assert re.search(r'data-kpi="requests">\s*<div class="label">Requests</div>\s*<div class="value">7</div>', html)
    assert re.search(r'data-kpi="p95_latency_ms">.*?600 ms', html, re.S)
    assert "▲ 120.0%" in html  # spend 0.22 against 0.10
    assert "▲ 28.6 pts" in html  # error rate 2/7 against 0
    assert "1 request with an unknown model price" in html
    assert "No budget set" in html


def test_the_overview_carries_the_chart_data_and_loads_the_top_cards(dataset, owner_browser):
    html = html_of(owner_browser.get("/"))
    assert '<script type="application/json" id="spend-chart">' in html
    assert '"label": "gpt-4o"' in html
    for dimension in ("endpoints", "users", "tenants", "models"):
        assert f'hx-get="/overview/top/{dimension}?' in html or f'hx-get="/overview/top/{dimension}"' in html


def test_a_top_card_lists_five_rows_linking_to_the_filtered_overview(dataset, owner_browser):
    html = html_of(owner_browser.get("/overview/top/users", {"environment": "prod"}))
    assert html.index(">u2<") < html.index(">unknown<") < html.index(">u1<")
    assert 'href="/?environment=prod&amp;userId=u2"' in html
    assert owner_browser.get("/overview/top/planets").status_code == 404


def test_the_charting_library_is_served_from_static_never_a_cdn(dataset, owner_browser):
    html = html_of(owner_browser.get("/"))
    assert '<script src="/static/vendor/chart.umd.min.js"' in html
    assert not re.search(r'<script[^>]+src="https?://', html)


def test_a_top_table_has_sort_links_sparklines_and_row_filters(dataset, owner_browser):
    html = html_of(owner_browser.get("/users", {"sort": "p95"}))
    assert 'aria-sort="descending"' in html and "p95 latency ▼" in html
    assert "/users?sort=p95&amp;order=asc" in html  # a second click sorts the other way
    assert "/users?sort=cost_per_request" in html
    assert html.count('<svg class="spark"') == 4
    assert 'href="/?userId=unknown"' in html
    assert "grouped as “unknown”" in html


def test_an_htmx_request_gets_only_the_content_and_the_navigation_out_of_band(dataset, owner_browser):
    response = owner_browser.get("/users", HTTP_HX_REQUEST="true")
    html = html_of(response)
    assert "<html" not in html
    assert "<h1>Top Users</h1>" in html
    assert 'id="mainnav-links" class="mainnav-links" hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_full_page(dataset, owner_browser):
    response = owner_browser.get("/users", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in html_of(response)


def test_the_filters_are_kept_in_the_navigation_links(dataset, owner_browser):
    html = html_of(owner_browser.get("/models", {"range": "30d", "environment": "staging"}))
    assert 'href="/users?range=30d&amp;environment=staging"' in html
    assert 'hx-push-url="true"' in html


def test_an_attribute_filter_shows_as_a_removable_chip(dataset, owner_browser):
    html = html_of(owner_browser.get("/", {"userId": "u2", "range": "30d"}))
    assert "userId = u2 ×" in html
    assert 'href="/?range=30d" hx-get="/?range=30d"' in html


def test_a_bad_filter_on_a_page_says_so_and_shows_the_defaults(dataset, owner_browser):
    response = owner_browser.get("/", {"range": "forever"})
    assert response.status_code == 400
    assert "Some filters were not understood" in html_of(response)
    assert "$0.2200" in html_of(response)


def test_a_new_workspace_is_told_what_to_send_first(workspace, owner_browser, frozen):
    html = html_of(owner_browser.get("/"))
    assert "No requests yet — send your first one" in html
    assert "/v1/ingest/llm-request" in html
    assert '"externalRequestId": "req_2026_02_07_001"' in unescape(html)
    assert "#api-keys" in html
    assert "Try demo data" in html


def test_a_workspace_with_only_demo_rows_is_pointed_at_them(workspace, owner_browser, frozen):
    LLMRequest.objects.bulk_create([make_row(workspace, "demo1", at(24, 8), data_mode="demo")])
    html = html_of(owner_browser.get("/"))
    assert "no real rows yet" in html
    assert "dataMode=all" in html
    assert "No requests yet" not in html


def test_an_outsider_browsing_sees_only_their_own_workspace(dataset, client, outsider):
    client.force_login(outsider)
    for url in PAGES:
        html = html_of(client.get(url, {"range": "90d", "dataMode": "all"}))
        assert "checkout.ai_summary" not in html
        assert "summarizer_v3" not in html
    assert "globex-model" in html_of(client.get("/models", {"dataMode": "all"}))


def test_an_htmx_filter_change_pushes_the_short_canonical_url(dataset, owner_browser):
    form_fields = {"range": "7d", "from": "2026-11-17", "to": "2026-11-24", "dataMode": "real", "environment": "staging",
                   "provider": "", "model": "", "userId": "", "sort": "p95"}
    response = owner_browser.get("/users", form_fields, HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "/users?environment=staging&sort=p95"


def test_the_demo_workspaces_sample_traffic_fills_the_overview(workspace, owner_browser, frozen):
    demo = pytest.importorskip("ingest.demo")
    demo.seed_sample_traffic(workspace, now=frozen)
    html = html_of(owner_browser.get("/"))
    assert "No requests yet" not in html
    assert '<script type="application/json" id="spend-chart">' in html
    assert "checkout.ai_summary" in html  # in the filter form's endpoint picker


def test_try_demo_data_lands_on_a_populated_demo_overview(workspace, owner_browser, frozen):
    demo = pytest.importorskip("ingest.demo")
    demo.seed_demo_data(workspace, now=frozen)
    html = html_of(owner_browser.get("/", {"dataMode": "demo"}))
    assert '<script type="application/json" id="spend-chart">' in html
    assert "dataMode=demo" in html


def test_the_overview_links_to_data_hygiene_and_the_exports_with_its_filters(dataset, owner_browser):
    html = html_of(owner_browser.get("/", {"environment": "prod"}))
    assert "Manage demo data" in html
    assert "Clear my test data" in html
    assert "/v1/exports/requests.csv?environment=prod" in html
