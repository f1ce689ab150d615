"""Every figure the dashboard shows, one function each.

The HTML pages (`dashboard/views.py`) and the JSON API (`dashboard/api.py`) both call these,
so a number means the same thing wherever it appears. Each function takes the workspace and
the parsed `DashboardFilters` and returns plain Python data: `Decimal` for money (USD, 10
decimal places, as stored), `int` for counts and tokens, `float` for rates and latencies.

Definitions (stated once, used everywhere):
- spend: sum of `cost_usd`; rows whose model has no price (`cost_usd` null) add nothing and are
  counted as `unpriced`.
- cost per request: spend / priced requests (an unpriced row would otherwise pull the average
  towards zero); None when nothing is priced.
- error rate: requests whose status is not `success` / all requests.
- latency percentiles: nearest rank over rows that report a latency (p95 = the value at rank
  ceil(0.95·n) in ascending order). Same answer on SQLite and Postgres.
- buckets: UTC hours for ranges up to 48 h, UTC days beyond.
"""

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Max, Min, Q, Sum, Value
from django.db.models.functions import Cast, Substr, Trunc

from ingest.models import CallStatus, LLMRequest

from .filters import UNKNOWN, DashboardFilters, rows_for

MONEY_PLACES = Decimal("0.0000000001")
ZERO = Decimal("0")

# Top tables: the dimension in the URL / API → the LLMRequest field it groups by.
DIMENSIONS = {
    "endpoints": "endpoint_tag",
    "users": "user_id",
    "tenants": "tenant_id",
    "models": "model",
    "prompt_versions": "prompt_version",
}
# The filter parameter that narrows the dashboard to one row of a top table.
DIMENSION_PARAMS = {
    "endpoints": "endpointTag",
    "users": "userId",
    "tenants": "tenantId",
    "models": "model",
    "prompt_versions": "promptVersion",
}
SORTS = ("spend", "requests", "tokens", "cost_per_request", "p95", "error_rate")
ORDERS = ("desc", "asc")
STACK_BY = {"model": "model", "endpoint": "endpoint_tag"}
OPTIONS_CACHE_SECONDS = 300
MAX_SERIES = 8  # chart series beyond the biggest eight fold into "other"

# Prompt compare: a difference is called real only with this many rows on each side and a
# 95% confidence interval (normal approximation) that excludes zero.
MIN_SAMPLE = 30
Z_95 = 1.959964


