"""Settings → Data hygiene: how many real, test and demo rows a workspace holds.

Deleting rows, and what "mine" means, is `ingest.cleanup`'s job (`rows_to_delete` counts
them for the confirmation step, `delete_rows` deletes); this module only counts per mode.
"""

from django.db.models import Count

from ingest.models import DataMode, LLMRequest

# ingest.cleanup's modes and scopes, in the order the buttons show them.
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

