"""The shared test base: a workspace with an Owner, an Admin, a Member, an outsider in a
second workspace, and a known API key for each workspace."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from workspaces.auth import issue_workspace_tokens
from workspaces.models import ApiKey, Role, User, Workspace

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Role users are created per test; a slow password hash is not what these tests test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return User.objects.create_user("owner@example.com", PASSWORD)


@pytest.fixture
def workspace(owner):
    return Workspace.create_with_owner("Acme", owner)


def join(workspace, email, role):
    user = User.objects.create_user(email, PASSWORD)
    workspace.add_member(user, role)
    return user


@pytest.fixture
def admin(workspace):
    return join(workspace, "admin@example.com", Role.ADMIN)


@pytest.fixture
def member(workspace):
    return join(workspace, "member@example.com", Role.MEMBER)


@pytest.fixture
def outsider(db):
    return User.objects.create_user("outsider@example.com", PASSWORD)


@pytest.fixture
def other_workspace(outsider):
    return Workspace.create_with_owner("Globex", outsider)


@pytest.fixture
def api_key_pair(workspace, owner):
    """(ApiKey, raw key) for the main workspace, created by its Owner."""
    return ApiKey.issue(workspace, "Test key", created_by=owner)


@pytest.fixture
def raw_api_key(api_key_pair):
    return api_key_pair[1]


@pytest.fixture
def ingest_client(raw_api_key):
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw_api_key)
    return client


def bearer_client(user, workspace):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + issue_workspace_tokens(user, workspace)["access"])
    return client


@pytest.fixture
def owner_api(owner, workspace):
    return bearer_client(owner, workspace)


@pytest.fixture
def admin_api(admin, workspace):
    return bearer_client(admin, workspace)


@pytest.fixture
def member_api(member, workspace):
    return bearer_client(member, workspace)


@pytest.fixture
def outsider_api(outsider, other_workspace):
    return bearer_client(outsider, other_workspace)


@pytest.fixture
def owner_browser(client, owner, workspace):
    """Django's test client logged in as the Owner (session auth, CSRF not enforced)."""
    client.force_login(owner)
    return client
