"""A small fixed data set for the dashboard, with the figures worked out by hand.

NOW is 2026-11-24 12:00 UTC, so the default 7d range is [Nov 17 12:00, Nov 24 12:00) and the
previous period [Nov 10 12:00, Nov 17 12:00).

Current period, real rows (r1–r7):
  row  when          model (provider)            endpoint             prompt         user  tenant env      tokens  lat  status   cost
  r1   24th 10:00    gpt-4o-mini (openai)        checkout.ai_summary  summarizer_v3  u1    t1     prod     150    100  success  0.0100
  r2   24th 09:00    gpt-4o-mini (openai)        checkout.ai_summary  summarizer_v3  u1    t1     prod     300    200  success  0.0200
  r3   23rd 12:30    gpt-4o (openai)             support.reply        support_v9     u2    t2     prod    1500    300  error    0.1000
  r4   22nd 08:00    claude-sonnet-4 (anthropic) support.reply        support_v9     —     t2     prod     500    400  success  0.0500
  r5   21st 08:00    gpt-4o (openai)             support.reply        support_v9     —     —      prod     400    500  timeout  0.0300
  r6   20th 08:00    my-finetune (custom)        invoice.extract      invoice_v1     u3    t1     prod     100     —   success  unpriced
  r7   24th 11:00    gpt-4o-mini (openai)        checkout.ai_summary  summarizer_v3  u2    t1     staging  150    600  success  0.0100
  → 7 requests, spend 0.2200 (6 priced, 1 unpriced), tokens 3100, 2 errors (2/7),
    latency avg 350, p50 300 (rank 3 of 6), p95 600 (rank 6 of 6), cost/request 0.22/6.
Current period, not real: d1 (demo, 23rd, cost 5.0000, user u9), t1 (test, dev, 23rd, cost 1.0000).
Previous period, real: p1 (15th, gpt-4o-mini, summarizer_v2, u1, t1, 150 tokens, 100 ms, 0.0400),
  p2 (12th, gpt-4o, support_v9, u2, t2, 600 tokens, 300 ms, 0.0600)
  → 2 requests, spend 0.1000, tokens 750, no errors, avg 200 ms, p95 300, cost/request 0.05.
Outside even the 90d range: old (Aug 1, real, 9.0000). The other workspace: one real row now, 100.0000.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from ingest.models import LLMRequest

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def make_row(workspace, ext_id, occurred_at, *, provider="openai", model="gpt-4o-mini", endpoint="", prompt="",
             user="", tenant="", tokens=(100, 50), latency=100, status="success", cost="0.0100",
             data_mode="real", environment="prod"):
    input_tokens, output_tokens = tokens
    return LLMRequest(
        workspace=workspace,
        external_request_id=ext_id,
        occurred_at=occurred_at,
        received_at=occurred_at,
        provider=provider,
        model=model,
        endpoint_tag=endpoint,
        prompt_version=prompt,
        user_id=user,
        tenant_id=tenant,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=input_tokens + output_tokens,
        latency_ms=latency,
        status=status,
        data_mode=data_mode,
        environment=environment,
        cost_usd=None if cost is None else Decimal(cost),
        pricing_source="unknown" if cost is None else "catalog",
    )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def dataset(workspace, other_workspace, frozen):
    checkout = {"endpoint": "checkout.ai_summary", "prompt": "summarizer_v3"}
    support = {"endpoint": "support.reply", "prompt": "support_v9"}
    rows = [
        make_row(workspace, "r1", at(24, 10), user="u1", tenant="t1", tokens=(100, 50), latency=100, cost="0.0100", **checkout),
        make_row(workspace, "r2", at(24, 9), user="u1", tenant="t1", tokens=(200, 100), latency=200, cost="0.0200", **checkout),
        make_row(workspace, "r3", at(23, 12, 30), model="gpt-4o", user="u2", tenant="t2", tokens=(1000, 500),
                 latency=300, status="error", cost="0.1000", **support),
        make_row(workspace, "r4", at(22, 8), provider="anthropic", model="claude-sonnet-4", tenant="t2",
                 tokens=(400, 100), latency=400, cost="0.0500", **support),
        make_row(workspace, "r5", at(21, 8), model="gpt-4o", tokens=(300, 100), latency=500, status="timeout",
                 cost="0.0300", **support),
        make_row(workspace, "r6", at(20, 8), provider="custom", model="my-finetune", endpoint="invoice.extract",
                 prompt="invoice_v1", user="u3", tenant="t1", tokens=(50, 50), latency=None, cost=None),
        make_row(workspace, "r7", at(24, 11), user="u2", tenant="t1", tokens=(100, 50), latency=600, cost="0.0100",
                 environment="staging", **checkout),
        make_row(workspace, "d1", at(23, 15), user="u9", latency=50, cost="5.0000", data_mode="demo",
                 environment="dev", **checkout),
        make_row(workspace, "t1", at(23, 16), model="gpt-4o", user="u1", latency=50, cost="1.0000",
                 data_mode="test", environment="dev", **support),
        make_row(workspace, "p1", at(15, 12), user="u1", tenant="t1", tokens=(100, 50), latency=100, cost="0.0400",
                 endpoint="checkout.ai_summary", prompt="summarizer_v2"),
        make_row(workspace, "p2", at(12, 12), model="gpt-4o", user="u2", tenant="t2", tokens=(500, 100), latency=300,
                 cost="0.0600", **support),
        make_row(workspace, "old", datetime(2026, 8, 1, 12, tzinfo=UTC), cost="9.0000", user="u1"),
        make_row(other_workspace, "x1", at(24, 8), model="globex-model", user="secret-user", tenant="secret-tenant", cost="100.0000",
                 endpoint="globex.secret", prompt="globex_v1"),
    ]
    LLMRequest.objects.bulk_create(rows)
    return workspace
