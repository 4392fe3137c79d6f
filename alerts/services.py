"""Writes with side effects for email alerts: following, confirming, unsubscribing, managing,
and sending (the `send_alerts` command calls `send_alerts()`).

How sending stays idempotent
----------------------------
Each match an alert sends is a Delivery row, unique per (alert, record); each deadline
reminder a DeadlineReminder row, unique per (reader, instrument, deadline). A run works reader
by reader:

1. claim, in one short transaction that commits before anything is sent: insert the rows of
   the new matches with status "claimed" and this run's token (INSERT … ON CONFLICT DO NOTHING
   on PostgreSQL, INSERT OR IGNORE on SQLite). The database's unique constraint decides: a row
   another run inserted first is not inserted again, and only the rows carrying this run's token
   are this run's to send. Two runs at once therefore never claim the same match; a rhythm's turn
   (daily, weekly) is taken in the same transaction by a conditional update of last_run_at.
2. send one email with everything claimed (outside any transaction);
3. mark the rows "sent".

The choice is at-most-once: nothing is ever sent twice, and what may not have gone out is shown
to editors rather than retried blindly.
- The mail server cannot be reached when the run starts: nothing is claimed, the command
  fails, and the next run sends everything (nothing went out, so nothing can be sent twice).
- The mail server refuses a message (an exception from the backend): the rows become
  "failed", with the error, and are not retried by the next run. An editor can queue them
  again in the admin ("Send again"), and the next run sends them, once.
- The run is killed between claiming and marking (after the email may or may not have left):
  the rows stay "claimed". After settings.ALERT_CLAIM_TIMEOUT (30 minutes by default) a later
  run marks them "interrupted", visible in the admin the same way, and never resends them on
  its own, because the email may well have gone out before the process died.
- A record withdrawn between claim and send is dropped from the email and marked "skipped".
"""

import datetime
import itertools
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.db.models import F, Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from alerts import emails, matching
from alerts.links import confirmation_max_age
from alerts.models import (
    DeadlineReminder,
    Delivery,
    Kind,
    ListName,
    SendStatus,
    StageNotice,
    Subscriber,
    Subscription,
)
from regulators.models import Instrument
from regulators.stages import STAGE_LINKS

logger = logging.getLogger(__name__)

# The "claimed by" of rows recorded when an alert starts: what an instrument list already showed.
BASELINE_CLAIM = "baseline"


def reminder_days():
    return int(getattr(settings, "ALERT_REMINDER_DAYS", 7))


def claim_timeout():
    value = getattr(settings, "ALERT_CLAIM_TIMEOUT", datetime.timedelta(minutes=30))
    return value if isinstance(value, datetime.timedelta) else datetime.timedelta(seconds=int(value))


def confirmations_per_hour():
    return int(getattr(settings, "ALERT_CONFIRMATIONS_PER_HOUR", 5))


def matches_per_alert():
    return int(getattr(settings, "ALERT_MAX_MATCHES_PER_ALERT", 100))


# Following -----------------------------------------------------------------------------------


def request_subscription(email, target, rhythm, base_url, now=None, language=None):
    """Record that `email` wants to follow `target` and email a confirmation link. Returns
    True when an email was sent, False when the address's hourly budget was spent.

    `language` (default: the active one, the request's) is the reader's: their confirmation and
    every alert after it are written in the language they last asked in.

    `target` is a dict of Subscription fields saying what is followed: {"kind": "regulator",
    "regulator": <Regulator>} or {"kind": "list", "list_name": "enforcement", "query_string": …}.
    Whatever the address's history (new, unconfirmed, confirmed, paused), the caller answers the
    same "check your inbox": only the inbox's owner learns more, from the email.
    """
    now = now or timezone.now()
    email = Subscriber.normalise_email(email)
    language = reader_language(language or translation.get_language())
    with transaction.atomic():
        Subscriber.objects.get_or_create(email=email, defaults={"language": language})
        # Locked so that two requests at once cannot both spend the last of the budget.
        subscriber = Subscriber.objects.select_for_update().get(email=email)
        if subscriber.language != language:
            subscriber.language = language
            subscriber.save(update_fields=["language"])
        lookup = {"regulator": None, "instrument": None, "organisation": None, "list_name": "", "query_string": ""}
        lookup.update(target)
        subscription, _created = Subscription.objects.get_or_create(
            subscriber=subscriber, **lookup, defaults={"rhythm": rhythm}
        )
        if subscription.confirmed_at is None and subscription.rhythm != rhythm:
            subscription.rhythm = rhythm
            subscription.save(update_fields=["rhythm"])
        if not spend_confirmation_budget(subscriber, now):
            return False
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
    try:
        with translation.override(subscriber.language):
            emails.confirmation_email(subscription, rhythm, base_url).send()
    except Exception:
        # The visitor is told to check their inbox either way; the log tells the operators.
        logger.exception("Could not send the alert confirmation email for subscription %s", subscription.pk)
        return False
    return True


