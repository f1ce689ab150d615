"""What an ingest row may contain, and turning one JSON object into a clean row or field errors.

The field table below is the single description of the payload: the validator reads it, and
`ingest/serializers.py` builds the OpenAPI request component from it. Validation is plain
Python rather than a DRF serializer because a 1,000-row batch must validate in a few
milliseconds (a DRF serializer costs ~0.3 ms per row).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from .models import CallStatus, DataMode, Environment

MAX_TOKENS = 10**12
MAX_LATENCY_MS = 2**31 - 1
MAX_COST_USD = Decimal("1000000")
MAX_FUTURE = timedelta(hours=24)
METADATA_MAX_KEYS = 20
METADATA_MAX_KEY_LENGTH = 64
METADATA_MAX_VALUE_LENGTH = 256


@dataclass(frozen=True)
class Field:
    name: str  # as the docs and the JSON name it
    column: str  # LLMRequest column
    kind: str  # "string" | "tokens" | "integer" | "choice" | "datetime" | "money" | "tags"
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    default: object = None
    help: str = ""


FIELDS = (
    Field("externalRequestId", "external_request_id", "string", True, 128,
          help="Your id for this LLM call, reused on retries: the idempotency key."),
    Field("provider", "provider", "string", True, 64, help="e.g. openai, anthropic, google."),
    Field("model", "model", "string", True, 128, help="The model name as the provider reports it."),
    Field("promptVersion", "prompt_version", "string", max_length=128, default="", help="e.g. summarizer_v3."),
    Field("endpointTag", "endpoint_tag", "string", max_length=128, default="",
          help="The product feature, e.g. checkout.ai_summary."),
    Field("userId", "user_id", "string", max_length=128, default="", help="Hashed end-user id; never PII."),
    Field("tenantId", "tenant_id", "string", max_length=128, default=""),
    Field("inputTokens", "input_tokens", "tokens", default=0, help="Whole prompt, including cachedInputTokens."),
    Field("outputTokens", "output_tokens", "tokens", default=0, help="Whole completion, including reasoningTokens."),
    Field("totalTokens", "total_tokens", "tokens", help="Defaults to inputTokens + outputTokens."),
    Field("cachedInputTokens", "cached_input_tokens", "tokens", default=0,
          help="Part of inputTokens read from the provider's prompt cache."),
    Field("reasoningTokens", "reasoning_tokens", "tokens", default=0, help="Part of outputTokens spent reasoning."),
    Field("latencyMs", "latency_ms", "integer"),
    Field("status", "status", "choice", choices=tuple(CallStatus.values), default=CallStatus.SUCCESS.value),
    Field("errorCode", "error_code", "string", max_length=128, default=""),
    Field("dataMode", "data_mode", "choice", choices=tuple(DataMode.values), default=DataMode.REAL.value),
    Field("environment", "environment", "choice", choices=tuple(Environment.values), default=Environment.PROD.value),
    Field("occurredAt", "occurred_at", "datetime", help="ISO-8601; defaults to the time received."),
    Field("costUsd", "client_cost_usd", "money", help="Your own cost figure, kept beside ours."),
    Field("metadata", "metadata", "tags",
          help=f"Flat string tags: at most {METADATA_MAX_KEYS} keys of {METADATA_MAX_KEY_LENGTH} chars, "
               f"values of {METADATA_MAX_VALUE_LENGTH} chars."),
)  # fmt: skip

TOKEN_FIELDS = ("inputTokens", "outputTokens", "totalTokens", "cachedInputTokens", "reasoningTokens")


def clean_row(data, received_at):
    """(row, errors): `row` maps LLMRequest columns to clean values when `errors` is empty.

    Unknown keys are ignored, so newer SDKs can send fields this server does not know yet.
    """
    if not isinstance(data, dict):
        return None, {"non_field_errors": ["Expected a JSON object."]}
    row, errors = {}, {}
    for field, clean in _FIELD_CLEANERS:
        value = data.get(field.name)
        if value is None:
            if field.required:
                errors[field.name] = ["This field is required."]
            elif field.default is not None:
                row[field.column] = field.default
            continue
        try:
            row[field.column] = clean(field, value, received_at)
        except ValueError as exc:
            errors[field.name] = [str(exc)]
    if errors:
        return None, errors

    # Token semantics: cached tokens are part of the input, reasoning tokens part of the output.
    if row["cached_input_tokens"] > row["input_tokens"]:
        errors["cachedInputTokens"] = ["Cannot exceed inputTokens (inputTokens includes cached tokens)."]
    if row["reasoning_tokens"] > row["output_tokens"]:
        errors["reasoningTokens"] = ["Cannot exceed outputTokens (outputTokens includes reasoning tokens)."]
    input_plus_output = row["input_tokens"] + row["output_tokens"]
    if row.get("total_tokens") is None:
        row["total_tokens"] = input_plus_output
    elif row["total_tokens"] < input_plus_output:
        errors["totalTokens"] = ["Cannot be smaller than inputTokens + outputTokens."]
    if errors:
        return None, errors

    row["has_usage"] = any(data.get(name) is not None for name in TOKEN_FIELDS)
    row["occurred_at_sent"] = "occurred_at" in row
    row.setdefault("occurred_at", received_at)
    row.setdefault("metadata", {})
    row["provider"] = row["provider"].lower()
    return row, {}


def _string(field, value, received_at):
    if not isinstance(value, str):
        raise ValueError("Must be a string.")
    value = value.strip()
    if field.required and not value:
        raise ValueError("This field may not be blank.")
    if len(value) > field.max_length:
        raise ValueError(f"At most {field.max_length} characters.")
    return value


def _integer(field, value, received_at, maximum=MAX_LATENCY_MS):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Must be a whole number.")
    if value < 0:
        raise ValueError("Must not be negative.")
    if value > maximum:
        raise ValueError(f"At most {maximum}.")
    return value


def _tokens(field, value, received_at):
    return _integer(field, value, received_at, MAX_TOKENS)


def _choice(field, value, received_at):
    if value not in field.choices:
        raise ValueError(f"Must be one of: {', '.join(field.choices)}.")
    return value


def _datetime(field, value, received_at):
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("Must be an ISO-8601 date-time string.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("Must be an ISO-8601 date-time, e.g. 2026-02-07T12:30:00Z.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if moment > received_at + MAX_FUTURE:
        raise ValueError("Must not be more than 24 hours in the future.")
    return moment


def _money(field, value, received_at):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) or len(str(value)) > 40:
        raise ValueError("Must be a decimal number of US dollars.")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("Must be a decimal number of US dollars.") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_COST_USD:
        raise ValueError(f"Must be between 0 and {MAX_COST_USD}.")
    return amount.quantize(Decimal("1e-10"))


def _tags(field, value, received_at):
    if not isinstance(value, dict):
        raise ValueError("Must be an object of string tags.")
    if len(value) > METADATA_MAX_KEYS:
        raise ValueError(f"At most {METADATA_MAX_KEYS} keys.")
    for key, tag in value.items():
        if len(key) > METADATA_MAX_KEY_LENGTH:
            raise ValueError(f"Keys have at most {METADATA_MAX_KEY_LENGTH} characters.")
        if not isinstance(tag, str):
            raise ValueError(f"Values must be strings ({key!r} is not).")
        if len(tag) > METADATA_MAX_VALUE_LENGTH:
            raise ValueError(f"Values have at most {METADATA_MAX_VALUE_LENGTH} characters ({key!r} is longer).")
    return value


_CLEANERS = {
    "string": _string,
    "integer": _integer,
    "tokens": _tokens,
    "choice": _choice,
    "datetime": _datetime,
    "money": _money,
    "tags": _tags,
}
_FIELD_CLEANERS = tuple((field, _CLEANERS[field.kind]) for field in FIELDS)
