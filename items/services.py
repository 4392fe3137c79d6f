"""Writes with side effects: publishing and withdrawing issues, restoring deleted records.

Called by the admin actions (and later by commands and views) so that the rule lives in one place.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from items import publishing_rules
from items.models import EnforcementAction, Issue, NewsItem, Organisation, Source
from items.models.organisations import ORGANISATION_GROUP_DEPTH
from regulators.models import Instrument


class PublishingError(Exception):
    pass


@dataclass
class PublicationPreview:
    """What publishing one issue puts in front of the public."""

    issue: Issue
    items: list
    new_instruments: list
    new_organisations: list

    @property
    def action_count(self):
        return sum(len(item.enforcement_actions.all()) for item in self.items)


def cited_by_public_content():
    """Ids of the instruments a published item or enforcement action cites now."""
    by_items = NewsItem.objects.published().values_list("instruments", flat=True)
    by_actions = EnforcementAction.objects.published().values_list("legal_basis", flat=True)
    return set(by_items) | set(by_actions)


def organisations_with_groups(organisation_ids):
    """The organisations and every group above them (as deep as `published()` looks)."""
    found = set(organisation_ids)
    frontier = set(found)
    for _level in range(ORGANISATION_GROUP_DEPTH):
        parents = set(
            Organisation.objects.filter(pk__in=frontier).exclude(parent=None).values_list("parent", flat=True)
        )
        frontier = parents - found
        if not frontier:
            break
        found |= frontier
    return found


def publication_previews(issue_ids):
    """For each issue, what publishing it would show: its items and their enforcement actions, and
    the instruments and organisations the public site would show for the first time because of it
    (an instrument no published content cites yet; an organisation named by no published action)."""
    issues = (
        Issue.objects.filter(pk__in=issue_ids)
        .select_related("series")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=NewsItem.objects.select_related("section").prefetch_related(
                    "instruments",
                    Prefetch(
                        "enforcement_actions",
                        queryset=EnforcementAction.objects.select_related("organisation").prefetch_related(
                            "legal_basis"
                        ),
                    ),
                ),
            )
        )
    )
    cited = cited_by_public_content()
    public_organisations = set(Organisation.objects.published().values_list("pk", flat=True))
    previews = []
    for issue in issues:
        items = list(issue.items.all())
        instrument_ids, organisation_ids = set(), set()
        for item in items:
            instrument_ids |= {instrument.pk for instrument in item.instruments.all()}
            for action in item.enforcement_actions.all():
                instrument_ids |= {instrument.pk for instrument in action.legal_basis.all()}
                if action.organisation_id:
                    organisation_ids.add(action.organisation_id)
        new_organisations = organisations_with_groups(organisation_ids) - public_organisations
        previews.append(
            PublicationPreview(
                issue=issue,
                items=items,
                new_instruments=list(Instrument.objects.filter(pk__in=instrument_ids - cited).order_by("title")),
                new_organisations=list(Organisation.objects.filter(pk__in=new_organisations).order_by("name")),
            )
        )
    return previews


def publish_issue(issue_id, user=None):
    """Make an issue and everything in it public, atomically. Returns the issue."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        if not issue.items.exists():
            raise PublishingError(f"“{issue}” has no news items; add at least one before publishing.")
        issue.status = Issue.Status.PUBLISHED
        if issue.published_at is None:
            issue.published_at = timezone.now()
        issue._history_user = user
        issue.save(update_fields=["status", "published_at", "updated_at"])
    return issue


