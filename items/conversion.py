"""Fines and damages in yuan, so that actions in any currency can be compared, filtered and summed.

Each enforcement action stores its amounts converted to CNY (`fine_cny`, `damages_cny`) with the
rate used, the rate's date and where it came from. The rate is, in order:
- 1 for an amount already in yuan;
- the editor's rate typed on the action (`cny_rate_override`), e.g. the one the decision states;
- the European Central Bank's reference rate of the decision date (the issue's date when the
  action has none), taken from the ECB's historical daily rates that the `currencyconverter`
  package ships, so no network is needed. On a weekend or a bank holiday the ECB publishes no
  rate: the last rate it published before that day is used, and its date is stored.
Without a date, or for a currency the ECB does not publish, the amounts stay unconverted and
the reason is stored: a rate is never guessed.

The amounts are derived on every save (`items.signals`, fixture loads included) and by
`convert_actions()` on the paths that write in bulk (the demo data).
"""

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.db import models
from django.utils.translation import gettext_lazy as _

REFERENCE_CURRENCY = "CNY"
CENT = Decimal("0.01")
RATE_PLACES = 10  # yuan per unit, to 10 places: an IDR rate (0.00045…) keeps 6 significant digits
# The longest the ECB has gone without publishing (Christmas to New Year) is under a week.
MOST_DAYS_WITHOUT_A_RATE = 10


class RateSource(models.TextChoices):
    """How an action's amounts were converted to yuan, or why they were not."""

    NO_AMOUNT = "", _("no amount")
    SAME_CURRENCY = "cny", _("already in yuan")
    ECB = "ecb", _("ECB reference rate")
    EDITOR = "editor", _("editor's rate")
    NO_DATE = "no_date", _("not converted: no decision or issue date")
    NO_RATE = "no_rate", _("not converted: the ECB publishes no rate for this currency")


@functools.cache
def ecb_converter():
    """The ECB's daily rates, read once per process (about half a second)."""
    from currency_converter import CurrencyConverter

    # Missing days (weekends, holidays) raise RateNotFoundError: `ecb_rate` then steps back to the
    # last day the ECB published, so the stored date is that of a rate the ECB really gave.
    # A date beyond the data (a decision after the package's last rate) takes the nearest rate.
    return CurrencyConverter(fallback_on_wrong_date=True, fallback_on_missing_rate=False, decimal=True)


def ecb_currencies():
    return ecb_converter().currencies


def ecb_rate(currency, on):
    """(yuan per unit of `currency`, the ECB date of that rate), or None when the ECB has none."""
    from currency_converter import RateNotFoundError

    converter = ecb_converter()
    if currency not in converter.currencies:
        return None
    bounds = [converter.bounds[code] for code in (currency, REFERENCE_CURRENCY)]
    first = max(bound.first_date for bound in bounds)
    last = min(bound.last_date for bound in bounds)
    day = min(max(on, first), last)
    for _step in range(MOST_DAYS_WITHOUT_A_RATE):
        try:
            rate = converter.convert(1, currency, REFERENCE_CURRENCY, date=day)
        except RateNotFoundError:
            day -= datetime.timedelta(days=1)
            continue
        return rate.quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_UP), day
    return None


@dataclass(frozen=True)
class CnyAmounts:
    """An action's fine and damages in yuan, the rate used, its date and where it came from."""

    fine: Decimal | None = None
    damages: Decimal | None = None
    rate: Decimal | None = None
    rate_date: datetime.date | None = None
    source: str = RateSource.NO_AMOUNT


def in_yuan(amount, rate):
    if amount is None:
        return None
    with localcontext() as context:
        context.prec = 60  # an 18-digit amount times a large rate still rounds exactly
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def cny_amounts(fine, damages, currency, on, override=None):
    """The amounts in yuan: `on` is the date whose rate applies (or None), `override` an editor's rate."""
    if fine is None and damages is None:
        return CnyAmounts()
    if currency == REFERENCE_CURRENCY:
        return CnyAmounts(fine, damages, Decimal(1), None, RateSource.SAME_CURRENCY)
    if override is not None:
        return CnyAmounts(in_yuan(fine, override), in_yuan(damages, override), override, None, RateSource.EDITOR)
    if on is None:
        return CnyAmounts(source=RateSource.NO_DATE)
    found = ecb_rate(currency, on)
    if found is None:
        return CnyAmounts(source=RateSource.NO_RATE)
    rate, rate_date = found
    return CnyAmounts(in_yuan(fine, rate), in_yuan(damages, rate), rate, rate_date, RateSource.ECB)


# The other currencies a reader may ask an action's amounts in (its page, ?in=EUR).
DISPLAY_CURRENCIES = ("EUR", "USD")


@dataclass(frozen=True)
class OtherCurrency:
    """An action's fine and damages in a currency a reader asked for, from the yuan amounts."""

    currency: str
    fine: Decimal | None
    damages: Decimal | None
    rate: Decimal  # yuan per unit of `currency`
    rate_date: datetime.date


def in_other_currency(action, currency):
    """The action's amounts in `currency` (one of DISPLAY_CURRENCIES) at the ECB rate of its
    conversion date, from its amounts in yuan; None when it has none or the ECB has no rate."""
    on = action.cny_rate_date or conversion_date(action)
    if currency not in DISPLAY_CURRENCIES or on is None or (action.fine_cny is None and action.damages_cny is None):
        return None
    found = ecb_rate(currency, on)
    if found is None:
        return None
    rate, rate_date = found

    def convert(amount):
        return None if amount is None else (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)

    return OtherCurrency(currency, convert(action.fine_cny), convert(action.damages_cny), rate, rate_date)


def conversion_date(action):
    """The date whose rate converts the action: its decision's, else its issue's, else None."""
    if action.decided_on is not None:
        return action.decided_on
    if action.news_item_id is None:
        return None
    try:
        return action.news_item.issue.issued_on
    except models.ObjectDoesNotExist:  # a fixture may load the action before its item
        return None


def convert_action(action):
    """Set the action's stored yuan amounts, rate, rate date and source (it is not saved)."""
    result = cny_amounts(
        action.fine_amount, action.damages_amount, action.currency, conversion_date(action), action.cny_rate_override
    )
    action.fine_cny, action.damages_cny = result.fine, result.damages
    action.cny_rate, action.cny_rate_date, action.cny_rate_source = result.rate, result.rate_date, result.source


def convert_actions(actions):
    """`convert_action` on each action: for the paths that write with bulk_create (no save, no signal)."""
    for action in actions:
        convert_action(action)
