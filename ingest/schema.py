"""How the OpenAPI schema names the workspace credentials (X-API-Key, Bearer JWT, session).

Lives here because ingest is the first app whose views document them; imported from
IngestConfig.ready() so drf-spectacular registers the extensions before generating."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "workspaces.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "A workspace API key (om_…)."}


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "workspaces.auth.WorkspaceJWTAuthentication"
    name = "Bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "Access token from POST /v1/auth/token, scoped to one workspace."}  # fmt: skip


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "workspaces.auth.WorkspaceSessionAuthentication"
    name = "Session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
