from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.spreadsheets.admin import SpreadsheetImportExportMixin
from regulators.models import Instrument, Regulator
from regulators.resources import InstrumentResource, RegulatorResource


@admin.register(Regulator)
class RegulatorAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RegulatorResource]
    list_display = ["name", "abbreviation", "kind", "level", "jurisdiction", "parent"]
    list_filter = ["kind", "level", "jurisdiction"]
    search_fields = ["name", "name_zh", "abbreviation", "slug"]
    prepopulated_fields = {"slug": ["abbreviation"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "name_zh", "abbreviation", "slug"]}),
        (_("Place in the landscape"), {"fields": ["kind", "level", "jurisdiction", "parent"]}),
        (_("About"), {"fields": ["website", "description"]}),
    ]


@admin.register(Instrument)
class InstrumentAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [InstrumentResource]
    list_display = ["title", "short_title", "kind", "status", "published_on", "comment_deadline", "effective_on"]
    list_filter = ["kind", "status", "jurisdiction", ("issuers", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "title_zh", "short_title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuers", "implements"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "title_zh", "short_title", "slug"]}),
        (_("Nature"), {"fields": ["kind", "status", "jurisdiction", "issuers", "implements", "official_url"]}),
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
    ]
