from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ingest"
    verbose_name = "Ingest"

    def ready(self):
        from . import pricing  # noqa: F401 — connects the price-cache-forgetting signals
