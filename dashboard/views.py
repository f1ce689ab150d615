"""The dashboard pages: Overview, Top Endpoints / Users / Tenants / Models, Prompt Versions,
Requests.

Each page is one URL that renders the full page, or for an htmx request just its content
(the filter form swaps `#dash` and pushes the URL, so filters are shareable and the back
button works). Every figure comes from `dashboard.queries`, the same functions the JSON API
calls.
"""

import json
from dataclasses import replace

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from workspaces.access import member_required
from workspaces.plans import plan_allows

from . import queries
from .filters import RANGES, FilterError, parse_filters

TOP_PAGES = {
    "endpoints": ("top-endpoints", "Top Endpoints", "Endpoint (endpointTag)"),
    "users": ("top-users", "Top Users", "User (userId)"),
    "tenants": ("top-tenants", "Top Tenants", "Tenant (tenantId)"),
    "models": ("top-models", "Top Models", "Model"),
}
SORT_COLUMNS = [
    ("spend", "Spend"),
    ("requests", "Requests"),
    ("tokens", "Tokens"),
    ("cost_per_request", "Avg cost / req"),
    ("p95", "p95 latency"),
    ("error_rate", "Error rate"),
]


def _filters(request):
    """The page's filters, or the defaults plus the errors to show (and a 400)."""
    try:
        return parse_filters(request.GET), None
    except FilterError as exc:
        return parse_filters({}), exc.errors


