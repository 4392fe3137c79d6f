"""The fast path of a long enforcement export on PostgreSQL: grouped label joins and COPY.

From `GROUPED_LABELS_FROM_ROWS` rows (`is_long_export`), the enforcement CSV is written by
PostgreSQL's `COPY (…) TO STDOUT WITH (FORMAT csv)` from `enforcement_copy_columns`, whose link
labels come from one grouped LEFT JOIN per relation (`GroupedLabels`) instead of a subquery
per row. It gives the same bytes as the simple path (rows.py); tests/items/test_exports.py
compares the two, and tests/items/test_export_private_apis.py fails, naming the API, when an
upgrade of Django changes one of these private APIs it leans on:

- `CursorWrapper._execute_with_wrappers(sql, params, many, executor)` (django.db.backends.utils,
  Django 2.0+): runs the COPY through the connection's execute wrappers (`execute_wrapper()`),
  as every other statement runs, with our own executor calling psycopg2's `copy_expert`.
- `CursorDebugWrapper.debug_sql(sql=None, params=None, use_last_executed_query=False,
  many=False)` (3.0+): logs the COPY in `connection.queries` when queries are logged.
- `sql.datastructures.Join` (1.8+), subclassed by `LabelsJoin`: `Query.join(join, reuse=None)`
  reads its `table_name`, `parent_alias`, `table_alias`, `join_type`, `join_field`, `nullable`,
  `filtered_relation` and `identity` (3.2+), and calls `as_sql(compiler, connection)` and
  `relabeled_clone(change_map)`; `Query.get_initial_alias()` gives the parent alias.
- `SQLCompiler.quote_name_unless_alias(name)`: quotes the join's aliases.
- `Expression.get_group_by_cols()` without the `alias` argument (4.2+), on `LabelsColumn`.
- `BaseDatabaseWrapper.wrap_database_errors` (1.6+): psycopg2's errors raised in the reader
  thread become Django's (`DataError`, …), as they would in `cursor.execute()`.
- `SQLCompiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=…)` (`chunked_fetch` 1.11+,
  `chunk_size` 2.0+): used by rows.driver_rows, the simple path's reader on every database,
  to stream rows past Django's value converters.
"""

import contextlib
import queue
import threading

from django.db import NotSupportedError, connections
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Case, Expression, F, Func, TextField, Value, When
from django.db.models.functions import Cast, Concat, Left, NullIf
from django.db.models.sql.constants import LOUTER
from django.db.models.sql.datastructures import Join

from core.dates import ISO_LENGTHS, DatePrecision
from core.spreadsheets.formats import STREAM_BLOCK_CHARS, inert_text
from items.conversion import RateSource
from items.models import DecisionStatus, EnforcementAction

from .rows import (
    ExportNames,
    LinkLabelsSQL,
    articles_applied,
    exported_actions,
    published_appeal_of,
    published_related_actions,
    url_pattern,
)

# From this many rows a PostgreSQL export reads link labels through grouped joins, which
# aggregate every link whatever the export's size. Measured at 100,000 items (per-row against
# grouped, seconds): 2,092 actions 0.22 / 0.56; 7,246 0.60 / 0.80; 10,705 1.00 / 1.07;
# 31,337 2.18 / 1.49; all 47,478 3.85 / 2.06. They cross near 12,000 rows.
GROUPED_LABELS_FROM_ROWS = 12000


def is_long_export(queryset):
    """Whether an export is long enough for grouped label joins and COPY: on PostgreSQL, from a
    bounded count of the rows. SQLite runs per-row subqueries in-process, and faster than grouped
    joins (2.1 against 2.4 s for the 47,478 published actions), so it never needs the count."""
    if connections[queryset.db].vendor != "postgresql":
        return False
    return queryset.order_by()[:GROUPED_LABELS_FROM_ROWS].count() == GROUPED_LABELS_FROM_ROWS


