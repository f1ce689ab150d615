"""The app's URLs plus /bench/bare-insert: a plain Django view that inserts one row and does
nothing else (no auth, validation, pricing or limits) — the baseline ingest is compared to."""

import os
import uuid

from django.http import JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ingest.models import LLMRequest

WORKSPACE_ID = int(os.environ.get("BENCH_WORKSPACE_ID", "0"))


@csrf_exempt
def bare_insert(request):
    now = timezone.now()
    row = LLMRequest.objects.create(
        workspace_id=WORKSPACE_ID,
        external_request_id=uuid.uuid4().hex,
        occurred_at=now,
        received_at=now,
        provider="openai",
        model="gpt-4o-mini",
        input_tokens=120,
        output_tokens=45,
        total_tokens=165,
    )
    return JsonResponse({"ok": True, "id": row.pk})


urlpatterns = [
    path("bench/bare-insert", bare_insert),
    path("", include("opsmeter.urls")),
]