def money(value) -> Decimal:
    """A sum of cost_usd as a Decimal with the stored precision (SQLite sums as float)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(MONEY_PLACES)


def ratio(numerator, denominator):
    if not denominator:
        return None
    return numerator / denominator


def relative_change(current, previous):
    """(current − previous) / previous as a float; None when there is nothing to compare to."""
    if current is None or previous in (None, 0):
        return None
    return float((current - previous) / previous)


# ---------------------------------------------------------------------------------------------
# Building blocks


def _totals_expressions(percentiles=()):
    return {
        **{f"p{percent}_latency_ms": LatencyPercentile(percent) for percent in percentiles},
        "requests": Count("id"),
        "priced": Count("cost_usd"),
        "spend": Sum("cost_usd"),
        "tokens": Sum("total_tokens"),
        # Aliases must not shadow field names (the compare squares the fields afterwards).
        "input_tokens_sum": Sum("input_tokens"),
        "output_tokens_sum": Sum("output_tokens"),
        "errors": Count("id", filter=~Q(status=CallStatus.SUCCESS)),
        "latency_sum": Sum("latency_ms"),
        "latency_count": Count("latency_ms"),
    }


PERCENTILE_KEYS = ("p50_latency_ms", "p95_latency_ms")


def _figures(row) -> dict:
    """Derived figures from one aggregate row (totals of the whole selection or of a group)."""
    requests = row["requests"] or 0
    spend = money(row["spend"])
    priced = row["priced"] or 0
    cost_per_request = (spend / priced).quantize(MONEY_PLACES) if priced else None
    return {
        "spend": spend,
        "requests": requests,
        "priced_requests": priced,
        "unpriced_requests": requests - priced,
        "tokens": int(row["tokens"] or 0),
        "input_tokens": int(row["input_tokens_sum"] or 0),
        "output_tokens": int(row["output_tokens_sum"] or 0),
        "cost_per_request": cost_per_request,
        "errors": row["errors"] or 0,
        "error_rate": ratio(row["errors"] or 0, requests),
        "avg_latency_ms": ratio(float(row["latency_sum"] or 0), row["latency_count"] or 0),
        **{key: None if row[key] is None else float(row[key]) for key in PERCENTILE_KEYS if key in row},
    }


def _nearest_rank(percent: int, count: int) -> int:
    return (count * percent + 99) // 100  # ceil(percent/100 · count) in integers


class _NearestRank:
    """SQLite aggregate behind LatencyPercentile: collects the values, picks the nearest rank."""

    def __init__(self):
        self.values = []
        self.percent = 50

    def step(self, value, percent):
        if value is not None:
            self.values.append(value)
            self.percent = percent

    def finalize(self):
        if not self.values:
            return None
        self.values.sort()
        return self.values[_nearest_rank(self.percent, len(self.values)) - 1]


class LatencyPercentile(Aggregate):
    """Nearest-rank percentile of latency_ms as part of any aggregate or GROUP BY, so the p95
    of a table costs no extra query. Postgres: percentile_disc, which is nearest rank by
    definition; SQLite: a small Python aggregate registered on the connection."""

    function = "opsmeter_percentile"
    output_field = FloatField()

    def __init__(self, percent: int, **extra):
        self.percent = percent
        super().__init__("latency_ms", Value(percent), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_aggregate(self.function, 2, _NearestRank)  # cheap, idempotent
        return super().as_sql(compiler, connection, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"percentile_disc({self.percent / 100}) WITHIN GROUP (ORDER BY {column})", params


def _bucket_expression(hourly: bool):
    """The UTC hour or day of occurred_at. SQLite stores datetimes as UTC text, and a prefix of
    that text is far faster than Django's Python-level Trunc on 100k rows; other databases
    truncate natively."""
    if connection.vendor == "sqlite":
        return Substr("occurred_at", 1, 13 if hourly else 10)
    return Trunc("occurred_at", "hour" if hourly else "day", tzinfo=UTC)


def _bucket_start(value, hourly: bool) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=UTC)
    if hourly:
        return datetime.strptime(value, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)


def buckets(filters: DashboardFilters) -> list[datetime]:
    """Every bucket start the range touches, so a quiet hour still shows as zero."""
    step = timedelta(hours=1) if filters.hourly else timedelta(days=1)
    start = filters.start.astimezone(UTC)
    current = start.replace(minute=0, second=0, microsecond=0)
    if not filters.hourly:
        current = current.replace(hour=0)
    result = []
    while current < filters.end:
        result.append(current)
        current += step
    return result


def _display_key(value: str) -> str:
    return value if value else UNKNOWN


def _matching(field: str, key: str) -> Q:
    """Rows of one displayed group ("unknown" is the blank value, and a literal "unknown")."""
    if key == UNKNOWN:
        return Q(**{f"{field}__in": ["", UNKNOWN]})
    return Q(**{field: key})


def filter_options(workspace, filters: DashboardFilters) -> dict[str, list[str]]:
    """Providers, models and endpoints seen in the range (ignoring the attribute filters, so
    the form can switch between them), for the filter form's pickers. Not a figure, so it is
    cached for a few minutes: a new model shows up in the picker a little later."""
    key = f"dash-options:{workspace.pk}:{filters.range}:{filters.data_mode}:{filters.environment}"
    if filters.range == "custom":
        key += f":{filters.start.isoformat()}:{filters.end.isoformat()}"
    options = cache.get(key)
    if options is None:
        options = _filter_options(workspace, filters)
        cache.set(key, options, OPTIONS_CACHE_SECONDS)
    return options


def _filter_options(workspace, filters):
    base = replace(filters, **dict.fromkeys(filters.active_attributes))
    seen = rows_for(workspace, base).order_by().values_list("provider", "model", "endpoint_tag").distinct()
    providers, models, endpoints = set(), set(), set()
    for provider, model, endpoint in seen:
        providers.add(provider)
        models.add(model)
        endpoints.add(_display_key(endpoint))
    return {"provider": sorted(providers), "model": sorted(models), "endpointTag": sorted(endpoints)}


# ---------------------------------------------------------------------------------------------
# Overview


def overview_totals(workspace, filters: DashboardFilters) -> dict:
    """Spend, requests, tokens, latency (avg, p50, p95), error rate, cost per request."""
    return _figures(rows_for(workspace, filters).aggregate(**_totals_expressions(percentiles=(50, 95))))


KPIS = [
    # key, label, kind (how to show and how to compare)
    ("spend", "Spend", "money"),
    ("requests", "Requests", "count"),
    ("tokens", "Tokens", "count"),
    ("avg_latency_ms", "Avg latency", "ms"),
    ("p95_latency_ms", "p95 latency", "ms"),
    ("error_rate", "Error rate", "rate"),
    ("cost_per_request", "Cost / request", "money"),
]


def overview(workspace, filters: DashboardFilters) -> dict:
    """The current totals, the previous period of the same length, and the change of each KPI.
    Rates change in percentage points; everything else relatively."""
    current = overview_totals(workspace, filters)
    previous_filters = filters.previous()
    previous = overview_totals(workspace, previous_filters)
    kpis = []
    for key, label, kind in KPIS:
        now, before = current[key], previous[key]
        if kind == "rate":
            change = None if now is None or before is None else now - before
        else:
            change = relative_change(now, before)
        kpis.append({"key": key, "label": label, "kind": kind, "value": now, "previous": before, "change": change})
    return {
        "current": current,
        "previous": previous,
        "previous_start": previous_filters.start,
        "previous_end": previous_filters.end,
        "kpis": kpis,
    }


def budget_posture(workspace, filters: DashboardFilters) -> dict:
    """Budgets arrive in Step 4; until then the honest answer is that none is set."""
    return {"budget_set": False, "status": "no_budget", "message": "No budget set"}


def workspace_data_state(workspace, filters: DashboardFilters) -> dict:
    """What an empty page should say: no rows at all (send the first request), or rows that the
    current dataMode filter hides (for instance only demo data under the real-only default)."""
    all_rows = LLMRequest.objects.filter(workspace=workspace)
    has_any = all_rows.exists()
    modes = []
    if has_any:
        modes = sorted(all_rows.order_by().values_list("data_mode", flat=True).distinct())
    return {"has_any_rows": has_any, "data_modes_present": modes}


# ---------------------------------------------------------------------------------------------
# Top tables


def _group_figures(workspace, filters: DashboardFilters, field: str, percentiles=()) -> dict[str, dict]:
    """Figures per group; a blank key and a literal "unknown" are one group (its p95 is then
    the larger of its parts' — a rare case: a customer sending the literal "unknown")."""
    sums = _totals_expressions()
    expressions = _totals_expressions(percentiles)
    grouped = rows_for(workspace, filters).order_by().values(field).annotate(**expressions, provider=Max("provider"))
    raw: dict[str, dict] = {}
    for row in grouped:
        key = _display_key(row[field])
        if key in raw:
            row = {
                k: (raw[key][k] or 0) + (row[k] or 0) if k in sums else max(raw[key][k] or 0, row[k] or 0) or None
                if k.endswith("_latency_ms") else raw[key][k]
                for k in raw[key]
            }
        raw[key] = row
    result = {}
    for key, row in raw.items():
        result[key] = _figures(row)
        if field == "model":
            result[key]["provider"] = row["provider"]
    return result


def _sort_value(row: dict, sort: str):
    value = {
        "spend": row["spend"],
        "requests": row["requests"],
        "tokens": row["tokens"],
        "cost_per_request": row["cost_per_request"],
        "p95": row["p95_latency_ms"],
        "error_rate": row["error_rate"],
    }[sort]
    # Missing values (no price, no latency) sort last.
    return (value is not None, value if value is not None else 0)


def top_breakdown(
    workspace,
    filters: DashboardFilters,
    dimension: str,
    sort: str = "spend",
    limit: int = 50,
    detail: bool = True,
    order: str = "desc",
) -> dict:
    """One row per endpoint / user / tenant / model (blank keys group as "unknown"), with spend,
    requests, tokens, cost per request, error rate and share of spend, sorted descending by
    `sort` (`order="asc"` for the smallest first; rows without the value stay last). With `detail` (the full tables) also p95 latency (in the same GROUP BY) and a spend
    sparkline per row (one query for the whole table); the Overview's top-5 cards skip both."""
    field = DIMENSIONS[dimension]
    groups = _group_figures(workspace, filters, field, percentiles=(95,) if detail else ())
    total_spend = sum((g["spend"] for g in groups.values()), ZERO)
    rows = []
    for key, figures in groups.items():
        figures["key"] = key
        figures.setdefault("p95_latency_ms", None)
        figures["share_of_spend"] = float(figures["spend"] / total_spend) if total_spend else None
        rows.append(figures)
    rows.sort(key=lambda r: r["key"])
    if order == "asc":
        rows.sort(key=lambda r: (not _sort_value(r, sort)[0], _sort_value(r, sort)[1]))
    else:
        rows.sort(key=lambda r: _sort_value(r, sort), reverse=True)
    shown = rows[:limit]
    if detail:
        spark = sparklines(workspace, filters, dimension, [r["key"] for r in shown])
        for row in shown:
            row["sparkline"] = spark.get(row["key"], [])
    return {
        "dimension": dimension,
        "sort": sort,
        "order": order,
        "total_spend": total_spend,
        "group_count": len(rows),
        "rows": shown,
    }


def sparklines(workspace, filters: DashboardFilters, dimension: str, keys: list[str]) -> dict[str, list[Decimal]]:
    """Spend per bucket for each listed row of a top table, in one grouped query."""
    if not keys:
        return {}
    field = DIMENSIONS[dimension]
    raw_keys = set(keys)
    if UNKNOWN in raw_keys:
        raw_keys.add("")
    starts = buckets(filters)
    index = {start: i for i, start in enumerate(starts)}
    result = {key: [ZERO] * len(starts) for key in keys}
    grouped = (
        rows_for(workspace, filters)
        .filter(**{f"{field}__in": raw_keys})
        .annotate(bucket=_bucket_expression(filters.hourly))
        .order_by()
        .values(field, "bucket")
        .annotate(spend=Sum("cost_usd"))
    )
    for row in grouped:
        position = index.get(_bucket_start(row["bucket"], filters.hourly))
        key = _display_key(row[field])
        if position is not None and key in result:
            result[key][position] += money(row["spend"])
    return result


# ---------------------------------------------------------------------------------------------
# Spend over time


def spend_timeseries(workspace, filters: DashboardFilters, stack_by: str = "model") -> dict:
    """Spend per UTC hour (≤ 48 h) or day, stacked by model or endpoint. Empty buckets are zero;
    series beyond the biggest eight are folded into "other"."""
    field = STACK_BY[stack_by]
    starts = buckets(filters)
    index = {start: i for i, start in enumerate(starts)}
    grouped = (
        rows_for(workspace, filters)
        .annotate(bucket=_bucket_expression(filters.hourly))
        .order_by()
        .values(field, "bucket")
        .annotate(spend=Sum("cost_usd"), requests=Count("id"))
    )
    series: dict[str, list[Decimal]] = {}
    requests = [0] * len(starts)
    for row in grouped:
        position = index.get(_bucket_start(row["bucket"], filters.hourly))
        if position is None:
            continue
        key = _display_key(row[field])
        series.setdefault(key, [ZERO] * len(starts))[position] += money(row["spend"])
        requests[position] += row["requests"]
    ordered = sorted(series.items(), key=lambda item: (-sum(item[1]), item[0]))
    if len(ordered) > MAX_SERIES:
        kept, folded = ordered[: MAX_SERIES - 1], ordered[MAX_SERIES - 1 :]
        other = [sum(values, ZERO) for values in zip(*(v for _, v in folded), strict=True)]
        ordered = [*kept, ("other", other)]
    totals = [sum(values, ZERO) for values in zip(*(v for _, v in ordered), strict=True)] if ordered else [ZERO] * len(starts)
    return {
        "bucket": "hour" if filters.hourly else "day",
        "stack_by": stack_by,
        "buckets": starts,
        "series": [{"key": key, "values": values} for key, values in ordered],
        "totals": totals,
        "requests": requests,
    }


# ---------------------------------------------------------------------------------------------
# Prompt versions


def prompt_versions(workspace, filters: DashboardFilters, endpoint_tag: str | None = None) -> dict:
    """Every (endpointTag, promptVersion) pair in the selection with its figures and when it was
    first and last seen; newest first within each endpoint. Also the endpoints to pick from."""
    rows = rows_for(workspace, filters)
    endpoints = sorted({_display_key(tag) for tag in rows.order_by().values_list("endpoint_tag", flat=True).distinct()})
    if endpoint_tag is not None:
        rows = rows.filter(_matching("endpoint_tag", endpoint_tag))
    grouped = (
        rows.order_by()
        .values("endpoint_tag", "prompt_version")
        .annotate(**_totals_expressions(), first_seen=Min("occurred_at"), last_seen=Max("occurred_at"))
    )
    versions = []
    for row in grouped:
        figures = _figures(row)
        figures.update(
            endpoint_tag=_display_key(row["endpoint_tag"]),
            prompt_version=_display_key(row["prompt_version"]),
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            input_tokens_per_request=ratio(figures["input_tokens"], figures["requests"]),
            output_tokens_per_request=ratio(figures["output_tokens"], figures["requests"]),
        )
        versions.append(figures)
    versions.sort(key=lambda v: (v["endpoint_tag"], -v["first_seen"].timestamp(), v["prompt_version"]))
    return {"endpoints": endpoints, "endpoint_tag": endpoint_tag, "versions": versions}


def default_compare_pair(versions: list[dict], endpoint_tag: str) -> tuple[str | None, str | None]:
    """(baseline, candidate): the newest version of the endpoint against the one before it."""
    ordered = [v["prompt_version"] for v in versions if v["endpoint_tag"] == endpoint_tag]
    if len(ordered) < 2:
        return (None, ordered[0] if ordered else None)
    return ordered[1], ordered[0]


@dataclass
class _Moments:
    n: int
    total: float
    total_sq: float

    @property
    def mean(self):
        return self.total / self.n if self.n else None

    @property
    def variance(self):
        if self.n < 2:
            return None
        return max((self.total_sq - self.total * self.total / self.n) / (self.n - 1), 0.0)


def _difference(baseline: _Moments, candidate: _Moments) -> dict:
    """Candidate minus baseline with a 95% CI (Welch standard error, normal quantile)."""
    if baseline.mean is None or candidate.mean is None:
        return {"delta": None, "relative": None, "ci_low": None, "ci_high": None, "significant": False, "enough_data": False}
    delta = candidate.mean - baseline.mean
    enough = baseline.n >= MIN_SAMPLE and candidate.n >= MIN_SAMPLE
    low = high = None
    if baseline.variance is not None and candidate.variance is not None:
        se = math.sqrt(baseline.variance / baseline.n + candidate.variance / candidate.n)
        low, high = delta - Z_95 * se, delta + Z_95 * se
    significant = bool(enough and low is not None and (low > 0 or high < 0))
    return {
        "delta": delta,
        "relative": delta / baseline.mean if baseline.mean else None,
        "ci_low": low,
        "ci_high": high,
        "significant": significant,
        "enough_data": enough,
    }


def _as_float(expression):
    return Cast(expression, output_field=FloatField())


def _version_stats(rows) -> dict:
    cost = _as_float("cost_usd")
    inp = _as_float("input_tokens")
    out = _as_float("output_tokens")
    agg = rows.aggregate(
        **_totals_expressions(percentiles=(50, 95)),
        cost_sq=Sum(cost * cost),
        input_sq=Sum(inp * inp),
        output_sq=Sum(out * out),
    )
    figures = _figures(agg)
    figures.update(
        input_tokens_per_request=ratio(figures["input_tokens"], figures["requests"]),
        output_tokens_per_request=ratio(figures["output_tokens"], figures["requests"]),
    )
    moments = {
        "cost_per_request": _Moments(figures["priced_requests"], float(figures["spend"]), float(agg["cost_sq"] or 0)),
        "input_tokens_per_request": _Moments(figures["requests"], float(figures["input_tokens"]), float(agg["input_sq"] or 0)),
        "output_tokens_per_request": _Moments(figures["requests"], float(figures["output_tokens"]), float(agg["output_sq"] or 0)),
    }
    # An error is a 0/1 outcome: its sum of squares is its sum.
    moments["error_rate"] = _Moments(figures["requests"], float(figures["errors"]), float(figures["errors"]))
    return {"figures": figures, "moments": moments}


COMPARE_METRICS = [
    ("cost_per_request", "Cost / request (USD)", "money"),
    ("input_tokens_per_request", "Input tokens / request", "tokens"),
    ("output_tokens_per_request", "Output tokens / request", "tokens"),
    ("p50_latency_ms", "Latency p50", "ms"),
    ("p95_latency_ms", "Latency p95", "ms"),
    ("error_rate", "Error rate", "rate"),
]


def prompt_compare(workspace, filters: DashboardFilters, endpoint_tag: str, baseline: str, candidate: str) -> dict:
    """Two prompt versions of one endpoint side by side. Each mean metric gets the candidate −
    baseline delta and a 95% confidence interval; it is called beyond noise only when both sides
    have at least MIN_SAMPLE rows and the interval excludes zero. Percentiles are shown without
    an interval (no cheap exact one), with the sample sizes next to them."""
    rows = rows_for(workspace, filters).filter(_matching("endpoint_tag", endpoint_tag))

    def version_rows(version):
        return rows.filter(_matching("prompt_version", version))

    sides = {"baseline": _version_stats(version_rows(baseline)), "candidate": _version_stats(version_rows(candidate))}
    metrics = []
    for key, label, kind in COMPARE_METRICS:
        base_value = sides["baseline"]["figures"][key]
        cand_value = sides["candidate"]["figures"][key]
        if key in sides["baseline"]["moments"]:
            diff = _difference(sides["baseline"]["moments"][key], sides["candidate"]["moments"][key])
        else:
            delta = None if base_value is None or cand_value is None else cand_value - base_value
            diff = {
                "delta": delta,
                "relative": relative_change(cand_value, base_value),
                "ci_low": None,
                "ci_high": None,
                "significant": False,
                "enough_data": False,
            }
        if key == "cost_per_request":
            diff = {k: (Decimal(str(v)).quantize(MONEY_PLACES) if k in ("delta", "ci_low", "ci_high") and v is not None else v) for k, v in diff.items()}
        metrics.append({"key": key, "label": label, "kind": kind, "baseline": base_value, "candidate": cand_value, **diff})
    return {
        "endpoint_tag": endpoint_tag,
        "baseline": {"prompt_version": baseline, **sides["baseline"]["figures"]},
        "candidate": {"prompt_version": candidate, **sides["candidate"]["figures"]},
        "min_sample": MIN_SAMPLE,
        "enough_data": sides["baseline"]["figures"]["requests"] >= MIN_SAMPLE
        and sides["candidate"]["figures"]["requests"] >= MIN_SAMPLE,
        "metrics": metrics,
    }


# ---------------------------------------------------------------------------------------------
# Requests


class CursorError(ValueError):
    pass


def encode_cursor(row) -> str:
    return f"{row.occurred_at.astimezone(UTC).strftime('%Y%m%dT%H%M%S.%f')}_{row.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        stamp, pk = cursor.split("_", 1)
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC), int(pk)
    except ValueError as exc:
        raise CursorError("Bad cursor.") from exc


def request_page(workspace, filters: DashboardFilters, cursor: str | None = None, limit: int = 50) -> dict:
    """Raw rows newest first, keyset-paginated on (occurred_at, id): the next page starts
    strictly after the last row shown, so paging deep costs the same as the first page."""
    rows = rows_for(workspace, filters).order_by("-occurred_at", "-id")
    if cursor:
        at, pk = decode_cursor(cursor)
        rows = rows.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
    page = list(
        rows.only(
            "id", "external_request_id", "occurred_at", "provider", "model", "endpoint_tag", "prompt_version",
            "user_id", "tenant_id", "input_tokens", "output_tokens", "total_tokens", "latency_ms", "status",
            "error_code", "data_mode", "environment", "cost_usd", "pricing_source",
        )[: limit + 1]
    )
    has_more = len(page) > limit
    page = page[:limit]
    return {"rows": page, "next_cursor": encode_cursor(page[-1]) if has_more else None}