class GroupedLabels(Expression):
    """The same labels as `JoinedLabels`, from one LEFT JOIN to the link table grouped by row.

    PostgreSQL only: SQLite's in-process subqueries are faster there, so it never needs this.

    For a long export: the correlated subquery runs three index lookups per row and relation
    (1.7 of the 1.9 s of PostgreSQL's work for 47,478 actions), while the grouped join reads
    each link table once and is hash-joined. It aggregates every link of the relation, so a
    short export pays for the whole table (tens of milliseconds at 50,000 links). Resolving it
    adds the join to the query; the value is that join's column.
    """

    output_field = TextField()

    def __init__(self, field, *paths):
        super().__init__()
        self.relation, self.paths = field, paths

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        alias = query.join(LabelsJoin(self.relation, self.paths, query.get_initial_alias()))
        return LabelsColumn(alias)


class LabelsColumn(Expression):
    """The labels column of a `LabelsJoin` in the query."""

    output_field = TextField()

    def __init__(self, alias):
        super().__init__()
        self.alias = alias

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.labels", []

    def relabeled_clone(self, change_map):
        return LabelsColumn(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self):
        return [self]


class LabelsJoin(Join):
    """LEFT OUTER JOIN (a relation's labels grouped by owner) ON the owner's primary key."""

    def __init__(self, relation, paths, parent_alias, table_alias=None, join_type=LOUTER):
        self.relation, self.paths = relation, paths
        self.table_name = f"{relation.remote_field.through._meta.db_table}_labels"
        self.parent_alias, self.table_alias, self.join_type = parent_alias, table_alias, join_type
        self.join_field, self.nullable, self.filtered_relation = relation, True, None

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            raise NotSupportedError("Grouped link labels are read on PostgreSQL only (see is_long_export).")
        sql = LinkLabelsSQL(self.relation, self.paths, connection)
        grouped = f"SELECT {sql.owner} AS owner, {sql.string_agg} AS labels {sql.links} GROUP BY {sql.owner}"  # noqa: S608
        alias = compiler.quote_name_unless_alias(self.table_alias)
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        owner_pk = connection.ops.quote_name(self.relation.model._meta.pk.column)
        return f"{self.join_type} ({grouped}) {alias} ON ({alias}.owner = {parent}.{owner_pk})", []

    def relabeled_clone(self, change_map):
        parent, alias = change_map.get(self.parent_alias, self.parent_alias), change_map.get(self.table_alias)
        return LabelsJoin(self.relation, self.paths, parent, alias or self.table_alias, self.join_type)

    @property
    def identity(self):
        return self.__class__, self.table_name, self.parent_alias, self.relation, self.paths


def enforcement_copy_columns(queryset, absolute_url):
    """The columns of `enforcement_rows` as SQL values that PostgreSQL's COPY ... CSV writes as
    csv.writer does: every empty text as NULL (COPY quotes an empty string, csv.writer does not),
    labels, dates and amounts already formatted."""
    fields = EnforcementAction._meta
    prefix, suffix = url_pattern("items:enforcement-detail", "public_id", absolute_url).split("{}")
    places = fields.get_field("fine_amount").decimal_places
    names = ExportNames()

    def text(expression):
        return NullIf(expression, Value(""), output_field=TextField())

    def choice(field, choices, default):
        return Case(
            *(When(**{field: value}, then=Value(str(label))) for value, label in choices),
            default=default,
            output_field=TextField(),
        )

    def amount(field):
        return Func(field, Value(places), function="round", output_field=TextField())

    iso_lengths = [When(decided_on_precision=value, then=Value(length)) for value, length in ISO_LENGTHS.items()]
    return exported_actions(queryset).values_list(
        text("public_id"),
        Left(
            Func("decided_on", Value("YYYY-MM-DD"), function="to_char", output_field=TextField()),
            Case(*iso_lengths, default=Value(ISO_LENGTHS[DatePrecision.DAY])),
        ),
        text(
            GroupedLabels(fields.get_field("regulators"), *names.link_labels("abbreviation", "name", chinese="name_zh"))
        ),
        text("jurisdiction"),
        text(choice("action_type", EnforcementAction.ActionType.choices, F("action_type"))),
        text(names.column("target", "target_zh")),
        text(names.column("organisation__name", "organisation__name_zh")),
        "target_count",
        text(choice("sector", EnforcementAction.Sector.choices, Value(""))),
        amount("fine_amount"),
        text("currency"),
        amount("damages_amount"),
        amount("fine_cny"),
        amount("damages_cny"),
        Cast(Func("cny_rate", function="trim_scale"), TextField()),  # "7.8043", as trim_zeros writes it
        Func("cny_rate_date", Value("YYYY-MM-DD"), function="to_char", output_field=TextField()),
        text(choice("cny_rate_source", [c for c in RateSource.choices if c[0]], Value(""))),
        text("sentence"),
        text(
            GroupedLabels(
                fields.get_field("legal_basis"), *names.link_labels("short_title", "title", chinese="title_zh")
            )
        ),
        text(articles_applied()),
        text(GroupedLabels(fields.get_field("violations"), *names.link_labels("name", chinese="name_zh"))),
        text(names.column("summary", "summary_zh")),
        text("decision_number"),
        text("decision_url"),
        text(choice("decision_status", DecisionStatus.choices, Value(""))),
        text(published_appeal_of()),
        text(published_related_actions()),
        text(names.column("news_item__issue__title", "news_item__issue__title_zh")),
        Concat(Value(prefix), "public_id", Value(suffix), output_field=TextField()),
    )


