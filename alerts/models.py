"""Email alerts: who follows what, at which rhythm, and the log of what was sent to whom.

The log is what makes sending idempotent: one Delivery row per (alert, matched record) and one
DeadlineReminder row per (reader, instrument, deadline), each under a unique constraint. A run
of send_alerts claims a match by inserting its row before the email goes out, so the database,
not the program, decides which run sends it (see alerts/services.py).
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alerts.followed_lists import FOLLOWED_LISTS, normalise_query_string
from items.models import Organisation
from regulators.models import Instrument, Regulator
from regulators.stages import Stage


def new_token():
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    """A reader's email address, confirmed once by a signed link."""

    email = models.EmailField(_("email address"), unique=True, help_text=_("Stored in lower case."))
    token = models.CharField(
        _("secret"),
        max_length=64,
        unique=True,
        default=new_token,
        editable=False,
        help_text=_("Random secret behind the reader's signed manage and unsubscribe links."),
    )
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("When the reader first clicked a confirmation link.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the reader asked for alerts in: their emails are written in it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A light throttle on confirmation emails: a budget per address per hour.
    confirmation_window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmations_in_window = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @staticmethod
    def normalise_email(email):
        return (email or "").strip().lower()


class Kind(models.TextChoices):
    ISSUES = "issues", _("new issues")
    REGULATOR = "regulator", _("a regulator")
    INSTRUMENT = "instrument", _("an instrument")
    ORGANISATION = "organisation", _("an organisation")
    LIST = "list", _("a filtered list")


class ListName(models.TextChoices):
    ENFORCEMENT = "enforcement", _("enforcement actions")
    ITEMS = "items", _("news items")
    INSTRUMENTS = "instruments", _("instruments")


class Rhythm(models.TextChoices):
    IMMEDIATE = "immediate", _("on publication")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")


TARGET_FIELDS = ("regulator", "instrument", "organisation")


def only_target(field=None):
    """The condition "this target field is set and the other two are empty"."""
    condition = Q()
    for name in TARGET_FIELDS:
        condition &= Q(**{f"{name}__isnull": name != field})
    return condition


KIND_TARGET = {Kind.REGULATOR: "regulator", Kind.INSTRUMENT: "instrument", Kind.ORGANISATION: "organisation"}


class Subscription(models.Model):
    """One thing a reader follows (new issues, a regulator, an instrument, an organisation or a
    filtered list) and how often they hear about it."""

    Kind = Kind
    ListName = ListName
    Rhythm = Rhythm

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("follows"), max_length=20, choices=Kind.choices)
    # A reader's alert must not stop editors from deleting or merging a record: it goes with it.
    regulator = models.ForeignKey(
        Regulator, verbose_name=_("regulator"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    list_name = models.CharField(_("list"), max_length=20, choices=ListName.choices, blank=True)
    query_string = models.CharField(
        _("filters"),
        max_length=1000,
        blank=True,
        help_text=_("The followed list's query string, in normal form, e.g. action_type=fine&regulator=miit."),
    )
    rhythm = models.CharField(_("rhythm"), max_length=10, choices=Rhythm.choices, default=Rhythm.DAILY)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to pause the alert; nothing is sent while it is paused.")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    starts_at = models.DateTimeField(
        _("counts from"),
        null=True,
        blank=True,
        help_text=_("Only what is published after this moment is sent: set on confirmation and on resuming."),
    )
    last_run_at = models.DateTimeField(
        _("last run at"), null=True, blank=True, help_text=_("When send_alerts last took this alert's turn.")
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["subscriber", "kind", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="issues") & only_target() & Q(list_name="", query_string=""))
                | (Q(kind="regulator") & only_target("regulator") & Q(list_name="", query_string=""))
                | (Q(kind="instrument") & only_target("instrument") & Q(list_name="", query_string=""))
                | (Q(kind="organisation") & only_target("organisation") & Q(list_name="", query_string=""))
                | (Q(kind="list") & only_target() & ~Q(list_name="")),
                name="subscription_target_matches_kind",
                violation_error_message=_("Give exactly the one thing this kind of alert follows."),
            ),
            models.UniqueConstraint(fields=["subscriber"], condition=Q(kind="issues"), name="subscription_issues_once"),
            models.UniqueConstraint(
                fields=["subscriber", "regulator"], condition=Q(kind="regulator"), name="subscription_regulator_once"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "instrument"],
                condition=Q(kind="instrument"),
                name="subscription_instrument_once",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "organisation"],
                condition=Q(kind="organisation"),
                name="subscription_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "list_name", "query_string"],
                condition=Q(kind="list"),
                name="subscription_list_once",
            ),
        ]
        indexes = [models.Index(fields=["active", "confirmed_at"], name="subscription_live_idx")]

    def __str__(self):
        return f"{self.subscriber}: {self.describe()}"

    def save(self, *args, **kwargs):
        # Whatever the entry point (form, admin, shell), a followed list is stored valid and normal.
        self.clean_followed_list()
        super().save(*args, **kwargs)

    def describe(self):
        """What is followed, in words: "Regulator: CAC", "Enforcement: regulator=miit"."""
        if self.kind == Kind.ISSUES:
            return str(_("New issues"))
        if self.kind == Kind.REGULATOR:
            return f"{_('Regulator')}: {self.regulator.display_short_name if self.regulator_id else '?'}"
        if self.kind == Kind.INSTRUMENT:
            return f"{_('Instrument')}: {self.instrument.display_short_title if self.instrument_id else '?'}"
        if self.kind == Kind.ORGANISATION:
            return f"{_('Organisation')}: {self.organisation.display_name if self.organisation_id else '?'}"
        label = ListName(self.list_name).label.capitalize() if self.list_name in ListName.values else self.list_name
        return f"{label}: {self.query_string}" if self.query_string else f"{label}: {_('all')}"

    def followed_url(self):
        """The public page of what is followed."""
        if self.kind == Kind.ISSUES:
            return reverse("items:issue-archive")
        if self.kind == Kind.LIST:
            return FOLLOWED_LISTS[self.list_name].url(self.query_string)
        return getattr(self, KIND_TARGET[self.kind]).get_absolute_url()

    @property
    def is_live(self):
        return self.active and self.confirmed_at is not None

    def clean(self):
        super().clean()
        target = KIND_TARGET.get(self.kind)
        for name in TARGET_FIELDS:
            if name != target and getattr(self, f"{name}_id") is not None:
                setattr(self, name, None)
        if target and getattr(self, f"{target}_id") is None:
            raise ValidationError({target: _("Choose what to follow.")})
        self.clean_followed_list()

    def clean_followed_list(self):
        """A filtered list's query string is put in normal form and must pass the list's FilterSet."""
        if self.kind != Kind.LIST:
            self.list_name, self.query_string = "", ""
            return
        try:
            self.query_string = normalise_query_string(self.list_name, self.query_string)
        except ValidationError as error:
            raise ValidationError({"query_string": error.messages}) from error


