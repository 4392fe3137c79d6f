"""The change log: when each public record last changed, and the newest changes site-wide.

One save is one entry. Saving a record with many-to-many links writes several history rows (the
row, then one per link field that changed), all carrying the `updated_at` the save stamped; a
model without that stamp groups the rows that follow each other within `SAVE_WINDOW`, and a model
without history of its links writes one row per save. The log lists a save's last row, says which
fields the save changed (against the row before the save), and calls it new when the save created
the record.

Changes are read from the history every editorial model keeps (django-simple-history), but only
for records that are public now: each history table is joined to its live table through the
model's own `published()` door (or, for organisations, the public ones), so an item of a draft
issue, a deleted record or a withdrawn issue never shows. A record's title and address are read
from the live row, never from an old version, so a draft headline that was changed before
publication is not shown either.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.syndication.views import Feed
from django.db.models import CharField, DateTimeField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.lookups import IsNull
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.listing import ForgivingPaginationMixin
from core.page_cache import KeptPageMixin
from items.models import EnforcementAction, Issue, NewsItem, Organisation
from items.organisations import public_organisations
from regulators.models import Instrument, Regulator

HISTORY_TYPES = {"+": _("new"), "~": _("updated")}

# History rows of one record this close together were written by one save.
SAVE_WINDOW = timedelta(seconds=5)


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


def stamps_its_saves(model):
    return any(f.name == "updated_at" for f in model._meta.concrete_fields)


def keeps_link_history(model):
    return bool(getattr(model.history.model, "_history_m2m_fields", []))


def later_in_the_same_save(model):
    """A condition: another history row of the same record, written by the same save, follows the row."""
    history_model = model.history.model
    later = history_model.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date"))
    if stamps_its_saves(model):
        return Exists(later.filter(updated_at=OuterRef("updated_at")))
    # Without the stamp: a row that follows within moments and repeats the record's own fields
    # (NULL equal to NULL) only records the links that save changed.
    until = ExpressionWrapper(OuterRef("history_date") + SAVE_WINDOW, output_field=DateTimeField())
    same_fields = Q()
    for name in own_field_names(model):
        same_fields &= Q(**{name: OuterRef(name)}) | (Q(**{f"{name}__isnull": True}) & Q(IsNull(OuterRef(name), True)))
    return Exists(later.filter(same_fields, history_date__lte=until))


def last_rows_of_saves(model, rows):
    """The history rows that end a save (all of them for a model without history of its links)."""
    return rows.filter(~later_in_the_same_save(model)) if keeps_link_history(model) else rows


def own_field_names(model):
    """The record's own fields the history keeps and an editor edits (not its links)."""
    return [f.attname for f in model.history.model.tracked_fields if f.editable]


def in_the_same_save(model, earlier, later):
    """Whether two consecutive history rows of a record were written by one save."""
    if not keeps_link_history(model):
        return False
    if stamps_its_saves(model):
        return earlier.updated_at == later.updated_at
    if later.history_date - earlier.history_date > SAVE_WINDOW:
        return False
    return all(getattr(earlier, name) == getattr(later, name) for name in own_field_names(model))


def change_rows():
    """Every save (creation or edit) of a record that is public now, newest first, as value rows:
    the last history row of each save.

    One UNION query over the history tables: (history_date, history_id, history_type, id, record_kind).
    """
    parts = [
        last_rows_of_saves(
            tracked.model,
            tracked.model.history.model.objects.filter(
                history_type__in=list(HISTORY_TYPES), id__in=tracked.public_rows().values("pk")
            ),
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
    changed_fields: list = field(default_factory=list)

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


def saves_of(model, history_rows):
    """A record's history rows (oldest first) grouped into saves."""
    saves = []
    for row in history_rows:
        if saves and in_the_same_save(model, saves[-1][-1], row):
            saves[-1].append(row)
        else:
            saves.append([row])
    return saves


def link_sets(model, history_ids):
    """{(history_id, field name): set of linked ids} of the many-to-many fields the history keeps."""
    history_model = model.history.model
    links = defaultdict(set)
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        through = getattr(history_model, m2m_field.name).model
        target = m2m_field.m2m_reverse_field_name()
        rows = through.objects.filter(history_id__in=history_ids).values_list("history_id", f"{target}_id")
        for history_id, linked in rows:
            links[(history_id, m2m_field.name)].add(linked)
    return links


def changed_field_names(model, before, after, links):
    """The labels of the fields that differ between two history rows of a record, in form order."""
    history_model = model.history.model
    concrete = [f.name for f in history_model.tracked_fields if f.editable]  # model_to_dict wants names
    old, new = model_to_dict(before, fields=concrete), model_to_dict(after, fields=concrete)
    names = [name for name in concrete if old[name] != new[name]]
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        key = m2m_field.name
        if links.get((before.history_id, key), set()) != links.get((after.history_id, key), set()):
            names.append(key)
    return [capfirst(model._meta.get_field(name).verbose_name) for name in names]


def what_each_save_did(model, shown):
    """{history_id: (change type, changed field labels)} of the shown saves' last rows.

    `shown` maps a record's id to the history ids of its saves on the page. One query for the
    records' history and one per many-to-many field, whatever the number of saves shown."""
    history = model.history.model.objects.filter(id__in=shown, history_type__in=list(HISTORY_TYPES))
    by_record = defaultdict(list)
    for row in history.order_by("history_date", "history_id"):
        by_record[row.id].append(row)
    wanted = {}  # last row of a shown save -> (its save, the row before it)
    for pk, rows in by_record.items():
        previous = None
        for save in saves_of(model, rows):
            if save[-1].history_id in shown[pk]:
                wanted[save[-1].history_id] = (save, previous)
            previous = save[-1]
    links = link_sets(model, [row.history_id for save, before in wanted.values() for row in (save[-1], before) if row])
    results = {}
    for history_id, (save, before) in wanted.items():
        if before is None or any(row.history_type == "+" for row in save):
            results[history_id] = ("+", [])
        else:
            results[history_id] = ("~", changed_field_names(model, before, save[-1], links))
    return results


def changes_from(rows):
    """The rows as Changes, each with its live record and what its save changed (a few queries per
    kind of record, whatever the number of rows)."""
    rows = list(rows)
    wanted = {}
    for _when, history_id, _type, pk, kind in rows:
        wanted.setdefault(kind, {}).setdefault(pk, set()).add(history_id)
    records, saves = {}, {}
    for kind, shown in wanted.items():
        tracked = TRACKED_BY_KEY[kind]
        live = tracked.public_rows().select_related(*tracked.select_related).in_bulk(shown)
        records.update({(kind, pk): record for pk, record in live.items()})
        saves.update({(kind, history_id): did for history_id, did in what_each_save_did(tracked.model, shown).items()})
    changes = []
    for when, history_id, change_type, pk, kind in rows:
        # A record unpublished between the two queries is left out rather than shown.
        if (kind, pk) not in records:
            continue
        change_type, changed = saves.get((kind, history_id), (change_type, []))
        changes.append(Change(when, history_id, change_type, kind, records[(kind, pk)], changed))
    return changes


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
        text = self.item_title(change)
        if change.changed_fields:
            label, changed = _("Changed:"), ", ".join(str(name) for name in change.changed_fields)
            text = f"{text}. {label} {changed}"
        return escape(text)

    def item_link(self, change):
        return change.url

    def item_guid(self, change):
        return f"change:{change.kind}:{change.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when
