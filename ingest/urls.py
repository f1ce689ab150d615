from django.urls import path

from . import views

urlpatterns = [
    path("v1/ingest/llm-request", views.ingest_one, name="ingest-llm-request"),
    path("v1/ingest/llm-requests", views.ingest_batch, name="ingest-llm-requests"),
    path("v1/ingest/demo", views.ingest_demo, name="ingest-demo"),
    path("v1/ingest/demo-data", views.delete_demo_data, name="ingest-demo-data"),
    path("v1/ingest/test-data", views.delete_test_data, name="ingest-test-data"),
    path("v1/pricing/overrides", views.price_overrides, name="price-overrides"),
    path("v1/pricing/overrides/<int:override_id>", views.price_override_delete, name="price-override"),
    path("v1/pricing/reprice", views.reprice, name="pricing-reprice"),
]
