"""Helpers shared by the ingest tests: the seed 000 example payload and request shortcuts."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from ingest.examples import FIRST_PAYLOAD
from workspaces.models import ApiKey


# The classification example from the docs (seed 000, A1).
SEED_EXAMPLE = FIRST_PAYLOAD

STATUS_FLAGS = (
    "reason",
    "telemetryPaused",
    "providerCallsContinue",
    "isPlanLimitReached",
    "budgetWarning",
    "budgetExceeded",
    "planLimitRequests",
    "freeLimitRemainingRequests",
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrency needs real parallel transactions: SQLite serialises writers, run with DATABASE_URL=postgres://…",
)



def row(n, **changes):
    """A valid row with a distinct externalRequestId."""
    return {**SEED_EXAMPLE, "externalRequestId": f"req_{n:05d}", **changes}

def key_client(workspace, user):
    _, raw_key = ApiKey.issue(workspace, f"{user.email} key", created_by=user)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw_key)
    return client

def post_row(client, body):
    return client.post("/v1/ingest/llm-request", body, format="json")

def post_batch(client, rows):
    return client.post("/v1/ingest/llm-requests", {"requests": rows}, format="json")
