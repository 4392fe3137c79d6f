"""Amounts and currencies as people type them: "100,000", "1e5", " 100 000 "; "RMB", "¥", "元".

One reading for every door where an amount or a currency is typed: the enforcement filters, the
admin's action form and the spreadsheet import.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from items.conversion import REFERENCE_CURRENCY

# What readers and editors write for the yuan; compared after stripping and upper-casing.
YUAN_NAMES = {"CNY", "RMB", "¥", "￥", "元", "人民币", "人民币元", "YUAN"}
# Thousands separators and spaces people put inside a number (the ASCII, no-break, narrow
# no-break and thin spaces, the apostrophe, the full-width comma).
GROUPING = re.compile(r"[\s,\u00a0\u202f\u2009'，]")


def currency_code(text):
    """ "RMB", "¥", "元", "cny" → "CNY"; any other text as typed, stripped (the code's own check judges it)."""
    code = (text or "").strip()
    return REFERENCE_CURRENCY if code.upper() in YUAN_NAMES else code


def plain_number(text):
    """ "100,000", " 100 000 " → "100000": the grouping a reader types, taken out."""
    return GROUPING.sub("", text) if isinstance(text, str) else text


class AmountField(forms.DecimalField):
    """A decimal that may be typed with thousands separators or spaces ("100,000", "1e5")."""

    default_error_messages = {"invalid": _("Enter an amount such as 100000, 100,000 or 1e5.")}

    def to_python(self, value):
        return super().to_python(plain_number(value))


class CurrencyField(forms.CharField):
    """A currency code; the yuan may be typed as "RMB", "¥", "元" or in lower case."""

    def to_python(self, value):
        return currency_code(super().to_python(value))
