"""What regulators did: enforcement actions, their permanent public ids and amounts."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.amounts import grouped
from core.bilingual import in_reader_language, reader_wants_chinese
from core.content_cache import ContentQuerySet
from core.dates import PreciseDatesMixin, precision_field
from items.conversion import RATE_PLACES, REFERENCE_CURRENCY, RateSource
from items.models.history import HistoricalRecords
from items.models.issues import Issue, NewsItem
from items.models.organisations import Organisation
from items.models.vocabularies import Violation
from regulators.models import PRC_PREFIX, Instrument, Regulator, jurisdiction_validator

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as CNY, EUR or USD."))


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


class DecisionStatus(models.TextChoices):
    FINAL = "final", _("final")
    UNDER_APPEAL = "under_appeal", _("under appeal")
    OVERTURNED = "overturned", _("overturned")


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
    target_zh = models.CharField(
        _("Chinese target"), max_length=500, blank=True, help_text=_("The target as the Chinese edition names it.")
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
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    decision_number = models.CharField(
        _("decision number"),
        max_length=200,
        blank=True,
        help_text=_("The authority's own document or case number, e.g. 京网信罚〔2021〕1号."),
    )
    decision_url = models.URLField(
        _("official decision"),
        max_length=1000,
        blank=True,
        help_text=_("The authority's own decision or notice, on its website (not a report of it)."),
    )
    decision_status = models.CharField(
        _("status of the decision"),
        max_length=20,
        choices=DecisionStatus.choices,
        blank=True,
        help_text=_("Where known: final, under appeal, or overturned on appeal or review."),
    )
    appeal_of = models.ForeignKey(
        "self",
        verbose_name=_("appeal of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
        help_text=_("The first-instance decision this one decides on appeal or review."),
    )
    related_actions = models.ManyToManyField(
        "self",
        verbose_name=_("related actions"),
        blank=True,
        help_text=_("Other decisions of the same case: its other targets, or other authorities' parallel decisions."),
    )
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
    def display_target(self):
        """The target in the reader's language; an action naming no one but an organisation is
        called by the organisation's name."""
        if not self.target and not self.target_zh and self.organisation_id:
            return self.organisation.display_name
        return in_reader_language(self.target, self.target_zh)

    @property
    def display_summary(self):
        return in_reader_language(self.summary, self.summary_zh)

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

    def cited_instruments(self):
        """The legal basis, each instrument with the articles applied: [CitedInstrument]. Reads the
        prefetched `legal_basis` and `legal_basis_articles` (a list's rows: two queries a page)."""
        articles = {}
        for article in sorted(self.legal_basis_articles.all(), key=article_key):
            articles.setdefault(article.instrument_id, []).append(article.article)
        return [CitedInstrument(instrument, articles.get(instrument.pk, [])) for instrument in self.legal_basis.all()]

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


# An article as written after "Art.": 13, 13(1), 66(2)(iii), 3.1.2 (a standard's clause), 13-1.
ARTICLE_PATTERN = r"^[0-9]+[0-9A-Za-z().\-]{0,29}$"
article_validator = RegexValidator(
    ARTICLE_PATTERN, _("Give the article as a number, with its paragraph if any: 13, 13(1), 66(2) or 3.1.2.")
)


class LegalBasisArticle(models.Model):
    """One article of an instrument that an enforcement action applies ("PIPL Art. 13")."""

    action = models.ForeignKey(
        EnforcementAction,
        verbose_name=_("enforcement action"),
        on_delete=models.CASCADE,
        related_name="legal_basis_articles",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="cited_articles"
    )
    article = models.CharField(
        _("article"), max_length=30, validators=[article_validator], help_text=_("13, 13(1), 66(2)…")
    )

    class Meta:
        ordering = ["action", "instrument", "pk"]
        verbose_name = _("article applied")
        verbose_name_plural = _("articles applied")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "instrument", "article"],
                name="legal_basis_article_once",
                violation_error_message=_("This article is already listed for this action."),
            )
        ]

    def __str__(self):
        return article_label(self.instrument, self.article)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # An article applied makes its instrument part of the legal basis (filters, facets, counts).
        self.action.legal_basis.add(self.instrument)


def article_key(article):
    """Sorts one instrument's articles as a reader counts them: 2 before 13, 13 before 13(1)."""
    match = re.match(r"\d+", article.article)
    return (int(match.group(0)) if match else 0, article.article)


@dataclass(frozen=True)
class CitedInstrument:
    """An instrument of an action's legal basis, and the articles of it applied (maybe none)."""

    instrument: Instrument
    articles: list

    @property
    def articles_display(self):
        """ "Art. 13, 66(2)" in English, "第13、66(2)条" in Chinese; empty without articles."""
        if not self.articles:
            return ""
        if reader_wants_chinese():
            return f"第{'、'.join(self.articles)}条"
        return f"Art. {', '.join(self.articles)}"


def article_label(instrument, article):
    """ "PIPL Art. 13" in English (the short title, else the title), "《个人信息保护法》第13条" in Chinese
    (a national law's title without 中华人民共和国, as the tables show it)."""
    if reader_wants_chinese() and instrument.title_zh:
        return f"《{instrument.title_zh.removeprefix(PRC_PREFIX)}》第{article}条"
    return f"{instrument.short_title or instrument.title} Art. {article}"
