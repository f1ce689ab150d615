"""The ingest credential check: X-API-Key, with each good key remembered in process briefly.

The key lookup (one indexed query plus the ORM's work, ~1 ms here) was the largest part of a
single-row ingest; high-volume senders reuse one key, so each worker keeps a good key (and
its workspace, for plan limits) for KEY_CACHE_SECONDS. Saving any key or workspace in this
process forgets them all at once (revoke, rotate, plan change); other workers notice within
KEY_CACHE_SECONDS. A wrong key is never remembered: it is looked up, and refused, each time.
"""

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions

from workspaces.auth import ApiKeyAuthentication, WorkspaceAccess
from workspaces.models import ApiKey, Workspace, hash_api_key

KEY_CACHE_SECONDS = 5
KEY_CACHE_SIZE = 10_000

_good_keys: dict[str, tuple[float, ApiKey]] = {}


class IngestApiKeyAuthentication(ApiKeyAuthentication):
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


@receiver([post_save, post_delete], sender=ApiKey)
@receiver([post_save, post_delete], sender=Workspace)
def forget_keys(**kwargs):
    _good_keys.clear()


class IngestApiKeyScheme(OpenApiAuthenticationExtension):
    """The same "ApiKey" security scheme as workspaces.auth.ApiKeyAuthentication."""

    target_class = IngestApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key"}
