"""What each alert matches: the new published records it has not been sent, and the drafts whose
comment period is about to close. Reads only; claiming and sending live in alerts/services.py.

Every record comes through the public door (`published()`), so a draft or withdrawn issue, and
everything in it, never reaches an alert. "New" means published (or added to a published issue)
after the alert started counting (`Subscription.starts_at`); instruments, which carry no
publication time of their own, are new to a followed instrument list when they were not in it
when the alert started (the rows recorded then as "skipped"). A followed instrument's own moves
(a new stage, or a new text superseding it) are news once per reader: the stage it had when the
reader started following is recorded as skipped.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from alerts.followed_lists import FOLLOWED_LISTS
from alerts.models import DeadlineReminder, Delivery, Kind, ListName, StageNotice
from core.dates import DatePrecision
from core.trees import ParentTree
from items.lists import ENFORCEMENT, ISSUES, ITEMS
from items.models import EnforcementAction, Issue, NewsItem, Organisation
from regulators.lists import INSTRUMENTS
from regulators.models import Instrument, Regulator
from regulators.stages import STAGE_LINKS, Stage, open_for_comment, stage

# Where an alert reads the records it sends: each kind's public list.
PUBLIC_RECORDS = {
    Issue: ISSUES.rows,
    NewsItem: ITEMS.rows,
    EnforcementAction: ENFORCEMENT.rows,
    Instrument: INSTRUMENTS.rows,
}


def regulator_open_drafts(members):
    """The drafts the regulator (or an office under it) issued that are open for comment today:
    news to its followers once each (those open when the alert started are its baseline)."""
    drafts = Instrument.objects.filter(issuers__in=members).distinct()
    return open_for_comment(Instrument.objects.filter(pk__in=drafts.values("pk")), timezone.localdate())


def published_since(queryset, since):
    """Narrow a published() queryset to what became public at or after `since`."""
    model = queryset.model
    if model is Issue:
        return queryset.filter(Q(published_at__gte=since) | Q(published_at__isnull=True, created_at__gte=since))
    if model is NewsItem:
        # An item added to an issue that was already public is new when it is added.
        return queryset.filter(Q(issue__published_at__gte=since) | Q(created_at__gte=since))
    if model is EnforcementAction:
        return queryset.filter(Q(news_item__issue__published_at__gte=since) | Q(created_at__gte=since))
    return queryset


def followed_querysets(subscription):
    """Every published record the alert follows, new or old, one queryset per kind of record."""
    kind = subscription.kind
    if kind == Kind.ISSUES:
        return [ISSUES.rows()]
    if kind == Kind.REGULATOR:
        # The regulator and every office under it, as ?regulator= lists them (Hainan CAC under CAC).
        members = ParentTree.of(Regulator).subtree(subscription.regulator_id)
        return [
            NewsItem.objects.published().filter(regulators__in=members).distinct(),
            EnforcementAction.objects.published().filter(regulators__in=members).distinct(),
            regulator_open_drafts(members),
        ]
    if kind == Kind.INSTRUMENT:
        instrument = subscription.instrument_id
        return [
            NewsItem.objects.published().filter(instruments=instrument),
            EnforcementAction.objects.published().filter(legal_basis=instrument),
        ]
    if kind == Kind.ORGANISATION:
        # The organisation and the companies under it at any depth (TikTok Ltd under TikTok), as
        # ?organisation= lists them and its page shows them.
        group = ParentTree.of(Organisation).subtree(subscription.organisation_id)
        return [EnforcementAction.objects.published().filter(organisation__in=group)]
    followed = FOLLOWED_LISTS[subscription.list_name]
    filterset = followed.filterset(subscription.query_string)
    # The query string was validated when saved; a filter value that has since vanished (a
    # deleted regulator) makes the FilterSet invalid, and the alert then matches nothing.
    return [filterset.qs] if filterset.is_valid() else []


def new_records(subscription, limit):
    """Up to `limit` records the alert matches that are new and not yet in its delivery log."""
    found = []
    for queryset in followed_querysets(subscription):
        model = queryset.model
        if subscription.starts_at is not None:
            queryset = published_since(queryset, subscription.starts_at)
        logged = Delivery.objects.filter(
            subscription=subscription, content_type=ContentType.objects.get_for_model(model)
        ).values("object_id")
        ids = (
            model._default_manager.filter(pk__in=queryset.values("pk"))
            .exclude(pk__in=logged)
            .order_by("pk")
            .values_list("pk", flat=True)[: max(limit - len(found), 0)]
        )
        found += list(PUBLIC_RECORDS[model]().filter(pk__in=list(ids)).order_by("pk"))
    return found


def instrument_list_matches(subscription):
    """Every instrument a followed instrument list shows now, or every draft a followed regulator
    has open for comment now (the alert's baseline when it starts)."""
    if subscription.kind == Kind.REGULATOR:
        return regulator_open_drafts(ParentTree.of(Regulator).subtree(subscription.regulator_id))
    if subscription.kind != Kind.LIST or subscription.list_name != ListName.INSTRUMENTS:
        return Instrument.objects.none()
    querysets = followed_querysets(subscription)
    return Instrument.objects.filter(pk__in=querysets[0].values("pk")) if querysets else Instrument.objects.none()


def reminder_window(today, days):
    return today, today + datetime.timedelta(days=days)


def due_reminders(subscription, today, days):
    """Followed drafts whose comment deadline falls within `days` days from `today` (inclusive),
    known to the day, and of which the reader has not been reminded for this deadline."""
    start, end = reminder_window(today, days)
    drafts = Instrument.objects.filter(
        status=Instrument.Status.DRAFT,
        comment_deadline__gte=start,
        comment_deadline__lte=end,
        # A deadline known only to the month ("by the end of May") has no day to count back from.
        comment_deadline_precision=DatePrecision.DAY,
    )
    if subscription.kind == Kind.INSTRUMENT:
        drafts = drafts.filter(pk=subscription.instrument_id)
    elif subscription.kind == Kind.LIST and subscription.list_name == ListName.INSTRUMENTS:
        drafts = drafts.filter(pk__in=instrument_list_matches(subscription).values("pk"))
    else:
        return Instrument.objects.none()
    reminded = DeadlineReminder.objects.filter(
        subscriber=subscription.subscriber_id, instrument=OuterRef("pk"), comment_deadline=OuterRef("comment_deadline")
    )
    return drafts.exclude(Exists(reminded)).order_by("comment_deadline", "pk")


# Stages recorded without an email: a comment period's end is no news (readers were reminded of it).
QUIET_STAGES = {Stage.CLOSED}


def stage_key(now_stage):
    """What makes a stage news once: its code, and the text it names (superseded by which)."""
    return f"{now_stage.code}:{now_stage.by.pk}" if now_stage.by is not None else now_stage.code


def followed_stages(subscription, today):
    """[(instrument, its StageNow today)] for the instrument an alert follows (none for other alerts)."""
    if subscription.kind != Kind.INSTRUMENT:
        return []
    instruments = Instrument.objects.filter(pk=subscription.instrument_id).prefetch_related(*STAGE_LINKS)
    return [(instrument, stage(instrument, today)) for instrument in instruments]


def stage_changes(subscription, today):
    """The followed instrument's stage today if the reader was not told of it, as (instrument,
    StageNow, key, news): `news` is False when the reader has no stage of it on record yet (today's
    is then the baseline) or the stage is a quiet one; such a stage is recorded, not sent."""
    found = []
    for instrument, now_stage in followed_stages(subscription, today):
        told = set(
            StageNotice.objects.filter(subscriber=subscription.subscriber_id, instrument=instrument).values_list(
                "stage_key", flat=True
            )
        )
        key = stage_key(now_stage)
        if key not in told:
            found.append((instrument, now_stage, key, bool(told) and now_stage.code not in QUIET_STAGES))
    return found


def stage_key_text(notice):
    """The id of the text a StageNotice's stage names (superseded:12 → 12), or None."""
    _code, _colon, by = notice.stage_key.partition(":")
    return int(by) if by else None
