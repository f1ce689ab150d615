"""The raw telemetry row, workspace price overrides and the monthly usage counter."""

import json
from contextlib import nullcontext
from functools import lru_cache

import psycopg
from django.conf import settings
from django.db import DataError, connection, models, transaction

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


# Columns written by ingest, in INSERT order (everything but the id).
INSERT_COLUMNS = (
    "workspace_id", "external_request_id", "occurred_at", "received_at", "provider", "model", "endpoint_tag",
    "prompt_version", "user_id", "tenant_id", "input_tokens", "output_tokens", "cached_input_tokens",
    "reasoning_tokens", "total_tokens", "has_usage", "latency_ms", "status", "error_code", "data_mode",
    "environment", "cost_usd", "pricing_source", "price_snapshot", "client_cost_usd", "api_key_id",
    "seeded_by_id", "metadata",
)  # fmt: skip
# Rows per INSERT statement: SQLite allows 32,766 parameters per statement.
INSERT_CHUNK = 1000


class LLMRequestQuerySet(models.QuerySet):
    def insert_new(self, rows) -> dict[str, int]:
        """Insert rows (dicts of INSERT_COLUMNS), skipping any whose (workspace,
        external_request_id) is already stored. Returns {external_request_id: id} for the
        rows really inserted.

        `INSERT … ON CONFLICT DO NOTHING RETURNING` is what makes a replay — even concurrent
        replays from several processes — store one row, without a read-then-write race and
        without a savepoint per row. PostgreSQL gets all rows as one array per column
        (`unnest`), so a 1,000-row batch is one short statement; SQLite gets multi-row VALUES.
        """
        if not rows:
            return {}
        prepared = [[prepare(row.get(column)) for row in rows] for column, prepare in _column_preparers()]
        inserted = {}
        if connection.vendor == "postgresql":
            # A server-side-binding cursor: psycopg prepares the statement after a few uses and
            # sends batches as binary arrays — a third of the CPU of Django's client-side binding.
            # A single row goes as plain VALUES: dumping 28 one-element arrays costs more.
            if len(rows) == 1:
                statement, params = _values_statement(1), [column[0] for column in prepared]
            else:
                statement, params = _unnest_statement(), prepared
            connection.ensure_connection()
            with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(statement, params)
                inserted.update((external_id, pk) for pk, external_id in cursor.fetchall())
            return inserted
        with connection.cursor() as cursor:
            for start in range(0, len(rows), INSERT_CHUNK):
                chunk = [column[start : start + INSERT_CHUNK] for column in prepared]
                size = len(chunk[0])
                cursor.execute(_values_statement(size), [column[i] for i in range(size) for column in chunk])
                inserted.update((external_id, pk) for pk, external_id in cursor.fetchall())
        return inserted

    def insert_counted(self, row, month, limit) -> tuple[dict[str, int], int | None] | None:
        """PostgreSQL's one-statement path for a single real row: insert it unless its
        externalRequestId is stored, and count it against the month's UsageCounter — both or
        neither. Returns (insert_new's answer, the month's new count, or None for a replay),
        or None when this path cannot decide (the month has no counter row yet, or the row
        does not fit): the caller then takes the transactional path, which creates the month
        or refuses the row.

        Outside a transaction the statement commits by itself: one round trip instead of
        BEGIN, statement and COMMIT.
        """
        if connection.vendor != "postgresql":
            return None
        params = [prepare(row.get(column)) for column, prepare in _column_preparers()]
        month = connection.ops.adapt_datefield_value(month)
        connection.ensure_connection()
        # Inside a caller's transaction (tests), a savepoint keeps a refusal from aborting it.
        block = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with block, connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(_counted_insert_statement(), [*params, row["workspace_id"], month, limit])
                found = cursor.fetchone()
        except DataError as error:
            if isinstance(error.__cause__, psycopg.errors.DivisionByZero):
                return None  # new but not counted: the statement undid its insert
            raise
        if found is None:
            return {}, None  # a replay: counted when it was first stored
        row_id, external_id, used, _ = found
        return {external_id: row_id}, used


_POSTGRES_ARRAY_TYPES = {
    models.BigIntegerField: "bigint", models.PositiveBigIntegerField: "bigint", models.ForeignKey: "bigint",
    models.PositiveIntegerField: "integer", models.BooleanField: "boolean", models.DateTimeField: "timestamptz",
    models.DecimalField: "numeric", models.JSONField: "text",
}  # fmt: skip


_TABLE_AND_COLUMNS = "ingest_llmrequest (" + ", ".join(INSERT_COLUMNS) + ")"
_ON_CONFLICT = " ON CONFLICT (workspace_id, external_request_id) DO NOTHING RETURNING id, external_request_id"


@lru_cache(maxsize=16)
def _values_statement(count):
    one_row = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    return f"INSERT INTO {_TABLE_AND_COLUMNS} VALUES " + ", ".join([one_row] * count) + _ON_CONFLICT


