"""CSV exports of issues and of the enforcement list, streamed row by row.

The rows come from querysets the caller has already restricted (published() for the public,
everything for staff); nothing here widens them. Rows are read as plain values (no model
instances, no query per row) with the labels of their many-to-many links joined in SQL
(`JoinedLabels`, or `GroupedLabels` for a long export), so the export is fast and its memory
stays flat however many rows there are: the enforcement list in one streamed query (written by
PostgreSQL's COPY for a long export, with the same bytes); items in chunks of ids, with one query
per chunk for their sources and actions, which are formatted in Python.
"""

import contextlib
import queue
import threading
from collections import defaultdict

from django.db import NotSupportedError, connections
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Case, Expression, F, Func, TextField, Value, When
from django.db.models.functions import Concat, Left, NullIf
from django.db.models.sql.constants import LOUTER, MULTI
from django.db.models.sql.datastructures import Join
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import ISO_LENGTHS, DatePrecision, iso_precise_date
from core.spreadsheets.formats import STREAM_BLOCK_CHARS, inert_text, stream_csv_lines, stream_csv_rows
from items.models import EnforcementAction, NewsItem, Source, format_amount

CHUNK_SIZE = 2000

ISSUE_HEADER = [
    _("issue series"),
    _("issue number"),
    _("edition number"),
    _("issue date"),
    _("issue status"),
    _("section"),
    _("position"),
    _("headline"),
    _("Chinese headline"),
    _("event date"),
    _("jurisdiction"),
    _("regulators"),
    _("instruments"),
    _("topics"),
    _("enforcement actions"),
    _("sources"),
    _("public URL"),
]

ENFORCEMENT_HEADER = [
    _("public id"),
    _("decided on"),
    _("regulators"),
    _("jurisdiction"),
    _("action type"),
    _("target"),
    _("organisation"),
    _("number of targets"),
    _("sector"),
    _("fine"),
    _("currency"),
    _("damages"),
    _("sentence"),
    _("legal basis"),
    _("violations"),
    _("summary"),
    _("reported in"),
    _("public URL"),
]

ITEM_ORDER = ("-issue__issued_on", "issue__series__slug", "-issue__number", "section__order", "position", "pk")


def url_pattern(name, kwarg, absolute_url):
    """The absolute URL of `name` with "{}" where `kwarg` goes: reversed once, not once per row."""
    marker = "999999999"
    return absolute_url(reverse(name, kwargs={kwarg: marker})).replace(marker, "{}")


def joined(values):
    return " | ".join(str(value) for value in values if value)


def chunks(queryset, size=CHUNK_SIZE):
    """The queryset's primary keys, in its order, in lists of `size`."""
    chunk = []
    for pk in queryset.values_list("pk", flat=True).iterator(chunk_size=size):
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class LinkLabelsSQL:
    """The SQL of a relation's link labels: "FROM link JOIN linked", the owner column, the label.

    The label is the first non-empty of `paths` (columns of the linked model). Identifiers
    only, from the models' own metadata and quoted: no value enters the SQL.
    """

    def __init__(self, relation, paths, connection):
        through = relation.remote_field.through._meta
        target = relation.remote_field.model._meta
        name = connection.ops.quote_name
        self.owner = f"link.{name(through.get_field(relation.m2m_field_name()).column)}"
        linked = name(through.get_field(relation.m2m_reverse_field_name()).column)
        label = ", ".join(f"NULLIF(linked.{name(target.get_field(path).column)}, '')" for path in paths)
        self.label = f"COALESCE({label})" if len(paths) > 1 else label
        self.links = (
            f"FROM {name(through.db_table)} link JOIN {name(target.db_table)} linked "
            f"ON linked.{name(target.pk.column)} = link.{linked}"
        )
        self.order = f"link.{name(through.pk.column)}"
        # PostgreSQL orders inside the aggregate; SQLite before 3.44 cannot (see JoinedLabels).
        self.string_agg = f"string_agg({self.label}, ' | ' ORDER BY {self.order})"


