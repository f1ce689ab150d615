"""The ingest HTTP API (thin: parse, call the pipeline, respond) and the management endpoints
for demo/test cleanup and workspace price overrides."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from workspaces.auth import (
    ApiKeyAuthentication,
    HasWorkspace,
    IsWorkspaceManager,
    IsWorkspaceMember,
    WorkspaceJWTAuthentication,
    WorkspaceSessionAuthentication,
)

from . import serializers as schema
from .cleanup import SCOPES, delete_rows
from .demo import seed_demo_data
from .limits import take_rate_limit
from .models import DataMode, PriceOverride
from .pipeline import record_llm_request, record_llm_requests, refuse_unreadable_body
from .tasks import reprice_rows

INGEST_ERRORS = {400: schema.IngestError, 402: schema.IngestError, 413: schema.IngestError, 429: schema.IngestError}
MEMBER_AUTH = [WorkspaceJWTAuthentication, WorkspaceSessionAuthentication]


def _json_body(request):
    """(payload, None), or (None, refusal) for a body that is too large (413, refused before
    it is read) or not JSON (400)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.INGEST_MAX_BODY_BYTES
    if not declared.isdigit() or int(declared) > limit:
        message = f"Bodies are limited to {limit} bytes."
        return None, refuse_unreadable_body(request.auth, "body_too_large", message, 413)
    try:
        return request.data, None
    except ParseError as exc:
        return None, refuse_unreadable_body(request.auth, "malformed_json", str(exc.detail), 400)


def _respond(result):
    return Response(result.body, status=result.status, headers=result.headers)


@extend_schema(request=schema.LLMRequestIn, responses={200: schema.LLMRequestOut, **INGEST_ERRORS}, tags=["ingest"])
@api_view(["POST"])
@authentication_classes([ApiKeyAuthentication])
@permission_classes([HasWorkspace])
def ingest_one(request):
    """Record one LLM call. Replays of an externalRequestId return the original row with
    `duplicate: true` (and `conflict: true` if the payload differs)."""
    payload, refusal = _json_body(request)
    return _respond(refusal or record_llm_request(request.auth, payload))


@extend_schema(
    request=schema.LLMRequestBatchIn, responses={200: schema.LLMRequestBatchOut, **INGEST_ERRORS}, tags=["ingest"]
)
@api_view(["POST"])
@authentication_classes([ApiKeyAuthentication])
@permission_classes([HasWorkspace])
def ingest_batch(request):
    """Record up to 1,000 LLM calls; one result per row (accepted, duplicate or rejected)."""
    payload, refusal = _json_body(request)
    return _respond(refusal or record_llm_requests(request.auth, payload))


@extend_schema(request=None, responses={200: schema.DemoOut, 429: schema.IngestError}, tags=["ingest"])
@api_view(["POST"])
@authentication_classes([ApiKeyAuthentication, *MEMBER_AUTH])
@permission_classes([HasWorkspace])
def ingest_demo(request):
    """Write the realistic demo set (dataMode=demo, last 7 days); calling again adds nothing."""
    access = request.auth
    rate = take_rate_limit(access.workspace)
    if not rate.allowed:
        body = {"ok": False, "error": "rate_limited", "retryAfter": rate.retry_after}
        return Response(body, status=status.HTTP_429_TOO_MANY_REQUESTS, headers=rate.headers())
    created = seed_demo_data(access.workspace, api_key=access.api_key, seeded_by=access.user)
    return Response({"ok": True, "created": created}, headers=rate.headers())


def _cleanup(request, data_mode):
    scope = request.query_params.get("scope", "")
    if scope not in SCOPES:
        return Response({"ok": False, "errors": {"scope": ["Must be one of: workspace, mine."]}}, status=400)
    if scope == "workspace" and not request.auth.can_manage:
        return Response(
            {"ok": False, "error": "permission_denied", "detail": "Only an Owner or Admin can clear the workspace."},
            status=status.HTTP_403_FORBIDDEN,
        )
    deleted = delete_rows(request.auth.workspace, data_mode, scope, request.user)
    return Response({"ok": True, "deleted": deleted, "dataMode": data_mode, "scope": scope})


_SCOPE_PARAM = OpenApiParameter(
    "scope", str, enum=list(SCOPES), required=True, description="workspace (Owner/Admin) or mine (any role)"
)


@extend_schema(parameters=[_SCOPE_PARAM], responses={200: schema.DeletedOut}, tags=["ingest"])
@api_view(["DELETE"])
@authentication_classes(MEMBER_AUTH)
@permission_classes([IsWorkspaceMember])
def delete_demo_data(request):
    """Delete demo rows (never real ones)."""
    return _cleanup(request, DataMode.DEMO)


@extend_schema(parameters=[_SCOPE_PARAM], responses={200: schema.DeletedOut}, tags=["ingest"])
@api_view(["DELETE"])
@authentication_classes(MEMBER_AUTH)
@permission_classes([IsWorkspaceMember])
def delete_test_data(request):
    """Delete test rows (never real ones)."""
    return _cleanup(request, DataMode.TEST)


@extend_schema(
    methods=["GET"], responses={200: schema.PriceOverrideSerializer(many=True)}, tags=["pricing"]
)
@extend_schema(
    methods=["POST"], request=schema.PriceOverrideSerializer, responses={201: schema.PriceOverrideSerializer},
    tags=["pricing"],
)  # fmt: skip
@api_view(["GET", "POST"])
@authentication_classes(MEMBER_AUTH)
@permission_classes([IsWorkspaceMember])
def price_overrides(request):
    """The workspace's contract prices (USD per million tokens). Any member reads; Owner/Admin add."""
    workspace = request.auth.workspace
    if request.method == "GET":
        overrides = PriceOverride.objects.filter(workspace=workspace)
        return Response(schema.PriceOverrideSerializer(overrides, many=True).data)
    if not IsWorkspaceManager().has_permission(request, None):
        return Response({"ok": False, "error": "permission_denied", "detail": IsWorkspaceManager.message}, status=403)
    body = schema.PriceOverrideSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        with transaction.atomic():
            override = body.save(workspace=workspace, created_by=request.user)
    except IntegrityError:
        error = "An override for this provider and model already starts on this date."
        return Response({"ok": False, "errors": {"effectiveFrom": [error]}}, status=400)
    return Response(schema.PriceOverrideSerializer(override).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None}, tags=["pricing"])
@api_view(["DELETE"])
@authentication_classes(MEMBER_AUTH)
@permission_classes([IsWorkspaceManager])
def price_override_delete(request, override_id):
    """Remove a contract price (Owner/Admin). Stored rows keep their cost until re-priced."""
    override = get_object_or_404(PriceOverride, pk=override_id, workspace=request.auth.workspace)
    override.delete()
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=schema.RepriceIn, responses={202: schema.RepriceOut}, tags=["pricing"])
@api_view(["POST"])
@authentication_classes(MEMBER_AUTH)
@permission_classes([IsWorkspaceManager])
def reprice(request):
    """Re-price stored rows that occurred between `from` and `to` (dates, inclusive), in the
    background, with today's overrides and catalog (Owner/Admin)."""
    body = schema.RepriceIn(data=request.data)
    body.is_valid(raise_exception=True)
    start, end = body.validated_data["from"], body.validated_data["to"]
    if end < start:
        return Response({"ok": False, "errors": {"to": ["Must not be before 'from'."]}}, status=400)
    task = reprice_rows.delay(request.auth.workspace.pk, start.isoformat(), end.isoformat())
    return Response({"ok": True, "queued": True, "taskId": task.id}, status=status.HTTP_202_ACCEPTED)

