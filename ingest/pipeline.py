"""The ingest pipeline, readable top to bottom: rate limit → validate → price → store and
count against the plan allowance (both or neither) → respond.

Authentication happened before (DRF, X-API-Key); the views only parse JSON and turn an
`IngestResult` into an HTTP response. Every response body carries the status flags the
docs promise (reason, telemetryPaused, providerCallsContinue, isPlanLimitReached,
budgetWarning, budgetExceeded, planLimitRequests, freeLimitRemainingRequests).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .limits import (
    Allowance,
    consume_allowance,
    current_allowance,
    locked_allowance_left,
    month_of,
    take_rate_limit,
)
from .models import LLMRequest
from .payload import clean_row
from .pricing import price_for

MAX_BATCH_ROWS = 1000
PLAN_LIMIT_REACHED = "plan_limit_reached"
RATE_LIMITED = "rate_limited"

# Columns that make up what the client said about a call; a replay that differs in any of
# them is a conflict. Cost and pricing columns are ours, and may change with a re-price.
CLIENT_COLUMNS = (
    "provider", "model", "endpoint_tag", "prompt_version", "user_id", "tenant_id", "input_tokens",
    "output_tokens", "cached_input_tokens", "reasoning_tokens", "total_tokens", "latency_ms", "status",
    "error_code", "data_mode", "environment", "client_cost_usd", "metadata",
)  # fmt: skip


@dataclass
class IngestResult:
    status: int
    body: dict
    headers: dict = field(default_factory=dict)


class _PlanLimitReached(Exception):
    """Raised inside the storing transaction so the insert rolls back."""


def record_llm_request(access, payload, *, now=None) -> IngestResult:
    """Store one LLM call for `access.workspace` (POST /v1/ingest/llm-request)."""
    workspace = access.workspace
    now = now or timezone.now()

    rate = take_rate_limit(workspace)
    if not rate.allowed:
        return _rate_limited(rate, workspace)

    row, errors = clean_row(payload, now)
    if errors:
        body = {"ok": False, "errors": errors, **status_flags(workspace, current_allowance(workspace, now))}
        return IngestResult(400, body, rate.headers())
    occurred_at_sent = row.pop("occurred_at_sent")
    _price_and_attribute(row, access, now)

    try:
        inserted, allowance = _store_one(row, workspace, now)
    except _PlanLimitReached:
        return _plan_limit_reached(workspace, now, rate)
    # Committed: from here on the row is durable, whatever happens to the response.

    allowance = allowance or current_allowance(workspace, now)
    if inserted:
        body = {"ok": True, **_row_result(inserted[row["external_request_id"]], row), "duplicate": False}
    else:
        stored = LLMRequest.objects.get(workspace=workspace, external_request_id=row["external_request_id"])
        body = {"ok": True, **_replay_result(stored, row, occurred_at_sent)}
    return IngestResult(200, {**body, **status_flags(workspace, allowance)}, rate.headers())


def _store_one(row, workspace, now):
    """(insert_new's answer, Allowance or None): store the row, committed, and when it is new
    and real count it against the month's allowance — raising _PlanLimitReached, with nothing
    stored, when it does not fit."""
    if row["data_mode"] != "real":
        return LLMRequest.objects.insert_new([row]), None  # one statement: its own transaction
    limit = workspace.requests_per_month
    counted = LLMRequest.objects.insert_counted(row, month_of(now), limit)
    if counted is not None:
        inserted, used = counted
        return inserted, (Allowance(limit, used) if inserted else None)
    with transaction.atomic():
        inserted = LLMRequest.objects.insert_new([row])
        if not inserted:
            return inserted, None  # a replay: counted when it was first stored
        allowance = consume_allowance(workspace, 1, now)  # creates the month's counter if missing
        if allowance is None:
            raise _PlanLimitReached  # rolls the insert back
        return inserted, allowance


def record_llm_requests(access, payload, *, now=None) -> IngestResult:
    """Store a batch `{"requests": [...]}` (POST /v1/ingest/llm-requests): one result per row,
    valid rows stored even when others are rejected. One rate-limit hit, N allowance rows."""
    workspace = access.workspace
    now = now or timezone.now()

    rate = take_rate_limit(workspace)
    if not rate.allowed:
        return _rate_limited(rate, workspace)

    items = payload.get("requests") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH_ROWS:
        message = f"Send {{'requests': [...]}} with 1 to {MAX_BATCH_ROWS} rows."
        body = {"ok": False, "errors": {"requests": [message]}, **status_flags(workspace, None)}
        return IngestResult(400, body, rate.headers())

    results = [None] * len(items)
    to_store = []  # (index, row, occurred_at_sent)
    first_index = {}  # external id → index of its first occurrence in this batch
    for index, item in enumerate(items):
        row, errors = clean_row(item, now)
        if errors:
            external_id = item.get("externalRequestId") if isinstance(item, dict) else None
            results[index] = {"index": index, "externalRequestId": external_id, "status": "rejected", "errors": errors}
            continue
        if row["external_request_id"] in first_index:
            continue  # answered below as a replay of the first occurrence
        first_index[row["external_request_id"]] = index
        sent = row.pop("occurred_at_sent")
        _price_and_attribute(row, access, now)
        to_store.append((index, row, sent))

    refused = set()  # indexes of new real rows beyond the plan allowance
    with transaction.atomic():
        inserted = LLMRequest.objects.insert_new([row for _, row, _ in to_store])
        new_real = [(index, row) for index, row, _ in to_store
                    if row["external_request_id"] in inserted and row["data_mode"] == "real"]  # fmt: skip
        allowance = consume_allowance(workspace, len(new_real), now) if new_real else None
        if new_real and allowance is None:
            # Not all fit: accept what fits, in order; the rest is refused and not stored.
            fits = locked_allowance_left(workspace, now)
            overflow = new_real[fits:]
            refused = {index for index, _ in overflow}
            LLMRequest.objects.filter(pk__in=[inserted.pop(row["external_request_id"]) for _, row in overflow]).delete()
            allowance = consume_allowance(workspace, fits, now) if fits else None

    replayed = [row["external_request_id"] for index, row, _ in to_store
                if index not in refused and row["external_request_id"] not in inserted]  # fmt: skip
    stored = {}
    if replayed:
        stored = {r.external_request_id: r for r in LLMRequest.objects.filter(
            workspace=workspace, external_request_id__in=replayed)}  # fmt: skip
    firsts = {}  # external id → (row, occurred_at_sent) of its first occurrence
    for index, row, sent in to_store:
        external_id = row["external_request_id"]
        firsts[external_id] = (row, sent)
        if index in refused:
            results[index] = {"index": index, "externalRequestId": external_id,
                              "status": "rejected", "reason": PLAN_LIMIT_REACHED}  # fmt: skip
        elif external_id in inserted:
            results[index] = {"index": index, "status": "accepted", **_row_result(inserted[external_id], row),
                              "duplicate": False}  # fmt: skip
        else:
            results[index] = {"index": index, "status": "duplicate", **_replay_result(stored[external_id], row, sent)}
    for index, item in enumerate(items):
        if results[index] is None:  # a repeat of an earlier row of this same batch
            repeat, _ = clean_row(item, now)
            first_row, _ = firsts[repeat["external_request_id"]]
            first = results[first_index[repeat["external_request_id"]]]
            results[index] = {**first, "index": index}
            if first["status"] != "rejected":
                conflict = _differs(first_row, repeat, repeat["occurred_at_sent"])
                results[index].update(status="duplicate", duplicate=True, conflict=conflict)

    counts = {status: sum(r["status"] == status for r in results) for status in ("accepted", "duplicate", "rejected")}
    allowance = allowance or current_allowance(workspace, now)
    nothing_fit = refused and counts["accepted"] == 0
    flags = status_flags(workspace, allowance, reason=PLAN_LIMIT_REACHED if refused else None, paused=bool(refused))
    body = {"ok": not nothing_fit, **counts, "results": results, **flags}
    return IngestResult(402 if nothing_fit else 200, body, rate.headers())


def refuse_unreadable_body(access, error, message, status) -> IngestResult:
    """A body too large (413) or not JSON (400): counted against the minute like any ingest
    call, and answered with the same flags as every other ingest response."""
    workspace = access.workspace
    rate = take_rate_limit(workspace)
    if not rate.allowed:
        return _rate_limited(rate, workspace)
    problem = {"errors": {"body": [message]}} if status == 400 else {"error": error, "detail": message}
    return IngestResult(status, {"ok": False, **problem, **status_flags(workspace, None)}, rate.headers())


def status_flags(workspace, allowance: Allowance | None, *, reason=None, paused=False) -> dict:
    """The flags every ingest response carries. `allowance` None: not read for this response."""
    budget_warning, budget_exceeded = budget_flags(workspace)
    return {
        "reason": reason,
        "telemetryPaused": paused,
        "providerCallsContinue": True,  # ingest never stands between the customer and their provider
        "isPlanLimitReached": allowance.reached if allowance else False,
        "budgetWarning": budget_warning,
        "budgetExceeded": budget_exceeded,
        "planLimitRequests": workspace.requests_per_month,
        "freeLimitRemainingRequests": allowance.remaining if allowance else None,
    }


def budget_flags(workspace) -> tuple[bool, bool]:
    """(budgetWarning, budgetExceeded) from the workspace's USD budget. Budgets arrive in
    Step 4; a workspace without one has no threshold to cross."""
    budget = getattr(workspace, "budget", None)
    if budget is None:
        return False, False
    return budget.is_warning, budget.is_exceeded


def _price_and_attribute(row, access, now):
    price = price_for(
        access.workspace.pk,
        row["provider"],
        row["model"],
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        cached_input_tokens=row["cached_input_tokens"],
        reasoning_tokens=row["reasoning_tokens"],
        occurred_at=row["occurred_at"],
        client_cost_usd=row.get("client_cost_usd"),
    )
    row.update(
        workspace_id=access.workspace.pk,
        received_at=now,
        cost_usd=price.cost_usd,
        pricing_source=price.source,
        price_snapshot=price.snapshot,
        api_key_id=access.api_key.pk if access.api_key else None,
        seeded_by_id=None,
    )
    row["_pricing_model"] = price.model


def _row_result(row_id, row) -> dict:
    return {
        "id": row_id,
        "externalRequestId": row["external_request_id"],
        "costUsd": format_usd(row["cost_usd"]),
        "pricing": {"source": row["pricing_source"], "model": row.get("_pricing_model") or row["model"]},
    }


def _replay_result(stored: LLMRequest, row, occurred_at_sent) -> dict:
    """The original row's result, marked as a replay; `conflict` when the payload differs."""
    return {
        "id": stored.pk,
        "externalRequestId": stored.external_request_id,
        "costUsd": format_usd(stored.cost_usd),
        "pricing": {"source": stored.pricing_source, "model": stored.model},
        "duplicate": True,
        "conflict": _differs(vars(stored), row, occurred_at_sent),
    }


def _differs(original: dict, row, occurred_at_sent) -> bool:
    """Whether a replayed payload says something else than the original row (column → value)."""
    if any(original.get(column) != row.get(column) for column in CLIENT_COLUMNS):
        return True
    return bool(occurred_at_sent) and original["occurred_at"] != row["occurred_at"]


def format_usd(amount) -> str | None:
    """A cost as a plain decimal string without trailing zeros ("0.000045"), or None."""
    if amount is None:
        return None
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plan_limit_reached(workspace, now, rate) -> IngestResult:
    allowance = current_allowance(workspace, now)
    body = {"ok": False, "error": PLAN_LIMIT_REACHED,
            **status_flags(workspace, allowance, reason=PLAN_LIMIT_REACHED, paused=True)}  # fmt: skip
    body["isPlanLimitReached"] = True
    return IngestResult(402, body, rate.headers())


def _rate_limited(rate, workspace) -> IngestResult:
    # The allowance is not read here: a throttled flood should not cost a database query each.
    body = {"ok": False, "error": RATE_LIMITED, "retryAfter": rate.retry_after,
            "detail": f"Telemetry throttled, retry after {rate.retry_after}s.",
            **status_flags(workspace, None, reason=RATE_LIMITED)}  # fmt: skip
    return IngestResult(429, body, rate.headers())
