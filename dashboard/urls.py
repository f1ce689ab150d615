from django.urls import include, path

urlpatterns = [
    # Settings → Data hygiene, First-ingest checklist, and the exports.
    path("", include("dashboard.settings_urls")),
]
