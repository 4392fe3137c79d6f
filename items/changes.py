"""The change log: when each public record last changed, and the newest changes site-wide.

Changes are read from the history every editorial model keeps (django-simple-history), but only
for records that are public now: each history table is joined to its live table through the
model's own `published()` door (or, for organisations, the public ones), so an item of a draft
issue, a deleted record or a withdrawn issue never shows. A record's title and address are read
from the live row, never from an old version, so a draft headline that was changed before
publication is not shown either.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import CharField, Value
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.listing import ForgivingPaginationMixin
from core.page_cache import KeptPageMixin
from items.models import EnforcementAction, Issue, NewsItem, Organisation
from items.organisations import public_organisations
from regulators.models import Instrument, Regulator

HISTORY_TYPES = {"+": _("new"), "~": _("updated")}


@dataclass(frozen=True)
class Tracked:
    """A model whose changes the log lists, and how to read its public rows."""

    key: str
    model: type
    label: str
    select_related: tuple = ()

    def public_rows(self):
        if self.model is Organisation:
            return public_organisations()
        manager = self.model.objects
        return manager.published() if hasattr(manager, "published") else manager.all()

    def title(self, record):
        return getattr(record, "display_headline", None) or str(record)


TRACKED = [
    Tracked("issue", Issue, _("issue"), ("series",)),
    Tracked("item", NewsItem, _("news item")),
    Tracked("action", EnforcementAction, _("enforcement action")),
    Tracked("instrument", Instrument, _("instrument")),
    Tracked("regulator", Regulator, _("regulator")),
    Tracked("organisation", Organisation, _("organisation")),
]
TRACKED_BY_KEY = {tracked.key: tracked for tracked in TRACKED}


def last_change_time(record):
    """When the record last changed: its `updated_at`, else its newest history record (or None)."""
    updated_at = getattr(record, "updated_at", None)
    if updated_at is not None:
        return updated_at
    history = getattr(record, "history", None)
    if history is None:
        return None
    return history.order_by("-history_date").values_list("history_date", flat=True).first()


def change_rows():
    """Every creation and edit of a record that is public now, newest first, as value rows.

    One UNION query over the history tables: (history_date, history_id, history_type, id, record_kind).
    """
    parts = [
        tracked.model.history.model.objects.filter(
            history_type__in=list(HISTORY_TYPES), id__in=tracked.public_rows().values("pk")
        )
        .order_by()
        .annotate(record_kind=Value(tracked.key, output_field=CharField()))
        .values_list("history_date", "history_id", "history_type", "id", "record_kind")
        for tracked in TRACKED
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id", "record_kind")


@dataclass(frozen=True)
class Change:
    when: datetime
    history_id: int
    change_type: str
    kind: str
    record: object

    @property
    def change_label(self):
        return HISTORY_TYPES[self.change_type]

    @property
    def is_new(self):
        return self.change_type == "+"

    @property
    def kind_label(self):
        return TRACKED_BY_KEY[self.kind].label

    @property
    def title(self):
        return TRACKED_BY_KEY[self.kind].title(self.record)

    @property
    def url(self):
        return self.record.get_absolute_url()


def changes_from(rows):
    """The rows as Changes, each with its live record (one query per kind of record)."""
    rows = list(rows)
    wanted = {}
    for _when, _history_id, _type, pk, kind in rows:
        wanted.setdefault(kind, set()).add(pk)
    records = {}
    for kind, pks in wanted.items():
        tracked = TRACKED_BY_KEY[kind]
        live = tracked.public_rows().select_related(*tracked.select_related).in_bulk(pks)
        records.update({(kind, pk): record for pk, record in live.items()})
    return [
        Change(when, history_id, change_type, kind, records[(kind, pk)])
        for when, history_id, change_type, pk, kind in rows
        # A record unpublished between the two queries is left out rather than shown.
        if (kind, pk) in records
    ]


class ChangeListView(KeptPageMixin, ForgivingPaginationMixin, ListView):
    template_name = "items/change_list.html"
    paginate_by = 50

    def get_queryset(self):
        return change_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = changes_from(context["object_list"])
        return context


class ChangeFeed(Feed):
    title = _("Changes · Cybersecurity and Data Protection Review")
    description = _("New and updated issues, items, enforcement actions, instruments, regulators and organisations.")
    limit = 50

    def link(self):
        return reverse("items:changes")

    def items(self):
        return changes_from(change_rows()[: self.limit])

    def item_title(self, change):
        return f"{change.change_label.capitalize()} {change.kind_label}: {change.title}"

    def item_description(self, change):
        # The description is HTML to feed readers: the editors' plain text is escaped.
        return escape(self.item_title(change))

    def item_link(self, change):
        return change.url

    def item_guid(self, change):
        return f"change:{change.kind}:{change.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when
