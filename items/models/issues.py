"""Issues of the newsletter, their news items and the sources the items cite."""

from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_reader_language, reader_wants_chinese
from core.content_cache import ContentQuerySet
from core.dates import PreciseDatesMixin, precision_field
from items.models.history import HistoricalRecords
from items.models.vocabularies import Section, Series, Topic
from regulators.models import Instrument, Regulator, jurisdiction_validator


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
    title_zh = models.CharField(
        _("Chinese title"), max_length=255, blank=True, help_text=_("The title readers of the Chinese edition see.")
    )
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
    def display_title(self):
        return in_reader_language(self.title, self.title_zh)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def issued_on_display(self):
        return self.display_date("issued_on")


class NewsItemQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(issue__status=Issue.Status.PUBLISHED)

    def next_position(self, issue_id):
        """The position after the issue's last item (1 in an empty issue): items follow the order
        they are added in."""
        last = self.filter(issue_id=issue_id).aggregate(last=Max("position"))["last"]
        return (last or 0) + 1


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
        return in_reader_language(self.headline, self.headline_zh)

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
