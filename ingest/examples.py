"""The first payload the docs show (seed 000, A1): one place for the README, the demo
command's curl, the empty Overview and the tests."""

FIRST_PAYLOAD = {
    "externalRequestId": "req_2026_02_07_001",
    "provider": "openai",
    "model": "gpt-4o-mini",
    "promptVersion": "summarizer_v3",
    "endpointTag": "checkout.ai_summary",
    "inputTokens": 120,
    "outputTokens": 45,
    "totalTokens": 165,
    "latencyMs": 820,
    "status": "success",
    "dataMode": "real",
    "environment": "prod",
}
