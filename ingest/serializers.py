"""OpenAPI descriptions of the ingest API's request and response bodies.

Ingest rows are validated by `ingest/payload.py` (fast, plain Python); the row component
here is generated from the same field table, so the schema cannot drift from the validator.
The price-override serializer is a real one: that endpoint is low-volume management API.
"""

from rest_framework import serializers

from .models import PriceOverride
from .payload import FIELDS


def _schema_field(field):
    common = {"required": field.required, "help_text": field.help or None}
    if field.kind == "string":
        return serializers.CharField(max_length=field.max_length, **common)
    if field.kind in ("tokens", "integer"):
        return serializers.IntegerField(min_value=0, **common)
    if field.kind == "choice":
        return serializers.ChoiceField(choices=field.choices, default=field.default, **{**common, "required": False})
    if field.kind == "datetime":
        return serializers.DateTimeField(**common)
    if field.kind == "money":
        return serializers.DecimalField(max_digits=20, decimal_places=10, min_value=0, **common)
    return serializers.DictField(child=serializers.CharField(), **common)


LLMRequestIn = type(
    "LLMRequestIn",
    (serializers.Serializer,),
    {field.name: _schema_field(field) for field in FIELDS} | {"__doc__": "One LLM call, as sent by a client."},
)


class LLMRequestBatchIn(serializers.Serializer):
    requests = LLMRequestIn(many=True, help_text="1 to 1,000 rows.")


class StatusFlags(serializers.Serializer):
    """Present on every ingest response, errors included."""

    reason = serializers.CharField(allow_null=True, help_text="plan_limit_reached | rate_limited | null")
    telemetryPaused = serializers.BooleanField()
    providerCallsContinue = serializers.BooleanField()
    isPlanLimitReached = serializers.BooleanField()
    budgetWarning = serializers.BooleanField()
    budgetExceeded = serializers.BooleanField()
    planLimitRequests = serializers.IntegerField()
    freeLimitRemainingRequests = serializers.IntegerField(allow_null=True)


class Pricing(serializers.Serializer):
    source = serializers.ChoiceField(choices=["catalog", "workspace_override", "client", "unknown"])
    model = serializers.CharField()


class RowResult(serializers.Serializer):
    id = serializers.IntegerField()
    externalRequestId = serializers.CharField()
    duplicate = serializers.BooleanField()
    conflict = serializers.BooleanField(required=False, help_text="A replay whose payload differs; not stored.")
    costUsd = serializers.DecimalField(max_digits=20, decimal_places=10, allow_null=True, coerce_to_string=True)
    pricing = Pricing()


class LLMRequestOut(StatusFlags, RowResult):
    ok = serializers.BooleanField()


class BatchRowResult(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["accepted", "duplicate", "rejected"])
    externalRequestId = serializers.CharField(allow_null=True)
    id = serializers.IntegerField(required=False)
    duplicate = serializers.BooleanField(required=False)
    conflict = serializers.BooleanField(required=False)
    costUsd = serializers.CharField(required=False, allow_null=True)
    pricing = Pricing(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    reason = serializers.CharField(required=False)


class LLMRequestBatchOut(StatusFlags):
    ok = serializers.BooleanField()
    accepted = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = BatchRowResult(many=True)


class IngestError(StatusFlags):
    ok = serializers.BooleanField(default=False)
    error = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class DemoOut(serializers.Serializer):
    ok = serializers.BooleanField()
    created = serializers.IntegerField(help_text="New demo rows; 0 when the demo set was already there.")


class DeletedOut(serializers.Serializer):
    ok = serializers.BooleanField()
    deleted = serializers.IntegerField()
    dataMode = serializers.CharField()
    scope = serializers.CharField()


class PriceOverrideSerializer(serializers.ModelSerializer):
    """A contract price in USD per million tokens, from `effectiveFrom` on."""

    inputPerMillion = serializers.DecimalField(source="input_per_million", max_digits=14, decimal_places=6, min_value=0)
    outputPerMillion = serializers.DecimalField(
        source="output_per_million", max_digits=14, decimal_places=6, min_value=0
    )
    cachedInputPerMillion = serializers.DecimalField(
        source="cached_input_per_million", max_digits=14, decimal_places=6, min_value=0, required=False, allow_null=True
    )
    effectiveFrom = serializers.DateField(source="effective_from")

    class Meta:
        model = PriceOverride
        fields = ["id", "provider", "model", "inputPerMillion", "outputPerMillion", "cachedInputPerMillion",
                  "effectiveFrom"]  # fmt: skip
        validators = []  # the one-per-date rule is checked in the view, with a field error

    def validate_provider(self, value):
        return value.strip().lower()

    def validate_model(self, value):
        return value.strip()


class RepriceIn(serializers.Serializer):
    # "from" is a Python keyword, hence the declared-field dance below.
    to = serializers.DateField()


RepriceIn._declared_fields["from"] = serializers.DateField()


class RepriceOut(serializers.Serializer):
    ok = serializers.BooleanField()
    queued = serializers.BooleanField()
    taskId = serializers.CharField(allow_null=True)
