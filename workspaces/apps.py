from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = "Workspaces"

    def ready(self):
        from . import auth, schema  # noqa: F401  (key-cache signals, OpenAPI auth extensions)
