"""Members and roles: Owner/Admin invite, change roles and remove; the Owner is unique,
can transfer ownership and cannot be removed."""

import pytest
from django.core import mail
from django.db import IntegrityError

from tests.conftest import PASSWORD
from workspaces.models import Invitation, Membership, MembershipError, Role, User


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("inviter", ["owner", "admin"])
def test_owners_and_admins_invite_by_email_with_a_role(client, request, workspace, inviter):
    login(client, request.getfixturevalue(inviter))
    response = client.post("/settings/members/invite", {"email": "Joiner@Example.com", "role": "admin"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(workspace=workspace)
    assert (invitation.email, invitation.role) == ("joiner@example.com", "admin")
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body


def test_a_member_cannot_invite(client, member, workspace):
    login(client, member)
    assert client.post("/settings/members/invite", {"email": "x@example.com", "role": "member"}).status_code == 403
    assert not Invitation.objects.exists()


def test_nobody_can_invite_a_second_owner(client, owner, workspace):
    login(client, owner)
    response = client.post("/settings/members/invite", {"email": "x@example.com", "role": "owner"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_invited_person_signs_up_and_joins_with_the_invited_role(client, owner, workspace):
    invitation = Invitation.objects.create(workspace=workspace, email="joiner@example.com", role=Role.ADMIN)
    client.post("/accounts/signup/", {"email": "joiner@example.com", "password1": PASSWORD, "password2": PASSWORD})
    assert client.post(f"/invitations/{invitation.token}").status_code == 302
    joiner = User.objects.get(email="joiner@example.com")
    assert [(m.workspace, m.role) for m in joiner.memberships.all()] == [(workspace, "admin")]


def test_an_invitation_cannot_be_used_by_another_email(client, workspace, outsider):
    invitation = Invitation.objects.create(workspace=workspace, email="joiner@example.com")
    login(client, outsider)
    client.post(f"/invitations/{invitation.token}")
    assert workspace.role_of(outsider) is None


def test_an_admin_changes_a_members_role(client, admin, member, workspace):
    login(client, admin)
    membership = Membership.objects.get(user=member)
    client.post(f"/settings/members/{membership.pk}/role", {"role": "admin"})
    assert workspace.role_of(member) == "admin"


def test_a_member_cannot_change_roles(client, member, admin, workspace):
    login(client, member)
    membership = Membership.objects.get(user=admin)
    assert client.post(f"/settings/members/{membership.pk}/role", {"role": "member"}).status_code == 403
    assert workspace.role_of(admin) == "admin"


def test_the_owners_role_cannot_be_changed_away(client, admin, owner, workspace):
    login(client, admin)
    membership = Membership.objects.get(user=owner)
    client.post(f"/settings/members/{membership.pk}/role", {"role": "member"})
    assert workspace.role_of(owner) == "owner"


def test_an_admin_removes_a_member(client, admin, member, workspace):
    login(client, admin)
    client.post(f"/settings/members/{Membership.objects.get(user=member).pk}/remove")
    assert workspace.role_of(member) is None


def test_an_admin_cannot_remove_another_admin(client, admin, workspace):
    other = User.objects.create_user("admin2@example.com", PASSWORD)
    workspace.add_member(other, Role.ADMIN)
    login(client, admin)
    assert client.post(f"/settings/members/{Membership.objects.get(user=other).pk}/remove").status_code == 403
    assert workspace.role_of(other) == "admin"


def test_the_last_owner_cannot_be_removed(client, owner, workspace):
    login(client, owner)
    client.post(f"/settings/members/{Membership.objects.get(user=owner).pk}/remove")
    assert workspace.role_of(owner) == "owner"
    with pytest.raises(MembershipError):
        workspace.remove_member(Membership.objects.get(user=owner))


def test_the_owner_transfers_ownership_and_becomes_an_admin(client, owner, admin, workspace):
    login(client, owner)
    client.post(f"/settings/members/{Membership.objects.get(user=admin).pk}/transfer")
    assert workspace.role_of(admin) == "owner"
    assert workspace.role_of(owner) == "admin"


def test_an_admin_cannot_transfer_ownership(client, admin, member, workspace):
    login(client, admin)
    assert client.post(f"/settings/members/{Membership.objects.get(user=member).pk}/transfer").status_code == 403
    assert workspace.owner_membership.user.email == "owner@example.com"


def test_the_database_refuses_a_second_owner(workspace, member):
    with pytest.raises(IntegrityError):
        Membership.objects.filter(user=member).update(role=Role.OWNER)


def test_a_user_belongs_to_several_workspaces_and_switches_between_them(client, owner, workspace, other_workspace):
    other_workspace.add_member(owner, Role.MEMBER)
    login(client, owner)
    assert b"Acme" in client.get("/settings").content
    client.post(f"/workspaces/{other_workspace.pk}/switch")
    page = client.get("/settings").content.decode()
    assert "Globex (id" in page and "outsider@example.com" in page


def test_switching_to_a_workspace_you_do_not_belong_to_is_404(client, owner, workspace, other_workspace):
    login(client, owner)
    assert client.post(f"/workspaces/{other_workspace.pk}/switch").status_code == 404
