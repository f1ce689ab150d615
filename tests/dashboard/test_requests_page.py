"""Requests: raw rows newest first, keyset pagination on (occurred_at, id), priced cost and
pricing source per row, unknown-model rows marked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import queries
from dashboard.filters import parse_filters
from ingest.models import LLMRequest
from tests.dashboard.conftest import at, make_row

pytestmark = pytest.mark.django_db


def ids(page):
    return [row.external_request_id for row in page["rows"]]


def test_it_lists_real_rows_newest_first(dataset):
    page = queries.request_page(dataset, parse_filters({}), limit=50)
    assert ids(page) == ["r7", "r1", "r2", "r3", "r4", "r5", "r6"]
    assert page["next_cursor"] is None


def test_it_pages_by_keyset_without_gaps_or_repeats(dataset):
    filters = parse_filters({})
    first = queries.request_page(dataset, filters, limit=3)
    second = queries.request_page(dataset, filters, cursor=first["next_cursor"], limit=3)
    third = queries.request_page(dataset, filters, cursor=second["next_cursor"], limit=3)
    assert (ids(first), ids(second), ids(third)) == (["r7", "r1", "r2"], ["r3", "r4", "r5"], ["r6"])
    assert third["next_cursor"] is None


def test_rows_with_the_same_timestamp_are_paged_by_id(workspace, frozen):
    LLMRequest.objects.bulk_create([make_row(workspace, f"same{i}", at(24, 8)) for i in range(3)])
    filters = parse_filters({})
    seen, cursor = [], None
    for _ in range(3):
        page = queries.request_page(workspace, filters, cursor=cursor, limit=1)
        seen += ids(page)
        cursor = page["next_cursor"]
    assert sorted(seen) == ["same0", "same1", "same2"]
    assert cursor is None


def test_the_query_uses_no_offset(dataset):
    first = queries.request_page(dataset, parse_filters({}), limit=2)
    with CaptureQueriesContext(connection) as captured:
        queries.request_page(dataset, parse_filters({}), cursor=first["next_cursor"], limit=2)
    sql = captured.captured_queries[0]["sql"].upper()
    assert "OFFSET" not in sql
    assert "ORDER BY" in sql


def test_a_bad_cursor_is_refused(dataset):
    with pytest.raises(queries.CursorError):
        queries.request_page(dataset, parse_filters({}), cursor="nonsense")


def test_the_page_shows_cost_and_pricing_source_and_marks_unknown_models(dataset, owner_browser):
    html = owner_browser.get("/requests").content.decode()
    assert "r7" in html and "r6" in html
    assert "$0.0100" in html
    assert "Catalog" in html
    assert "unknown model — not priced" in html
    assert "d1" not in html  # demo rows hidden by the real-only default


def test_the_page_links_to_the_next_page_with_filters_kept(dataset, owner_browser):
    html = owner_browser.get("/requests", {"environment": "prod"}).content.decode()
    assert "End of the list." in html
    LLMRequest.objects.bulk_create([make_row(dataset, f"bulk{i}", at(24, 6)) for i in range(60)])
    html = owner_browser.get("/requests", {"environment": "prod"}).content.decode()
    assert 'rel="next"' in html
    assert "environment=prod&amp;cursor=" in html


def test_a_stale_cursor_on_the_page_falls_back_to_the_newest_rows(dataset, owner_browser):
    response = owner_browser.get("/requests", {"cursor": "garbage"})
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()
    assert "r7" in response.content.decode()


def test_the_page_links_to_the_exports_with_its_filters(dataset, owner_browser):
    html = owner_browser.get("/requests", {"dataMode": "demo"}).content.decode()
    assert 'href="/v1/exports/requests.csv?dataMode=demo"' in html
    assert 'href="/v1/exports/requests.json?dataMode=demo"' in html
