"""Management-API credentials: exchange email + password for workspace-scoped JWTs."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from .auth import issue_workspace_tokens
from .models import Membership


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
