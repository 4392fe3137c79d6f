"""The rows of each CSV export, read and formatted in Python: the simple path.

The rows come from querysets the caller has already restricted (published() for the public,
everything for staff); nothing here widens them. Rows are read as plain values (no model
instances, no query per row) with the labels of their many-to-many links joined in SQL
(`JoinedLabels`), so the export is fast and its memory stays flat however many rows there are:
the enforcement list in one streamed query; items in chunks of ids, with one query per chunk
for their sources and actions, which are formatted in Python.

`driver_rows` reads rows past Django's value converters, through `SQLCompiler.execute_sql`:
see postgres_copy.py for the list of private Django APIs the exports lean on.
"""

from collections import defaultdict

from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.db.models.sql.constants import MULTI
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bilingual import reader_wants_chinese
from core.dates import iso_precise_date
from items.conversion import RateSource
from items.models import DecisionStatus, EnforcementAction, LegalBasisArticle, NewsItem, Source, format_amount

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
    _("fine in CNY"),
    _("damages in CNY"),
    _("rate to CNY"),
    _("date of the rate"),
    _("conversion to CNY"),
    _("sentence"),
    _("legal basis"),
    _("articles applied"),
    _("violations"),
    _("summary"),
    _("decision number"),
    _("official decision"),
    _("status of the decision"),
    _("appeal of"),
    _("related actions"),
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


class ExportNames:
    """How an export names records, in the reader's language: in Chinese, each record's Chinese
    name where it has one and its English name where not (one column, read in SQL); in English,
    the English names. Read once per export, so both the Python and the COPY path agree."""

    def __init__(self):
        self.chinese = reader_wants_chinese()

    def column(self, english, chinese):
        """A text column (`target`), or its Chinese twin (`target_zh`) where that is not empty."""
        if not self.chinese:
            return english
        return Coalesce(NullIf(F(chinese), Value("")), F(english), output_field=TextField())

    def link_labels(self, *english, chinese):
        """The label paths of a many-to-many link, first non-empty wins (JoinedLabels)."""
        return (chinese, *english) if self.chinese else english


class JoinedValues(Subquery):
    """The column `v` of a correlated queryset's rows, joined with " | " in the order of v (in
    SQL, the same text on SQLite and PostgreSQL): the articles an action applies, the public ids
    of its related actions. The queryset gives the rows, so published() can choose them."""

    output_field = TextField()

    def __init__(self, queryset):
        super().__init__(queryset.order_by("v"))

    def as_sql(self, compiler, connection, template=None, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        if connection.vendor == "postgresql":
            return f"(SELECT string_agg(sub.v, ' | ' ORDER BY sub.v) FROM {sql} sub)", params  # noqa: S608
        return f"(SELECT group_concat(v, ' | ') FROM {sql})", params  # noqa: S608


def articles_applied():
    """ "PIPL Art. 13 | PIPL Art. 66" for the outer action: each article with its instrument's short title."""
    title = Coalesce(NullIf("instrument__short_title", Value("")), "instrument__title")
    label = Concat(title, Value(" Art. "), "article", output_field=TextField())
    return JoinedValues(LegalBasisArticle.objects.filter(action=OuterRef("pk")).values(v=label))


def published_related_actions():
    """The public ids of the outer action's same-case actions, published ones only."""
    related = EnforcementAction.objects.published().filter(related_actions=OuterRef("pk"))
    return JoinedValues(related.values(v=F("public_id")))


def published_appeal_of():
    """The public id of the decision the outer action appeals, if that one is published."""
    return Subquery(EnforcementAction.objects.published().filter(pk=OuterRef("appeal_of_id")).values("public_id"))


def labels(choices):
    """Choice labels in the reader's language, translated once per export rather than per row."""
    return {value: str(label) for value, label in choices}


def news_item_rows(queryset, absolute_url):
    """One row per item, in issue order: the columns of ISSUE_HEADER."""
    fields = NewsItem._meta
    names = ExportNames()
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
            .values_list(
                "news_item_id",
                "public_id",
                "action_type",
                names.column("target", "target_zh"),
                "fine_amount",
                "currency",
            )
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
            names.column("section__name", "section__name_zh"),
            "position",
            "headline",
            "headline_zh",
            "event_date",
            "event_date_precision",
            "jurisdiction",
            JoinedLabels(fields.get_field("regulators"), *names.link_labels("abbreviation", "name", chinese="name_zh")),
            JoinedLabels(
                fields.get_field("instruments"), *names.link_labels("short_title", "title", chinese="title_zh")
            ),
            JoinedLabels(fields.get_field("topics"), *names.link_labels("name", chinese="name_zh")),
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


def trim_zeros(number):
    """ "7.8043000000" → "7.8043", "1.0000000000" → "1" (as PostgreSQL's trim_scale writes it)."""
    return number.rstrip("0").rstrip(".") if "." in number else number


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


def enforcement_columns(names):
    """The columns an enforcement export reads, before its link labels."""
    return (
        "public_id",
        "decided_on",
        "decided_on_precision",
        "jurisdiction",
        "action_type",
        names.column("target", "target_zh"),
        names.column("organisation__name", "organisation__name_zh"),
        "target_count",
        "sector",
        "fine_amount",
        "currency",
        "damages_amount",
        "fine_cny",
        "damages_cny",
        "cny_rate",
        "cny_rate_date",
        "cny_rate_source",
        "sentence",
        names.column("summary", "summary_zh"),
        "decision_number",
        "decision_url",
        "decision_status",
        names.column("news_item__issue__title", "news_item__issue__title_zh"),
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
    names = ExportNames()
    rows = exported_actions(queryset).values_list(
        *enforcement_columns(names),
        JoinedLabels(fields.get_field("regulators"), *names.link_labels("abbreviation", "name", chinese="name_zh")),
        JoinedLabels(fields.get_field("legal_basis"), *names.link_labels("short_title", "title", chinese="title_zh")),
        JoinedLabels(fields.get_field("violations"), *names.link_labels("name", chinese="name_zh")),
        articles_applied(),
        published_appeal_of(),
        published_related_actions(),
    )
    decision_statuses = labels(DecisionStatus.choices)
    places = fields.get_field("fine_amount").decimal_places
    amount = f"{{:.{places}f}}"  # "250000.00", as Django gives a Decimal of the field's places
    rate_places = f"{{:.{fields.get_field('cny_rate').decimal_places}f}}"
    sources = labels(RateSource.choices)
    for (public_id, decided_on, precision, jurisdiction, action_type, target, organisation, target_count, sector,
         fine, currency, damages, fine_cny, damages_cny, rate, rate_date, rate_source, sentence, summary,
         decision_number, decision_url, decision_status, issue_title, regulators, legal_basis, violations,
         articles, appeal_of, related) in driver_rows(rows):  # fmt: skip
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
            "" if fine_cny is None else amount.format(fine_cny),
            "" if damages_cny is None else amount.format(damages_cny),
            "" if rate is None else trim_zeros(rate_places.format(rate)),
            iso_precise_date(rate_date),
            sources.get(rate_source, "") if rate_source else "",
            sentence,
            legal_basis or "",
            articles or "",
            violations or "",
            summary,
            decision_number,
            decision_url,
            decision_statuses.get(decision_status, ""),
            appeal_of or "",
            related or "",
            issue_title or "",
            action_url.format(public_id),
        ]
