"""`{{ amount|grouped }}`: 1,250,000 (core/amounts.py); "—" for no amount."""

from django import template

from core import amounts

register = template.Library()


@register.filter
def grouped(amount):
    if amount is None or amount == "":
        return "—"
    return amounts.grouped(amount)
