"""Workspace pages: create and switch workspaces, Settings (general, members, API keys),
invitations. Mutating views are POST-only, CSRF-protected and role-checked."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .access import manager_required, member_required
from .forms import ApiKeyForm, InviteForm, RoleForm, RotateKeyForm, WorkspaceForm
from .middleware import SESSION_KEY
from .models import ApiKey, Invitation, Membership, MembershipError, Role, Workspace


@login_required
def workspace_create(request):
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = Workspace.create_with_owner(form.cleaned_data["name"], request.user)
        request.session[SESSION_KEY] = workspace.pk
        return redirect("/")
    return render(request, "workspaces/create.html", {"form": form})


@login_required
@require_POST
def workspace_switch(request, workspace_id):
    membership = get_object_or_404(Membership, user=request.user, workspace_id=workspace_id)
    request.session[SESSION_KEY] = membership.workspace_id
    return redirect(request.POST.get("next") or "/")


def _settings_context(request, **extra):
    workspace = request.workspace
    context = {
        "members": workspace.memberships.select_related("user").order_by("created_at"),
        "invitations": workspace.invitations.filter(accepted_at__isnull=True).order_by("-created_at"),
        "api_keys": workspace.api_keys.select_related("created_by").order_by("-created_at"),
        "invite_form": InviteForm(),
        "api_key_form": ApiKeyForm(),
        "roles": Role,
    }
    context.update(extra)
    return context


def _render_settings(request, status=200, **extra):
    return render(request, "workspaces/settings.html", _settings_context(request, **extra), status=status)


@member_required
def settings_page(request):
    return _render_settings(request)


@manager_required
@require_POST
def api_key_create(request):
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _render_settings(request, status=400, api_key_form=form)
    api_key, raw_key = ApiKey.issue(request.workspace, form.cleaned_data["name"], created_by=request.user)
    # The full key appears in this one response and nowhere else.
    return _render_settings(request, new_key=raw_key, new_key_obj=api_key)


@manager_required
@require_POST
def api_key_rotate(request, key_id):
    api_key = get_object_or_404(ApiKey.objects.usable(), pk=key_id, workspace=request.workspace)
    form = RotateKeyForm(request.POST)
    grace = timedelta(minutes=(form.cleaned_data.get("grace_minutes") or 0) if form.is_valid() else 0)
    new_key, raw_key = api_key.rotate(rotated_by=request.user, grace=grace)
    return _render_settings(request, new_key=raw_key, new_key_obj=new_key)


@manager_required
@require_POST
def api_key_revoke(request, key_id):
    api_key = get_object_or_404(ApiKey.objects.usable(), pk=key_id, workspace=request.workspace)
    api_key.revoke()
    messages.success(request, f"Key “{api_key.name}” ({api_key.prefix}…) revoked.")
    return redirect(reverse("settings") + "#api-keys")


@manager_required
@require_POST
def member_invite(request):
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_settings(request, status=400, invite_form=form)
    email = form.cleaned_data["email"].lower()
    if request.workspace.memberships.filter(user__email=email).exists():
        messages.info(request, f"{email} is already a member.")
        return redirect(reverse("settings") + "#members")
    try:
        invitation = Invitation.objects.create(
            workspace=request.workspace, email=email, role=form.cleaned_data["role"], invited_by=request.user
        )
    except IntegrityError:
        invitation = Invitation.objects.get(workspace=request.workspace, email=email, accepted_at__isnull=True)
    link = request.build_absolute_uri(reverse("invitation-accept", args=[invitation.token]))
    send_mail(
        f"You are invited to {request.workspace.name} on Opsmeter",
        f"{request.user.email} invited you to join {request.workspace.name} as {invitation.get_role_display()}.\n\n{link}\n",
        None,
        [email],
    )
    messages.success(request, f"Invitation sent to {email}.")
    return redirect(reverse("settings") + "#members")


def _member_of_workspace(request, membership_id):
    return get_object_or_404(Membership, pk=membership_id, workspace=request.workspace)


def _apply_membership_change(request, change):
    try:
        change()
    except MembershipError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("settings") + "#members")


@manager_required
@require_POST
def member_change_role(request, membership_id):
    membership = _member_of_workspace(request, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Admin or Member.")
        return redirect(reverse("settings") + "#members")
    return _apply_membership_change(request, lambda: request.workspace.change_role(membership, form.cleaned_data["role"]))


@manager_required
@require_POST
def member_remove(request, membership_id):
    membership = _member_of_workspace(request, membership_id)
    if membership.role == Role.ADMIN and request.membership.role != Role.OWNER and membership != request.membership:
        raise PermissionDenied("Only the Owner can remove an Admin.")
    return _apply_membership_change(request, lambda: request.workspace.remove_member(membership))


@member_required
@require_POST
def ownership_transfer(request, membership_id):
    if request.membership.role != Role.OWNER:
        raise PermissionDenied("Only the Owner can transfer ownership.")
    membership = _member_of_workspace(request, membership_id)
    return _apply_membership_change(request, lambda: request.workspace.transfer_ownership(membership))


@manager_required
@require_POST
def invitation_cancel(request, invitation_id):
    get_object_or_404(Invitation, pk=invitation_id, workspace=request.workspace, accepted_at__isnull=True).delete()
    return redirect(reverse("settings") + "#members")


def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("workspace"), token=token)
    if not request.user.is_authenticated:
        messages.info(request, f"Sign up or log in as {invitation.email} to join {invitation.workspace.name}.")
        return redirect(f"{reverse('account_signup')}?next={request.path}")
    if request.method == "POST":
        try:
            invitation.accept(request.user)
        except MembershipError as exc:
            messages.error(request, str(exc))
            return redirect("/")
        request.session[SESSION_KEY] = invitation.workspace_id
        messages.success(request, f"You joined {invitation.workspace.name}.")
        return redirect("/")
    return render(request, "workspaces/invitation.html", {"invitation": invitation})
