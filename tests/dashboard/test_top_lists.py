"""Top Endpoints / Users / Tenants / Models: figures per row, "unknown" grouping, sorting,
sparklines (hand-computed from the data set in conftest)."""

from decimal import Decimal

import pytest

from dashboard import queries
from dashboard.filters import parse_filters

pytestmark = pytest.mark.django_db


def table(workspace, dimension, sort="spend", **params):
    return queries.top_breakdown(workspace, parse_filters(params), dimension, sort=sort)


def by_key(result):
    return {row["key"]: row for row in result["rows"]}


def test_it_ranks_users_by_spend_and_groups_missing_user_ids_as_unknown(dataset):
    result = table(dataset, "users")
    assert [row["key"] for row in result["rows"]] == ["u2", "unknown", "u1", "u3"]
    assert result["total_spend"] == Decimal("0.2200")
    rows = by_key(result)
    assert rows["unknown"]["spend"] == Decimal("0.0800")  # r4 + r5, sent without a userId
    assert rows["unknown"]["requests"] == 2


def test_it_computes_every_column_of_a_row(dataset):
    u2 = by_key(table(dataset, "users"))["u2"]  # r3 (error, 300 ms, 0.10) + r7 (600 ms, 0.01)
    assert u2["spend"] == Decimal("0.1100")
    assert u2["requests"] == 2
    assert u2["tokens"] == 1650
    assert u2["cost_per_request"] == Decimal("0.0550")
    assert u2["p95_latency_ms"] == 600
    assert u2["error_rate"] == 0.5
    assert u2["share_of_spend"] == pytest.approx(0.5)


def test_an_unpriced_row_counts_as_a_request_but_not_as_spend(dataset):
    u3 = by_key(table(dataset, "users"))["u3"]
    assert u3["requests"] == 1
    assert u3["unpriced_requests"] == 1
    assert u3["spend"] == Decimal("0")
    assert u3["cost_per_request"] is None
    assert u3["p95_latency_ms"] is None


def test_it_sorts_by_each_column(dataset):
    assert [r["key"] for r in table(dataset, "users", sort="p95")["rows"]] == ["u2", "unknown", "u1", "u3"]
    assert [r["key"] for r in table(dataset, "users", sort="requests")["rows"]] == ["u1", "u2", "unknown", "u3"]
    assert [r["key"] for r in table(dataset, "users", sort="tokens")["rows"]] == ["u2", "unknown", "u1", "u3"]
    assert [r["key"] for r in table(dataset, "users", sort="error_rate")["rows"]][:2] == ["u2", "unknown"]
    assert [r["key"] for r in table(dataset, "users", sort="cost_per_request")["rows"]] == ["u2", "unknown", "u1", "u3"]


def test_it_groups_tenants_with_unknown(dataset):
    rows = by_key(table(dataset, "tenants"))
    assert list(rows) == ["t2", "t1", "unknown"]
    assert rows["t2"]["spend"] == Decimal("0.1500")
    assert rows["t1"]["spend"] == Decimal("0.0400")
    assert rows["t1"]["requests"] == 4
    assert rows["unknown"]["spend"] == Decimal("0.0300")


def test_it_lists_models_with_their_provider(dataset):
    rows = by_key(table(dataset, "models"))
    assert list(rows) == ["gpt-4o", "claude-sonnet-4", "gpt-4o-mini", "my-finetune"]
    assert rows["gpt-4o"]["spend"] == Decimal("0.1300")
    assert rows["claude-sonnet-4"]["provider"] == "anthropic"
    assert rows["my-finetune"]["unpriced_requests"] == 1


def test_it_lists_endpoints(dataset):
    rows = by_key(table(dataset, "endpoints"))
    assert list(rows) == ["support.reply", "checkout.ai_summary", "invoice.extract"]
    assert rows["support.reply"]["spend"] == Decimal("0.1800")
    assert rows["support.reply"]["p95_latency_ms"] == 500  # 300, 400, 500 → rank 3


def test_it_honours_environment_and_data_mode_filters(dataset):
    staging = table(dataset, "users", environment="staging")
    assert [(r["key"], r["spend"]) for r in staging["rows"]] == [("u2", Decimal("0.0100"))]
    everything = table(dataset, "users", dataMode="all")
    assert everything["rows"][0]["key"] == "u9"  # the demo row's 5.00
    assert everything["total_spend"] == Decimal("6.2200")


def test_a_sparkline_has_the_spend_of_each_day(dataset):
    rows = by_key(table(dataset, "users"))
    # 7d = Nov 17 12:00 → Nov 24 12:00: eight UTC days, 17th … 24th.
    zero = Decimal("0")
    assert rows["u2"]["sparkline"] == [zero] * 6 + [Decimal("0.1000"), Decimal("0.0100")]
    assert rows["unknown"]["sparkline"] == [zero] * 4 + [Decimal("0.0300"), Decimal("0.0500"), zero, zero]


def test_the_sparklines_of_a_table_take_one_query(dataset, django_assert_max_num_queries):
    filters = parse_filters({})
    with django_assert_max_num_queries(2):  # the grouped figures, then all sparklines
        queries.top_breakdown(dataset, filters, "users")


def test_a_literal_unknown_user_id_joins_the_unknown_group(dataset):
    from ingest.models import LLMRequest

    from tests.dashboard.conftest import NOW, make_row

    LLMRequest.objects.bulk_create([make_row(dataset, "lit", NOW.replace(hour=7), user="unknown", cost="0.0100")])
    rows = by_key(table(dataset, "users"))
    assert rows["unknown"]["requests"] == 3
    assert rows["unknown"]["spend"] == Decimal("0.0900")
    assert queries.overview_totals(dataset, parse_filters({"userId": "unknown"}))["requests"] == 3


def test_the_limit_keeps_the_top_rows_and_counts_all_groups(dataset):
    result = queries.top_breakdown(dataset, parse_filters({}), "users", limit=2)
    assert [r["key"] for r in result["rows"]] == ["u2", "unknown"]
    assert result["group_count"] == 4


def test_it_sorts_ascending_with_missing_values_still_last(dataset):
    result = queries.top_breakdown(dataset, parse_filters({}), "users", sort="p95", order="asc")
    assert [r["key"] for r in result["rows"]] == ["u1", "unknown", "u2", "u3"]
