from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
    path("", include("workspaces.urls")),
    path("", include("ingest.urls")),
    path("", include("dashboard.urls")),
]
