"""How API callers prove who they are, and which workspace and role that gives them.

Every authentication class here leaves a `WorkspaceAccess` in `request.auth`, so API views
read `request.auth.workspace` and `request.auth.role` whatever the credential was.
Classes return None when their credential is absent (so the next class may try) and raise
AuthenticationFailed when it is present but wrong.
"""

import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import RefreshToken

from .models import MANAGER_ROLES, ApiKey, Membership, Workspace, hash_api_key

WORKSPACE_CLAIM = "workspace_id"


@dataclass
class WorkspaceAccess:
    workspace: object
    user: object = None
    role: str | None = None
    api_key: object = None

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGER_ROLES


# A good key (and its workspace, for plan limits) is remembered in process for this long: the
# key lookup was the largest part of a single-row ingest, and senders reuse one key. Saving
# any key or workspace in this process forgets them all at once (revoke, rotate, plan
# change); other workers notice within KEY_CACHE_SECONDS. A wrong key is never remembered.
KEY_CACHE_SECONDS = 5
KEY_CACHE_SIZE = 10_000
_good_keys: dict[str, tuple[float, ApiKey]] = {}


@receiver([post_save, post_delete], sender=ApiKey)
@receiver([post_save, post_delete], sender=Workspace)
def forget_keys(**kwargs):
    _good_keys.clear()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`X-API-Key: om_…` — the ingest credential; resolves to the key's workspace."""

    header = "HTTP_X_API_KEY"

    def authenticate(self, request):
        raw_key = request.META.get(self.header)
        if raw_key is None:
            return None
        raw_key = raw_key.strip()
        digest = hash_api_key(raw_key)
        cached = _good_keys.get(digest)
        if cached is not None and cached[0] > time.monotonic() and cached[1].is_active:
            api_key = cached[1]
            api_key.touch()
        else:
            api_key = ApiKey.authenticate(raw_key)
            if api_key is None:
                raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."), code="invalid_api_key")
            if len(_good_keys) >= KEY_CACHE_SIZE:
                _good_keys.clear()
            _good_keys[digest] = (time.monotonic() + KEY_CACHE_SECONDS, api_key)
        return (None, WorkspaceAccess(workspace=api_key.workspace, api_key=api_key))

    def authenticate_header(self, request):
        return "X-API-Key"


def issue_workspace_tokens(user, workspace):
    """A refresh/access pair scoped to one workspace. The role is not in the token:
    it is read from the membership on every request, so a demotion takes effect at once."""
    refresh = RefreshToken.for_user(user)
    refresh[WORKSPACE_CLAIM] = workspace.pk
    return {"access": str(refresh.access_token), "refresh": str(refresh), "workspaceId": workspace.pk}


class WorkspaceJWTAuthentication(JWTAuthentication):
    """`Authorization: Bearer <JWT>` from POST /v1/auth/token, for the management API."""

    def authenticate(self, request):
        header = self.get_header(request)
        if header is None:
            return None
        raw_token = self.get_raw_token(header)
        if raw_token is None:
            return None
        try:
            token = self.get_validated_token(raw_token)
        except InvalidToken as exc:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."), code="invalid_token") from exc
        if token.get("token_type") != "access":
            raise exceptions.AuthenticationFailed(_("An access token is required."), code="invalid_token")
        user = self.get_user(token)
        membership = (
            Membership.objects.select_related("workspace")
            .filter(user=user, workspace_id=token.get(WORKSPACE_CLAIM))
            .first()
        )
        if membership is None:
            raise exceptions.AuthenticationFailed(_("You are no longer a member of this workspace."), code="no_membership")
        return (user, WorkspaceAccess(workspace=membership.workspace, user=user, role=membership.role))


class WorkspaceSessionAuthentication(authentication.SessionAuthentication):
    """The logged-in browser session (CSRF enforced), in the workspace chosen in the UI."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        membership = getattr(request._request, "membership", None)
        if membership is None:
            return None
        user = result[0]
        return (user, WorkspaceAccess(workspace=membership.workspace, user=user, role=membership.role))


class HasWorkspace(permissions.BasePermission):
    """Any authenticated caller of a workspace (API key or member)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, WorkspaceAccess)


class IsWorkspaceMember(permissions.BasePermission):
    """A person (JWT or session), not an API key."""

    def has_permission(self, request, view):
        return isinstance(request.auth, WorkspaceAccess) and request.auth.role is not None


class IsWorkspaceManager(permissions.BasePermission):
    """Owner or Admin."""

    message = _("Only an Owner or Admin can do this.")

    def has_permission(self, request, view):
        return isinstance(request.auth, WorkspaceAccess) and request.auth.can_manage