class JoinedLabels(Func):
    """The labels of a row's many-to-many links, joined with " | " in link order, in SQL.

    A correlated subquery per row: cheap for a few thousand rows (a chunk of the item export),
    costly for tens of thousands, where `GroupedLabels` reads each link table once. SQLite before
    3.44 has no ORDER BY inside group_concat, so it aggregates an ordered subquery; PostgreSQL
    orders inside string_agg.
    """

    output_field = TextField()

    def __init__(self, field, *paths):
        super().__init__(F("pk"))
        self.relation, self.paths = field, paths

    def as_sql(self, compiler, connection, **extra):
        sql = LinkLabelsSQL(self.relation, self.paths, connection)
        links = f"{sql.links} WHERE {sql.owner} = %(expressions)s"
        if connection.vendor == "postgresql":
            template = f"(SELECT {sql.string_agg} {links})"  # noqa: S608
        else:
            template = (
                f"(SELECT group_concat(label, ' | ') FROM (SELECT {sql.label} AS label {links} ORDER BY {sql.order}))"  # noqa: S608
            )
        return super().as_sql(compiler, connection, template=template, **extra)


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


def labels(choices):
    """Choice labels in the reader's language, translated once per export rather than per row."""
    return {value: str(label) for value, label in choices}


def news_item_rows(queryset, absolute_url):
    """One row per item, in issue order: the columns of ISSUE_HEADER."""
    fields = NewsItem._meta
    action_types = labels(EnforcementAction.ActionType.choices)
    item_url = url_pattern("items:item-detail", "pk", absolute_url)
    for ids in chunks(queryset.order_by(*ITEM_ORDER)):
        sources = defaultdict(list)
        for item_id, footnote, url in (
            Source.objects.filter(news_item_id__in=ids)
            .order_by("footnote", "pk")
            .values_list("news_item_id", "footnote", "url")
        ):
            sources[item_id].append(f"[{footnote}] {url}" if footnote else url)
        actions = defaultdict(list)
        for item_id, public_id, action_type, target, fine, currency in (
            EnforcementAction.objects.filter(news_item_id__in=ids)
            .order_by("public_id")
            .values_list("news_item_id", "public_id", "action_type", "target", "fine_amount", "currency")
        ):
            parts = (public_id, action_types.get(action_type, action_type), target, format_amount(fine, currency))
            actions[item_id].append(" ".join(part for part in parts if part))
        items = NewsItem.objects.filter(pk__in=ids).values_list(
            "pk",
            "issue__series__slug",
            "issue__number",
            "issue__edition_number",
            "issue__issued_on",
            "issue__issued_on_precision",
            "issue__status",
            "section__name",
            "position",
            "headline",
            "headline_zh",
            "event_date",
            "event_date_precision",
            "jurisdiction",
            JoinedLabels(fields.get_field("regulators"), "abbreviation", "name"),
            JoinedLabels(fields.get_field("instruments"), "short_title", "title"),
            JoinedLabels(fields.get_field("topics"), "name"),
        )
        by_pk = {row[0]: row for row in items}
        for pk in ids:
            (_pk, series, number, edition, issued_on, issued_precision, status, section, position, headline,
             headline_zh, event_date, event_precision, jurisdiction, regulators, instruments,
             topics) = by_pk[pk]  # fmt: skip
            yield [
                series,
                number,
                edition or "",
                iso_precise_date(issued_on, issued_precision),
                status,
                section,
                position,
                headline,
                headline_zh,
                iso_precise_date(event_date, event_precision),
                jurisdiction,
                regulators or "",
                instruments or "",
                topics or "",
                joined(actions[pk]),
                joined(sources[pk]),
                item_url.format(pk),
            ]


