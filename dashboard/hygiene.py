"""Settings → Data hygiene: how many real, test and demo rows a workspace holds.

Deleting rows is `ingest.cleanup`'s job (it owns what "mine" means); this module only reads.
"""

from django.db.models import Count, Q

from ingest.models import DataMode, LLMRequest

CLEARABLE_MODES = (DataMode.TEST, DataMode.DEMO)
SCOPES = ("mine", "workspace")


def counts_by_data_mode(workspace) -> dict[str, int]:
    """{"real": n, "test": n, "demo": n} in one GROUP BY query (missing modes are 0)."""
    counts = dict.fromkeys(DataMode.values, 0)
    grouped = (
        LLMRequest.objects.filter(workspace=workspace)
        .order_by()
        .values("data_mode")
        .annotate(rows=Count("id"))
        .values_list("data_mode", "rows")
    )
    counts.update(grouped)
    return counts


def rows_to_clear(workspace, data_mode, scope, user):
    """The rows `ingest.cleanup.delete_rows` would delete, for the confirmation step's count.

    Mirrors delete_rows' selection ("mine" = sent with an API key the user created, or seeded
    by the user); tests/dashboard/test_hygiene.py checks the two agree. Replace with
    ingest.cleanup's own queryset once it exposes one.
    """
    rows = LLMRequest.objects.filter(workspace=workspace, data_mode=data_mode)
    if scope == "mine":
        rows = rows.filter(Q(api_key__created_by=user) | Q(seeded_by=user))
    return rows
