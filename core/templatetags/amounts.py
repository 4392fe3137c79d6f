"""`{{ amount|grouped }}`: 1,250,000 — thousands grouped with commas in every language, as the
site writes fines (legal texts in English and Chinese both write them so); "—" for no amount."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def grouped(amount):
    if amount is None or amount == "":
        return "—"
    return f"{Decimal(amount):,.2f}".removesuffix(".00")
