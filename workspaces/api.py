"""The workspace management API: email + password → workspace-scoped JWTs, and API keys."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.exceptions import PermissionDenied
from rest_framework.throttling import AnonRateThrottle

from .auth import IsWorkspaceManager, IsWorkspaceMember, issue_workspace_tokens
from .models import ApiKey, Membership


class TokenRequest(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)
    workspaceId = serializers.IntegerField(required=False)


class LoginThrottle(AnonRateThrottle):
    """Slows password guessing against the token endpoint."""

    rate = "30/min"
    scope = "token"


TokenResponse = inline_serializer(
    "TokenResponse",
    {"access": serializers.CharField(), "refresh": serializers.CharField(), "workspaceId": serializers.IntegerField()},
)


@extend_schema(request=TokenRequest, responses={200: TokenResponse}, tags=["auth"])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def issue_token(request):
    """Bearer tokens for the /v1/ management API, scoped to one workspace."""
    body = TokenRequest(data=request.data)
    body.is_valid(raise_exception=True)
    user = authenticate(request, email=body.validated_data["email"].lower(), password=body.validated_data["password"])
    if user is None or not user.is_active:
        return Response(
            {"ok": False, "error": "invalid_credentials", "detail": "Email or password is wrong."},
            status=status.HTTP_401_UNAUTHORIZED,
        )
    memberships = Membership.objects.select_related("workspace").filter(user=user)
    workspace_id = body.validated_data.get("workspaceId")
    if workspace_id is None:
        if memberships.count() != 1:
            return Response(
                {"ok": False, "errors": {"workspaceId": ["Required: you belong to several workspaces (or none)."]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        membership = memberships.get()
    else:
        membership = memberships.filter(workspace_id=workspace_id).first()
        if membership is None:
            return Response(
                {"ok": False, "errors": {"workspaceId": ["You are not a member of this workspace."]}},
                status=status.HTTP_403_FORBIDDEN,
            )
    return Response(issue_workspace_tokens(user, membership.workspace))


issue_token.cls.throttle_classes = [LoginThrottle]


class ApiKeySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=80)
    prefix = serializers.CharField(read_only=True)
    createdBy = serializers.EmailField(source="created_by.email", read_only=True, default=None)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    lastUsedAt = serializers.DateTimeField(source="last_used_at", read_only=True)
    revokedAt = serializers.DateTimeField(source="revoked_at", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)


class RotateRequest(serializers.Serializer):
    graceMinutes = serializers.IntegerField(min_value=0, max_value=7 * 24 * 60, default=0)


def _key_with_secret(api_key, raw_key):
    return {**ApiKeySerializer(api_key).data, "key": raw_key}


@extend_schema(
    methods=["GET"], responses={200: ApiKeySerializer(many=True)}, tags=["api-keys"], summary="List API keys"
)
@extend_schema(
    methods=["POST"],
    request=ApiKeySerializer,
    responses={201: ApiKeySerializer},
    tags=["api-keys"],
    summary="Create an API key (Owner/Admin); the full key is in this response only",
)
@api_view(["GET", "POST"])
@permission_classes([IsWorkspaceMember])
def api_keys(request):
    workspace = request.auth.workspace
    if request.method == "GET":
        keys = workspace.api_keys.select_related("created_by").order_by("-created_at")
        return Response(ApiKeySerializer(keys, many=True).data)
    if not request.auth.can_manage:
        raise PermissionDenied(IsWorkspaceManager.message)
    body = ApiKeySerializer(data=request.data)
    body.is_valid(raise_exception=True)
    api_key, raw_key = ApiKey.issue(workspace, body.validated_data["name"], created_by=request.user)
    return Response(_key_with_secret(api_key, raw_key), status=status.HTTP_201_CREATED)


@extend_schema(
    request=RotateRequest, responses={201: ApiKeySerializer}, tags=["api-keys"], summary="Rotate an API key"
)
@api_view(["POST"])
@permission_classes([IsWorkspaceManager])
def api_key_rotate(request, key_id):
    api_key = get_object_or_404(ApiKey.objects.usable(), pk=key_id, workspace=request.auth.workspace)
    body = RotateRequest(data=request.data)
    body.is_valid(raise_exception=True)
    new_key, raw_key = api_key.rotate(rotated_by=request.user, grace=timedelta(minutes=body.validated_data["graceMinutes"]))
    return Response(_key_with_secret(new_key, raw_key), status=status.HTTP_201_CREATED)


@extend_schema(responses={200: ApiKeySerializer}, tags=["api-keys"], summary="Revoke an API key")
@api_view(["DELETE"])
@permission_classes([IsWorkspaceManager])
def api_key_revoke(request, key_id):
    api_key = get_object_or_404(ApiKey.objects.usable(), pk=key_id, workspace=request.auth.workspace)
    api_key.revoke()
    return Response(ApiKeySerializer(api_key).data)
