"""Realistic sample telemetry, so a new workspace's dashboards have something to show.

`seed_demo_data` writes the demo set (dataMode=demo, environment=dev) behind the dashboard's
"Try demo data" button and POST /v1/ingest/demo; `seed_sample_traffic` writes real-mode
rows for the local demo workspace (`manage.py seeddemo`). Both are deterministic: the rows'
externalRequestIds are fixed, so calling them again inserts nothing new.

The story the data tells, for the dashboards to find:
- five features (endpointTag) on OpenAI, Anthropic and Google models, four tenants, 40 users;
- a prompt regression: checkout.ai_summary moves from summarizer_v3 to summarizer_v4 three
  days ago, and v4 sends prompts about 2.5× as long (cost per request up accordingly);
- a spike: two days ago, a two-hour burst of support.reply calls from tenant_globex on gpt-4o.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .limits import consume_allowance
from .models import DataMode, Environment, LLMRequest
from .pricing import price_for

DAYS = 7
DEMO_ROWS_PER_DAY = 240
SPIKE_ROWS = 320
REAL_ROWS_PER_DAY = 143


@dataclass(frozen=True)
class Feature:
    endpoint_tag: str
    provider: str
    model: str
    prompt_version: str
    input_tokens: int  # typical prompt size
    output_tokens: int
    weight: int


FEATURES = (
    Feature("checkout.ai_summary", "openai", "gpt-4o-mini", "summarizer_v3", 1200, 180, 30),
    Feature("support.reply", "anthropic", "claude-3-5-haiku-latest", "support_reply_v2", 900, 350, 25),
    Feature("invoice.extract", "openai", "gpt-4.1-mini", "invoice_extract_v1", 2400, 400, 20),
    Feature("search.rerank", "google", "gemini-2.0-flash", "rerank_v1", 3000, 60, 15),
    Feature("research.assistant", "openai", "o3-mini", "research_v2", 1500, 1600, 10),
)
REGRESSION = ("checkout.ai_summary", "summarizer_v4", 2.5, 3)  # tag, new version, prompt growth, days ago
TENANTS = ("tenant_acme", "tenant_globex", "tenant_initech", "tenant_umbrella")
USERS = tuple(f"u_{n:03d}" for n in range(1, 41))


def seed_demo_data(workspace, *, api_key=None, seeded_by=None, now=None) -> int:
    """Write the demo set (≈2,000 rows over the last 7 days); returns how many rows are new."""
    rows = _sample_rows(
        workspace, "demo", DataMode.DEMO, Environment.DEV, DEMO_ROWS_PER_DAY, spike=True, now=now or timezone.now()
    )
    for row in rows:
        row["api_key_id"] = api_key.pk if api_key else None
        row["seeded_by_id"] = seeded_by.pk if seeded_by else None
    return len(LLMRequest.objects.insert_new(rows))


def seed_sample_traffic(workspace, *, api_key=None, now=None) -> int:
    """Write ≈1,000 real-mode rows over the last 7 days, counted against the plan allowance
    (so the usage figures agree with the rows); returns how many rows are new."""
    now = now or timezone.now()
    rows = _sample_rows(workspace, "sample", DataMode.REAL, Environment.PROD, REAL_ROWS_PER_DAY, spike=False, now=now)
    for row in rows:
        row["api_key_id"] = api_key.pk if api_key else None
    with transaction.atomic():
        inserted = LLMRequest.objects.insert_new(rows)
        if inserted:
            consume_allowance(workspace, len(inserted), now)
    return len(inserted)


def _sample_rows(workspace, prefix, data_mode, environment, per_day, *, spike, now):
    rng = random.Random(f"{prefix}-{workspace.pk}")
    start = (now - timedelta(days=DAYS)).replace(minute=0, second=0, microsecond=0)
    weights = [feature.weight for feature in FEATURES]
    rows = []
    for n in range(per_day * DAYS):
        occurred_at = min(start + timedelta(days=n // per_day, seconds=_busy_second(rng)), now - timedelta(seconds=1))
        feature = rng.choices(FEATURES, weights)[0]
        rows.append(
            _row(rng, workspace, f"{prefix}-{n:05d}", feature, occurred_at, rng.choice(TENANTS), now)
            | {"data_mode": data_mode, "environment": environment}
        )
    if spike:
        spike_start = (now - timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
        support = FEATURES[1]
        burst = Feature(support.endpoint_tag, "openai", "gpt-4o", "support_reply_v2", 2600, 700, 0)
        for n in range(SPIKE_ROWS):
            occurred_at = spike_start + timedelta(seconds=rng.randrange(7200))
            rows.append(
                _row(rng, workspace, f"{prefix}-spike-{n:04d}", burst, occurred_at, "tenant_globex", now)
                | {"data_mode": data_mode, "environment": environment}
            )
    return rows


def _busy_second(rng):
    """A second of the day, mostly in working hours (UTC)."""
    if rng.random() < 0.75:
        return rng.randrange(8 * 3600, 19 * 3600)
    return rng.randrange(86400)


def _row(rng, workspace, external_id, feature, occurred_at, tenant, now):
    prompt_version, input_scale = feature.prompt_version, 1.0
    tag, new_version, growth, days_ago = REGRESSION
    if feature.endpoint_tag == tag and occurred_at >= now - timedelta(days=days_ago):
        prompt_version, input_scale = new_version, growth
    input_tokens = max(20, int(rng.gauss(feature.input_tokens * input_scale, feature.input_tokens * 0.2)))
    output_tokens = max(5, int(rng.gauss(feature.output_tokens, feature.output_tokens * 0.25)))
    cached = int(input_tokens * rng.choice((0, 0, 0.3, 0.5))) if feature.provider != "google" else 0
    reasoning = int(output_tokens * 0.6) if feature.model.startswith("o") else 0
    roll = rng.random()
    status, error_code = ("success", "")
    if roll < 0.02:
        status, error_code, output_tokens, reasoning = "error", "rate_limit_exceeded", 0, 0
    elif roll < 0.03:
        status, error_code = "timeout", "upstream_timeout"
    price = price_for(
        workspace.pk,
        feature.provider,
        feature.model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=cached,
        reasoning_tokens=reasoning,
        occurred_at=occurred_at,
    )
    return {
        "workspace_id": workspace.pk,
        "external_request_id": external_id,
        "occurred_at": occurred_at,
        "received_at": occurred_at + timedelta(milliseconds=rng.randrange(50, 900)),
        "provider": feature.provider,
        "model": feature.model,
        "endpoint_tag": feature.endpoint_tag,
        "prompt_version": prompt_version,
        "user_id": rng.choice(USERS),
        "tenant_id": tenant,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cached_input_tokens": cached,
        "reasoning_tokens": reasoning,
        "total_tokens": input_tokens + output_tokens,
        "has_usage": True,
        "latency_ms": int(300 + output_tokens * rng.uniform(4, 12) + input_tokens * 0.05),
        "status": status,
        "error_code": error_code,
        "cost_usd": price.cost_usd,
        "pricing_source": price.source,
        "price_snapshot": price.snapshot,
        "client_cost_usd": None,
        "metadata": {"region": rng.choice(("eu-west-1", "us-east-1"))},
    }
