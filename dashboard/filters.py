"""The dashboard's filters: parsed once from a query string, shared by pages, the JSON API
and exports, and kept in the URL so a view can be shared.

Defaults follow seed 000 §A4: `dataMode` omitted means real rows only; `environment`
omitted means all environments.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ingest.models import DataMode, Environment, LLMRequest

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30), "90d": timedelta(days=90)}
DEFAULT_RANGE = "7d"
DATA_MODES = (*DataMode.values, "all")
MAX_CUSTOM_RANGE = timedelta(days=400)

# Query parameter → model field, for the attribute filters (exact match).
ATTRIBUTE_PARAMS = {
    "provider": "provider",
    "model": "model",
    "endpointTag": "endpoint_tag",
    "tenantId": "tenant_id",
    "userId": "user_id",
    "promptVersion": "prompt_version",
}
UNKNOWN = "unknown"  # rows without a userId / tenantId group (and filter) as "unknown" (seed 001 §04)
# Optional fields whose blank value groups and filters as UNKNOWN (the dashboard's top tables
# show a row without an endpointTag or promptVersion the same way).
UNKNOWN_FIELDS = ("user_id", "tenant_id", "endpoint_tag", "prompt_version")


class FilterError(ValueError):
    """Bad filter input; `errors` maps the query parameter to its problems."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class DashboardFilters:
    start: datetime
    end: datetime
    range: str = DEFAULT_RANGE
    data_mode: str = "real"
    environment: str | None = None
    provider: str | None = None
    model: str | None = None
    endpointTag: str | None = None
    tenantId: str | None = None
    userId: str | None = None
    promptVersion: str | None = None

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def hourly(self) -> bool:
        """Charts bucket per hour up to 48 h, per day beyond."""
        return self.duration <= timedelta(hours=48)

    def previous(self) -> "DashboardFilters":
        """The period of the same length right before this one, with the same filters."""
        return replace(self, start=self.start - self.duration, end=self.start)

    def apply(self, queryset):
        """Narrow a queryset of LLMRequest rows (already scoped to one workspace)."""
        queryset = queryset.filter(occurred_at__gte=self.start, occurred_at__lt=self.end)
        if self.data_mode != "all":
            queryset = queryset.filter(data_mode=self.data_mode)
        if self.environment:
            queryset = queryset.filter(environment=self.environment)
        for param, field in ATTRIBUTE_PARAMS.items():
            value = getattr(self, param)
            if value is None:
                continue
            if value == UNKNOWN and field in UNKNOWN_FIELDS:
                # The "unknown" group: rows sent without the field (and a literal "unknown").
                queryset = queryset.filter(**{f"{field}__in": ["", UNKNOWN]})
            else:
                queryset = queryset.filter(**{field: value})
        return queryset

    def as_params(self, **overrides) -> dict[str, str]:
        """Query parameters that reproduce these filters (defaults left out)."""
        values = {
            "range": self.range,
            "dataMode": self.data_mode,
            "environment": self.environment,
            **{param: getattr(self, param) for param in ATTRIBUTE_PARAMS},
        }
        if self.range == "custom":
            values["from"] = self.start.isoformat()
            values["to"] = self.end.isoformat()
        values.update(overrides)
        defaults = {"range": DEFAULT_RANGE, "dataMode": "real"}
        return {k: str(v) for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}

    def querystring(self, **overrides) -> str:
        return urlencode(self.as_params(**overrides))

    @property
    def active_attributes(self) -> dict[str, str]:
        return {param: getattr(self, param) for param in ATTRIBUTE_PARAMS if getattr(self, param) is not None}


def _parse_instant(raw: str, *, end_of_day: bool = False):
    try:
        day = parse_date(raw)
        value = None if day else parse_datetime(raw)
    except ValueError:
        return None
    if day is not None:
        # A bare date means the whole day: "to=2026-11-03" includes the 3rd.
        value = datetime.combine(day, datetime.min.time()) + (timedelta(days=1) if end_of_day else timedelta(0))
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt_timezone.utc)
    return value


def parse_filters(params, *, now: datetime | None = None) -> DashboardFilters:
    """Filters from a QueryDict (or dict). Raises FilterError naming each bad parameter."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    range_name = params.get("range") or DEFAULT_RANGE
    start = end = None
    # An explicit named range wins over from/to (the filter form always carries its date
    # inputs); from/to alone, or range=custom, select a custom range.
    explicit_named_range = params.get("range") not in (None, "", "custom")
    if not explicit_named_range and (params.get("from") or params.get("to") or range_name == "custom"):
        range_name = "custom"
        start = _parse_instant(params.get("from", ""))
        end = _parse_instant(params.get("to", ""), end_of_day=True) if params.get("to") else now
        if start is None:
            errors["from"] = ["Give an ISO-8601 date or date-time."]
        if end is None:
            errors["to"] = ["Give an ISO-8601 date or date-time."]
        if start and end and start >= end:
            errors["to"] = ["Must be after 'from'."]
        elif start and end and end - start > MAX_CUSTOM_RANGE:
            errors["from"] = [f"A custom range spans at most {MAX_CUSTOM_RANGE.days} days."]
    elif range_name in RANGES:
        end = now
        start = now - RANGES[range_name]
    else:
        errors["range"] = [f"Use one of {', '.join([*RANGES, 'custom'])}."]

    data_mode = params.get("dataMode") or "real"
    if data_mode not in DATA_MODES:
        errors["dataMode"] = [f"Use one of {', '.join(DATA_MODES)}."]
    environment = params.get("environment") or None
    if environment in ("all",):
        environment = None
    if environment is not None and environment not in Environment.values:
        errors["environment"] = [f"Use one of {', '.join(Environment.values)} (or omit for all)."]

    attributes = {}
    for param in ATTRIBUTE_PARAMS:
        value = params.get(param)
        if value:
            if len(value) > 128:
                errors[param] = ["At most 128 characters."]
            attributes[param] = value
    if errors:
        raise FilterError(errors)
    return DashboardFilters(
        start=start, end=end, range=range_name, data_mode=data_mode, environment=environment, **attributes
    )


def rows_for(workspace, filters: DashboardFilters):
    """The LLMRequest rows of one workspace that the filters select. Every figure starts here."""
    return filters.apply(LLMRequest.objects.filter(workspace=workspace))

