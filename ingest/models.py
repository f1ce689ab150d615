"""The raw telemetry row, workspace price overrides and the monthly usage counter."""

from django.conf import settings
from django.db import models

from workspaces.models import ApiKey, Workspace


class DataMode(models.TextChoices):
    REAL = "real"
    TEST = "test"
    DEMO = "demo"


class Environment(models.TextChoices):
    PROD = "prod"
    STAGING = "staging"
    DEV = "dev"


class CallStatus(models.TextChoices):
    SUCCESS = "success"
    ERROR = "error"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"


class PricingSource(models.TextChoices):
    CATALOG = "catalog"
    WORKSPACE_OVERRIDE = "workspace_override"
    CLIENT = "client"
    UNKNOWN = "unknown"


class LLMRequest(models.Model):
    """One LLM call as reported by the customer, priced in USD.

    Token semantics: input_tokens includes cached_input_tokens; output_tokens includes
    reasoning_tokens; total_tokens defaults to input + output.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="llm_requests")
    external_request_id = models.CharField(max_length=128)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    provider = models.CharField(max_length=64)
    model = models.CharField(max_length=128)
    endpoint_tag = models.CharField(max_length=128, blank=True, default="")
    prompt_version = models.CharField(max_length=128, blank=True, default="")
    user_id = models.CharField(max_length=128, blank=True, default="")
    tenant_id = models.CharField(max_length=128, blank=True, default="")
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    cached_input_tokens = models.PositiveBigIntegerField(default=0)
    reasoning_tokens = models.PositiveBigIntegerField(default=0)
    total_tokens = models.PositiveBigIntegerField(default=0)
    has_usage = models.BooleanField(default=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.SUCCESS)
    error_code = models.CharField(max_length=128, blank=True, default="")
    data_mode = models.CharField(max_length=4, choices=DataMode.choices, default=DataMode.REAL)
    environment = models.CharField(max_length=8, choices=Environment.choices, default=Environment.PROD)
    cost_usd = models.DecimalField(max_digits=20, decimal_places=10, null=True, blank=True)
    pricing_source = models.CharField(max_length=20, choices=PricingSource.choices, default=PricingSource.UNKNOWN)
    price_snapshot = models.CharField(max_length=64, blank=True, default="")
    client_cost_usd = models.DecimalField(max_digits=20, decimal_places=10, null=True, blank=True)
    api_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who seeded a demo row from the UI (for "mine" cleanup when no API key was used).
    seeded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "external_request_id"], name="unique_external_request_id"),
        ]
        indexes = [
            models.Index(fields=["workspace", "data_mode", "occurred_at"], name="llmreq_ws_mode_time"),
        ]

    def __str__(self):
        return f"{self.provider}/{self.model} {self.external_request_id}"


class PriceOverride(models.Model):
    """A workspace's contract price for one provider+model, from a date on (USD per million tokens)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="price_overrides")
    provider = models.CharField(max_length=64)
    model = models.CharField(max_length=128)
    input_per_million = models.DecimalField(max_digits=14, decimal_places=6)
    output_per_million = models.DecimalField(max_digits=14, decimal_places=6)
    cached_input_per_million = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    effective_from = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "provider", "model", "effective_from"], name="one_override_per_model_and_date"
            )
        ]
        ordering = ["provider", "model", "-effective_from"]


class UsageCounter(models.Model):
    """Rows of real traffic accepted in one calendar month (UTC), for the plan allowance."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="usage_counters")
    month = models.DateField()  # first day of the month
    requests = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "month"], name="one_counter_per_month")]