def _page(request, nav, content_template, context, *, filters, errors=None):
    context = {
        "nav_active": nav,
        "content_template": content_template,
        "filters": filters,
        "filter_errors": errors,
        "ranges": [*RANGES, "custom"],
        "options": queries.filter_options(request.workspace, filters),
        "dash_query": filters.querystring(),
        "active_filters": [
            (param, value, filters.querystring(**{param: None})) for param, value in filters.active_attributes.items()
        ],
        **context,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "dashboard/partial.html" if partial else "dashboard/page.html"
    response = render(request, template, context, status=400 if errors else 200)
    if partial and not errors:
        # The form sends every field (empty ones, the dates of a named range); push the short
        # canonical URL instead, so what lands in the address bar is worth sharing.
        response["HX-Push-Url"] = _canonical_url(request, filters)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


PAGE_PARAMS = ("sort", "order", "stackBy", "cursor", "baseline", "candidate")


def _canonical_url(request, filters) -> str:
    extra = {name: request.GET[name] for name in PAGE_PARAMS if request.GET.get(name)}
    query = filters.querystring(**extra)
    return f"{request.path}?{query}" if query else request.path


def _row_links(filters, dimension, rows):
    """Where a top-table row leads: the Overview filtered to that row."""
    param = queries.DIMENSION_PARAMS[dimension]
    overview_url = reverse("overview")
    for row in rows:
        row["filter_url"] = f"{overview_url}?{filters.querystring(**{param: row['key']})}"
    return rows


def _sort(request):
    sort = request.GET.get("sort") or "spend"
    return sort if sort in queries.SORTS else "spend"


@member_required
def overview(request):
    filters, errors = _filters(request)
    workspace = request.workspace
    stack_by = request.GET.get("stackBy") if request.GET.get("stackBy") in queries.STACK_BY else "model"
    data = queries.overview(workspace, filters)
    context = {
        "overview": data,
        "budget": queries.budget_posture(workspace, filters),
        "stack_by": stack_by,
        "keep_params": [("stackBy", stack_by)] if stack_by != "model" else [],
    }
    if data["current"]["requests"] == 0:
        context["data_state"] = queries.workspace_data_state(workspace, filters)
    else:
        series = queries.spend_timeseries(workspace, filters, stack_by)
        context["chart_json"] = _chart_data(series)
        context["series"] = series
        # The four top-5 cards load right after the page (hx-trigger="load"), one request each,
        # so the KPIs and the chart are not held up by four GROUP BYs.
        context["tops"] = [(TOP_PAGES[d][1], d, TOP_PAGES[d][0]) for d in TOP_PAGES]
    return _page(request, "overview", "dashboard/overview.html", context, filters=filters, errors=errors)


@member_required
def overview_top(request, dimension):
    """One of the Overview's top-5 cards (endpoints, users, tenants, models)."""
    if dimension not in TOP_PAGES:
        raise Http404
    filters, errors = _filters(request)
    rows = queries.top_breakdown(request.workspace, filters, dimension, limit=5, detail=False)["rows"]
    url_name, title, _column = TOP_PAGES[dimension]
    context = {"title": title, "dimension": dimension, "url_name": url_name, "rows": _row_links(filters, dimension, rows),
               "dash_query": filters.querystring()}
    return render(request, "dashboard/_top5.html", context, status=400 if errors else 200)


def _chart_data(series) -> str:
    label_format = "%m-%d %H:00" if series["bucket"] == "hour" else "%Y-%m-%d"
    return json.dumps(
        {
            "labels": [start.strftime(label_format) for start in series["buckets"]],
            "datasets": [{"label": s["key"], "data": [float(v) for v in s["values"]]} for s in series["series"]],
            "bucket": series["bucket"],
        }
    )


@member_required
def top_page(request, dimension):
    """Top Endpoints / Users / Tenants / Models (the dimension comes from the URL pattern)."""
    filters, errors = _filters(request)
    sort = _sort(request)
    order = "asc" if request.GET.get("order") == "asc" else "desc"
    table = queries.top_breakdown(request.workspace, filters, dimension, sort=sort, limit=50, order=order)
    _row_links(filters, dimension, table["rows"])
    url_name, title, column = TOP_PAGES[dimension]
    context = {
        "title": title,
        "column": column,
        "table": table,
        "sort": sort,
        "order": order,
        "sort_columns": SORT_COLUMNS,
        "page_url": reverse(url_name),
        "keep_params": [(name, value) for name, value in (("sort", sort), ("order", order)) if value not in ("spend", "desc")],
    }
    if not table["rows"]:
        context["data_state"] = queries.workspace_data_state(request.workspace, filters)
    return _page(request, url_name, "dashboard/top.html", context, filters=filters, errors=errors)


@member_required
def prompt_versions(request):
    filters, errors = _filters(request)
    workspace = request.workspace
    # The list and the compare pick versions themselves; a promptVersion filter would hide one side.
    version_filters = replace(filters, promptVersion=None)
    data = queries.prompt_versions(workspace, version_filters)
    endpoint = filters.endpointTag or _endpoint_to_compare(data)
    context = {"data": data, "endpoint": endpoint, "can_compare": plan_allows(workspace, "prompt_impact_compare")}
    if endpoint:
        choices = [v["prompt_version"] for v in data["versions"] if v["endpoint_tag"] == endpoint]
        default_baseline, default_candidate = queries.default_compare_pair(data["versions"], endpoint)
        baseline = request.GET.get("baseline") if request.GET.get("baseline") in choices else default_baseline
        candidate = request.GET.get("candidate") if request.GET.get("candidate") in choices else default_candidate
        context.update(version_choices=choices, baseline=baseline, candidate=candidate)
        if context["can_compare"] and baseline and candidate:
            context["compare"] = queries.prompt_compare(workspace, version_filters, endpoint, baseline, candidate)
    if not data["versions"]:
        context["data_state"] = queries.workspace_data_state(workspace, filters)
    return _page(request, "prompt-versions", "dashboard/prompt_versions.html", context, filters=filters, errors=errors)


def _endpoint_to_compare(data):
    """The first endpoint with two or more versions (something to compare), else the first."""
    counts = {}
    for version in data["versions"]:
        counts[version["endpoint_tag"]] = counts.get(version["endpoint_tag"], 0) + 1
    comparable = [endpoint for endpoint in data["endpoints"] if counts.get(endpoint, 0) >= 2]
    return (comparable or data["endpoints"] or [None])[0]


@member_required
def requests_page(request):
    filters, errors = _filters(request)
    cursor = request.GET.get("cursor") or None
    try:
        page = queries.request_page(request.workspace, filters, cursor=cursor, limit=50)
    except queries.CursorError:
        page = queries.request_page(request.workspace, filters, limit=50)
        errors = {**(errors or {}), "cursor": ["That page link is no longer valid; showing the newest rows."]}
    context = {"page": page, "cursor": cursor}
    if not page["rows"] and not cursor:
        context["data_state"] = queries.workspace_data_state(request.workspace, filters)
    return _page(request, "requests", "dashboard/requests.html", context, filters=filters, errors=errors)
