"""DELETE /v1/ingest/demo-data and /v1/ingest/test-data: scopes × roles, never real rows."""

import pytest
from ingest_helpers import post_row, row

from ingest.cleanup import delete_rows, rows_to_delete
from ingest.demo import seed_demo_data
from ingest.models import LLMRequest


@pytest.fixture
def mixed_rows(ingest_client, member_ingest, workspace, member, owner):
    """Real, test and demo rows sent with the Owner's key and with the Member's key."""
    for n, mode in enumerate(["real", "test", "demo"]):
        post_row(ingest_client, row(n, dataMode=mode))
        post_row(member_ingest, row(10 + n, dataMode=mode))


def counts():
    return {mode: LLMRequest.objects.filter(data_mode=mode).count() for mode in ("real", "test", "demo")}


@pytest.mark.parametrize("client_name", ["owner_api", "admin_api"])
@pytest.mark.parametrize(("path", "mode"), [("demo-data", "demo"), ("test-data", "test")])
def test_owners_and_admins_clear_the_whole_workspace(request, mixed_rows, client_name, path, mode):
    response = request.getfixturevalue(client_name).delete(f"/v1/ingest/{path}?scope=workspace")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "deleted": 2, "dataMode": mode, "scope": "workspace"}
    assert counts()[mode] == 0
    assert counts()["real"] == 2


@pytest.mark.parametrize("path", ["demo-data", "test-data"])
def test_a_member_cannot_clear_the_whole_workspace(mixed_rows, member_api, path):
    response = member_api.delete(f"/v1/ingest/{path}?scope=workspace")

    assert response.status_code == 403
    assert counts() == {"real": 2, "test": 2, "demo": 2}


def test_a_member_clears_only_rows_sent_with_their_own_keys(mixed_rows, member_api):
    response = member_api.delete("/v1/ingest/test-data?scope=mine")

    assert response.json()["deleted"] == 1
    assert not LLMRequest.objects.filter(data_mode="test", api_key__created_by__email="member@example.com").exists()
    assert counts() == {"real": 2, "test": 1, "demo": 2}


def test_mine_includes_demo_rows_the_caller_seeded(workspace, member, owner, member_api):
    seed_demo_data(workspace, seeded_by=member)
    LLMRequest.objects.filter(external_request_id__startswith="demo-spike").update(seeded_by=owner)

    deleted = member_api.delete("/v1/ingest/demo-data?scope=mine").json()["deleted"]

    assert deleted > 0
    assert set(LLMRequest.objects.values_list("seeded_by", flat=True)) == {owner.pk}


def test_an_owner_s_mine_leaves_the_member_s_rows(mixed_rows, owner_api):
    owner_api.delete("/v1/ingest/demo-data?scope=mine")

    assert counts() == {"real": 2, "test": 2, "demo": 1}


def test_cleanup_never_touches_another_workspace(mixed_rows, outsider_api):
    assert outsider_api.delete("/v1/ingest/demo-data?scope=workspace").json()["deleted"] == 0
    assert counts() == {"real": 2, "test": 2, "demo": 2}


def test_a_scope_is_required(owner_api):
    response = owner_api.delete("/v1/ingest/demo-data")

    assert response.status_code == 400
    assert "scope" in response.json()["errors"]


def test_an_api_key_cannot_delete(ingest_client):
    assert ingest_client.delete("/v1/ingest/demo-data?scope=workspace").status_code in (401, 403)


def test_real_rows_can_never_be_deleted_this_way(workspace, owner):
    with pytest.raises(ValueError):
        delete_rows(workspace, "real", "workspace", owner)


def test_the_session_can_clear_too(owner_browser, mixed_rows):
    response = owner_browser.delete("/v1/ingest/test-data?scope=workspace")

    assert response.status_code == 200
    assert counts()["test"] == 0


def test_rows_to_delete_counts_what_delete_rows_deletes(mixed_rows, workspace, member):
    expected = rows_to_delete(workspace, "test", "mine", member).count()

    assert delete_rows(workspace, "test", "mine", member) == expected == 1
