from django.urls import include, path

from . import api, views

urlpatterns = [
    # Pages: one URL each, full page or (for htmx) just the content.
    path("", views.overview, name="overview"),
    path("overview/top/<str:dimension>", views.overview_top, name="overview-top"),
    path("endpoints", views.top_page, {"dimension": "endpoints"}, name="top-endpoints"),
    path("users", views.top_page, {"dimension": "users"}, name="top-users"),
    path("tenants", views.top_page, {"dimension": "tenants"}, name="top-tenants"),
    path("models", views.top_page, {"dimension": "models"}, name="top-models"),
    path("prompt-versions", views.prompt_versions, name="prompt-versions"),
    path("requests", views.requests_page, name="requests"),
    # JSON API: the same figures, the same filters.
    path("v1/dashboard/overview", api.overview, name="api-dashboard-overview"),
    path("v1/dashboard/top-endpoints", api.top_endpoints, name="api-dashboard-top-endpoints"),
    path("v1/dashboard/top-users", api.top_users, name="api-dashboard-top-users"),
    path("v1/dashboard/top-tenants", api.top_tenants, name="api-dashboard-top-tenants"),
    path("v1/dashboard/top-models", api.top_models, name="api-dashboard-top-models"),
    path("v1/dashboard/prompt-versions", api.prompt_versions, name="api-dashboard-prompt-versions"),
    path("v1/dashboard/timeseries", api.timeseries, name="api-dashboard-timeseries"),
    # Settings → Data hygiene, First-ingest checklist, and the exports.
    path("", include("dashboard.settings_urls")),
]
