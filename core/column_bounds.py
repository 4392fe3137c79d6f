"""Filter values a column can hold: a number or date beyond its column's range is a form error.

Without it, `?fine_min=1e999999` reaches PostgreSQL as a numeric literal it cannot hold ("value
overflows numeric format") and a 30-digit integer is one SQLite cannot bind: a 500 on every list,
feed, export and API endpoint the FilterSet serves. Every public FilterSet derives from
`ColumnBoundedFilterSet`, so each numeric and date filter is bounded by the model field it reads:
a Decimal by its max_digits and decimal_places, an integer by the database's range for the
column, a date by what Python and a timestamp column in any time zone can hold.
"""

import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from django_filters.utils import get_model_field

# A date compared with a timestamp column becomes a moment in the site's time zone; a day's
# margin keeps its conversion to UTC inside the years Python can hold.
TIMESTAMP_DATES = (datetime.date.min + datetime.timedelta(days=1), datetime.date.max - datetime.timedelta(days=1))


class Within:
    """A form validator: the value lies between `low` and `high`, both included."""

    def __init__(self, low, high, message):
        self.low, self.high, self.message = low, high, message

    def __call__(self, value):
        if value is not None and not (self.low <= value <= self.high):
            raise ValidationError(self.message, code="out_of_range", params={"low": self.low, "high": self.high})


def column_range(column, connection):
    """(lowest, highest) value `column` can hold on `connection`, or None when it has no bound we enforce."""
    if isinstance(column, models.DecimalField):
        unit = Decimal(1).scaleb(-column.decimal_places)
        highest = Decimal(10) ** (column.max_digits - column.decimal_places) - unit
        # An amount that cannot be negative (a fine) says so: "between 0 and …".
        floors = [v.limit_value for v in column.validators if isinstance(v, MinValueValidator)]
        return max([-highest, *floors]), highest
    if isinstance(column, (models.IntegerField, models.AutoField)):
        low, high = connection.ops.integer_field_range(column.get_internal_type())
        # SQLite reports no range of its own; it binds 64-bit integers.
        return (low if low is not None else -(2**63)), (high if high is not None else 2**63 - 1)
    if isinstance(column, models.DateTimeField):
        return TIMESTAMP_DATES
    if isinstance(column, models.DateField):
        return datetime.date.min, datetime.date.max
    return None


def range_message(low, high):
    if isinstance(low, datetime.date):
        return _("Give a date between %(low)s and %(high)s.") % {"low": low.isoformat(), "high": high.isoformat()}
    return _("Give a number between %(low)s and %(high)s.") % {"low": f"{low:,}", "high": f"{high:,}"}


def value_fields(form_field):
    """The single-value form fields inside `form_field` (a range field holds two)."""
    if isinstance(form_field, forms.MultiValueField):
        return [field for inner in form_field.fields for field in value_fields(inner)]
    return [form_field]


BOUNDED_FORM_FIELDS = (forms.DecimalField, forms.IntegerField, forms.DateField)


def bound_to_column(form_field, column, connection):
    """Add a range validator to each number or date field inside `form_field`, from `column`."""
    bounds = column_range(column, connection)
    if bounds is None:
        return
    low, high = bounds
    for field in value_fields(form_field):
        if not isinstance(field, BOUNDED_FORM_FIELDS):
            continue
        if isinstance(field, forms.DateField) != isinstance(low, datetime.date):
            continue  # a date filter over a number column, or the reverse: nothing to bound
        field.validators.append(Within(low, high, range_message(low, high)))


class ColumnBoundedFilterSet(django_filters.FilterSet):
    """A FilterSet whose number and date filters accept only what their column can hold.

    A filter that reads through a method names its column in `filter_columns`
    (e.g. {"open_on": "comment_deadline"}); the others are found by their field_name.
    """

    filter_columns = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        connection = connections[self.queryset.db]
        for name, filter_ in self.filters.items():
            column = get_model_field(self._meta.model, self.filter_columns.get(name, filter_.field_name))
            if column is not None and not column.is_relation:
                bound_to_column(filter_.field, column, connection)
