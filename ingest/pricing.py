"""What an LLM call cost in USD: the workspace's contract price first, then the genai-prices
catalog, then the client's own figure; otherwise unknown (stored with cost=null).

Token semantics (see docs/ingest-api.md): input_tokens includes cached_input_tokens and
output_tokens includes reasoning_tokens. Cached tokens are priced once, at the cache-read
rate; reasoning tokens are priced as output, which is how providers bill them.

Both look-ups are cached in process, so pricing stays a few microseconds per row:
- catalog: per model price card, a linear rate card (per-request, uncached-input, cached-input
  and output rates) derived once from genai-prices itself; tiered cards (e.g. long-context
  surcharges) fall back to a full `calc_price` call.
- overrides: per workspace for OVERRIDE_CACHE_SECONDS; this process forgets them at once when
  they change, other processes within that time (and "re-price stored rows" fixes the gap).
"""

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from genai_prices import Usage
from genai_prices.data_snapshot import get_snapshot
from genai_prices.types import TieredPrices

from .models import PriceOverride, PricingSource

CATALOG_SNAPSHOT = f"genai-prices {version('genai-prices')}"
OVERRIDE_CACHE_SECONDS = 10
MONEY_PLACES = Decimal("1e-10")
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Price:
    cost_usd: Decimal | None
    source: str  # a PricingSource value
    snapshot: str  # which price list: the catalog version, the override's date, or ""
    model: str | None  # the catalog or override model the price came from


def price_for(
    workspace,
    provider,
    model,
    *,
    input_tokens=0,
    output_tokens=0,
    cached_input_tokens=0,
    reasoning_tokens=0,
    occurred_at: datetime,
    client_cost_usd=None,
) -> Price:
    """The cost of one call in `workspace` (a Workspace or its id). `reasoning_tokens` are
    already inside `output_tokens` and billed at the output rate, so they take no separate term."""
    workspace_id = getattr(workspace, "pk", workspace)
    provider = provider.lower()
    override = _override_for(workspace_id, provider, model, occurred_at.date())
    if override is not None:
        cached_rate = override.cached_input_per_million
        if cached_rate is None:
            cached_rate = override.input_per_million
        cost = (
            (input_tokens - cached_input_tokens) * override.input_per_million
            + cached_input_tokens * cached_rate
            + output_tokens * override.output_per_million
        ) / MILLION
        return Price(_money(cost), PricingSource.WORKSPACE_OVERRIDE, f"override {override.effective_from}", model)

    cost, catalog_model = _catalog_cost(provider, model, input_tokens, output_tokens, cached_input_tokens, occurred_at)
    if cost is not None:
        return Price(_money(cost), PricingSource.CATALOG, CATALOG_SNAPSHOT, catalog_model)
    if client_cost_usd is not None:
        return Price(client_cost_usd, PricingSource.CLIENT, "", None)
    return Price(None, PricingSource.UNKNOWN, "", None)


def _money(amount):
    return Decimal(amount).quantize(MONEY_PLACES)


# --- catalog ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _catalog_model(provider, model):
    """(provider, model info) from the catalog, or None for a model it does not know."""
    try:
        return get_snapshot().find_provider_model(model, None, provider, None)
    except LookupError:
        return None


@dataclass(frozen=True)
class _RateCard:
    per_request: Decimal
    uncached_input: Decimal  # per token
    cached_input: Decimal
    output: Decimal


_rate_cards: dict[int, tuple[object, _RateCard | None]] = {}


def _catalog_cost(provider, model, input_tokens, output_tokens, cached_input_tokens, occurred_at):
    found = _catalog_model(provider, model)
    if found is None:
        return None, None
    catalog_provider, catalog_model = found
    model_price = catalog_model.get_prices(occurred_at)
    card = _rate_card(catalog_provider, catalog_model, model_price, occurred_at)
    if card is None:
        usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens, cache_read_tokens=cached_input_tokens)
        cost = catalog_model.calc_price(usage, catalog_provider, genai_request_timestamp=occurred_at).total_price
    else:
        cost = (
            card.per_request
            + (input_tokens - cached_input_tokens) * card.uncached_input
            + cached_input_tokens * card.cached_input
            + output_tokens * card.output
        )
    return cost, catalog_model.id


def _rate_card(catalog_provider, catalog_model, model_price, occurred_at):
    """The linear rates of one price card, measured with genai-prices itself so the two can
    never disagree; None when the card has tiers (the rate depends on the prompt size)."""
    cached = _rate_cards.get(id(model_price))
    if cached is not None and cached[0] is model_price:
        return cached[1]
    if any(isinstance(value, TieredPrices) for value in vars(model_price).values()):
        card = None
    else:

        def cost(**usage):
            return catalog_model.calc_price(
                Usage(**usage), catalog_provider, genai_request_timestamp=occurred_at
            ).total_price

        per_request = cost(input_tokens=0, output_tokens=0)
        card = _RateCard(
            per_request=per_request,
            uncached_input=(cost(input_tokens=1_000_000) - per_request) / MILLION,
            cached_input=(cost(input_tokens=1_000_000, cache_read_tokens=1_000_000) - per_request) / MILLION,
            output=(cost(output_tokens=1_000_000) - per_request) / MILLION,
        )
    _rate_cards[id(model_price)] = (model_price, card)  # keeps model_price alive, so its id stays unique
    return card


# --- workspace overrides ---------------------------------------------------------------

_overrides_lock = threading.Lock()
_overrides: dict[int, tuple[float, dict]] = {}


def _override_for(workspace_id, provider, model, day: date):
    """The override in force on `day` for provider+model: the latest effective_from ≤ day."""
    for override in _workspace_overrides(workspace_id).get((provider, model.lower()), ()):
        if override.effective_from <= day:
            return override
    return None


def _workspace_overrides(workspace_id):
    now = time.monotonic()
    cached = _overrides.get(workspace_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    by_model = {}
    for override in PriceOverride.objects.filter(workspace_id=workspace_id).order_by("-effective_from"):
        by_model.setdefault((override.provider.lower(), override.model.lower()), []).append(override)
    with _overrides_lock:
        _overrides[workspace_id] = (now + OVERRIDE_CACHE_SECONDS, by_model)
    return by_model


def forget_overrides(workspace_id=None):
    """Drop cached overrides (of one workspace, or all) after they change."""
    with _overrides_lock:
        if workspace_id is None:
            _overrides.clear()
        else:
            _overrides.pop(workspace_id, None)


@receiver([post_save, post_delete], sender=PriceOverride)
def _forget_changed_overrides(sender, instance, **kwargs):
    forget_overrides(instance.workspace_id)
