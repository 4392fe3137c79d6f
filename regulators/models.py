"""The regulatory landscape: who regulates, and which rules exist."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import in_reader_language
from core.content_cache import ContentQuerySet
from core.dates import DatePrecision, PreciseDatesMixin, period_end, precision_field
from regulators.stages import StageNow, stage, with_stage

# How a national law's Chinese title begins; tables and short references leave it out.
PRC_PREFIX = "中华人民共和国"

jurisdiction_validator = RegexValidator(
    r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
    _("Use an ISO 3166 code such as CN, EU, US, or a subdivision such as CN-ZJ."),
)


class InstrumentQuerySet(ContentQuerySet):
    def with_stage(self, today):
        """Each row annotated with `stage`, its public stage on `today`, computed in SQL."""
        return with_stage(self, today)


class SlugNaturalKeyManager(models.Manager.from_queryset(ContentQuerySet)):
    """Lets fixtures and imports refer to a record by its slug instead of its database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Regulator(models.Model):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency")
        STANDARDS_BODY = "standards_body", _("standards body")
        LEGISLATURE = "legislature", _("legislature")
        COURT = "court", _("court")
        PROCURATORATE = "procuratorate", _("procuratorate")
        INDUSTRY_BODY = "industry_body", _("industry body")
        OTHER = "other", _("other")

    class Level(models.TextChoices):
        SUPRANATIONAL = "supranational", _("supranational")
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")

    name = models.CharField(_("name"), max_length=255, help_text=_("The authority's full name in English."))
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=50,
        blank=True,
        help_text=_("The short name readers know, e.g. CAC, MIIT, TC260, Ningbo AMR. Unique when given."),
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other names texts and readers use for it, one per line: short forms (网信办, 国家网信办), "
            "old or foreign spellings (NISSTC, Standardisation). Search and the importer read them."
        ),
    )
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in addresses and filters, e.g. cac.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY, db_index=True)
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=10,
        validators=[jurisdiction_validator],
        db_index=True,
        help_text=_("ISO 3166 code: CN, CN-ZJ, CN-SH, EU, IE, ES, US…"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.NATIONAL, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The authority this one answers to, e.g. Zhejiang Communications Administration → MIIT."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("regulator")
        verbose_name_plural = _("regulators")
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation"],
                condition=~Q(abbreviation=""),
                name="regulator_abbreviation_unique_when_set",
                violation_error_message=_("Another regulator already uses this abbreviation."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def get_absolute_url(self):
        return reverse("regulators:regulator-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def alias_list(self):
        """The other names, one per line in `aliases`, blanks dropped."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def short_name(self):
        return self.abbreviation or self.name

    @property
    def display_name(self):
        """The full name in the reader's language (core/bilingual.py)."""
        return in_reader_language(str(self), self.name_zh)

    @property
    def display_short_name(self):
        """What a table or a line of facts calls it: "CAC" in English, its Chinese name in Chinese."""
        return in_reader_language(self.short_name, self.name_zh)


class InstrumentManager(SlugNaturalKeyManager.from_queryset(InstrumentQuerySet)):
    pass


class Instrument(PreciseDatesMixin, models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("law")
        ADMINISTRATIVE_REGULATION = "administrative_regulation", _("administrative regulation")
        DEPARTMENTAL_RULE = "departmental_rule", _("departmental rule")
        LOCAL_REGULATION = "local_regulation", _("local regulation")
        NATIONAL_STANDARD = "national_standard", _("national standard")
        INDUSTRY_STANDARD = "industry_standard", _("industry standard")
        GUIDELINE = "guideline", _("guideline")
        JUDICIAL_DOCUMENT = "judicial_document", _("judicial document")
        NORMATIVE_DOCUMENT = "normative_document", _("normative document")
        FOREIGN_LAW = "foreign_law", _("foreign law")

    class Status(models.TextChoices):
        """What kind of text this is: the one fact about its stage no date or link can give.

        What the public sees (open for comment, in force, superseded…) is computed from this,
        the dates and the links between versions: regulators/stages.py.
        """

        DRAFT = "draft", _("draft for comment")
        FINAL = "final", _("final text")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=500, help_text=_("The full English title."))
    title_zh = models.CharField(_("Chinese title"), max_length=500, blank=True)
    short_title = models.CharField(_("short title"), max_length=100, blank=True, help_text=_("E.g. PIPL, DSL, CSL."))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("kind of text"),
        max_length=20,
        choices=Status.choices,
        default=Status.FINAL,
        db_index=True,
        help_text=_(
            "A draft published for comment, a final text, or a draft or text the authority withdrew. "
            "The stage readers see (open for comment, adopted, in force, superseded…) follows from "
            "the dates and the links to other versions below."
        ),
    )
    document_number = models.CharField(
        _("document number"),
        max_length=200,
        blank=True,
        help_text=_("The number the authority gave the text, e.g. GB/T 35273-2020 or State Council Decree No. 790."),
    )
    published_on = models.DateField(
        _("published on"), null=True, blank=True, db_index=True, help_text=_("When the text (or draft) was released.")
    )
    published_on_precision = precision_field(_("published on"))
    comment_deadline = models.DateField(
        _("comment deadline"), null=True, blank=True, db_index=True, help_text=_("Last day for public comment.")
    )
    comment_deadline_precision = precision_field(_("comment deadline"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_on_precision = precision_field(_("adopted on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True, db_index=True)
    effective_on_precision = precision_field(_("effective on"))
    issuers = models.ManyToManyField(Regulator, verbose_name=_("issuers"), blank=True, related_name="instruments")
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, validators=[jurisdiction_validator], db_index=True, default="CN"
    )
    official_url = models.URLField(
        _("official URL"), max_length=1000, blank=True, help_text=_("The issuing authority's own page for the text.")
    )
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("implements"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
        help_text=_("Higher-level texts this one implements, e.g. a regulation implementing the PIPL."),
    )
    supersedes = models.ManyToManyField(
        "self",
        verbose_name=_("supersedes"),
        symmetrical=False,
        blank=True,
        related_name="superseded_by",
        help_text=_(
            "Earlier versions this text replaces: the drafts of a final text, or the old version of "
            "a revised one. Several drafts may lead to one final text."
        ),
    )
    amends = models.ManyToManyField(
        "self",
        verbose_name=_("amends"),
        symmetrical=False,
        blank=True,
        related_name="amended_by",
        help_text=_("Texts this one changes while they stay in force (they read as amended once it is in force)."),
    )
    repeals = models.ManyToManyField(
        "self",
        verbose_name=_("repeals"),
        symmetrical=False,
        blank=True,
        related_name="repealed_by",
        help_text=_("Texts this one abolishes (they read as repealed once it is in force)."),
    )
    description = models.TextField(_("description"), blank=True)
    text_zh = models.TextField(
        _("Chinese text"),
        blank=True,
        help_text=_(
            "Paste the whole text of this version as published, one article per paragraph starting "
            "第一条, 第二条… (chapter headings such as 第一章 may stay). The site splits it into "
            "articles to compare versions."
        ),
    )
    text_en = models.TextField(
        _("English text"),
        blank=True,
        help_text=_(
            "Paste the whole English text of this version, each article starting on its own line "
            "with “Article 1”, “Article 2”… (chapter headings may stay). The site splits it into "
            "articles to compare versions."
        ),
    )

    history = HistoricalRecords(m2m_fields=[issuers, implements, supersedes, amends, repeals])
    objects = InstrumentManager()

    class Meta:
        ordering = ["-published_on", "title"]
        get_latest_by = "published_on"
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                # A deadline known only to the month or year is stored as its first day; the
                # database checks day-precise deadlines, clean() checks the others by period.
                condition=Q(comment_deadline__isnull=True)
                | Q(published_on__isnull=True)
                | ~Q(comment_deadline_precision=DatePrecision.DAY)
                | Q(comment_deadline__gte=F("published_on")),
                name="instrument_comment_deadline_not_before_publication",
                violation_error_message=_("The comment deadline cannot be before the publication date."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.short_title})" if self.short_title else self.title

    def get_absolute_url(self):
        return reverse("regulators:instrument-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def display_title(self):
        """The full title in the reader's language (core/bilingual.py)."""
        return in_reader_language(str(self), self.title_zh)

    @property
    def display_short_title(self):
        """What a table or a line of facts calls it: "PIPL" in English; in Chinese its title as
        Chinese lawyers shorten a national law's, without "中华人民共和国" (个人信息保护法)."""
        return in_reader_language(self.short_title or self.title, self.title_zh.removeprefix(PRC_PREFIX))

    @property
    def texts(self):
        """{language code: text} for each language this version's text is held in ("zh", "en")."""
        held = {"zh": self.text_zh, "en": self.text_en}
        return {language: text for language, text in held.items() if text.strip()}

    def stage_on(self, today):
        """What readers are told about this text on `today` (regulators/stages.py)."""
        return stage(self, today)

    @property
    def current_stage(self):
        """Today's stage: from the `stage` annotation when the row was read `with_stage()`
        (lists), else computed (one page: prefetch the links `stage()` reads)."""
        code = self.__dict__.get("stage")
        if isinstance(code, str):
            return StageNow(code)
        return stage(self, timezone.localdate())

    def clean(self):
        super().clean()
        deadline_end = period_end(self.comment_deadline, self.comment_deadline_precision)
        if deadline_end and self.published_on and deadline_end < self.published_on:
            raise ValidationError(
                {"comment_deadline": _("The comment deadline cannot be before the publication date.")}
            )