def reader_language(language):
    """One of the site's languages for `language` (a request's "zh-hans", "zh-cn", "en-gb"…)."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def spend_confirmation_budget(subscriber, now):
    """At most ALERT_CONFIRMATIONS_PER_HOUR confirmation emails per address per hour."""
    window = datetime.timedelta(hours=1)
    started = subscriber.confirmation_window_started_at
    if started is None or now - started >= window or now < started:
        subscriber.confirmation_window_started_at = now
        subscriber.confirmations_in_window = 0
    if subscriber.confirmations_in_window >= confirmations_per_hour():
        return False
    subscriber.confirmations_in_window += 1
    subscriber.save(update_fields=["confirmation_window_started_at", "confirmations_in_window"])
    return True


def confirm_subscription(subscription, rhythm, now=None):
    """The reader clicked the confirmation link: the alert is live, at the rhythm they chose."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().select_related("subscriber").get(pk=subscription.pk)
        subscriber = subscription.subscriber
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = now
            subscriber.save(update_fields=["confirmed_at"])
        starting = not subscription.is_live
        subscription.rhythm = rhythm
        if subscription.confirmed_at is None:
            subscription.confirmed_at = now
        if starting:
            start_counting(subscription, now)
        subscription.save()
    return subscription


def start_counting(subscription, now):
    """Make the alert live from `now`: what was published before is not news to the reader."""
    subscription.active = True
    subscription.unsubscribed_at = None
    subscription.starts_at = now
    record_baseline(subscription, now)


def record_baseline(subscription, now):
    """A followed instrument list sends instruments that enter it later, not the ones it shows now
    (a followed regulator, likewise, its drafts opened for comment later); a followed instrument,
    the stages it moves to later, not the one it is at now."""
    record_stage_baseline(subscription, now)
    if subscription.kind != Kind.REGULATOR and (
        subscription.kind != Kind.LIST or subscription.list_name != ListName.INSTRUMENTS
    ):
        return
    content_type = ContentType.objects.get_for_model(Instrument)
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscription=subscription,
                content_type=content_type,
                object_id=instrument.pk,
                label=emails.record_label(instrument),
                status=SendStatus.SKIPPED,
                claim_token=BASELINE_CLAIM,
                claimed_at=now,
                attempts=0,
                error="In the list when the alert started.",
            )
            for instrument in matching.instrument_list_matches(subscription)
        ],
        ignore_conflicts=True,
    )


def stage_notice(subscription, instrument, now_stage, key, now, run_token, status=SendStatus.CLAIMED):
    return StageNotice(
        subscriber_id=subscription.subscriber_id,
        subscription=subscription,
        instrument=instrument,
        stage=now_stage.code,
        stage_key=key,
        status=status,
        claim_token=run_token,
        claimed_at=now,
        attempts=0 if status == SendStatus.SKIPPED else 1,
        error="The stage when the alert started." if status == SendStatus.SKIPPED else "",
    )


def record_stage_baseline(subscription, now):
    today = timezone.localdate(now)
    StageNotice.objects.bulk_create(
        [
            stage_notice(subscription, instrument, now_stage, key, now, BASELINE_CLAIM, SendStatus.SKIPPED)
            for instrument, now_stage, key, _known in matching.stage_changes(subscription, today)
        ],
        ignore_conflicts=True,
    )


def unsubscribe(subscriber, now=None):
    """Stop every alert of the reader (one click from any email). Returns how many were live."""
    now = now or timezone.now()
    with transaction.atomic():
        return subscriber.subscriptions.filter(active=True).update(active=False, unsubscribed_at=now)


