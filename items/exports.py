"""CSV exports of issues and of the enforcement list, streamed row by row.

The rows come from querysets the caller has already restricted (published() for the public,
everything for staff); nothing here widens them. The ordered primary keys are read first, then
each chunk of rows is read as plain values with one query per relation (no model instances, no
query per row), so the export is fast and its memory stays flat however many rows there are.
"""

from collections import defaultdict

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digest_site.spreadsheets import stream_csv_rows
from items.models import EnforcementAction, NewsItem, Source, format_amount
from regulators.dates import iso_precise_date

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


def related_names(field, ids, *paths):
    """{owner id: [label, …]} for a many-to-many field, the label being the first non-empty path."""
    through = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = through.objects.filter(**{f"{owner}_id__in": ids}).order_by("pk")
    labels = defaultdict(list)
    for owner_id, *values in rows.values_list(f"{owner}_id", *[f"{target}__{path}" for path in paths]):
        labels[owner_id].append(next((value for value in values if value), ""))
    return labels


def labels(choices):
    """Choice labels in the reader's language, translated once per export rather than per row."""
    return {value: str(label) for value, label in choices}


def news_item_rows(queryset, absolute_url):
    """One row per item, in issue order: the columns of ISSUE_HEADER."""
    fields = NewsItem._meta
    action_types = labels(EnforcementAction.ActionType.choices)
    item_url = url_pattern("items:item-detail", "pk", absolute_url)
    for ids in chunks(queryset.order_by(*ITEM_ORDER)):
        regulators = related_names(fields.get_field("regulators"), ids, "abbreviation", "name")
        instruments = related_names(fields.get_field("instruments"), ids, "short_title", "title")
        topics = related_names(fields.get_field("topics"), ids, "name")
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
        )
        by_pk = {row[0]: row for row in items}
        for pk in ids:
            (_pk, series, number, edition, issued_on, issued_precision, status, section, position, headline,
             headline_zh, event_date, event_precision, jurisdiction) = by_pk[pk]  # fmt: skip
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
                joined(regulators[pk]),
                joined(instruments[pk]),
                joined(topics[pk]),
                joined(actions[pk]),
                joined(sources[pk]),
                item_url.format(pk),
            ]


def enforcement_rows(queryset, absolute_url):
    """One row per action, in the queryset's order: the columns of ENFORCEMENT_HEADER."""
    fields = EnforcementAction._meta
    action_types, sectors = labels(EnforcementAction.ActionType.choices), labels(EnforcementAction.Sector.choices)
    action_url = url_pattern("items:enforcement-detail", "public_id", absolute_url)
    for ids in chunks(queryset):
        regulators = related_names(fields.get_field("regulators"), ids, "abbreviation", "name")
        legal_basis = related_names(fields.get_field("legal_basis"), ids, "short_title", "title")
        violations = related_names(fields.get_field("violations"), ids, "name")
        actions = EnforcementAction.objects.filter(pk__in=ids).values_list(
            "pk",
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
        by_pk = {row[0]: row for row in actions}
        for pk in ids:
            (_pk, public_id, decided_on, precision, jurisdiction, action_type, target, organisation, target_count,
             sector, fine, currency, damages, sentence, summary, issue_title) = by_pk[pk]  # fmt: skip
            yield [
                public_id,
                iso_precise_date(decided_on, precision),
                joined(regulators[pk]),
                jurisdiction,
                action_types.get(action_type, action_type),
                target,
                organisation or "",
                "" if target_count is None else target_count,
                sectors.get(sector, ""),
                "" if fine is None else fine,
                currency,
                "" if damages is None else damages,
                sentence,
                joined(legal_basis[pk]),
                joined(violations[pk]),
                summary,
                issue_title or "",
                action_url.format(public_id),
            ]


def csv_response(filename, header, rows):
    lines = stream_csv_rows([str(column) for column in header], rows)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def news_items_csv(queryset, filename, absolute_url):
    return csv_response(filename, ISSUE_HEADER, news_item_rows(queryset, absolute_url))


def enforcement_csv(queryset, filename, absolute_url):
    return csv_response(filename, ENFORCEMENT_HEADER, enforcement_rows(queryset, absolute_url))
