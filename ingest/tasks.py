"""Background work for ingest: re-pricing stored rows after a price change."""

import logging
from datetime import UTC, date, datetime, time, timedelta

from celery import shared_task
from django.db import transaction

from .models import LLMRequest
from .pricing import forget_overrides, price_for

logger = logging.getLogger(__name__)

REPRICE_CHUNK = 2000


@shared_task(acks_late=True, expires=3600)
def reprice_rows(workspace_id, start, end) -> int:
    """Re-price every row of the workspace that occurred from `start` to `end` (ISO dates,
    inclusive, UTC) with the current overrides and catalog; returns how many rows changed.

    Runs when an Owner/Admin adds or fixes a contract price, so cost figures are never frozen
    by a wrong price. Rows are walked by id in chunks, each chunk its own transaction.
    """
    forget_overrides(workspace_id)  # this worker may hold an older copy
    since = datetime.combine(date.fromisoformat(start), time.min, tzinfo=UTC)
    until = datetime.combine(date.fromisoformat(end) + timedelta(days=1), time.min, tzinfo=UTC)
    rows = LLMRequest.objects.filter(workspace_id=workspace_id, occurred_at__gte=since, occurred_at__lt=until)
    changed, last_id = 0, 0
    while True:
        chunk = list(rows.filter(pk__gt=last_id).order_by("pk")[:REPRICE_CHUNK])
        if not chunk:
            break
        last_id = chunk[-1].pk
        updated = [row for row in chunk if _reprice(row)]
        with transaction.atomic():
            LLMRequest.objects.bulk_update(updated, ["cost_usd", "pricing_source", "price_snapshot"])
        changed += len(updated)
    logger.info("Re-priced %d rows of workspace %s from %s to %s.", changed, workspace_id, start, end)
    return changed


def _reprice(row) -> bool:
    price = price_for(
        row.workspace_id,
        row.provider,
        row.model,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        cached_input_tokens=row.cached_input_tokens,
        reasoning_tokens=row.reasoning_tokens,
        occurred_at=row.occurred_at,
        client_cost_usd=row.client_cost_usd,
    )
    new = (price.cost_usd, price.source, price.snapshot)
    if new == (row.cost_usd, row.pricing_source, row.price_snapshot):
        return False
    row.cost_usd, row.pricing_source, row.price_snapshot = new
    return True
