from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin_chinese import NeedsChineseFilter
from core.dates import precise_date_column
from core.spreadsheets.admin import SpreadsheetImportExportMixin
from regulators.articles import split_articles
from regulators.models import Instrument, Regulator
from regulators.resources import InstrumentResource, RegulatorResource


@admin.register(Regulator)
class RegulatorAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RegulatorResource]
    chinese_fields = [("name", "name_zh")]
    list_display = ["name", "name_zh", "abbreviation", "kind", "level", "jurisdiction", "parent"]
    list_filter = [NeedsChineseFilter, "kind", "level", "jurisdiction"]
    search_fields = ["name", "name_zh", "abbreviation", "aliases", "slug"]
    prepopulated_fields = {"slug": ["abbreviation"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": [("name", "name_zh"), ("abbreviation", "slug"), "aliases"]}),
        (_("Place in the landscape"), {"fields": ["kind", "level", "jurisdiction", "parent"]}),
        (_("About"), {"fields": ["website", "description"]}),
    ]


class InstrumentAdminForm(forms.ModelForm):
    """Refuses links that make no sense: a text superseding, amending or repealing itself, or
    superseding a text that supersedes it."""

    class Meta:
        model = Instrument
        fields = ["supersedes", "amends", "repeals"]  # the admin adds its fieldsets' fields

    def clean(self):
        cleaned = super().clean()
        this = self.instance
        if this.pk is None:
            return cleaned
        for name, message in [
            ("supersedes", _("A text cannot supersede itself.")),
            ("amends", _("A text cannot amend itself.")),
            ("repeals", _("A text cannot repeal itself.")),
        ]:
            if this in (cleaned.get(name) or []):
                self.add_error(name, message)
        later = [other for other in (cleaned.get("supersedes") or []) if other.pk != this.pk]
        loops = [other for other in later if other.supersedes.filter(pk=this.pk).exists()]
        if loops:
            self.add_error(
                "supersedes",
                _("%(other)s already supersedes this text: one of the two must be the later version.")
                % {"other": loops[0]},
            )
        return cleaned


@admin.register(Instrument)
class InstrumentAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    form = InstrumentAdminForm
    resource_classes = [InstrumentResource]
    chinese_fields = [("title", "title_zh")]
    list_display = [
        "title",
        "short_title",
        "kind",
        "status",
        "stage_today",
        "published_on_shown",
        "comment_deadline_shown",
        "effective_on_shown",
    ]
    list_filter = [NeedsChineseFilter, "kind", "status", "jurisdiction", ("issuers", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "title_zh", "short_title", "slug", "document_number"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuers", "implements", "supersedes", "amends", "repeals"]
    readonly_fields = ["stage_today", "articles_found"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": [("title", "title_zh"), ("short_title", "slug")]}),
        (
            _("Nature"),
            {"fields": ["kind", "status", "stage_today", "document_number", "jurisdiction", "issuers", "official_url"]},
        ),
        (
            _("Versions and related texts"),
            {
                "description": _(
                    "Link a final text to the drafts it replaces, or a new version to the old one, under "
                    "“supersedes”: the drafts then read as superseded once it is out, an old version once "
                    "the new one is in force."
                ),
                "fields": ["supersedes", "amends", "repeals", "implements"],
            },
        ),
        (
            _("Dates"),
            {
                "description": _(
                    "Leave blank what the sources do not give. Choose month or year precision when "
                    "only the month or year is known (store the first day)."
                ),
                "fields": [
                    ("published_on", "published_on_precision"),
                    ("comment_deadline", "comment_deadline_precision"),
                    ("adopted_on", "adopted_on_precision"),
                    ("effective_on", "effective_on_precision"),
                ],
            },
        ),
        (_("About"), {"fields": ["description"]}),
        (
            _("Text"),
            {
                "description": _(
                    "Paste the text of this version as the authority published it, in Chinese, English "
                    "or both. Two versions of one text can then be compared article by article on the "
                    "site. After saving, check below that every article was found."
                ),
                "fields": ["text_zh", "text_en", "articles_found"],
            },
        ),
    ]

    published_on_shown = precise_date_column("published_on", _("published on"))
    comment_deadline_shown = precise_date_column("comment_deadline", _("comment deadline"))
    effective_on_shown = precise_date_column("effective_on", _("effective on"))

    def get_queryset(self, request):
        return super().get_queryset(request).with_stage(timezone.localdate())

    @admin.display(description=_("articles found"))
    def articles_found(self, instrument):
        """How the site split each text: the editor sees at once whether a heading was missed."""
        lines = []
        for language, text in instrument.texts.items():
            articles = split_articles(text).articles
            name = _("Chinese") if language == "zh" else _("English")
            if not articles:
                lines.append(
                    _("%(language)s: no article found (are headings on lines of their own?)") % {"language": name}
                )
                continue
            lines.append(
                ngettext(
                    "%(language)s: %(count)d article, %(first)s to %(last)s",
                    "%(language)s: %(count)d articles, %(first)s to %(last)s",
                    len(articles),
                )
                % {"language": name, "count": len(articles), "first": articles[0].label, "last": articles[-1].label}
            )
        return "; ".join(str(line) for line in lines) or "—"

    @admin.display(description=_("stage today"), ordering="stage")
    def stage_today(self, instrument):
        """What readers see today, computed from the facts below (not edited here)."""
        if instrument.pk is None:
            return "—"
        return instrument.current_stage.label