@lru_cache(maxsize=1)
def _counted_insert_statement():
    counter = "ingest_usagecounter"
    return (
        "WITH new AS (" + _values_statement(1) + "), counted AS ("
        f" UPDATE {counter} SET requests = requests + 1"
        " WHERE workspace_id = %s AND month = %s AND requests + 1 <= %s AND EXISTS (SELECT 1 FROM new)"
        " RETURNING requests)"
        " SELECT new.id, new.external_request_id, counted.requests,"
        # A new row that was not counted divides by zero: the error undoes the whole
        # statement, insert included (plain SQL has no RAISE).
        " 1 / (SELECT count(*) FROM counted)::int"
        " FROM new LEFT JOIN counted ON true"
    )


@lru_cache(maxsize=1)
def _unnest_statement():
    """PostgreSQL: every column as one binary array parameter (%b), zipped back into rows."""
    fields = {field.column: field for field in LLMRequest._meta.concrete_fields}
    arrays = ", ".join(f"%b::{_POSTGRES_ARRAY_TYPES.get(type(fields[c]), 'text')}[]" for c in INSERT_COLUMNS)
    selected = ", ".join(f"{c}::jsonb" if c == "metadata" else c for c in INSERT_COLUMNS)
    columns = ", ".join(INSERT_COLUMNS)
    return f"INSERT INTO {_TABLE_AND_COLUMNS} SELECT {selected} FROM unnest({arrays}) AS r({columns}){_ON_CONFLICT}"


@lru_cache(maxsize=2)
def _column_preparers_for(vendor):
    fields = {field.column: field for field in LLMRequest._meta.concrete_fields}

    def plain(value):
        return value

    def as_json(value):
        return json.dumps(value) if value else "{}"  # most rows carry no tags: skip the encoder

    def converted(field):
        return lambda value: field.get_db_prep_save(value, connection)

    preparers = []
    for column in INSERT_COLUMNS:
        field = fields[column]
        if isinstance(field, models.JSONField):
            preparers.append((column, as_json))  # stored as text, cast to the column's type in SQL
        elif isinstance(field, (models.DateTimeField, models.DecimalField)) and vendor != "postgresql":
            preparers.append((column, converted(field)))
        else:
            preparers.append((column, plain))
    return preparers


def _column_preparers():
    """(column, function turning a Python value into a database parameter) for each column:
    the identity for plain values, Django's own conversion where SQLite needs one."""
    return _column_preparers_for(connection.vendor)


class LLMRequest(models.Model):
    """One LLM call as reported by the customer, priced in USD.

    Token semantics: input_tokens includes cached_input_tokens; output_tokens includes
    reasoning_tokens; total_tokens defaults to input + output.
    """

    # No index of its own: the unique (workspace, external_request_id) and the
    # (workspace, data_mode, occurred_at) indexes both start with it; one index fewer to update per row.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="llm_requests", db_index=False)
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
    # No index and no database-level constraint: keys are revoked, never deleted (and Django
    # itself sets this to NULL if one is), the id always comes from the authenticated key, and
    # the "mine" cleanup reaches rows through (workspace, data_mode, …) first. Skipping the
    # per-row index write and foreign-key check keeps batch ingest fast.
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    # Who seeded a demo row from the UI (for "mine" cleanup when no API key was used).
    seeded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    metadata = models.JSONField(default=dict, blank=True)

    objects = LLMRequestQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "external_request_id"], name="unique_external_request_id"),
        ]
        indexes = [
            models.Index(fields=["workspace", "data_mode", "occurred_at"], name="llmreq_ws_mode_time"),
            # Almost every row has no seeder: index only those that do (cleanup, user deletion).
            models.Index(fields=["seeded_by"], condition=models.Q(seeded_by__isnull=False), name="llmreq_seeded_by"),
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

    @classmethod
    def consume(cls, workspace_id, month, rows, limit) -> int | None:
        """Count `rows` against the month's allowance if they all fit; returns the new count,
        or None when they do not fit (nothing is counted then).

        One conditional UPDATE, so concurrent ingests never overshoot the limit; the month's
        row is created on first use (ON CONFLICT DO NOTHING, race-safe). Call it inside the
        transaction that inserts the rows, so a refusal rolls the insert back.
        """
        table = cls._meta.db_table
        month = connection.ops.adapt_datefield_value(month)
        update = (
            f"UPDATE {table} SET requests = requests + %s"
            " WHERE workspace_id = %s AND month = %s AND requests + %s <= %s RETURNING requests"
        )
        with connection.cursor() as cursor:
            cursor.execute(update, [rows, workspace_id, month, rows, limit])
            found = cursor.fetchone()
            if found is None:
                cursor.execute(
                    f"INSERT INTO {table} (workspace_id, month, requests) VALUES (%s, %s, 0)"
                    " ON CONFLICT (workspace_id, month) DO NOTHING",
                    [workspace_id, month],
                )
                cursor.execute(update, [rows, workspace_id, month, rows, limit])
                found = cursor.fetchone()
        return None if found is None else found[0]

    @classmethod
    def used(cls, workspace_id, month) -> int:
        return cls.objects.filter(workspace_id=workspace_id, month=month).values_list("requests", flat=True).first() or 0
