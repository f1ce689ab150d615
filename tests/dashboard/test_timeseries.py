"""Spend over time: hourly up to 48 h, daily beyond, empty buckets filled, stacked."""

from decimal import Decimal

import pytest

from dashboard import queries
from dashboard.filters import parse_filters
from ingest.models import LLMRequest

from tests.dashboard.conftest import at, make_row

pytestmark = pytest.mark.django_db
ZERO = Decimal("0")


def series(workspace, stack_by="model", **params):
    result = queries.spend_timeseries(workspace, parse_filters(params), stack_by)
    return result, {s["key"]: s["values"] for s in result["series"]}


def test_it_buckets_a_week_per_day_and_stacks_by_model(dataset):
    result, by_model = series(dataset)
    assert result["bucket"] == "day"
    assert [b.day for b in result["buckets"]] == [17, 18, 19, 20, 21, 22, 23, 24]
    assert list(by_model) == ["gpt-4o", "claude-sonnet-4", "gpt-4o-mini", "my-finetune"]
    assert by_model["gpt-4o"] == [ZERO] * 4 + [Decimal("0.0300"), ZERO, Decimal("0.1000"), ZERO]
    assert by_model["gpt-4o-mini"][7] == Decimal("0.0400")  # r1 + r2 + r7 on the 24th
    assert result["totals"] == [ZERO] * 4 + [Decimal("0.0300"), Decimal("0.0500"), Decimal("0.1000"), Decimal("0.0400")]
    assert result["requests"] == [0, 0, 0, 1, 1, 1, 1, 3]


def test_it_stacks_by_endpoint(dataset):
    _, by_endpoint = series(dataset, stack_by="endpoint")
    assert list(by_endpoint) == ["support.reply", "checkout.ai_summary", "invoice.extract"]
    assert sum(by_endpoint["support.reply"]) == Decimal("0.1800")


def test_it_buckets_a_day_per_hour_in_utc(dataset):
    result, by_model = series(dataset, range="24h")
    assert result["bucket"] == "hour"
    assert len(result["buckets"]) == 24
    assert result["buckets"][0] == at(23, 12)
    assert by_model["gpt-4o"][0] == Decimal("0.1000")  # r3 at 12:30 → the 12:00 bucket
    assert by_model["gpt-4o-mini"][21:] == [Decimal("0.0200"), Decimal("0.0100"), Decimal("0.0100")]


def test_48_hours_is_still_hourly_and_longer_is_daily(dataset):
    hourly, _ = series(dataset, **{"from": "2026-11-22T12:00:00Z", "to": "2026-11-24T12:00:00Z"})
    assert hourly["bucket"] == "hour"
    assert len(hourly["buckets"]) == 48
    daily, _ = series(dataset, **{"from": "2026-11-21", "to": "2026-11-23"})
    assert daily["bucket"] == "day"
    assert len(daily["buckets"]) == 3


def test_an_empty_range_has_zero_buckets_and_no_series(workspace, frozen):
    result, by_model = series(workspace)
    assert by_model == {}
    assert result["totals"] == [ZERO] * 8


def test_series_beyond_eight_fold_into_other(workspace, frozen):
    LLMRequest.objects.bulk_create(
        [make_row(workspace, f"m{i}", at(24, 8), model=f"model-{i:02d}", cost=f"0.{i + 1:02d}00") for i in range(10)]
    )
    result, by_model = series(workspace)
    assert len(result["series"]) == 8
    assert list(by_model)[-1] == "other"
    assert by_model["other"][7] == Decimal("0.0600")  # seven kept; the three smallest: 0.01 + 0.02 + 0.03
    assert result["totals"][7] == sum((Decimal(f"0.{i + 1:02d}") for i in range(10)), ZERO)


def test_the_timeseries_never_shows_another_workspace(dataset, other_workspace):
    _, by_endpoint = series(dataset, stack_by="endpoint")
    assert "globex.secret" not in by_endpoint
