"""Deleting demo and test rows (never real ones): the DELETE /v1/ingest/*-data endpoints and
the dashboard's data-hygiene page both call `delete_rows`."""

from django.db.models import Q

from .models import DataMode, LLMRequest

SCOPES = ("workspace", "mine")
CLEANABLE_MODES = (DataMode.DEMO, DataMode.TEST)


def delete_rows(workspace, data_mode, scope, user) -> int:
    """Delete `data_mode` ("demo" or "test") rows of the workspace; returns how many.

    scope "workspace": every such row (the caller has checked the user is Owner or Admin).
    scope "mine": rows sent with an API key `user` created, or demo rows `user` seeded.
    """
    if data_mode not in CLEANABLE_MODES:
        raise ValueError(f"Only demo and test rows can be deleted, not {data_mode!r}.")
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}.")
    rows = LLMRequest.objects.filter(workspace=workspace, data_mode=data_mode)
    if scope == "mine":
        if user is None:
            return 0
        rows = rows.filter(Q(api_key__created_by=user) | Q(seeded_by=user))
    deleted, _ = rows.delete()  # one DELETE statement: nothing cascades from these rows
    return deleted
