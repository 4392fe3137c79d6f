"""Amounts as the site writes them: thousands grouped with commas in every language (legal texts
in English and Chinese both write 1,250,000), cents only when there are any."""

from decimal import Decimal


def grouped(amount):
    """'1,250,000' or '1,250.50' for an amount (a Decimal, int or its text)."""
    return f"{Decimal(amount):,.2f}".removesuffix(".00")
