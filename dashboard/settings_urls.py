"""Settings → Data hygiene and First-ingest checklist, "Try demo data", and the exports."""

from django.urls import path

from . import exports, settings_views

urlpatterns = [
    path("settings/demo-data", settings_views.try_demo, name="hygiene-try-demo"),
    path("settings/data-hygiene", settings_views.data_hygiene, name="data-hygiene"),
    path("settings/data-hygiene/clear", settings_views.hygiene_clear, name="hygiene-clear"),
    path("settings/first-ingest-checklist", settings_views.checklist, name="first-ingest-checklist"),
    path("v1/exports/requests.csv", exports.export_requests_csv, name="export-requests-csv"),
    path("v1/exports/requests.json", exports.export_requests_json, name="export-requests-json"),
]
