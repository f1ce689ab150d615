"""Nothing of another workspace is visible or changeable: members, invitations, API keys."""

from workspaces.models import ApiKey, Invitation, Membership


def test_the_settings_page_lists_only_this_workspaces_members_and_keys(owner_browser, other_workspace, outsider):
    ApiKey.issue(other_workspace, "Globex secret key", created_by=outsider)
    Invitation.objects.create(workspace=other_workspace, email="globex-invitee@example.com")
    page = owner_browser.get("/settings").content.decode()
    assert "outsider@example.com" not in page
    assert "Globex secret key" not in page
    assert "globex-invitee@example.com" not in page
    assert "Globex" not in page


def test_another_workspaces_key_cannot_be_rotated_or_revoked(owner_browser, other_workspace, outsider):
    key, raw_key = ApiKey.issue(other_workspace, "Globex", created_by=outsider)
    assert owner_browser.post(f"/settings/api-keys/{key.pk}/rotate").status_code == 404
    assert owner_browser.post(f"/settings/api-keys/{key.pk}/revoke").status_code == 404
    assert ApiKey.authenticate(raw_key) == key


def test_another_workspaces_members_cannot_be_changed_or_removed(owner_browser, other_workspace, outsider):
    membership = Membership.objects.get(user=outsider)
    assert owner_browser.post(f"/settings/members/{membership.pk}/role", {"role": "member"}).status_code == 404
    assert owner_browser.post(f"/settings/members/{membership.pk}/remove").status_code == 404
    assert owner_browser.post(f"/settings/members/{membership.pk}/transfer").status_code == 404
    assert other_workspace.role_of(outsider) == "owner"


def test_another_workspaces_invitation_cannot_be_cancelled(owner_browser, other_workspace):
    invitation = Invitation.objects.create(workspace=other_workspace, email="x@example.com")
    assert owner_browser.post(f"/settings/invitations/{invitation.pk}/cancel").status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_api_key_resolves_only_to_its_own_workspace(workspace, other_workspace, outsider, raw_api_key):
    _, other_raw = ApiKey.issue(other_workspace, "Globex", created_by=outsider)
    assert ApiKey.authenticate(raw_api_key).workspace == workspace
    assert ApiKey.authenticate(other_raw).workspace == other_workspace