def change_subscription(subscriber, subscription_id, rhythm=None, active=None, now=None):
    """Change one of the reader's own alerts: its rhythm, or pause and resume it."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = subscriber.subscriptions.select_for_update().get(pk=subscription_id)
        if rhythm:
            subscription.rhythm = rhythm
        if active is True and not subscription.active and subscription.confirmed_at:
            # Resuming does not send what was published while the alert was paused.
            start_counting(subscription, now)
        elif active is False:
            subscription.active = False
        subscription.save()
    return subscription


def delete_subscription(subscriber, subscription_id):
    with transaction.atomic():
        subscriber.subscriptions.filter(pk=subscription_id).delete()


def forget_subscriber(subscriber):
    """Delete the address, its alerts and its log: nothing about the reader is kept."""
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).delete()


def queue_again(queryset):
    """Editors' "Send again" for failed or interrupted rows; the next due run sends them once."""
    with transaction.atomic():
        return queryset.filter(status__in=[SendStatus.FAILED, SendStatus.INTERRUPTED]).update(status=SendStatus.RETRY)


# Sending -------------------------------------------------------------------------------------


class MailServerUnavailable(Exception):
    pass


@dataclass
class RunReport:
    now: datetime.datetime
    dry_run: bool = False
    emails: int = 0
    matches: int = 0
    reminders: int = 0
    stage_changes: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: int = 0
    purged: int = 0
    lines: list = field(default_factory=list)


def is_due(subscription, now):
    """Immediate alerts run every time; daily ones once per calendar day, weekly ones every 7 days."""
    if subscription.rhythm == Subscription.Rhythm.IMMEDIATE or subscription.last_run_at is None:
        return True
    today = timezone.localdate(now)
    last = timezone.localdate(subscription.last_run_at)
    if subscription.rhythm == Subscription.Rhythm.DAILY:
        return today > last
    return (today - last).days >= 7


def live_subscriptions():
    return (
        Subscription.objects.filter(active=True, confirmed_at__isnull=False, subscriber__confirmed_at__isnull=False)
        .select_related("subscriber", "regulator", "instrument", "organisation")
        .order_by("subscriber_id", "pk")
    )


def send_alerts(now=None, dry_run=False, base_url=None, connection=None):
    """Send every reader one email with what is new for their due alerts and their closing
    comment deadlines. Safe to run twice, at once, or again after a crash: see the module
    docstring. Returns a RunReport."""
    now = now or timezone.now()
    base_url = (base_url or emails.site_url()).rstrip("/")
    report = RunReport(now=now, dry_run=dry_run)
    if not dry_run:
        report.interrupted = mark_interrupted(now)
        report.purged = purge_unconfirmed(now)
    run_token = uuid.uuid4().hex
    connection = connection or mail.get_connection()
    if not dry_run:
        try:
            # Before anything is claimed: a mail server that cannot be reached leaves every match
            # unclaimed, for the next run to send, instead of marking them all "failed". Each
            # email then opens its own connection, which the server cannot have timed out.
            connection.open()
            connection.close()
        except Exception as error:
            raise MailServerUnavailable(
                f"The mail server cannot be reached: {error!r}. Nothing was claimed."
            ) from error
    try:
        for subscriber, group in itertools.groupby(live_subscriptions(), key=lambda s: s.subscriber):
            subscriptions = list(group)
            if dry_run:
                preview_subscriber(subscriber, subscriptions, now, report)
            else:
                send_to_subscriber(subscriber, subscriptions, now, run_token, base_url, connection, report)
    finally:
        connection.close()
    return report


def preview_subscriber(subscriber, subscriptions, now, report):
    today = timezone.localdate(now)
    matches = sum(
        len(matching.new_records(subscription, matches_per_alert()))
        for subscription in subscriptions
        if is_due(subscription, now)
    )
    reminders = len(
        {
            instrument.pk
            for subscription in subscriptions
            for instrument in matching.due_reminders(subscription, today, reminder_days())
        }
    )
    moves = sum(
        known
        for subscription in subscriptions
        if is_due(subscription, now)
        for _instrument, _stage, _key, known in matching.stage_changes(subscription, today)
    )
    if matches or reminders or moves:
        report.emails += 1
        report.matches += matches
        report.reminders += reminders
        report.stage_changes += moves
        report.lines.append(
            f"would email {subscriber.email}: {matches} new, {reminders} reminders, {moves} stage changes"
        )