class CopySink:
    """The file COPY TO STDOUT writes to: one write() per row, "\\n"-ended; rows are gathered
    with csv.writer's "\\r\\n" into blocks, which go to a bounded queue (memory stays flat)."""

    def __init__(self, blocks, stopped):
        self.blocks, self.stopped = blocks, stopped
        self.rows, self.size = [], 0

    def write(self, row):
        if self.stopped.is_set():
            raise CopyStopped
        self.rows.append(row[:-1])
        self.size += len(row)
        if self.size >= STREAM_BLOCK_CHARS:
            self.flush()

    def flush(self):
        if self.rows:
            self.blocks.put(b"\r\n".join(self.rows) + b"\r\n")
            self.rows, self.size = [], 0


class CopyStopped(Exception):
    """The reader went away: the COPY is abandoned."""


def copy_csv_blocks(values):
    """The rows of a values_list queryset as CSV text blocks, written by PostgreSQL's COPY.

    COPY streams the rows as it produces them and formats them in C; a reader thread feeds
    them through a bounded queue, so the download streams and memory stays flat. Each block
    is made inert (stream_csv_rows's rule) before it goes out. If the download stops, the
    COPY is cancelled and the thread ends before this generator does.
    """
    connection = connections[values.db]
    sql, params = values.query.get_compiler(using=values.db).as_sql()
    # Django's own cursor: the COPY passes through the connection's execute wrappers and, when
    # queries are logged (DEBUG, tests), its query log, as every statement does.
    cursor = connection.cursor()
    raw = connection.connection
    statement = "COPY (" + cursor.mogrify(sql, params).decode() + ") TO STDOUT WITH (FORMAT csv)"
    blocks, stopped = queue.Queue(maxsize=4), threading.Event()
    done = object()

    def read():
        sink = CopySink(blocks, stopped)

        def copy(sql, params, many, context):
            return context["cursor"].cursor.copy_expert(sql, sink)

        logged = cursor.debug_sql(statement) if isinstance(cursor, CursorDebugWrapper) else contextlib.nullcontext()
        try:
            with logged:
                cursor._execute_with_wrappers(statement, None, False, copy)
            sink.flush()
            blocks.put(done)
        except BaseException as error:  # handed to the generator, which raises it
            blocks.put(error)

    reader = threading.Thread(target=read, name="csv-copy", daemon=True)
    reader.start()
    try:
        while (block := blocks.get()) is not done:
            if isinstance(block, BaseException):
                with connection.wrap_database_errors:  # psycopg2's error as Django's (DataError, ...)
                    raise block
            yield inert_text(block.decode())
    finally:
        if reader.is_alive():
            stopped.set()
            raw.cancel()
            while reader.is_alive():
                with contextlib.suppress(queue.Empty):
                    blocks.get(timeout=0.1)
            connection.close()  # a cancelled COPY leaves nothing worth keeping on the connection
        reader.join()
        with contextlib.suppress(Exception):
            cursor.close()
