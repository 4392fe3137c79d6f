"""Dates that the sources give only to the month or the year.

A newsletter may say a rule "will come into effect in July 2022". Such a date is stored as the
first day of its period together with a precision marker, and is always shown at that precision.
"""

import calendar

from django.contrib import admin
from django.db import models
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def precision_field(date_label):
    """The companion field that says how precisely `date_label` is known."""
    label = lazy(lambda: gettext("%(date)s precision") % {"date": date_label}, str)()
    return models.CharField(
        label,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Choose month or year when the source gives only the month or the year."),
    )


def format_precise_date(value, precision=DatePrecision.DAY):
    """Format a date no more precisely than it is known: "26 May 2021", "July 2022", "2022"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


# The length of an ISO date ("2021-05-26") cut to each precision.
ISO_LENGTHS = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7, DatePrecision.DAY: 10}


def iso_precise_date(value, precision=DatePrecision.DAY):
    """ISO 8601 at the known precision, for exports: "2021-05-26", "2022-07", "2022".

    `value` is a date or its ISO text (as SQLite's driver returns a date column).
    """
    if value is None:
        return ""
    return str(value)[: ISO_LENGTHS.get(precision, 10)]


def normalise_precise_date(value, precision):
    """Store a month- or year-precise date as the first day of its period."""
    if value is None:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value


def period_end(value, precision):
    """The last day a date at this precision may stand for (the month's or year's last day)."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


class PreciseDatesMixin:
    """Gives a model `display_date(name)` for each `<name>` with a `<name>_precision` field."""

    def clean(self):
        # Validate the dates as they will be stored (a month-precise date becomes the 1st).
        super().clean()
        self.normalise_precise_dates()

    def display_date(self, name):
        return format_precise_date(getattr(self, name), getattr(self, f"{name}_precision"))

    def normalise_precise_dates(self):
        for field in self._meta.concrete_fields:
            if field.name.endswith("_precision"):
                date_name = field.name.removesuffix("_precision")
                setattr(self, date_name, normalise_precise_date(getattr(self, date_name), getattr(self, field.name)))


def precise_date_column(name, description):
    """An admin list column showing the date `name` at its precision ("Jan. 2021", not "Jan. 1, 2021"),
    sorted by the date itself: `issued_on_shown = precise_date_column("issued_on", _("issued on"))`."""

    def column(model_admin, record):
        return record.display_date(name) or None  # None: the admin's dash for an empty cell

    column.__name__ = f"{name}_shown"
    return admin.display(description=description, ordering=name)(column)
