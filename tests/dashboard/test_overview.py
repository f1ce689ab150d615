"""Overview figures: totals, the real-only default, filters, previous-period deltas."""

from decimal import Decimal

import pytest

from dashboard import queries
from dashboard.filters import parse_filters

pytestmark = pytest.mark.django_db


def totals(workspace, **params):
    return queries.overview_totals(workspace, parse_filters(params))


def test_it_counts_real_rows_only_by_default(dataset):
    figures = totals(dataset)
    assert figures["requests"] == 7
    assert figures["spend"] == Decimal("0.2200")
    assert figures["priced_requests"] == 6
    assert figures["unpriced_requests"] == 1
    assert figures["tokens"] == 3100


def test_it_computes_latency_error_rate_and_cost_per_request(dataset):
    figures = totals(dataset)
    assert figures["avg_latency_ms"] == 350
    assert figures["p50_latency_ms"] == 300
    assert figures["p95_latency_ms"] == 600
    assert figures["error_rate"] == pytest.approx(2 / 7)
    assert figures["cost_per_request"] == Decimal("0.0366666667")  # 0.22 / 6 priced requests


def test_it_includes_demo_and_test_rows_with_data_mode_all(dataset):
    figures = totals(dataset, dataMode="all")
    assert figures["requests"] == 9
    assert figures["spend"] == Decimal("6.2200")


def test_it_selects_one_data_mode(dataset):
    assert totals(dataset, dataMode="demo")["spend"] == Decimal("5.0000")
    assert totals(dataset, dataMode="test")["requests"] == 1


def test_it_filters_by_environment(dataset):
    figures = totals(dataset, environment="staging")
    assert figures["requests"] == 1
    assert figures["spend"] == Decimal("0.0100")


def test_it_filters_by_attribute_and_by_unknown_user(dataset):
    assert totals(dataset, model="gpt-4o")["spend"] == Decimal("0.1300")
    unknown = totals(dataset, userId="unknown")
    assert unknown["requests"] == 2
    assert unknown["spend"] == Decimal("0.0800")


def test_it_respects_the_range(dataset):
    assert totals(dataset, range="24h")["requests"] == 4  # r1, r2, r3 (12:30 yesterday), r7
    assert totals(dataset, range="30d")["spend"] == Decimal("0.3200")  # adds p1, p2
    assert totals(dataset, range="90d")["spend"] == Decimal("0.3200")  # "old" is in August
    assert totals(dataset, **{"from": "2026-08-01", "to": "2026-08-01"})["spend"] == Decimal("9.0000")


def test_it_compares_with_the_previous_period_of_the_same_length(dataset):
    data = queries.overview(dataset, parse_filters({}))
    previous = data["previous"]
    assert previous["requests"] == 2
    assert previous["spend"] == Decimal("0.1000")
    assert previous["p95_latency_ms"] == 300
    change = {kpi["key"]: kpi["change"] for kpi in data["kpis"]}
    assert change["spend"] == pytest.approx(1.2)
    assert change["requests"] == pytest.approx(2.5)
    assert change["tokens"] == pytest.approx((3100 - 750) / 750)
    assert change["avg_latency_ms"] == pytest.approx(0.75)  # 350 vs 200
    assert change["p95_latency_ms"] == pytest.approx(1.0)  # 600 vs 300
    assert change["error_rate"] == pytest.approx(2 / 7)  # in points: 2/7 − 0
    assert change["cost_per_request"] == pytest.approx((0.22 / 6 - 0.05) / 0.05, abs=1e-8)


def test_it_has_no_change_when_the_previous_period_is_empty(dataset):
    data = queries.overview(dataset, parse_filters({"dataMode": "demo"}))
    assert all(kpi["change"] is None for kpi in data["kpis"] if kpi["kind"] != "rate")


def test_it_reports_no_budget_until_budgets_exist(dataset):
    assert queries.budget_posture(dataset, parse_filters({})) == {
        "budget_set": False,
        "status": "no_budget",
        "message": "No budget set",
    }


def test_it_never_counts_another_workspaces_rows(dataset, other_workspace):
    figures = totals(other_workspace)
    assert figures["requests"] == 1
    assert figures["spend"] == Decimal("100.0000")
    assert totals(dataset, range="90d", dataMode="all")["spend"] == Decimal("6.3200")


def test_an_empty_selection_has_zero_figures(workspace, frozen):
    figures = totals(workspace)
    assert figures["requests"] == 0
    assert figures["spend"] == Decimal("0")
    assert figures["cost_per_request"] is None
    assert figures["p95_latency_ms"] is None
    assert figures["error_rate"] is None
