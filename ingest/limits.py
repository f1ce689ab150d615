"""The two limits on ingest (seeds 001, 002, 003):

- the per-minute rate limit, which stops one workspace from flooding ingest (429), and
- the monthly plan allowance of real rows, which pauses telemetry when used up (402).

The rate limit is a fixed one-minute window counter: in Redis when REDIS_URL is set (INCR is
atomic and shared by every process; the cache's Redis database, so clearing the cache clears
it), in Django's local-memory cache otherwise. If Redis is down ingest fails open: telemetry
is worth more than an exact throttle.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import redis
from django.conf import settings
from django.core.cache import cache

from .models import UsageCounter

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset: int  # Unix seconds when the window ends
    allowed: bool

    @property
    def retry_after(self) -> int:
        return max(1, self.reset - int(time.time()))

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def take_rate_limit(workspace) -> RateLimit:
    """Count one ingest HTTP request (a batch is one) against the workspace's minute."""
    limit = workspace.ingest_per_minute
    now = int(time.time())
    window = now // WINDOW_SECONDS
    reset = (window + 1) * WINDOW_SECONDS
    key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:ingest-rate:{workspace.pk}:{window}"
    try:
        count = _increment(key)
    except Exception:  # noqa: BLE001 — any cache failure (Redis down, timeout) must not stop ingest
        logger.warning("Ingest rate limiter unavailable; accepting without a rate limit.", exc_info=True)
        return RateLimit(limit=limit, remaining=limit, reset=reset, allowed=True)
    return RateLimit(limit=limit, remaining=max(0, limit - count), reset=reset, allowed=count <= limit)


@lru_cache(maxsize=1)
def _redis_for(url):
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def _redis():
    """The Redis of the cache (same database, so clearing the cache clears the counters)."""
    return _redis_for(settings.REDIS_URL)


def _increment(key):
    if settings.REDIS_URL:
        # One round trip: INCR creates the key at 1, EXPIRE lets old windows vanish.
        # (Django's cache.incr costs two: EXISTS, then INCRBY.)
        pipe = _redis().pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS + 30)
        return pipe.execute()[0]
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, WINDOW_SECONDS + 30):
            return 1
        return cache.incr(key)


@dataclass(frozen=True)
class Allowance:
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def reached(self) -> bool:
        return self.used >= self.limit


def month_of(moment) -> date:
    return date(moment.year, moment.month, 1)


def consume_allowance(workspace, rows: int, now) -> Allowance | None:
    """Count `rows` real rows against this month's allowance; None if they do not all fit.
    Must run in the transaction that stored them (see UsageCounter.consume)."""
    used = UsageCounter.consume(workspace.pk, month_of(now), rows, workspace.requests_per_month)
    return None if used is None else Allowance(workspace.requests_per_month, used)


def current_allowance(workspace, now) -> Allowance:
    return Allowance(workspace.requests_per_month, UsageCounter.used(workspace.pk, month_of(now)))


def locked_allowance_left(workspace, now) -> int:
    """Rows still allowed this month, with the month's counter locked until the transaction
    ends (so the figure stays true while a batch takes exactly what fits)."""
    used = (
        UsageCounter.objects.select_for_update()
        .filter(workspace_id=workspace.pk, month=month_of(now))
        .values_list("requests", flat=True)
        .first()
    )
    return max(0, workspace.requests_per_month - (used or 0))
