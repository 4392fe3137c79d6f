"""What the newsletter reports: issues, their news items, and the enforcement in them."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.amounts import grouped
from core.content_cache import ContentQuerySet
from core.dates import PreciseDatesMixin, precision_field
from items.conversion import RATE_PLACES, REFERENCE_CURRENCY, RateSource
from regulators.models import Instrument, Regulator, SlugNaturalKeyManager, jurisdiction_validator

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as CNY, EUR or USD."))


def reader_wants_chinese():
    return (get_language() or "").lower().startswith("zh")


class NamedTag(models.Model):
    """A small editor-managed vocabulary: a slug, an English name and a Chinese name."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_zh = models.CharField(_("Chinese name"), max_length=150, blank=True)

    history = HistoricalRecords(inherit=True)
    objects = SlugNaturalKeyManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        return self.name_zh if reader_wants_chinese() and self.name_zh else self.name


class Series(NamedTag):
    """A newsletter series: the weekly review, the monthly update…"""

    publisher = models.CharField(_("publisher"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta(NamedTag.Meta):
        verbose_name = _("series")
        verbose_name_plural = _("series")


class Section(NamedTag):
    """A heading under which items are filed (Domestic News, Enforcement Developments…)."""

    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Sections with a lower number come first in an issue.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")


class TopicQuerySet(ContentQuerySet):
    def published(self):
        """Topics of published items: a public door names no topic that only drafts use."""
        return self.filter(Exists(NewsItem.objects.published().filter(topics=OuterRef("pk"))))


class Topic(NamedTag):
    """What an item is about: facial recognition, apps, minors, cross-border transfer…"""

    objects = SlugNaturalKeyManager.from_queryset(TopicQuerySet)()

    class Meta(NamedTag.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class ViolationQuerySet(ContentQuerySet):
    def published(self):
        """Violations found by published enforcement: a public door names no other."""
        return self.filter(Exists(EnforcementAction.objects.published().filter(violations=OuterRef("pk"))))


class Violation(NamedTag):
    """What an enforcement action found wrong: excessive collection, no consent…"""

    objects = SlugNaturalKeyManager.from_queryset(ViolationQuerySet)()

    class Meta(NamedTag.Meta):
        verbose_name = _("violation")
        verbose_name_plural = _("violations")


# How many levels of groups above a company named by enforcement are public with it (an app, its
# operator, the operator's group…); deeper chains than this are not found in the sources.
ORGANISATION_GROUP_DEPTH = 5


class OrganisationQuerySet(ContentQuerySet):
    def published(self):
        """Organisations named by published enforcement, and the groups above them.

        An organisation named only in drafts or withdrawn issues stays unknown to the public.
        Written as SQL (no rows are read until the queryset is), so a filter can hold it cheaply.
        """
        actions = EnforcementAction.objects.published()
        condition = Q()
        path = "organisation"
        for _level in range(ORGANISATION_GROUP_DEPTH + 1):
            condition |= Q(Exists(actions.filter(**{path: OuterRef("pk")})))
            path += "__parent"
        return self.filter(condition)


class Organisation(models.Model):
    """A company or group that enforcement is aimed at, in China and abroad."""

    name = models.CharField(_("name"), max_length=255)
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text=_("The group this company or app operator belongs to."),
    )
    country = models.CharField(_("country"), max_length=10, blank=True, validators=[jurisdiction_validator])

    history = HistoricalRecords()
    objects = SlugNaturalKeyManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("items:organisation-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class IssueQuerySet(ContentQuerySet):
    def published(self):
        """The one door to what the public may see."""
        return self.filter(status=Issue.Status.PUBLISHED)


class IssueManager(models.Manager.from_queryset(IssueQuerySet)):
    def get_by_natural_key(self, series_slug, number):
        return self.get(series__slug=series_slug, number=number)


class Issue(PreciseDatesMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    series = models.ForeignKey(Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField(_("number"), help_text=_("The issue's number within its series."))
    edition_number = models.PositiveIntegerField(
        _("edition number"), null=True, blank=True, help_text=_("The firm-wide newsletter number, e.g. 229.")
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    issued_on = models.DateField(_("issue date"), db_index=True, help_text=_("The date the issue carries."))
    issued_on_precision = precision_field(_("issue date"))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Key highlights, in Markdown."))
    summary_html = models.TextField(editable=False, blank=True)
    source_file = models.FileField(
        _("original file"), upload_to="issues/", blank=True, help_text=_("The original PDF or DOCX, optional.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = IssueManager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        get_latest_by = "issued_on"
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        permissions = [("publish_issue", _("Can publish and withdraw issues"))]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                name="issue_number_unique_in_series",
                violation_error_message=_("This series already has an issue with this number."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="issue_period_end_not_before_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["status", "-issued_on"], name="issue_status_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("items:issue-detail", kwargs={"series": self.series.slug, "number": self.number})

    def natural_key(self):
        return (self.series.slug, self.number)

    natural_key.dependencies = ["items.series"]

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def issued_on_display(self):
        return self.display_date("issued_on")


class NewsItemQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(issue__status=Issue.Status.PUBLISHED)


class NewsItem(PreciseDatesMixin, models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order within the issue."))
    headline = models.CharField(_("headline"), max_length=500)
    headline_zh = models.CharField(_("Chinese headline"), max_length=500, blank=True)
    body = models.TextField(_("body"), help_text=_("Markdown: **bold**, *italics* for instrument titles, links."))
    body_zh = models.TextField(_("Chinese body"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    body_zh_html = models.TextField(editable=False, blank=True)
    event_date = models.DateField(
        _("event date"), null=True, blank=True, db_index=True, help_text=_("When it happened; may precede the issue.")
    )
    event_date_precision = precision_field(_("event date"))
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, validators=[jurisdiction_validator], default="CN", db_index=True
    )
    regulators = models.ManyToManyField(Regulator, verbose_name=_("regulators"), blank=True, related_name="news_items")
    instruments = models.ManyToManyField(
        Instrument, verbose_name=_("instruments"), blank=True, related_name="news_items"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="news_items")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[regulators, instruments, topics])
    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "position", "pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        indexes = [models.Index(fields=["issue", "position"], name="newsitem_issue_position_idx")]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("items:item-detail", kwargs={"pk": self.pk})

    @property
    def display_headline(self):
        return self.headline_zh if reader_wants_chinese() and self.headline_zh else self.headline

    @property
    def display_body_html(self):
        return self.body_zh_html if reader_wants_chinese() and self.body_zh_html else self.body_html

    @property
    def event_date_display(self):
        return self.display_date("event_date")


class Source(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh", _("Chinese")

    news_item = models.ForeignKey(
        NewsItem, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("URL"), max_length=1000)
    label = models.CharField(_("label"), max_length=255, blank=True)
    footnote = models.PositiveSmallIntegerField(
        _("footnote"), null=True, blank=True, help_text=_("The footnote number the newsletter gives this source.")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    is_official = models.BooleanField(
        _("official source"), default=False, help_text=_("Tick when this is the regulator's own page, not press.")
    )

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["news_item", "footnote", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.label or self.url


class EnforcementActionQuerySet(ContentQuerySet):
    def published(self):
        """Actions reported by an item of a published issue; unreported ones stay internal."""
        return self.filter(news_item__issue__status=Issue.Status.PUBLISHED)


class EnforcementActionManager(models.Manager.from_queryset(EnforcementActionQuerySet)):
    def get_by_natural_key(self, public_id):
        return self.get(public_id=public_id)


class PublicIdCounter(models.Model):
    """The last public id number handed out per year, so that no id is ever reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("public id counter")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


# Derived on every save from the amounts, currency, date and editor's rate (items.signals).
CNY_FIELDS = ("fine_cny", "damages_cny", "cny_rate", "cny_rate_date", "cny_rate_source")
PUBLIC_ID_PATTERN = re.compile(r"^EA-(\d{4})-(\d{4,})$")
# How readers and lawyers also write an id: "ea-2021-7", "EA-2021-00007".
LOOSE_PUBLIC_ID_PATTERN = re.compile(r"^ea-(\d{4})-0*(\d{1,9})$", re.IGNORECASE)


def canonical_public_id(text):
    """The canonical spelling of a public id written loosely ("ea-2021-7" → "EA-2021-0007"), or None."""
    match = LOOSE_PUBLIC_ID_PATTERN.match(text)
    return f"EA-{match[1]}-{int(match[2]):04d}" if match else None


class EnforcementAction(PreciseDatesMixin, models.Model):
    class ActionType(models.TextChoices):
        FINE = "fine", _("fine")
        RECTIFICATION_ORDER = "rectification_order", _("rectification order")
        APP_REMOVAL = "app_removal", _("app removal")
        PUBLIC_NAMING = "public_naming", _("public naming")
        WARNING = "warning", _("warning")
        REGULATORY_TALK = "regulatory_talk", _("regulatory talk")
        SUSPENSION = "suspension", _("suspension")
        ADMINISTRATIVE_DETENTION = "administrative_detention", _("administrative detention")
        CRIMINAL_SENTENCE = "criminal_sentence", _("criminal sentence")
        CIVIL_JUDGMENT = "civil_judgment", _("civil judgment")
        SETTLEMENT = "settlement", _("settlement")
        COMPLAINT_FILED = "complaint_filed", _("complaint filed")
        OTHER = "other", _("other")

    class Sector(models.TextChoices):
        APPS = "apps", _("mobile apps")
        INTERNET = "internet", _("internet platforms")
        SOCIAL_MEDIA = "social_media", _("social media")
        ECOMMERCE = "ecommerce", _("e-commerce")
        FINANCE = "finance", _("finance")
        BANKING = "banking", _("banking")
        INSURANCE = "insurance", _("insurance")
        TELECOMS = "telecoms", _("telecommunications")
        AUTOMOTIVE = "automotive", _("automotive")
        HEALTHCARE = "healthcare", _("healthcare")
        EDUCATION = "education", _("education")
        REAL_ESTATE = "real_estate", _("real estate")
        RETAIL = "retail", _("retail")
        TRAVEL = "travel", _("travel and transport")
        GAMING = "gaming", _("gaming")
        TECHNOLOGY = "technology", _("technology")
        PUBLIC_SECTOR = "public_sector", _("public sector")
        OTHER = "other", _("other")

    public_id = models.CharField(
        _("public id"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("Permanent identifier that lawyers cite, e.g. EA-2021-0007. Assigned once, never changed."),
    )
    news_item = models.ForeignKey(
        NewsItem,
        verbose_name=_("news item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enforcement_actions",
        help_text=_("The item that reports this action. Actions without one are never shown to the public."),
    )
    regulators = models.ManyToManyField(
        Regulator, verbose_name=_("regulators"), blank=True, related_name="enforcement_actions"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    decided_on_precision = precision_field(_("decided on"))
    action_type = models.CharField(_("action type"), max_length=30, choices=ActionType.choices, db_index=True)
    target = models.CharField(
        _("target"), max_length=500, blank=True, help_text=_("The company, app or person, as the text names it.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_actions",
    )
    target_count = models.PositiveIntegerField(
        _("number of targets"), null=True, blank=True, help_text=_("E.g. 60 when 60 apps were named together.")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True, db_index=True)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, validators=[jurisdiction_validator], default="CN", db_index=True
    )
    fine_amount = models.DecimalField(
        _("fine"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[currency_validator])
    damages_amount = models.DecimalField(
        _("damages"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cny_rate_override = models.DecimalField(
        _("editor's rate to CNY"),
        max_digits=20,
        decimal_places=RATE_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1).scaleb(-RATE_PLACES))],
        help_text=_(
            "Leave empty to convert the fine and damages to yuan at the European Central Bank's reference "
            "rate of the decision date. Give a rate (yuan per one unit of the currency, e.g. 7.6 for EUR) "
            "only to replace it, e.g. with the rate the decision itself applies."
        ),
    )
    fine_cny = models.DecimalField(
        _("fine in CNY"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        validators=[MinValueValidator(0)],  # the filters' bound: "between 0 and …"
        help_text=_("The fine converted to yuan, worked out on every save; lists sort and filter fines by it."),
    )
    damages_cny = models.DecimalField(
        _("damages in CNY"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    cny_rate = models.DecimalField(
        _("rate to CNY"),
        max_digits=20,
        decimal_places=RATE_PLACES,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Yuan per one unit of the currency, as used for the amounts in CNY."),
    )
    cny_rate_date = models.DateField(
        _("date of the rate"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The day of the ECB reference rate used (the last day it published on or before the decision)."),
    )
    cny_rate_source = models.CharField(
        _("conversion to CNY"), max_length=10, choices=RateSource.choices, blank=True, editable=False
    )
    sentence = models.CharField(_("sentence"), max_length=500, blank=True, help_text=_("E.g. 3 years' imprisonment."))
    legal_basis = models.ManyToManyField(
        Instrument, verbose_name=_("legal basis"), blank=True, related_name="enforcement_actions"
    )
    violations = models.ManyToManyField(
        Violation, verbose_name=_("violations"), blank=True, related_name="enforcement_actions"
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[regulators, legal_basis, violations])
    objects = EnforcementActionManager()

    class Meta:
        ordering = ["-decided_on", "public_id"]
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0),
                name="enforcement_fine_not_negative",
                violation_error_message=_("A fine cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(damages_amount__isnull=True) | Q(damages_amount__gte=0),
                name="enforcement_damages_not_negative",
                violation_error_message=_("Damages cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cny_rate_override__isnull=True) | Q(cny_rate_override__gt=0),
                name="enforcement_rate_override_positive",
                violation_error_message=_("A rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=(Q(fine_amount__isnull=True) & Q(damages_amount__isnull=True)) | ~Q(currency=""),
                name="enforcement_amount_has_currency",
                violation_error_message=_("Give the currency of the fine or damages."),
            ),
        ]

    def __str__(self):
        label = self.get_action_type_display()
        return f"{self.public_id}: {label} – {self.target}" if self.target else f"{self.public_id}: {label}"

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            # The amounts in yuan follow the date, which moving the action to another item can change.
            kwargs["update_fields"] = {*kwargs["update_fields"], *CNY_FIELDS}
        if not self.public_id:
            with transaction.atomic():
                self.public_id = allocate_public_id(self.public_id_year())
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("items:enforcement-detail", kwargs={"public_id": self.public_id})

    def natural_key(self):
        return (self.public_id,)

    @property
    def decided_on_display(self):
        return self.display_date("decided_on")

    @property
    def fine_display(self):
        return format_amount(self.fine_amount, self.currency)

    @property
    def damages_display(self):
        return format_amount(self.damages_amount, self.currency)

    @property
    def fine_cny_display(self):
        return format_amount(self.fine_cny, REFERENCE_CURRENCY)

    @property
    def damages_cny_display(self):
        return format_amount(self.damages_cny, REFERENCE_CURRENCY)

    @property
    def in_other_currency(self):
        """True when the amounts were given in a currency other than the yuan."""
        return bool(self.currency) and self.currency != REFERENCE_CURRENCY

    @property
    def cny_rate_display(self):
        """7.8043, not 7.8043000000."""
        return plain_decimal(self.cny_rate)

    @property
    def cny_rate_origin(self):
        """Where the rate came from: "ECB reference rate of 2021-06-01", "editor's rate", or why none."""
        if self.cny_rate_source == RateSource.ECB and self.cny_rate_date:
            return _("ECB reference rate of %(date)s") % {"date": self.cny_rate_date.isoformat()}
        return self.get_cny_rate_source_display()

    def clean(self):
        super().clean()
        if self.cny_rate_override is not None and self.currency == REFERENCE_CURRENCY:
            raise ValidationError({"cny_rate_override": _("An amount in yuan needs no rate: leave this empty.")})

    def public_id_year(self):
        if self.decided_on:
            return self.decided_on.year
        if self.news_item_id and self.news_item.event_date:
            return self.news_item.event_date.year
        if self.news_item_id:
            return self.news_item.issue.issued_on.year
        return timezone.localdate().year


def allocate_public_id(year):
    """Hand out the next EA-<year>-NNNN, higher than any id that year ever had (live or deleted).

    The counter row is locked for the transaction, so concurrent saves cannot get the same id;
    ids loaded from fixtures or deleted since are taken into account, so none is ever reused.
    """
    counter, _created = PublicIdCounter.objects.select_for_update().get_or_create(year=year)
    prefix = f"EA-{year}-"
    highest = counter.last_number
    for model in (EnforcementAction, EnforcementAction.history.model):
        # Longest first, then highest: EA-2021-10000 comes after EA-2021-9999.
        top = (
            model.objects.filter(public_id__startswith=prefix)
            .order_by(Length("public_id").desc(), "-public_id")
            .values_list("public_id", flat=True)
            .first()
        )
        match = PUBLIC_ID_PATTERN.match(top or "")
        if match:
            highest = max(highest, int(match.group(2)))
    counter.last_number = highest + 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}{counter.last_number:04d}"


def format_amount(amount, currency):
    """'CNY 250,000' or 'EUR 1,250.50': the currency code and thousands separators."""
    if amount is None:
        return ""
    return f"{currency} {grouped(amount)}".strip()


def plain_decimal(value):
    """7.82, not 7.820000; empty for None."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
