from django.urls import path
from rest_framework_simplejwt.views import TokenRefreshView

from . import api, views

urlpatterns = [
    path("workspaces/new", views.workspace_create, name="workspace-create"),
    path("workspaces/<int:workspace_id>/switch", views.workspace_switch, name="workspace-switch"),
    path("settings", views.settings_page, name="settings"),
    path("settings/api-keys", views.api_key_create, name="api-key-create"),
    path("settings/api-keys/<int:key_id>/rotate", views.api_key_rotate, name="api-key-rotate"),
    path("settings/api-keys/<int:key_id>/revoke", views.api_key_revoke, name="api-key-revoke"),
    path("settings/members/invite", views.member_invite, name="member-invite"),
    path("settings/members/<int:membership_id>/role", views.member_change_role, name="member-role"),
    path("settings/members/<int:membership_id>/remove", views.member_remove, name="member-remove"),
    path("settings/members/<int:membership_id>/transfer", views.ownership_transfer, name="ownership-transfer"),
    path("settings/invitations/<int:invitation_id>/cancel", views.invitation_cancel, name="invitation-cancel"),
    path("invitations/<str:token>", views.invitation_accept, name="invitation-accept"),
    path("v1/auth/token", api.issue_token, name="auth-token"),
    path("v1/auth/token/refresh", TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("v1/api-keys", api.api_keys, name="api-keys"),
    path("v1/api-keys/<int:key_id>/rotate", api.api_key_rotate, name="api-key-rotate-api"),
    path("v1/api-keys/<int:key_id>", api.api_key_revoke, name="api-key-revoke-api"),
]
