"""Request-level exports: `GET /v1/exports/requests.csv` and `.json`.

Both take the dashboard's filters (`dashboard.filters`, real-only by default per seed 000
§A4), stream the selected rows newest first in constant memory (a server-side cursor read
in chunks, one output line per row), and carry the retention headers of seed 000 §A4.
Field names are the ingest payload's camelCase names; `costUsd` here is Opsmeter's own
price of the row and `clientCostUsd` the figure the sender reported (sent as `costUsd` on
ingest). Money is a string with the stored precision, never a float.

Plans (seed 001): CSV from Starter, JSON from Pro.
"""

import csv
import json
from datetime import UTC

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.models import LLMRequest
from workspaces.auth import IsWorkspaceMember
from workspaces.plans import plan_allows

from .filters import FilterError, parse_filters, rows_for

# (export name, column) in output order.
COLUMNS = (
    ("externalRequestId", "external_request_id"),
    ("occurredAt", "occurred_at"),
    ("provider", "provider"),
    ("model", "model"),
    ("endpointTag", "endpoint_tag"),
    ("promptVersion", "prompt_version"),
    ("userId", "user_id"),
    ("tenantId", "tenant_id"),
    ("inputTokens", "input_tokens"),
    ("outputTokens", "output_tokens"),
    ("cachedInputTokens", "cached_input_tokens"),
    ("reasoningTokens", "reasoning_tokens"),
    ("totalTokens", "total_tokens"),
    ("latencyMs", "latency_ms"),
    ("status", "status"),
    ("errorCode", "error_code"),
    ("dataMode", "data_mode"),
    ("environment", "environment"),
    ("costUsd", "cost_usd"),
    ("pricingSource", "pricing_source"),
    ("clientCostUsd", "client_cost_usd"),
)
HEADER = [name for name, _ in COLUMNS]
# Optional text fields: absent on ingest is stored as "", exported as null (JSON) / empty (CSV).
OPTIONAL_TEXT = {"endpointTag", "promptVersion", "userId", "tenantId", "errorCode"}
MONEY = {"costUsd", "clientCostUsd"}
CHUNK_SIZE = 2000
# Spreadsheets run cells starting with these as formulas; a leading quote keeps them text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def utc_iso(value) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export_record(row: tuple) -> dict:
    """One values_list row → the exported object (JSON types)."""
    record = {}
    for (name, _), value in zip(COLUMNS, row, strict=True):
        if name == "occurredAt":
            value = utc_iso(value)
        elif name in MONEY:
            value = None if value is None else str(value)
        elif name in OPTIONAL_TEXT and value == "":
            value = None
        record[name] = value
    return record


def _csv_cell(name, value):
    if value is None:
        return ""
    if isinstance(value, str) and name not in MONEY and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Line:
    """A file-like object whose write() hands back the line, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for row in rows:
        record = export_record(row)
        yield writer.writerow([_csv_cell(name, record[name]) for name in HEADER])


def json_chunks(rows):
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(export_record(row), separators=(",", ":"))
        separator = ",\n"
    yield "\n]\n"


def retention_headers(workspace, filters) -> dict[str, str]:
    """Seed 000 §A4's retention metadata.

    `X-Retention-Available-From-Utc` is the oldest instant the export can still cover: today,
    with no retention job yet, the time of the workspace's oldest stored row (or the range
    start when it has none). `X-Retention-Truncated` says whether retention removed rows
    inside the requested range; nothing deletes old rows before Step 6 adds retention, so it
    is "false" until then — Step 6 sets it when the range starts before the retention cut-off
    and rows were deleted there.
    """
    stored = LLMRequest.objects.filter(workspace=workspace)
    oldest = stored.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    return {
        "X-Retention-Truncated": "false",
        "X-Retention-Available-From-Utc": utc_iso(oldest or filters.start),
    }


class _IgnoreAccept(BaseContentNegotiation):
    """The export's format is in its URL; errors are always JSON whatever Accept says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RequestsExport(APIView):
    """Base view: auth by Bearer JWT or the browser session; any member of the workspace."""

    permission_classes = [IsWorkspaceMember]
    content_negotiation_class = _IgnoreAccept
    export_format = ""  # "csv" | "json"
    content_type = ""

    def stream(self, rows):
        raise NotImplementedError

    def get(self, request):
        workspace = request.auth.workspace
        if not plan_allows(workspace, f"export_{self.export_format}"):
            needed = "Starter" if self.export_format == "csv" else "Pro"
            return Response(
                {
                    "ok": False,
                    "error": "plan_feature_unavailable",
                    "detail": f"{self.export_format.upper()} export needs the {needed} plan or higher.",
                },
                status=403,
            )
        try:
            filters = parse_filters(request.query_params)
        except FilterError as exc:
            return Response({"ok": False, "errors": exc.errors}, status=400)

        rows = (
            rows_for(workspace, filters)
            .order_by("-occurred_at", "-id")
            .values_list(*(column for _, column in COLUMNS))
            .iterator(chunk_size=CHUNK_SIZE)
        )
        response = StreamingHttpResponse(self.stream(rows), content_type=self.content_type)
        filename = f"opsmeter-requests-{timezone.now():%Y-%m-%d}.{self.export_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        for header, value in retention_headers(workspace, filters).items():
            response[header] = value
        return response


class RequestsCsvExport(RequestsExport):
    """The selected rows as CSV with a header row (Starter plan and above). Any member, by
    Bearer JWT or the browser session."""

    export_format = "csv"
    content_type = "text/csv; charset=utf-8"

    def stream(self, rows):
        return csv_lines(rows)


class RequestsJsonExport(RequestsExport):
    """The selected rows as one JSON array (Pro plan and above). Any member, by Bearer JWT or
    the browser session."""

    export_format = "json"
    content_type = "application/json"

    def stream(self, rows):
        return json_chunks(rows)


FILTER_PARAMETERS = [
    OpenApiParameter("range", str, enum=["24h", "7d", "30d", "90d", "custom"], description="Default 7d."),
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="ISO-8601 date or date-time (UTC); a custom range."),
    OpenApiParameter("to", OpenApiTypes.DATETIME, description="ISO-8601; a bare date includes the whole day."),
    OpenApiParameter("dataMode", str, enum=["real", "test", "demo", "all"], description="Default real only."),
    OpenApiParameter("environment", str, enum=["prod", "staging", "dev"], description="Default all."),
    OpenApiParameter("provider", str, description="Exact match."),
    OpenApiParameter("model", str, description="Exact match."),
    *(
        OpenApiParameter(name, str, description="Exact match; 'unknown' selects rows without one.")
        for name in ("endpointTag", "tenantId", "userId", "promptVersion")
    ),
]
RETENTION_HEADERS_DOC = (
    "Rows newest first, streamed. Headers: X-Retention-Truncated (whether retention removed rows inside the "
    "range), X-Retention-Available-From-Utc (the oldest instant still stored)."
)


def _documented(view, media_type, plan):
    schema = extend_schema(
        operation_id=f"export_requests_{view.export_format}",
        tags=["exports"],
        parameters=FILTER_PARAMETERS,
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.STR, description=RETENTION_HEADERS_DOC),
            400: OpenApiResponse(description="A filter was not understood; `errors` names it."),
            403: OpenApiResponse(description=f"plan_feature_unavailable: needs the {plan} plan or higher."),
        },
    )
    return extend_schema_view(get=schema)(view)


export_requests_csv = _documented(RequestsCsvExport, "text/csv", "Starter").as_view()
export_requests_json = _documented(RequestsJsonExport, "application/json", "Pro").as_view()
