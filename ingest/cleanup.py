"""Deleting demo and test rows (never real ones): the DELETE /v1/ingest/*-data endpoints and
the dashboard's data-hygiene page both call `delete_rows`."""

from django.db.models import Q

from .models import DataMode, LLMRequest

SCOPES = ("workspace", "mine")
CLEANABLE_MODES = (DataMode.DEMO, DataMode.TEST)


def rows_to_delete(workspace, data_mode, scope, user):
    """The rows `delete_rows` would delete, as a QuerySet (e.g. to count them for a confirmation).

    scope "workspace": every `data_mode` row of the workspace (the caller checks Owner/Admin).
    scope "mine": rows sent with an API key `user` created, or demo rows `user` seeded.
    """
    if data_mode not in CLEANABLE_MODES:
        raise ValueError(f"Only demo and test rows can be deleted, not {data_mode!r}.")
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}.")
    rows = LLMRequest.objects.filter(workspace=workspace, data_mode=data_mode)
    if scope == "mine":
        if user is None:
            return rows.none()
        rows = rows.filter(Q(api_key__created_by=user) | Q(seeded_by=user))
    return rows


def delete_rows(workspace, data_mode, scope, user) -> int:
    """Delete `data_mode` ("demo" or "test") rows of the workspace in `scope`; returns how many.
    Never touches real rows (ValueError). See rows_to_delete for what each scope means."""
    deleted, _ = rows_to_delete(workspace, data_mode, scope, user).delete()  # one DELETE: nothing cascades
    return deleted
