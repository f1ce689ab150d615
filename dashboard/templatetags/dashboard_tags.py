"""Formatting for the dashboard pages: money, rates, latencies, KPI changes, sparklines."""

import json
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ingest.examples import FIRST_PAYLOAD

register = template.Library()


@register.filter
def usd(value):
    """$1,234.56 for big amounts; small ones keep enough digits to mean something."""
    if value is None:
        return "—"
    value = Decimal(value)
    magnitude = abs(value)
    if magnitude >= 1 or magnitude == 0:
        return f"${value:,.2f}"
    if magnitude >= Decimal("0.0001"):
        return f"${value:.4f}"
    return f"${value:.6f}"


@register.filter
def percent(value, places=1):
    if value is None:
        return "—"
    return f"{float(value) * 100:.{int(places)}f}%"


@register.filter
def ms(value):
    if value is None:
        return "—"
    return f"{float(value):,.0f} ms"


@register.filter
def number(value, places=0):
    if value is None:
        return "—"
    return f"{float(value):,.{int(places)}f}" if places else f"{int(value):,}"


@register.filter
def kpi_value(kpi):
    kind, value = kpi["kind"], kpi["value"]
    if kind == "money":
        return usd(value)
    if kind == "rate":
        return percent(value)
    if kind == "ms":
        return ms(value)
    return number(value)


# KPIs where going up is bad news (shown red); requests and tokens are just volume.
COST_LIKE = {"spend", "cost_per_request", "avg_latency_ms", "p95_latency_ms", "error_rate"}


@register.simple_tag
def kpi_change(kpi):
    """▲ 12.5% (or ▲ 1.2 pts for rates) against the previous period, or "no previous data"."""
    change = kpi["change"]
    if change is None:
        return mark_safe('<span class="delta none">no previous data</span>')
    if change == 0:
        return mark_safe('<span class="delta flat">no change</span>')
    arrow = "▲" if change > 0 else "▼"
    if kpi["kind"] == "rate":
        text = f"{arrow} {abs(change) * 100:.1f} pts"
    else:
        text = f"{arrow} {abs(change) * 100:.1f}%"
    tone = ("up" if change > 0 else "down") if kpi["key"] in COST_LIKE else "flat"
    return format_html('<span class="delta {}" title="vs previous period">{}</span>', tone, text)


@register.simple_tag
def sparkline(values, width=96, height=22):
    """A tiny server-drawn SVG line of spend per bucket (no JavaScript)."""
    points = [float(v) for v in values or []]
    if len(points) < 2:
        return ""
    top = max(points) or 1.0
    step = width / (len(points) - 1)
    coords = format_html_join(
        " ", "{},{}", ((f"{i * step:.1f}", f"{height - 1 - (p / top) * (height - 2):.1f}") for i, p in enumerate(points))
    )
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="spend trend">'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>',
        width, height, width, height, coords,
    )


@register.simple_tag
def dash_qs(filters, **overrides):
    """The current filters as a query string, with some parameters changed (None removes)."""
    return filters.querystring(**overrides)


@register.filter
def signed(value, kind):
    """A compare delta with its sign, in the metric's unit."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    magnitude = abs(value)
    if kind == "money":
        return f"{sign}{usd(magnitude)}"
    if kind == "rate":
        return f"{sign}{magnitude * 100:.2f} pts"
    if kind == "ms":
        return f"{sign}{magnitude:,.0f} ms"
    return f"{sign}{magnitude:,.1f}"


@register.filter
def metric(value, kind):
    if kind == "money":
        return usd(value)
    if kind == "rate":
        return percent(value, 2)
    if kind == "ms":
        return ms(value)
    return number(value, 1)


@register.simple_tag
def first_payload_json():
    """The docs' first payload (seed 000, A1), pretty-printed for the empty state's curl."""
    return json.dumps(FIRST_PAYLOAD, indent=2)
