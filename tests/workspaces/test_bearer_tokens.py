"""POST /v1/auth/token gives workspace-scoped JWTs; the role is read on every request."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from workspaces.auth import WorkspaceAccess
from workspaces.models import Membership, Role


def token_for(email, workspace_id=None, password=PASSWORD):
    body = {"email": email, "password": password}
    if workspace_id is not None:
        body["workspaceId"] = workspace_id
    return APIClient().post("/v1/auth/token", body, format="json")


def test_a_member_gets_access_and_refresh_tokens_for_their_only_workspace(owner, workspace):
    response = token_for("owner@example.com")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "workspaceId"}
    assert body["workspaceId"] == workspace.pk


def test_a_wrong_password_gets_401(owner, workspace):
    response = token_for("owner@example.com", password="wrong-password")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_credentials"


def test_with_several_workspaces_the_workspace_id_is_required(owner, workspace, other_workspace):
    other_workspace.add_member(owner)
    response = token_for("owner@example.com")
    assert response.status_code == 400
    assert "workspaceId" in response.json()["errors"]
    assert token_for("owner@example.com", other_workspace.pk).json()["workspaceId"] == other_workspace.pk


def test_a_token_for_a_workspace_you_are_not_in_is_refused(owner, workspace, other_workspace):
    assert token_for("owner@example.com", other_workspace.pk).status_code == 403


def test_missing_fields_name_the_field(db):
    response = APIClient().post("/v1/auth/token", {"password": "x"}, format="json")
    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def _whoami(client):
    """What the management API sees of a Bearer client (an authenticated request through DRF)."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from workspaces.auth import WorkspaceJWTAuthentication

    header = client._credentials["HTTP_AUTHORIZATION"]
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=header))
    return WorkspaceJWTAuthentication().authenticate(request)


def test_the_bearer_token_carries_the_current_role_not_the_role_at_issue(admin_api, admin, workspace):
    _, access = _whoami(admin_api)
    assert isinstance(access, WorkspaceAccess) and access.role == "admin" and access.can_manage
    workspace.change_role(Membership.objects.get(user=admin), Role.MEMBER)
    _, access = _whoami(admin_api)
    assert access.role == "member" and not access.can_manage


def test_a_removed_member_token_stops_working(member_api, member, workspace):
    workspace.remove_member(Membership.objects.get(user=member))
    from rest_framework.exceptions import AuthenticationFailed

    with pytest.raises(AuthenticationFailed):
        _whoami(member_api)


def test_a_garbage_token_gets_401(db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    response = api.delete("/v1/ingest/test-data?scope=mine")
    assert response.status_code == 401
    assert response.json()["ok"] is False


def test_a_refresh_token_gives_a_new_access_token_for_the_same_workspace(owner, workspace):
    refresh = token_for("owner@example.com").json()["refresh"]
    response = APIClient().post("/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert response.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer " + response.json()["access"])
    _, access = _whoami(api)
    assert access.workspace == workspace
