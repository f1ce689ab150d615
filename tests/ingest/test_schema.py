"""The OpenAPI schema at /v1/schema/ describes every ingest endpoint; /v1/docs/ renders it."""

import pytest

INGEST_OPERATIONS = [
    ("/v1/ingest/llm-request", "post"),
    ("/v1/ingest/llm-requests", "post"),
    ("/v1/ingest/demo", "post"),
    ("/v1/ingest/demo-data", "delete"),
    ("/v1/ingest/test-data", "delete"),
    ("/v1/pricing/overrides", "get"),
    ("/v1/pricing/overrides", "post"),
    ("/v1/pricing/overrides/{override_id}", "delete"),
    ("/v1/pricing/reprice", "post"),
]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.parametrize(("path", "method"), INGEST_OPERATIONS)
def test_every_ingest_operation_is_described_with_its_responses(schema, path, method):
    operation = schema["paths"][path][method]

    assert operation["responses"]
    assert any(code.startswith("2") for code in operation["responses"])


@pytest.mark.parametrize(
    ("path", "request_component", "response_component"),
    [
        ("/v1/ingest/llm-request", "LLMRequestInRequest", "LLMRequestOut"),
        ("/v1/ingest/llm-requests", "LLMRequestBatchInRequest", "LLMRequestBatchOut"),
    ],
)
def test_ingest_bodies_are_components(schema, path, request_component, response_component):
    operation = schema["paths"][path]["post"]
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    response_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]

    assert request_ref.endswith("/" + request_component)
    assert response_ref.endswith("/" + response_component)
    assert {"402", "429", "400"} <= set(operation["responses"])


def test_the_row_component_names_every_documented_field(schema):
    fields = schema["components"]["schemas"]["LLMRequestInRequest"]["properties"]

    assert {"externalRequestId", "provider", "model", "promptVersion", "endpointTag", "userId", "tenantId",
            "inputTokens", "outputTokens", "totalTokens", "cachedInputTokens", "reasoningTokens", "latencyMs",
            "status", "errorCode", "dataMode", "environment", "occurredAt", "costUsd", "metadata"} == set(fields)  # fmt: skip
    required = schema["components"]["schemas"]["LLMRequestInRequest"]["required"]
    assert sorted(required) == ["externalRequestId", "model", "provider"]


def test_the_response_component_carries_every_status_flag(schema):
    fields = schema["components"]["schemas"]["LLMRequestOut"]["properties"]

    assert {"ok", "id", "duplicate", "costUsd", "pricing", "reason", "telemetryPaused", "providerCallsContinue",
            "isPlanLimitReached", "budgetWarning", "budgetExceeded", "planLimitRequests",
            "freeLimitRemainingRequests"} <= set(fields)  # fmt: skip


def test_the_api_key_is_the_ingest_credential(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    assert schema["paths"]["/v1/ingest/llm-request"]["post"]["security"] == [{"ApiKey": []}]


def test_the_reference_page_renders_without_a_cdn(client, db):
    response = client.get("/v1/docs/")

    assert response.status_code == 200
    assert b'src="/static/drf_spectacular_sidecar/redoc/' in response.content