def withdraw_issue(issue_id, user=None):
    """Take a published issue, and everything in it, off the public site. Returns the issue."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        issue.status = Issue.Status.WITHDRAWN
        issue._history_user = user
        issue.save(update_fields=["status", "updated_at"])
    return issue


# Restoring deleted records -------------------------------------------------------------------
#
# Every editorial model keeps its history (django-simple-history), including the state of its
# many-to-many links. A deleted issue, item or action is rebuilt from that history: its own row
# as it was when deleted, its links as they were just before, and the records deleted with it
# (an issue's items, an item's sources) or unlinked by its deletion (an item's actions).

# Records deleted by one delete (a cascade) are stamped within moments of each other.
CASCADE_WINDOW = datetime.timedelta(seconds=30)


class RestoreError(Exception):
    pass


def deleted_records(model):
    """The latest deletion record of each `model` row that no longer exists, newest first."""
    live = model._base_manager.values("pk")
    records = model.history.filter(history_type="-").exclude(id__in=live).order_by("-history_date")
    latest = {}
    for record in records.select_related("history_user"):
        latest.setdefault(record.id, record)
    return list(latest.values())


def restore_deleted(model, pk, user=None):
    """Bring back a deleted Issue, NewsItem or EnforcementAction with its relations. Returns it."""
    with transaction.atomic():
        if model._base_manager.filter(pk=pk).exists():
            raise RestoreError(f"{model._meta.verbose_name} {pk} exists; there is nothing to restore.")
        deletion = model.history.filter(id=pk, history_type="-").order_by("-history_date").first()
        if deletion is None:
            raise RestoreError(f"No deleted {model._meta.verbose_name} {pk} is recorded in the history.")
        check_restore_allowed(model, deletion, user)
        instance = restore_row(model, deletion, user)
        if model is Issue:
            for item_deletion in deleted_with(NewsItem, deletion, issue_id=pk):
                restore_item_and_dependents(item_deletion, user)
        elif model is NewsItem:
            restore_item_dependents(instance, deletion, user)
        return instance


def check_restore_allowed(model, deletion, user):
    """Restoring an item or action into a published issue is a publisher's act (publishing_rules)."""
    if user is None or publishing_rules.may_publish(user):
        return
    if model is NewsItem:
        issue_id = deletion.issue_id
    elif model is EnforcementAction:
        issue_id = publishing_rules.stored_issue_of_item(deletion.news_item_id)
    else:
        return
    published = publishing_rules.published_among([issue_id])
    if published:
        raise RestoreError(publishing_rules.locked_message(published[0]))


def deleted_with(model, parent_deletion, **link):
    """Deletion records of `model` rows linked to the parent and deleted in the same moment."""
    moment = parent_deletion.history_date
    records = model.history.filter(
        history_type="-", history_date__gte=moment - CASCADE_WINDOW, history_date__lte=moment, **link
    ).exclude(id__in=model._base_manager.values("pk"))
    latest = {}
    for record in records.order_by("-history_date"):
        latest.setdefault(record.id, record)
    return list(latest.values())


def restore_item_and_dependents(deletion, user):
    item = restore_row(NewsItem, deletion, user)
    restore_item_dependents(item, deletion, user)


def restore_item_dependents(item, deletion, user):
    """Bring back the item's sources deleted with it, and link back its actions."""
    for source_deletion in deleted_with(Source, deletion, news_item_id=item.pk):
        restore_row(Source, source_deletion, user)
    # Deleting an item unlinks its actions (SET_NULL, an UPDATE that records no history): their
    # latest history still names the item, while the live row has lost it.
    last_known_item = (
        EnforcementAction.history.filter(id=OuterRef("pk")).order_by("-history_date").values("news_item_id")[:1]
    )
    unlinked = EnforcementAction.objects.filter(news_item=None).annotate(last_item=Subquery(last_known_item))
    for action in unlinked.filter(last_item=item.pk):
        action.news_item = item
        action._history_user = user
        action.save(update_fields=["news_item", "updated_at"])


def restore_row(model, deletion, user):
    """Re-insert the row as it was deleted, and its many-to-many links as they last were."""
    instance = deletion.instance
    instance._history_user = user
    if model is Issue:
        # A restored issue comes back as a draft: putting it in front of the public again is
        # the publish action's, whoever restores it.
        instance.status = Issue.Status.DRAFT
    instance.save(force_insert=True)
    last_state = (
        model.history.filter(id=deletion.id, history_date__lt=deletion.history_date)
        .exclude(history_type="-")
        .order_by("-history_date")
        .first()
    )
    for field in getattr(deletion, "_history_m2m_fields", []):
        if last_state is None:
            continue
        target = field.m2m_reverse_field_name()
        ids = getattr(last_state, field.name).values_list(f"{target}_id", flat=True)
        getattr(instance, field.name).set(list(ids))
    return instance
