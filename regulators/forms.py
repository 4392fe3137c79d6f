"""Forms of the public regulatory pages."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Far enough either way for any rule the newsletter reports, and well inside what date
# arithmetic (a year ahead, a month back) can handle.
FIRST_YEAR, LAST_YEAR = 1900, 2100
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class MonthInput(forms.TextInput):
    input_type = "month"


class ConsultationDayForm(forms.Form):
    """The day the consultations page looks at (?on=YYYY-MM-DD) and its calendar's month (?month=YYYY-MM)."""

    on = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give the day as YYYY-MM-DD, e.g. 2021-05-01.")},
    )
    month = forms.CharField(
        label=_("Calendar month"),
        required=False,
        max_length=7,
        widget=MonthInput(attrs={"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"}),
        error_messages={"max_length": _("Give the month as YYYY-MM, e.g. 2021-05.")},
    )

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a day between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = MONTH_PATTERN.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2021-05."))
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a month between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return datetime.date(year, int(match.group(2)), 1)

    def day_and_month(self, today):
        """The valid day and month asked for; today and the day's month stand in for what is missing or wrong."""
        if self.is_bound:
            self.is_valid()  # an invalid field drops out of cleaned_data; the valid one still counts
        cleaned = getattr(self, "cleaned_data", {})
        day = cleaned.get("on") or today
        month = cleaned.get("month") or day.replace(day=1)
        return day, month
