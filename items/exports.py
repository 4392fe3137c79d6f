"""CSV exports of issues and of the enforcement list, streamed row by row.

The rows are built from querysets the caller has already restricted (published() for the
public, everything for staff); nothing here widens them. Querysets are read in chunks with
their relations prefetched per chunk, so memory stays flat however many rows there are.
"""

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from digest_site.spreadsheets import stream_csv_rows
from items.models import EnforcementAction
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


def joined(values):
    return " | ".join(str(value) for value in values if value)


def news_items_for_export(queryset):
    """The items of `queryset` with everything an export row shows, in issue order."""
    return (
        queryset.select_related("issue__series", "section")
        .prefetch_related(
            "regulators",
            "instruments",
            "topics",
            "sources",
            Prefetch("enforcement_actions", queryset=EnforcementAction.objects.order_by("public_id")),
        )
        .order_by("-issue__issued_on", "issue__series__slug", "-issue__number", "section__order", "position", "pk")
    )


def news_item_row(item, absolute_url):
    issue = item.issue
    actions = [
        " ".join(
            part
            for part in (action.public_id, action.get_action_type_display(), action.target, action.fine_display)
            if part
        )
        for action in item.enforcement_actions.all()
    ]
    sources = [f"[{source.footnote}] {source.url}" if source.footnote else source.url for source in item.sources.all()]
    return [
        issue.series.slug,
        issue.number,
        issue.edition_number or "",
        iso_precise_date(issue.issued_on, issue.issued_on_precision),
        issue.status,
        item.section.name,
        item.position,
        item.headline,
        item.headline_zh,
        iso_precise_date(item.event_date, item.event_date_precision),
        item.jurisdiction,
        joined(regulator.short_name for regulator in item.regulators.all()),
        joined(instrument.short_title or instrument.title for instrument in item.instruments.all()),
        joined(topic.name for topic in item.topics.all()),
        joined(actions),
        joined(sources),
        absolute_url(item.get_absolute_url()),
    ]


def enforcement_for_export(queryset):
    return queryset.select_related("organisation", "news_item__issue__series").prefetch_related(
        "regulators", "legal_basis", "violations"
    )


def enforcement_row(action, absolute_url):
    issue = action.news_item.issue if action.news_item else None
    return [
        action.public_id,
        iso_precise_date(action.decided_on, action.decided_on_precision),
        joined(regulator.short_name for regulator in action.regulators.all()),
        action.jurisdiction,
        action.get_action_type_display(),
        action.target,
        action.organisation.name if action.organisation else "",
        action.target_count if action.target_count is not None else "",
        action.get_sector_display() if action.sector else "",
        action.fine_amount if action.fine_amount is not None else "",
        action.currency,
        action.damages_amount if action.damages_amount is not None else "",
        action.sentence,
        joined(instrument.short_title or instrument.title for instrument in action.legal_basis.all()),
        joined(violation.name for violation in action.violations.all()),
        action.summary,
        f"{issue.title}" if issue else "",
        absolute_url(action.get_absolute_url()),
    ]


def csv_response(filename, header, rows):
    lines = stream_csv_rows([str(column) for column in header], rows)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def news_items_csv(queryset, filename, absolute_url):
    items = news_items_for_export(queryset).iterator(chunk_size=CHUNK_SIZE)
    return csv_response(filename, ISSUE_HEADER, (news_item_row(item, absolute_url) for item in items))


def enforcement_csv(queryset, filename, absolute_url):
    actions = enforcement_for_export(queryset).iterator(chunk_size=CHUNK_SIZE)
    return csv_response(filename, ENFORCEMENT_HEADER, (enforcement_row(action, absolute_url) for action in actions))
