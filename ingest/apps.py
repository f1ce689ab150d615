from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ingest"
    verbose_name = "Ingest"

    def ready(self):
        from . import pricing, schema  # noqa: F401 — override-cache signals, OpenAPI auth schemes
