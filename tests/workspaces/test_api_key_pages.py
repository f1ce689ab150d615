"""Settings → API keys: Owner/Admin create, rotate and revoke; the key is shown once."""

import pytest
from rest_framework.test import APIClient

from workspaces.models import ApiKey


def key_in_page(response):
    import re

    match = re.search(r'data-testid="new-api-key">(om_[^<]+)<', response.content.decode())
    return match.group(1) if match else None


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_create_a_key_and_see_it_exactly_once(client, request, workspace, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post("/settings/api-keys", {"name": "Backend"})
    raw_key = key_in_page(response)
    assert raw_key and ApiKey.authenticate(raw_key).workspace == workspace
    assert ApiKey.objects.get(name="Backend").created_by == user
    assert raw_key not in client.get("/settings").content.decode()


def test_a_member_cannot_create_rotate_or_revoke_keys(client, member, api_key_pair):
    api_key, _ = api_key_pair
    client.force_login(member)
    assert client.post("/settings/api-keys", {"name": "Mine"}).status_code == 403
    assert client.post(f"/settings/api-keys/{api_key.pk}/rotate").status_code == 403
    assert client.post(f"/settings/api-keys/{api_key.pk}/revoke").status_code == 403
    assert ApiKey.objects.usable().count() == 1


def test_rotating_shows_the_new_key_once_and_the_old_one_stops_working(client, owner, api_key_pair):
    api_key, old_raw = api_key_pair
    client.force_login(owner)
    new_raw = key_in_page(client.post(f"/settings/api-keys/{api_key.pk}/rotate", {"grace_minutes": "0"}))
    assert new_raw and new_raw != old_raw
    assert ApiKey.authenticate(old_raw) is None
    assert ApiKey.authenticate(new_raw) is not None


def test_revoking_a_key_makes_it_fail_with_401(client, owner, api_key_pair, db):
    api_key, raw_key = api_key_pair
    client.force_login(owner)
    client.post(f"/settings/api-keys/{api_key.pk}/revoke")
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=raw_key)
    response = api.post("/v1/ingest/llm-request", {}, format="json")
    assert response.status_code == 401
    assert response.json()["ok"] is False


@pytest.mark.parametrize("header", [None, "", "wrong", "om_" + "x" * 43])
def test_a_missing_or_wrong_key_gets_401_with_a_json_error(db, header):
    api = APIClient()
    if header is not None:
        api.credentials(HTTP_X_API_KEY=header)
    response = api.post("/v1/ingest/llm-request", {"externalRequestId": "r1"}, format="json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["ok"] is False
