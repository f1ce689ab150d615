"""Ingest fixtures: a fresh price-override cache, the example payload, keys made by other roles."""

import copy

import pytest
from ingest_helpers import SEED_EXAMPLE, key_client

from ingest.pricing import forget_overrides


@pytest.fixture(autouse=True)
def _fresh_price_overrides():
    # Test databases reuse primary keys, so a cached workspace's overrides must not leak.
    forget_overrides()
    yield
    forget_overrides()


@pytest.fixture
def payload():
    return copy.deepcopy(SEED_EXAMPLE)


@pytest.fixture
def member_ingest(workspace, member):
    """An ingest client whose API key the Member created."""
    return key_client(workspace, member)


@pytest.fixture
def admin_ingest(workspace, admin):
    return key_client(workspace, admin)