class SendStatus(models.TextChoices):
    CLAIMED = "claimed", _("claimed: being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed: the mail server refused it")
    INTERRUPTED = "interrupted", _("interrupted: the run stopped before it was sent")
    RETRY = "retry", _("queued to be sent again")
    SKIPPED = "skipped", _("skipped")


class SendLog(models.Model):
    """What every log row says about one send: who claimed it, when, and how it ended."""

    Status = SendStatus

    status = models.CharField(
        _("status"), max_length=12, choices=SendStatus.choices, default=SendStatus.CLAIMED, db_index=True
    )
    claim_token = models.CharField(
        _("claimed by run"), max_length=32, db_index=True, help_text=_("The run of send_alerts that claimed it.")
    )
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True


class Delivery(SendLog):
    """One matched record for one alert: claimed once, sent at most once."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="deliveries"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("record"), max_length=500, blank=True, help_text=_("The record as it was sent."))

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "content_type", "object_id"],
                name="delivery_once_per_alert_and_record",
                violation_error_message=_("This record was already sent for this alert."),
            )
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="delivery_status_claimed_idx")]

    def __str__(self):
        return f"{self.subscription.subscriber} ← {self.label or self.object_id} ({self.get_status_display()})"


class DeadlineReminder(SendLog):
    """The reminder that a followed draft's comment period is closing: once per reader, draft and deadline."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="reminders"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("alert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
        help_text=_("The alert that led to it."),
    )
    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="+")
    comment_deadline = models.DateField(_("comment deadline"))

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "instrument", "comment_deadline"],
                name="reminder_once_per_reader_and_deadline",
                violation_error_message=_("This reader was already reminded of this deadline."),
            )
        ]

    def __str__(self):
        return f"{self.subscriber} ← {self.instrument} ({self.comment_deadline})"


class StageNotice(SendLog):
    """The news that a followed instrument moved to another stage (a final text adopted, in force,
    superseded by a new version…): once per reader, instrument and stage. The stage an alert
    started at is recorded as skipped, so only later moves are news."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="stage_notices"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("alert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stage_notices",
        help_text=_("The alert that led to it."),
    )
    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    stage_key = models.CharField(
        _("stage and the text behind it"),
        max_length=40,
        help_text=_("The stage, with the text it names where it names one (superseded:12)."),
    )

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name = _("stage notice")
        verbose_name_plural = _("stage notices")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "instrument", "stage_key"],
                name="stage_notice_once_per_reader_and_stage",
                violation_error_message=_("This reader was already told of this stage."),
            )
        ]

    def __str__(self):
        return f"{self.subscriber} ← {self.instrument}: {self.get_stage_display()}"