def send_to_subscriber(subscriber, subscriptions, now, run_token, base_url, connection, report):
    deliveries, reminders, notices = claim(subscriber, subscriptions, now, run_token)
    if not deliveries and not reminders and not notices:
        return
    with translation.override(subscriber.language):
        sections, reminder_entries, gone = compose(deliveries, reminders, now, base_url)
        stage_entries = compose_stage_changes(notices, base_url)
    if gone:
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in gone]).update(
            status=SendStatus.SKIPPED, error="No longer public when the email was composed."
        )
        report.skipped += len(gone)
    sent_deliveries = [delivery for delivery in deliveries if delivery not in gone]
    if not sections and not reminder_entries and not stage_entries:
        return
    try:
        with translation.override(subscriber.language):
            message = emails.digest_email(subscriber, sections, reminder_entries, base_url, stage_entries)
        message.connection = connection
        message.send()
    except Exception as error:
        logger.exception("Alert email to subscriber %s failed", subscriber.pk)
        mark(sent_deliveries, reminders, run_token, status=SendStatus.FAILED, error=repr(error)[:2000], notices=notices)
        report.failed += len(sent_deliveries) + len(reminders) + len(notices)
        report.lines.append(f"failed {subscriber.email}: {error!r}")
        return
    mark(sent_deliveries, reminders, run_token, status=SendStatus.SENT, sent_at=now, notices=notices)
    report.emails += 1
    report.matches += len(sent_deliveries)
    report.reminders += len(reminders)
    report.stage_changes += len(notices)
    report.lines.append(
        f"emailed {subscriber.email}: {len(sent_deliveries)} new, {len(reminders)} reminders, "
        f"{len(notices)} stage changes"
    )


def claim(subscriber, subscriptions, now, run_token):
    """Claim this reader's new matches and due reminders for this run; see the module docstring.

    Returns the claimed Delivery, DeadlineReminder and StageNotice rows (only those this run
    inserted, or re-queued ones it took over). A followed instrument whose reader has no stage of
    it on record yet gets today's recorded as the baseline (skipped), not sent."""
    today = timezone.localdate(now)
    with transaction.atomic():
        taken = [
            subscription for subscription in subscriptions if is_due(subscription, now) and take_turn(subscription, now)
        ]
        rows = []
        for subscription in taken:
            for record in matching.new_records(subscription, matches_per_alert()):
                rows.append(
                    Delivery(
                        subscription=subscription,
                        content_type=ContentType.objects.get_for_model(record),
                        object_id=record.pk,
                        label=emails.record_label(record),
                        status=SendStatus.CLAIMED,
                        claim_token=run_token,
                        claimed_at=now,
                    )
                )
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        Delivery.objects.filter(subscription__in=taken, status=SendStatus.RETRY).update(
            status=SendStatus.CLAIMED, claim_token=run_token, claimed_at=now, attempts=F("attempts") + 1, error=""
        )
        reminders = {}
        for subscription in subscriptions:
            for instrument in matching.due_reminders(subscription, today, reminder_days()):
                reminders.setdefault(
                    instrument.pk,
                    DeadlineReminder(
                        subscriber=subscriber,
                        subscription=subscription,
                        instrument=instrument,
                        comment_deadline=instrument.comment_deadline,
                        status=SendStatus.CLAIMED,
                        claim_token=run_token,
                        claimed_at=now,
                    ),
                )
        DeadlineReminder.objects.bulk_create(list(reminders.values()), ignore_conflicts=True)
        DeadlineReminder.objects.filter(
            subscriber=subscriber, status=SendStatus.RETRY, comment_deadline__gte=today
        ).update(status=SendStatus.CLAIMED, claim_token=run_token, claimed_at=now, attempts=F("attempts") + 1, error="")
        notices = [
            stage_notice(subscription, instrument, now_stage, key, now, run_token)
            if known
            else stage_notice(subscription, instrument, now_stage, key, now, BASELINE_CLAIM, SendStatus.SKIPPED)
            for subscription in taken
            for instrument, now_stage, key, known in matching.stage_changes(subscription, today)
        ]
        StageNotice.objects.bulk_create(notices, ignore_conflicts=True)
        StageNotice.objects.filter(subscriber=subscriber, status=SendStatus.RETRY).update(
            status=SendStatus.CLAIMED, claim_token=run_token, claimed_at=now, attempts=F("attempts") + 1, error=""
        )
    deliveries = list(
        Delivery.objects.filter(subscription__in=subscriptions, claim_token=run_token, status=SendStatus.CLAIMED)
        .select_related("content_type", "subscription")
        .order_by("subscription_id", "pk")
    )
    claimed_reminders = list(
        DeadlineReminder.objects.filter(subscriber=subscriber, claim_token=run_token, status=SendStatus.CLAIMED)
        .select_related("instrument")
        .order_by("comment_deadline", "pk")
    )
    claimed_notices = list(
        StageNotice.objects.filter(subscriber=subscriber, claim_token=run_token, status=SendStatus.CLAIMED)
        .select_related("instrument")
        .order_by("pk")
    )
    return deliveries, claimed_reminders, claimed_notices


