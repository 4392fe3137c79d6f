from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin_chinese import NeedsChineseFilter
from core.dates import precise_date_column
from core.spreadsheets.admin import SpreadsheetImportExportMixin
from items import publishing_rules
from items.admin_forms import (
    EnforcementActionForm,
    ItemsInAddedOrderFormSet,
    NewsItemForm,
    PlacementCheckedAdmin,
    PositionLeftBlankForm,
    PublishedIssueNoticeMixin,
    PublishedIssueRowsInline,
    place_after_last_item,
)
from items.amounts import AmountField, CurrencyField
from items.email_preview import issue_email_urls
from items.importers.admin_views import newsletter_import_urls
from items.models import (
    EnforcementAction,
    Issue,
    LegalBasisArticle,
    NewsItem,
    Organisation,
    Section,
    Series,
    Source,
    Topic,
    Violation,
    format_amount,
)
from items.recycle_bin import recycle_bin_urls
from items.resources import (
    EnforcementActionResource,
    IssueResource,
    NewsItemResource,
    OrganisationResource,
    SectionResource,
    SeriesResource,
    SourceResource,
    TopicResource,
    ViolationResource,
)
from items.services import PublishingError, publication_previews, publish_issue, withdraw_issue


class NewsItemInline(PublishedIssueRowsInline, admin.StackedInline):
    model = NewsItem
    form = PositionLeftBlankForm
    formset = ItemsInAddedOrderFormSet
    extra = 0
    ordering = ["position", "pk"]
    fields = [
        ("position", "section"),
        ("headline", "headline_zh"),
        "body",
        ("event_date", "event_date_precision", "jurisdiction"),
        ("regulators", "instruments", "topics"),
    ]
    autocomplete_fields = ["section", "regulators", "instruments", "topics"]
    show_change_link = True

    def stored_issue(self, issue):
        return issue.pk

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 4, "cols": 90})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Issue)
class IssueAdmin(PublishedIssueNoticeMixin, SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [IssueResource]
    chinese_fields = [("title", "title_zh")]
    # Narrow columns, status next to the title, so that a laptop screen (1,280 px with the admin's
    # side panels) shows all of them; the title names the series, which the filter picks.
    list_display = ["title", "status", "issued_on_shown", "numbers", "item_count", "preview"]
    list_filter = [NeedsChineseFilter, "status", "series", "issued_on"]
    search_fields = ["title", "title_zh", "slug", "summary", "number", "edition_number"]
    date_hierarchy = "issued_on"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    inlines = [NewsItemInline]
    actions = ["publish_selected", "withdraw_selected"]
    list_select_related = ["series"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": [("series", "number", "edition_number"), ("title", "title_zh"), "slug"]}),
        (_("Dates"), {"fields": [("issued_on", "issued_on_precision"), ("period_start", "period_end")]}),
        (_("Content"), {"fields": ["summary", "source_file"]}),
        (_("Publication"), {"fields": [("status", "published_at"), ("created_at", "updated_at")]}),
    ]

    issued_on_shown = precise_date_column("issued_on", _("issue date"))

    def get_queryset(self, request):
        # Counting groups the rows, which drops the default ordering: restate it.
        return super().get_queryset(request).annotate(item_total=Count("items")).order_by(*Issue._meta.ordering)

    def get_urls(self):
        return newsletter_import_urls(self) + recycle_bin_urls(self) + issue_email_urls(self) + super().get_urls()

    @admin.display(description=_("no."), ordering="number")
    def numbers(self, issue):
        if issue.edition_number is None:
            return issue.number
        return _("%(number)s · No.%(edition)s") % {"number": issue.number, "edition": issue.edition_number}

    @admin.display(description=_("items"), ordering="item_total")
    def item_count(self, issue):
        return issue.item_total

    @admin.display(description=_("preview"))
    def preview(self, issue):
        label = _("Preview") if not issue.is_public else _("View on site")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', issue.get_absolute_url(), label)

    def has_publish_permission(self, request):
        return publishing_rules.may_publish(request.user)

    def stored_issue(self, issue):
        return issue.pk

    def save_model(self, request, obj, form, change):
        # Status and publication time change only through the services: a form or a history
        # revert (which saves an old version whole) keeps the stored ones.
        publishing_rules.keep_stored_publication(obj)
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        locked = obj is not None and not publishing_rules.may_revert(request.user, obj.pk)
        return locked or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not publishing_rules.may_revert(request.user, object_id):
            refusal = _("This issue is published: only a publisher may revert it to an older version.")
            if request.method == "POST":
                self.message_user(request, refusal, messages.ERROR)
                return redirect("admin:items_issue_history", object_id)
            # The page shows the old version without a Revert button: say why.
            self.message_user(request, refusal, messages.INFO)
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.action(description=_("Publish selected issues"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        # As "Delete selected" does: the first post shows what will go public, the confirmed one publishes.
        if request.POST.get("post") != "yes":
            return self.publish_confirmation(request, queryset)
        published = 0
        for issue_id in queryset.values_list("pk", flat=True):
            try:
                publish_issue(issue_id, user=request.user)
            except PublishingError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%d issue published.", "%d issues published.", published) % published,
                messages.SUCCESS,
            )

    def publish_confirmation(self, request, queryset):
        previews = publication_previews(queryset.values_list("pk", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish these issues?"),
            "opts": self.model._meta,
            "previews": previews,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/items/issue/publish_confirmation.html", context)

    @admin.action(description=_("Withdraw selected issues from the public site"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        withdrawn = 0
        for issue_id in queryset.values_list("pk", flat=True):
            withdraw_issue(issue_id, user=request.user)
            withdrawn += 1
        self.message_user(
            request, ngettext("%d issue withdrawn.", "%d issues withdrawn.", withdrawn) % withdrawn, messages.SUCCESS
        )


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ["footnote", "url", "label", "language", "is_official"]


class LegalBasisArticleInline(admin.TabularInline):
    """The articles an action applies ("PIPL Art. 13"); each one's instrument joins the legal basis.
    Listing them on a published issue's action is a correction, as its sources are."""

    model = LegalBasisArticle
    extra = 1
    fields = ["instrument", "article"]
    autocomplete_fields = ["instrument"]
    verbose_name_plural = _("articles applied (instrument and article)")


class TypedAmountsMixin:
    """An action's amounts may be typed with separators ("1,200,000", "1 200 000", "1.2e6") and its
    currency as readers write the yuan ("RMB", "¥", "元"): the readings of the public filters."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "currency":
            kwargs["form_class"] = CurrencyField
        elif db_field.name in AMOUNT_FIELDS:
            # A number input would refuse the separators before the field reads them.
            kwargs["form_class"] = AmountField
            kwargs["widget"] = forms.TextInput(attrs={"inputmode": "decimal", "size": 16})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


AMOUNT_FIELDS = {"fine_amount", "damages_amount", "cny_rate_override"}
CNY_READ_ONLY = ["fine_cny", "damages_cny", "cny_rate", "cny_rate_date", "cny_rate_source"]


def action_initial_from_item(item):
    """What a new enforcement action takes from its news item: regulators, decision date, jurisdiction."""
    return {
        "jurisdiction": item.jurisdiction,
        "regulators": [regulator.pk for regulator in item.regulators.all()],
        "decided_on": item.event_date,
        "decided_on_precision": item.event_date_precision,
    }


class ActionsPrefilledFromItemFormSet(forms.BaseInlineFormSet):
    """A new action in a news item's inline starts with the item's regulators and date."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        # `index` is None for the template "Add another" copies; existing actions keep their own.
        if self.instance.pk is not None and (index is None or index >= self.initial_form_count()):
            if not hasattr(self, "_item_initial"):
                self._item_initial = action_initial_from_item(self.instance)
            kwargs["initial"] = dict(self._item_initial)
        return kwargs


class EnforcementActionInline(TypedAmountsMixin, PublishedIssueRowsInline, admin.StackedInline):
    model = EnforcementAction
    formset = ActionsPrefilledFromItemFormSet
    extra = 0
    fields = [
        "public_id",
        ("action_type", "decided_on", "decided_on_precision"),
        "regulators",
        ("target", "target_zh"),
        ("organisation", "target_count"),
        ("sector", "jurisdiction"),
        ("fine_amount", "currency", "damages_amount"),
        ("cny_rate_override", "fine_cny", "cny_rate", "cny_rate_date"),
        "sentence",
        "legal_basis",
        "violations",
        ("summary", "summary_zh"),
        ("decision_number", "decision_status"),
        "decision_url",
    ]
    readonly_fields = ["public_id", "fine_cny", "cny_rate", "cny_rate_date"]
    autocomplete_fields = ["regulators", "organisation", "legal_basis", "violations"]
    show_change_link = True

    def stored_issue(self, item):
        return publishing_rules.stored_issue_of_item(item.pk)


@admin.register(NewsItem)
class NewsItemAdmin(PlacementCheckedAdmin):
    form = NewsItemForm
    resource_classes = [NewsItemResource]
    chinese_fields = [("headline", "headline_zh"), ("body", "body_zh")]
    list_display = ["headline", "issue", "section", "position", "event_date_shown", "jurisdiction"]
    list_filter = [
        NeedsChineseFilter,
        "issue__status",
        "issue__series",
        "section",
        "jurisdiction",
        ("regulators", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["headline", "headline_zh", "body", "body_zh"]
    autocomplete_fields = ["issue", "section", "regulators", "instruments", "topics"]
    list_select_related = ["issue__series", "section"]
    date_hierarchy = "event_date"
    inlines = [SourceInline, EnforcementActionInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": [("issue", "section", "position"), ("headline", "headline_zh")]}),
        (_("Text"), {"fields": [("body", "body_zh")]}),
        (_("Facts"), {"fields": [("event_date", "event_date_precision"), "jurisdiction"]}),
        (_("Links"), {"fields": ["regulators", "instruments", "topics"]}),
    ]

    event_date_shown = precise_date_column("event_date", _("event date"))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        issue_id = initial.get("issue")
        if issue_id and str(issue_id).isdigit():
            initial["position"] = NewsItem.objects.next_position(int(issue_id))
        else:
            initial["position"] = None  # blank: after the last item of the issue chosen
        return initial

    def save_model(self, request, obj, form, change):
        place_after_last_item(obj)
        super().save_model(request, obj, form, change)

    def stored_issue(self, item):
        return publishing_rules.stored_issue_of_item(item.pk)


@admin.register(EnforcementAction)
class EnforcementActionAdmin(TypedAmountsMixin, PlacementCheckedAdmin):
    form = EnforcementActionForm
    resource_classes = [EnforcementActionResource]
    chinese_fields = [("target", "target_zh"), ("summary", "summary_zh")]
    list_display = [
        "public_id",
        "action_type",
        "target",
        "fine",
        "fine_cny",
        "decided_on_shown",
        "jurisdiction",
        "news_item",
    ]
    list_filter = [
        NeedsChineseFilter,
        "action_type",
        "sector",
        "jurisdiction",
        "currency",
        "decision_status",
        ("regulators", admin.RelatedOnlyFieldListFilter),
        "news_item__issue__status",
    ]
    search_fields = [
        "public_id",
        "target",
        "target_zh",
        "summary",
        "summary_zh",
        "sentence",
        "organisation__name",
        "decision_number",
    ]
    autocomplete_fields = [
        "news_item",
        "regulators",
        "organisation",
        "legal_basis",
        "violations",
        "appeal_of",
        "related_actions",
    ]
    inlines = [LegalBasisArticleInline]
    readonly_fields = ["public_id", "created_at", "updated_at", *CNY_READ_ONLY]
    list_select_related = ["news_item", "organisation"]
    date_hierarchy = "decided_on"
    fieldsets = [
        (None, {"fields": ["public_id", "news_item", ("action_type", "decided_on", "decided_on_precision")]}),
        (
            _("Who"),
            {
                "fields": [
                    "regulators",
                    ("target", "target_zh"),
                    ("organisation", "target_count"),
                    ("sector", "jurisdiction"),
                ]
            },
        ),
        (_("Outcome"), {"fields": [("fine_amount", "currency"), "damages_amount", "sentence"]}),
        (
            _("In yuan"),
            {
                "fields": [
                    "cny_rate_override",
                    ("fine_cny", "damages_cny"),
                    ("cny_rate", "cny_rate_date", "cny_rate_source"),
                ],
                "description": _(
                    "The amounts in CNY are worked out when the action is saved, at the ECB reference rate "
                    "of the decision date, or at the editor's rate when one is given."
                ),
            },
        ),
        (
            _("Grounds"),
            {
                "fields": ["legal_basis", "violations", ("summary", "summary_zh")],
                "description": _("List the articles applied below; each one's instrument joins the legal basis."),
            },
        ),
        (
            _("Decision"),
            {
                "fields": [("decision_number", "decision_status"), "decision_url", "appeal_of", "related_actions"],
                "description": _(
                    "The authority's own number and page for the decision; its first instance if it decides an "
                    "appeal; the same case's other decisions (other targets, other authorities)."
                ),
            },
        ),
        (_("Record"), {"fields": [("created_at", "updated_at")]}),
    ]

    decided_on_shown = precise_date_column("decided_on", _("decided on"))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        item_id = initial.get("news_item")
        item = NewsItem.objects.filter(pk=item_id).first() if str(item_id or "").isdigit() else None
        if item is not None:
            initial = {**action_initial_from_item(item), **initial}
        return initial

    def stored_issue(self, action):
        return publishing_rules.stored_issue_of_action(action.pk)

    @admin.display(description=_("fine"), ordering="fine_amount")
    def fine(self, action):
        return format_amount(action.fine_amount, action.currency)


@admin.register(Source)
class SourceAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [SourceResource]
    list_display = ["__str__", "news_item", "footnote", "language", "is_official"]
    list_filter = ["language", "is_official"]
    search_fields = ["url", "label", "news_item__headline"]
    autocomplete_fields = ["news_item"]
    list_select_related = ["news_item"]


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [OrganisationResource]
    chinese_fields = [("name", "name_zh")]
    list_display = ["name", "name_zh", "country", "parent"]
    list_filter = [NeedsChineseFilter, "country"]
    search_fields = ["name", "name_zh", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    fields = [("name", "name_zh"), "slug", "parent", "country"]


class NamedTagAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    chinese_fields = [("name", "name_zh")]
    list_display = ["name", "name_zh", "slug"]
    search_fields = ["name", "name_zh", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Series)
class SeriesAdmin(NamedTagAdmin):
    resource_classes = [SeriesResource]
    list_display = ["name", "name_zh", "publisher", "slug"]
    fields = [("name", "name_zh"), "slug", "publisher", "description"]
    list_filter = [NeedsChineseFilter, "publisher"]


@admin.register(Section)
class SectionAdmin(NamedTagAdmin):
    resource_classes = [SectionResource]
    list_display = ["name", "name_zh", "order", "slug"]
    fields = [("name", "name_zh"), "slug", "order"]
    list_editable = ["order"]
    list_filter = [NeedsChineseFilter, "order"]


@admin.register(Topic)
class TopicAdmin(NamedTagAdmin):
    resource_classes = [TopicResource]
    fields = [("name", "name_zh"), "slug"]
    list_filter = [NeedsChineseFilter, ("news_items__issue__series", admin.RelatedOnlyFieldListFilter)]


@admin.register(Violation)
class ViolationAdmin(NamedTagAdmin):
    resource_classes = [ViolationResource]
    fields = [("name", "name_zh"), "slug"]
    list_filter = [NeedsChineseFilter, "enforcement_actions__action_type"]
