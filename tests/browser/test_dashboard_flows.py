"""In a real browser, the first minutes of a new user: try demo data on the empty Overview
and see a drawn chart, filter to one endpoint with a click, compare two prompt versions,
and export the Requests as CSV. Saves test-artifacts/overview.png."""

import csv
import io

import pytest
from playwright.sync_api import expect

from ingest.demo import seed_demo_data
from workspaces.models import User

pytestmark = pytest.mark.browser

CHART_IS_DRAWN = """canvas => {
    if (!window.Chart || !Chart.getChart(canvas) || canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
}"""


@pytest.fixture
def demo_rows(acme):
    return seed_demo_data(acme, seeded_by=User.objects.get(email="owner@example.com"))


def kpi(page, key):
    return page.locator(f"[data-kpi={key}] .value")


def test_try_demo_data_on_the_empty_overview_shows_a_drawn_chart(page, acme, log_in, artifacts):
    log_in("owner@example.com")
    page.goto("/")
    expect(page.get_by_role("heading", name="No requests yet — send your first one")).to_be_visible()
    page.get_by_role("button", name="Try demo data").click()
    page.wait_for_url("**/?dataMode=demo")
    canvas = page.locator("canvas[data-chart]")
    expect(canvas).to_be_visible()
    page.wait_for_function(CHART_IS_DRAWN, arg=canvas.element_handle())
    expect(kpi(page, "requests")).not_to_have_text("0")
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    assert (artifacts / "overview.png").stat().st_size > 10_000


def test_manage_demo_data_leads_to_settings_where_my_demo_rows_are_cleared(page, demo_rows, log_in):
    log_in("owner@example.com")
    page.goto("/?dataMode=demo")
    page.get_by_role("link", name="Manage demo data").click()
    page.wait_for_url("**/settings#data-hygiene")
    section = page.locator("section#data-hygiene")
    expect(section.get_by_test_id("count-demo")).to_have_text(str(demo_rows))
    section.get_by_role("link", name="Clear my demo data").click()
    section.get_by_role("button", name=f"Yes, delete {demo_rows} rows").click()
    expect(section.get_by_test_id("count-demo")).to_have_text("0")
    page.goto("/")
    expect(page.get_by_role("heading", name="No requests yet — send your first one")).to_be_visible()


def test_clicking_an_endpoint_filters_the_overview_to_it(page, demo_rows, log_in):
    log_in("owner@example.com")
    page.goto("/?dataMode=demo")
    spend_everywhere = kpi(page, "spend").inner_text()
    top_endpoints = page.locator("section.top5", has_text="Top Endpoints")
    top_endpoints.get_by_role("link", name="checkout.ai_summary").click()
    page.wait_for_url("**endpointTag=checkout.ai_summary**")
    expect(page.get_by_text("endpointTag = checkout.ai_summary")).to_be_visible()
    expect(kpi(page, "spend")).not_to_have_text(spend_everywhere)
    page.wait_for_function(CHART_IS_DRAWN, arg=page.locator("canvas[data-chart]").element_handle())


def test_comparing_two_prompt_versions_shows_the_deltas(page, demo_rows, log_in):
    log_in("owner@example.com")
    page.goto("/prompt-versions?dataMode=demo")
    compare = page.locator("#prompt-compare")
    compare.get_by_label("Endpoint").select_option("checkout.ai_summary")
    expect(compare.get_by_label("Baseline")).to_have_value("summarizer_v3")
    compare.get_by_label("Baseline").select_option("summarizer_v3")
    compare.get_by_label("Candidate").select_option("summarizer_v4")
    input_tokens = compare.locator("[data-metric=input_tokens_per_request]")
    expect(input_tokens).to_be_visible()
    # v4 sends prompts about 2.5× as long: the delta is positive and beyond noise.
    expect(input_tokens.locator("td").nth(3)).to_contain_text("+")
    expect(input_tokens).to_contain_text("beyond noise")
    expect(compare.locator("[data-metric=cost_per_request] td").nth(3)).to_contain_text("+")


def test_the_requests_page_exports_csv(page, demo_rows, log_in, artifacts):
    log_in("owner@example.com")
    page.goto("/requests?dataMode=demo&range=30d")  # the demo set spans a little over 7 days
    expect(page.locator("table.requests-table tbody tr").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("opsmeter-requests-") and download.suggested_filename.endswith(".csv")
    target = artifacts / "requests.csv"
    download.save_as(target)
    records = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(records) == demo_rows
    assert {r["dataMode"] for r in records} == {"demo"}
    assert records[0]["externalRequestId"] and records[0]["costUsd"]