def take_turn(subscription, now):
    """Take the alert's turn for this run, unless a concurrent run took it first."""
    won = Subscription.objects.filter(pk=subscription.pk, last_run_at=subscription.last_run_at)
    if subscription.last_run_at is None:
        won = Subscription.objects.filter(pk=subscription.pk, last_run_at__isnull=True)
    if not won.update(last_run_at=now):
        return False
    subscription.last_run_at = now
    return True


def compose(deliveries, reminders, now, base_url):
    """The email's sections from the claimed rows, each record read again through the public door.

    Returns (sections, reminder entries, deliveries whose record is no longer public). A record
    two alerts share is listed once, under the first."""
    wanted = {}
    for delivery in deliveries:
        wanted.setdefault(delivery.content_type.model_class(), set()).add(delivery.object_id)
    records = {}
    for model, ids in wanted.items():
        for record in matching.PUBLIC_RECORDS[model]().filter(pk__in=ids):
            records[(model, record.pk)] = record
    sections, shown, gone = [], set(), []
    for subscription, rows in itertools.groupby(deliveries, key=lambda delivery: delivery.subscription):
        entries = []
        for delivery in rows:
            key = (delivery.content_type.model_class(), delivery.object_id)
            record = records.get(key)
            if record is None:
                gone.append(delivery)
                continue
            if key not in shown:
                shown.add(key)
                entries.append(emails.record_entry(record, base_url))
        if entries:
            sections.append({"alert": subscription, "entries": entries})
    today = timezone.localdate(now)
    reminder_entries = [
        {
            "entry": emails.record_entry(reminder.instrument, base_url),
            "deadline": reminder.instrument.display_date("comment_deadline"),
            "days_left": (reminder.comment_deadline - today).days,
        }
        for reminder in reminders
    ]
    return sections, reminder_entries, gone


def compose_stage_changes(notices, base_url):
    """The email's entries for the stages followed instruments moved to: the instrument, its new
    stage, and the text behind it (superseded or amended by…). Reads the texts named and the links
    each instrument's stage line needs once for all the notices, not once per notice."""
    instruments = [notice.instrument for notice in notices]
    prefetch_related_objects(instruments, *STAGE_LINKS)
    named = Instrument.objects.in_bulk([pk for pk in map(matching.stage_key_text, notices) if pk is not None])
    entries = []
    for notice in notices:
        by = named.get(matching.stage_key_text(notice))
        entries.append(
            {
                "entry": emails.record_entry(notice.instrument, base_url),
                "stage": str(notice.get_stage_display()),
                "by": by.display_title if by is not None else "",
            }
        )
    return entries


def mark(deliveries, reminders, run_token, notices=(), **changes):
    """Record how the send ended, on this run's rows only."""
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[row.pk for row in deliveries], claim_token=run_token).update(**changes)
        DeadlineReminder.objects.filter(pk__in=[row.pk for row in reminders], claim_token=run_token).update(**changes)
        StageNotice.objects.filter(pk__in=[row.pk for row in notices], claim_token=run_token).update(**changes)


INTERRUPTED_NOTE = (
    "The run that claimed it stopped before recording the send. It may have gone out, so it is not "
    "sent again on its own; use “Send again” to send it."
)


def mark_interrupted(now):
    """Claims older than the timeout belong to a run that died: show them, never resend them blindly."""
    cutoff = now - claim_timeout()
    with transaction.atomic():
        stale = Q(status=SendStatus.CLAIMED, claimed_at__lt=cutoff)
        count = Delivery.objects.filter(stale).update(status=SendStatus.INTERRUPTED, error=INTERRUPTED_NOTE)
        count += DeadlineReminder.objects.filter(stale).update(status=SendStatus.INTERRUPTED, error=INTERRUPTED_NOTE)
        count += StageNotice.objects.filter(stale).update(status=SendStatus.INTERRUPTED, error=INTERRUPTED_NOTE)
    return count


def purge_unconfirmed(now):
    """Forget requests never confirmed once their link has expired (a day's grace): keep no
    address that did not ask to be kept."""
    cutoff = now - confirmation_max_age() - datetime.timedelta(days=1)
    with transaction.atomic():
        expired = Subscription.objects.filter(confirmed_at__isnull=True).alias(
            asked_at=Coalesce("confirmation_sent_at", "created_at")
        )
        _total, by_model = expired.filter(asked_at__lt=cutoff).delete()
        Subscriber.objects.filter(confirmed_at__isnull=True, subscriptions__isnull=True, created_at__lt=cutoff).delete()
    return by_model.get(Subscription._meta.label, 0)
