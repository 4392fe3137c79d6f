"""Fines in other currencies, converted to yuan at the rates the editors keep (items.ExchangeRate).

A fine is converted at the rate of its currency for the year it was decided. When the editors
have no rate for that currency and year, or the action has no decision date, the fine is shown
unconverted with the reason: a rate is never guessed from another year.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.db.models import Q
from django.utils.translation import gettext as _

from items.models import ExchangeRate, format_amount

REFERENCE_CURRENCY = "CNY"


@dataclass(frozen=True)
class Conversion:
    """A fine in the reference currency, with the rate used, or why it could not be converted."""

    amount: Decimal | None = None
    rate: ExchangeRate | None = None
    missing: str = ""

    @property
    def amount_display(self):
        return format_amount(self.amount, REFERENCE_CURRENCY) if self.amount is not None else ""

    @property
    def rate_display(self):
        """ "at 7.82 CNY/EUR, 2021"; empty for a fine already in yuan."""
        if self.rate is None:
            return ""
        return _("at %(rate)s %(reference)s/%(currency)s, %(year)s") % {
            "rate": self.rate.rate_display,
            "reference": REFERENCE_CURRENCY,
            "currency": self.rate.currency,
            "year": self.rate.year,
        }


def rate_key(action):
    """(currency, year) whose rate converts the action's fine, or None when it needs none or cannot have one."""
    if action.fine_amount is None or action.currency in ("", REFERENCE_CURRENCY) or action.decided_on is None:
        return None
    return (action.currency, action.decided_on.year)


def rates_for(actions):
    """{(currency, year): ExchangeRate} for every rate the actions' fines need, read in one query."""
    keys = {key for key in map(rate_key, actions) if key}
    if not keys:
        return {}
    condition = Q()
    for currency, year in keys:
        condition |= Q(currency=currency, year=year)
    return {(rate.currency, rate.year): rate for rate in ExchangeRate.objects.filter(condition)}


def convert(action, rates):
    """The action's fine in yuan (a Conversion), or an empty Conversion when it has no fine."""
    if action.fine_amount is None:
        return Conversion()
    if action.currency == REFERENCE_CURRENCY:
        return Conversion(amount=action.fine_amount)
    if action.decided_on is None:
        return Conversion(missing=_("no decision date to choose a rate"))
    rate = rates.get(rate_key(action))
    if rate is None:
        return Conversion(
            missing=_("no rate for %(currency)s %(year)s")
            % {"currency": action.currency, "year": action.decided_on.year}
        )
    with localcontext() as context:
        context.prec = 60  # an 18-digit fine times a large rate still rounds exactly
        amount = (action.fine_amount * rate.rate_to_cny).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return Conversion(amount=amount, rate=rate)


def with_conversions(actions):
    """The actions, each given a `conversion` attribute (one query for all the rates)."""
    actions = list(actions)
    rates = rates_for(actions)
    for action in actions:
        action.conversion = convert(action, rates)
    return actions


def total_in_reference_currency(actions):
    """(sum of the fines that could be converted, number of fines that could not)."""
    total, unconverted = Decimal(0), 0
    for action in actions:
        conversion = action.conversion
        if conversion.amount is not None:
            total += conversion.amount
        elif action.fine_amount is not None:
            unconverted += 1
    return total, unconverted
