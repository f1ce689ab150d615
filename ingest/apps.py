from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ingest"
    verbose_name = "Ingest"

    def ready(self):
        from . import auth, pricing  # noqa: F401 — connects the cache-forgetting signals
