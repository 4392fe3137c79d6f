"""Filters of the instrument and regulator lists; every key is declared here and validated."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.column_bounds import ColumnBoundedFilterSet
from core.jurisdictions import jurisdiction_name
from core.listing import JurisdictionFilter, SlugMultipleChoiceFilter
from regulators.models import Instrument, Regulator
from regulators.stages import Stage, with_stage


class InstrumentFilter(ColumnBoundedFilterSet):
    """The instrument list's filters. Query keys: `q`, `kind`, `status`, `issuer`, `jurisdiction`,
    `open_on`, `effective_after` / `effective_before`.

    `status` is the stage readers see today (regulators/stages.py: `open`, `closed`, `draft`,
    `adopted`, `in_force`, `amended`, `superseded`, `repealed`, `withdrawn`; several combine with
    OR), computed from the facts, never the editor's kind of text: the filter adds the `stage`
    annotation (regulators/stages.py `with_stage`) to the rows it narrows, so it filters in SQL.
    """

    q = django_filters.CharFilter(method="filter_text", label=_("Title"))
    kind = django_filters.MultipleChoiceFilter(
        choices=Instrument.Kind.choices, widget=forms.CheckboxSelectMultiple, label=_("Kind")
    )
    status = django_filters.MultipleChoiceFilter(
        method="filter_stage", choices=Stage.choices, widget=forms.CheckboxSelectMultiple, label=_("Stage")
    )
    issuer = SlugMultipleChoiceFilter(field_name="issuers", queryset=Regulator.objects.all(), label=_("Issuer"))
    jurisdiction = django_filters.CharFilter(method="filter_jurisdiction", label=_("Jurisdiction"))
    open_on = django_filters.DateFilter(
        method="filter_open_on",
        label=_("Open for comment on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    effective = django_filters.DateFromToRangeFilter(
        field_name="effective_on",
        label=_("In force between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    # open_on compares the day with comment_deadline (and published_on, a date column too).
    filter_columns = {"open_on": "comment_deadline"}

    class Meta:
        model = Instrument
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(title_zh__icontains=value) | Q(short_title__icontains=value)
        )

    def filter_stage(self, queryset, name, value):
        return with_stage(queryset, timezone.localdate()).filter(stage__in=value)

    def filter_jurisdiction(self, queryset, name, value):
        return queryset.filter(Q(jurisdiction__iexact=value) | Q(jurisdiction__istartswith=f"{value}-"))

    def filter_open_on(self, queryset, name, value):
        """Drafts whose comment period includes the day: published on or before it, deadline on or after."""
        return queryset.filter(
            status=Instrument.Status.DRAFT,
            comment_deadline__gte=value,
        ).filter(Q(published_on__isnull=True) | Q(published_on__lte=value))


def regulator_jurisdictions():
    codes = Regulator.objects.order_by().values_list("jurisdiction", flat=True).distinct()
    return [(code, jurisdiction_name(code)) for code in sorted(set(codes))]


class RegulatorFilter(ColumnBoundedFilterSet):
    jurisdiction = JurisdictionFilter(choices=regulator_jurisdictions, label=_("Jurisdiction"))
    kind = django_filters.MultipleChoiceFilter(choices=Regulator.Kind.choices, label=_("Kind"))
    level = django_filters.MultipleChoiceFilter(choices=Regulator.Level.choices, label=_("Level"))

    class Meta:
        model = Regulator
        fields = []
