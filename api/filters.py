"""Filters of the API lists whose pages have none of their own (the issue archive, the regulators).

The other lists use the pages' FilterSets: items.filters, regulators.filters, items.organisations.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.column_bounds import ColumnBoundedFilterSet
from core.listing import SlugMultipleChoiceFilter
from items.filters import JurisdictionFilter
from items.models import Issue, Series
from regulators.models import Regulator


def regulator_jurisdictions():
    codes = Regulator.objects.order_by().values_list("jurisdiction", flat=True).distinct()
    return [(code, code) for code in sorted(set(codes))]


class IssueFilter(ColumnBoundedFilterSet):
    series = SlugMultipleChoiceFilter(field_name="series", queryset=Series.objects.all(), label=_("Series"))
    issued = django_filters.DateFromToRangeFilter(field_name="issued_on", label=_("Issued between"))

    class Meta:
        model = Issue
        fields = []


class RegulatorFilter(ColumnBoundedFilterSet):
    jurisdiction = JurisdictionFilter(choices=regulator_jurisdictions, label=_("Jurisdiction"))
    kind = django_filters.MultipleChoiceFilter(choices=Regulator.Kind.choices, label=_("Kind"))
    level = django_filters.MultipleChoiceFilter(choices=Regulator.Level.choices, label=_("Level"))

    class Meta:
        model = Regulator
        fields = []
