"""The dashboard's JSON API: `/v1/dashboard/*`, the same figures as the pages (both call
`dashboard.queries`), the same filters as query parameters.

People only (Bearer JWT or session): an API key is an ingest credential and must not read
the dashboard, so it is refused. Money is a string with full stored precision; times are
ISO-8601 UTC; keys are camelCase like the ingest payload.
"""

from dataclasses import replace
from functools import partial
from datetime import datetime
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from workspaces.auth import IsWorkspaceMember
from workspaces.plans import plan_allows

from . import queries
from .filters import FilterError, parse_filters

# Money keys get a "Usd" suffix so a client never guesses the currency.
MONEY_KEYS = {"spend", "cost_per_request", "total_spend", "delta_cost"}


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_json(value, key: str | None = None):
    """Plain query results → JSON-ready data: Decimals as strings, datetimes as ISO-8601."""
    if isinstance(value, dict):
        result = {}
        for k, v in value.items():
            name = _camel(k) + ("Usd" if k in MONEY_KEYS else "")
            result[name] = to_json(v, k)
        return result
    if isinstance(value, list | tuple):
        return [to_json(v, key) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def filters_json(filters) -> dict:
    return {
        "from": to_json(filters.start),
        "to": to_json(filters.end),
        "range": filters.range,
        "dataMode": filters.data_mode,
        "environment": filters.environment or "all",
        **filters.active_attributes,
    }


def _bad_request(errors):
    return Response({"ok": False, "errors": errors}, status=400)


def _choice(request, name, allowed, default, errors):
    value = request.query_params.get(name) or default
    if value not in allowed:
        errors[name] = [f"Use one of {', '.join(allowed)}."]
    return value


FILTER_PARAMETERS = [
    OpenApiParameter("range", str, enum=["24h", "7d", "30d", "90d", "custom"], description="Default 7d."),
    OpenApiParameter("from", str, description="ISO-8601 date or date-time (UTC); selects a custom range."),
    OpenApiParameter("to", str, description="ISO-8601; a bare date includes that whole day."),
    OpenApiParameter("dataMode", str, enum=["real", "all", "test", "demo"], description="Default real only."),
    OpenApiParameter("environment", str, enum=["prod", "staging", "dev"], description="Default all."),
    *(OpenApiParameter(name, str) for name in ("provider", "model", "endpointTag", "promptVersion")),
    OpenApiParameter("userId", str, description='"unknown" selects rows sent without one.'),
    OpenApiParameter("tenantId", str, description='"unknown" selects rows sent without one.'),
]


def dashboard_endpoint(view, extra_parameters=()):
    """GET only, people only, filters parsed (400 naming each bad parameter)."""

    @extend_schema(
        parameters=[*FILTER_PARAMETERS, *extra_parameters],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description=view.__doc__,
    )
    @api_view(["GET"])
    @permission_classes([IsWorkspaceMember])
    def wrapper(request):
        try:
            filters = parse_filters(request.query_params)
        except FilterError as exc:
            return _bad_request(exc.errors)
        workspace = request.auth.workspace
        result = view(request, workspace, filters)
        if isinstance(result, Response):
            return result
        return Response({"ok": True, "filters": filters_json(filters), **to_json(result)})

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@dashboard_endpoint
def overview(request, workspace, filters):
    """KPIs of the selection, the previous period of the same length, and each change."""
    data = queries.overview(workspace, filters)
    return {
        "current": data["current"],
        "previous": {**data["previous"], "from": data["previous_start"], "to": data["previous_end"]},
        "kpis": data["kpis"],
        "budget": queries.budget_posture(workspace, filters),
    }


def _top(dimension):
    def view(request, workspace, filters):
        errors = {}
        sort = _choice(request, "sort", queries.SORTS, "spend", errors)
        order = _choice(request, "order", queries.ORDERS, "desc", errors)
        limit = request.query_params.get("limit") or "50"
        if not limit.isdigit() or not 1 <= int(limit) <= 500:
            errors["limit"] = ["A whole number from 1 to 500."]
        if errors:
            return _bad_request(errors)
        return queries.top_breakdown(workspace, filters, dimension, sort=sort, limit=int(limit), order=order)

    view.__name__ = f"top_{dimension}"
    view.__doc__ = f"Top {dimension} by spend (or ?sort=), with share of spend and a sparkline."
    return dashboard_endpoint(
        view,
        [
            OpenApiParameter("sort", str, enum=list(queries.SORTS)),
            OpenApiParameter("order", str, enum=list(queries.ORDERS), description="Default desc."),
            OpenApiParameter("limit", int, description="1–500, default 50."),
        ],
    )


top_endpoints = _top("endpoints")
top_users = _top("users")
top_tenants = _top("tenants")
top_models = _top("models")


@partial(dashboard_endpoint, extra_parameters=[OpenApiParameter("stackBy", str, enum=list(queries.STACK_BY))])
def timeseries(request, workspace, filters):
    """Spend per UTC hour (ranges ≤ 48 h) or day, stacked by ?stackBy=model|endpoint."""
    errors = {}
    stack_by = _choice(request, "stackBy", tuple(queries.STACK_BY), "model", errors)
    if errors:
        return _bad_request(errors)
    return queries.spend_timeseries(workspace, filters, stack_by)


@partial(
    dashboard_endpoint,
    extra_parameters=[OpenApiParameter("baseline", str), OpenApiParameter("candidate", str)],
)
def prompt_versions(request, workspace, filters):
    """Prompt versions per endpoint (newest first). With ?baseline=&candidate= (and an
    endpointTag) also the Prompt Impact compare, on plans that include it."""
    filters = replace(filters, promptVersion=None)
    data = queries.prompt_versions(workspace, filters, filters.endpointTag)
    baseline = request.query_params.get("baseline")
    candidate = request.query_params.get("candidate")
    if not (baseline or candidate):
        return data
    errors = {}
    if not filters.endpointTag:
        errors["endpointTag"] = ["Pick the endpoint whose prompt versions to compare."]
    if not baseline:
        errors["baseline"] = ["Give the baseline prompt version."]
    if not candidate:
        errors["candidate"] = ["Give the candidate prompt version."]
    if errors:
        return _bad_request(errors)
    if not plan_allows(workspace, "prompt_impact_compare"):
        return Response(
            {
                "ok": False,
                "error": "plan_feature_unavailable",
                "feature": "prompt_impact_compare",
                "message": "Prompt Impact compare is available on Pro and above.",
            },
            status=403,
        )
    data["compare"] = queries.prompt_compare(workspace, filters, filters.endpointTag, baseline, candidate)
    return data