def driver_rows(queryset, chunk_size=CHUNK_SIZE):
    """The rows of a values_list queryset as the database driver returns them, streamed.

    Django's per-value converters are skipped (they cost a third of an export's time): a date
    comes as a date (PostgreSQL) or its ISO text (SQLite), a decimal as a Decimal or a float.
    The caller formats both the same way. On PostgreSQL the rows come through a server-side
    cursor, as with QuerySet.iterator(), so memory stays flat; outside a transaction Django
    declares it WITH HOLD, so a slow download keeps no transaction open.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    for chunk in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size):
        yield from chunk


ENFORCEMENT_COLUMNS = (
    "public_id",
    "decided_on",
    "decided_on_precision",
    "jurisdiction",
    "action_type",
    "target",
    "organisation__name",
    "target_count",
    "sector",
    "fine_amount",
    "currency",
    "damages_amount",
    "sentence",
    "summary",
    "news_item__issue__title",
)


def exported_actions(queryset):
    """The caller's actions as a queryset an export can select its own columns from.

    DISTINCT over the filter's joins would compare every exported column: the caller's rows
    are then kept as a set of ids instead, in the caller's order.
    """
    if not queryset.query.distinct:
        return queryset
    ordering = queryset.query.order_by or (EnforcementAction._meta.ordering if queryset.query.default_ordering else ())
    return EnforcementAction.objects.filter(pk__in=queryset.order_by().values("pk")).order_by(*ordering)


def enforcement_rows(queryset, absolute_url):
    """One row per action, in the queryset's order: the columns of ENFORCEMENT_HEADER.

    One query, streamed in chunks, with link labels from per-row subqueries: the way of a short
    export, and of any on SQLite (a long one on PostgreSQL is written by COPY, with the same
    bytes: `enforcement_copy_columns`). The caller's queryset (already filtered, maybe DISTINCT
    over its joins) is used as a set of ids, in its order.
    """
    fields = EnforcementAction._meta
    action_types, sectors = labels(EnforcementAction.ActionType.choices), labels(EnforcementAction.Sector.choices)
    action_url = url_pattern("items:enforcement-detail", "public_id", absolute_url)
    rows = exported_actions(queryset).values_list(
        *ENFORCEMENT_COLUMNS,
        JoinedLabels(fields.get_field("regulators"), "abbreviation", "name"),
        JoinedLabels(fields.get_field("legal_basis"), "short_title", "title"),
        JoinedLabels(fields.get_field("violations"), "name"),
    )
    places = fields.get_field("fine_amount").decimal_places
    amount = f"{{:.{places}f}}"  # "250000.00", as Django gives a Decimal of the field's places
    for (public_id, decided_on, precision, jurisdiction, action_type, target, organisation, target_count, sector,
         fine, currency, damages, sentence, summary, issue_title, regulators, legal_basis,
         violations) in driver_rows(rows):  # fmt: skip
        yield [
            public_id,
            iso_precise_date(decided_on, precision),
            regulators or "",
            jurisdiction,
            action_types.get(action_type, action_type),
            target,
            organisation or "",
            "" if target_count is None else target_count,
            sectors.get(sector, ""),
            "" if fine is None else amount.format(fine),
            currency,
            "" if damages is None else amount.format(damages),
            sentence,
            legal_basis or "",
            violations or "",
            summary,
            issue_title or "",
            action_url.format(public_id),
        ]


def csv_response(filename, header, rows):
    return csv_text_response(filename, stream_csv_rows([str(column) for column in header], rows))


def csv_text_response(filename, lines):
    """A streamed CSV download of CSV text."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def news_items_csv(queryset, filename, absolute_url):
    return csv_response(filename, ISSUE_HEADER, news_item_rows(queryset, absolute_url))


def enforcement_csv(queryset, filename, absolute_url):
    """The actions as CSV: a long export on PostgreSQL is written by COPY, any other in Python.
    Both give the same bytes."""
    if is_long_export(exported_actions(queryset)):
        blocks = copy_csv_blocks(enforcement_copy_columns(queryset, absolute_url))
        return csv_text_response(filename, stream_csv_lines([str(column) for column in ENFORCEMENT_HEADER], blocks))
    return csv_response(filename, ENFORCEMENT_HEADER, enforcement_rows(queryset, absolute_url))


def enforcement_copy_columns(queryset, absolute_url):
    """The columns of `enforcement_rows` as SQL values that PostgreSQL's COPY ... CSV writes as
    csv.writer does: every empty text as NULL (COPY quotes an empty string, csv.writer does not),
    labels, dates and amounts already formatted."""
    fields = EnforcementAction._meta
    prefix, suffix = url_pattern("items:enforcement-detail", "public_id", absolute_url).split("{}")
    places = fields.get_field("fine_amount").decimal_places

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
        text(GroupedLabels(fields.get_field("regulators"), "abbreviation", "name")),
        text("jurisdiction"),
        text(choice("action_type", EnforcementAction.ActionType.choices, F("action_type"))),
        text("target"),
        text("organisation__name"),
        "target_count",
        text(choice("sector", EnforcementAction.Sector.choices, Value(""))),
        amount("fine_amount"),
        text("currency"),
        amount("damages_amount"),
        text("sentence"),
        text(GroupedLabels(fields.get_field("legal_basis"), "short_title", "title")),
        text(GroupedLabels(fields.get_field("violations"), "name")),
        text("summary"),
        text("news_item__issue__title"),
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
