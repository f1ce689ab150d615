"""/v1/api-keys: the same key lifecycle for scripts, with Bearer tokens."""

from workspaces.models import ApiKey


def test_an_admin_creates_a_key_and_the_secret_is_in_that_response_only(admin_api, workspace):
    response = admin_api.post("/v1/api-keys", {"name": "CI"}, format="json")
    assert response.status_code == 201
    raw_key = response.json()["key"]
    assert ApiKey.authenticate(raw_key).workspace == workspace
    listed = admin_api.get("/v1/api-keys").json()
    assert [k["name"] for k in listed] == ["CI"]
    assert "key" not in listed[0] and raw_key not in str(listed)


def test_a_member_lists_keys_but_cannot_create_rotate_or_revoke(member_api, api_key_pair):
    api_key, _ = api_key_pair
    assert member_api.get("/v1/api-keys").status_code == 200
    assert member_api.post("/v1/api-keys", {"name": "x"}, format="json").status_code == 403
    assert member_api.post(f"/v1/api-keys/{api_key.pk}/rotate", {}, format="json").status_code == 403
    assert member_api.delete(f"/v1/api-keys/{api_key.pk}").status_code == 403
    assert ApiKey.objects.usable().count() == 1


def test_rotate_and_revoke_through_the_api(owner_api, api_key_pair):
    api_key, old_raw = api_key_pair
    rotated = owner_api.post(f"/v1/api-keys/{api_key.pk}/rotate", {"graceMinutes": 0}, format="json").json()
    assert ApiKey.authenticate(old_raw) is None
    assert owner_api.delete(f"/v1/api-keys/{rotated['id']}").json()["active"] is False
    assert ApiKey.authenticate(rotated["key"]) is None


def test_an_empty_name_is_a_400_naming_the_field(owner_api):
    response = owner_api.post("/v1/api-keys", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_another_workspaces_keys_are_invisible_and_untouchable(outsider_api, api_key_pair):
    api_key, raw_key = api_key_pair
    assert outsider_api.get("/v1/api-keys").json() == []
    assert outsider_api.delete(f"/v1/api-keys/{api_key.pk}").status_code == 404
    assert ApiKey.authenticate(raw_key) is not None


def test_an_ingest_api_key_cannot_manage_keys(ingest_client):
    assert ingest_client.get("/v1/api-keys").status_code in (401, 403)
