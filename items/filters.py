"""Filters of the public lists. Every key is declared here: nothing else in a query string
reaches the ORM, and an invalid value becomes a form error, never a 500."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.column_bounds import ColumnBoundedFilterSet
from core.jurisdictions import jurisdiction_name
from core.listing import JurisdictionFilter, SlugMultipleChoiceFilter, SubtreeMultipleChoiceFilter
from items.amounts import AmountField, CurrencyField
from items.models import (
    ARTICLE_PATTERN,
    EnforcementAction,
    Issue,
    NewsItem,
    Organisation,
    Section,
    Series,
    Topic,
    Violation,
)
from items.search import MAX_QUERY_LENGTH, search_items
from regulators.models import Instrument, Regulator

# "pipl:13": an instrument's slug and an article as LegalBasisArticle.article allows it.
ARTICLE_KEY_PATTERN = r"^[-a-zA-Z0-9_]+:" + ARTICLE_PATTERN.lstrip("^")


class DateInput(forms.DateInput):
    input_type = "date"


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorts by an allow-listed field; rows without a value (no date, no fine) always come last."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:  # "?o=," or "?o=-fine,,date": an empty key sorts by nothing
                continue
            descending = param.startswith("-")
            field = self.param_map[param.lstrip("-")]
            expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
            ordering.append(expression)
        return qs.order_by(*ordering, "-pk")


class AmountRangeField(django_filters.fields.RangeField):
    """Two amounts, each of which may be typed "100,000", "100 000" or "1e5"."""

    def __init__(self, fields=None, *args, **kwargs):
        if fields is None:
            fields = (AmountField(), AmountField())
        super().__init__(fields, *args, **kwargs)

    def compress(self, data_list):
        # Blank bounds ("?fine_min=%20" reads as no amount) are no range: django-filter would
        # otherwise filter on slice(None, None), a 500.
        if data_list and all(value is None for value in data_list):
            return None
        return super().compress(data_list)


class AmountRangeFilter(django_filters.RangeFilter):
    field_class = AmountRangeField


class CurrencyFilter(django_filters.CharFilter):
    """A currency code; "RMB", "¥", "元" and "cny" all mean the yuan."""

    field_class = CurrencyField


# A slug that only drafts use is refused as an unknown one is: the answer tells nothing of drafts.
def published_violations(request):
    return Violation.objects.published()


def published_organisations(request):
    return Organisation.objects.published()


def published_topics(request):
    return Topic.objects.published()


def jurisdiction_choices(model):
    def choices():
        codes = model.objects.published().order_by().values_list("jurisdiction", flat=True).distinct()
        return [(code, jurisdiction_name(code)) for code in sorted(set(codes))]

    return choices


class EnforcementActionFilter(ColumnBoundedFilterSet):
    regulator = SubtreeMultipleChoiceFilter(
        field_name="regulators", queryset=Regulator.objects.all(), label=_("Regulator")
    )
    office = SlugMultipleChoiceFilter(
        field_name="regulators",
        queryset=Regulator.objects.all(),
        label=_("This office alone"),
        widget=forms.MultipleHiddenInput,
    )
    jurisdiction = JurisdictionFilter(choices=jurisdiction_choices(EnforcementAction), label=_("Jurisdiction"))
    action_type = django_filters.MultipleChoiceFilter(
        choices=EnforcementAction.ActionType.choices, widget=forms.CheckboxSelectMultiple, label=_("Action type")
    )
    decided = django_filters.DateFromToRangeFilter(
        field_name="decided_on",
        label=_("Decided between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    # Fines in every currency are compared in yuan (items.conversion); the keys fine_min and
    # fine_max stay as they were, since readers' links and alerts carry them.
    fine = AmountRangeFilter(field_name="fine_cny", label=_("Fine in CNY between"))
    target = django_filters.CharFilter(method="filter_target", label=_("Target"))
    sector = django_filters.MultipleChoiceFilter(
        choices=EnforcementAction.Sector.choices, widget=forms.CheckboxSelectMultiple, label=_("Sector")
    )
    legal_basis = SlugMultipleChoiceFilter(
        field_name="legal_basis", queryset=Instrument.objects.all(), label=_("Legal basis")
    )
    # One article applied, as the report links it: ?article=pipl:13 (hidden: set by those links).
    article = django_filters.CharFilter(
        method="filter_article",
        label=_("Article applied"),
        widget=forms.HiddenInput,
        max_length=130,
        validators=[
            RegexValidator(ARTICLE_KEY_PATTERN, _("Give an article as instrument-slug:article, e.g. pipl:13."))
        ],
    )
    violation = SlugMultipleChoiceFilter(field_name="violations", queryset=published_violations, label=_("Violation"))
    organisation = SubtreeMultipleChoiceFilter(
        field_name="organisation", queryset=published_organisations, label=_("Organisation")
    )
    currency = CurrencyFilter(field_name="currency", lookup_expr="iexact", label=_("Currency"))
    o = NullsLastOrderingFilter(
        fields=(
            ("decided_on", "date"),
            ("fine_cny", "fine"),
            ("public_id", "id"),
            ("jurisdiction", "jurisdiction"),
            ("action_type", "action"),
            ("sector", "sector"),
            ("target", "target"),
            ("damages_cny", "damages"),
        ),
        field_labels={
            "decided_on": _("Date"),
            "fine_cny": _("Fine in CNY"),
            "public_id": _("ID"),
            "jurisdiction": _("Jurisdiction"),
            "action_type": _("Action"),
            "sector": _("Sector"),
            "target": _("Target"),
            "damages_cny": _("Damages in CNY"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = EnforcementAction
        fields = []

    def filter_article(self, queryset, name, value):
        slug, _colon, article = value.partition(":")
        return queryset.filter(
            legal_basis_articles__instrument__slug=slug, legal_basis_articles__article=article
        ).distinct()

    def filter_target(self, queryset, name, value):
        return queryset.filter(
            Q(target__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__name_zh__icontains=value)
        )


class NewsItemFilter(ColumnBoundedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Words"), max_length=MAX_QUERY_LENGTH)
    section = SlugMultipleChoiceFilter(field_name="section", queryset=Section.objects.all(), label=_("Section"))
    regulator = SubtreeMultipleChoiceFilter(
        field_name="regulators", queryset=Regulator.objects.all(), label=_("Regulator")
    )
    office = SlugMultipleChoiceFilter(
        field_name="regulators",
        queryset=Regulator.objects.all(),
        label=_("This office alone"),
        widget=forms.MultipleHiddenInput,
    )
    instrument = SlugMultipleChoiceFilter(
        field_name="instruments", queryset=Instrument.objects.all(), label=_("Instrument")
    )
    topic = SlugMultipleChoiceFilter(field_name="topics", queryset=published_topics, label=_("Topic"))
    jurisdiction = JurisdictionFilter(choices=jurisdiction_choices(NewsItem), label=_("Jurisdiction"))
    date = django_filters.DateFromToRangeFilter(
        field_name="event_date",
        label=_("Happened between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = NewsItem
        fields = []

    def filter_text(self, queryset, name, value):
        return search_items(queryset, value)


class OrganisationFilter(ColumnBoundedFilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Name"), max_length=MAX_QUERY_LENGTH)

    class Meta:
        model = Organisation
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(name_zh__icontains=value) | Q(slug__icontains=value))


class IssueFilter(ColumnBoundedFilterSet):
    series = SlugMultipleChoiceFilter(field_name="series", queryset=Series.objects.all(), label=_("Series"))
    issued = django_filters.DateFromToRangeFilter(field_name="issued_on", label=_("Issued between"))

    class Meta:
        model = Issue
        fields = []
