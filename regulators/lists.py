"""The landscape's public lists, each defined once (see core.listing.PublicList).

Instruments and regulators are reference records: every one of them is public. The regulator
list's page adds the counts of what the newsletter reported (items/landscape_views.py).
"""

from django.utils import timezone

from core.listing import Facet, PublicList
from regulators.filters import InstrumentFilter, RegulatorFilter
from regulators.models import Instrument, Regulator
from regulators.stages import Stage


def instrument_rows():
    """Every instrument with its `stage` as of today (so the rows change when the day does: a
    cached read of this list must be keyed by the day too, see `InstrumentListView`)."""
    return (
        Instrument.objects.with_stage(timezone.localdate())
        .prefetch_related("issuers")
        .order_by("-published_on", "title")
    )


INSTRUMENTS = PublicList(
    "instruments",
    instrument_rows,
    InstrumentFilter,
    "regulators:instrument-list",
    facets=[
        Facet("kind", "kind", choices=Instrument.Kind.choices),
        Facet("status", "stage", choices=Stage.choices),
        Facet("issuer", "issuers__slug", ["issuers__abbreviation", "issuers__name"], limit=20),
    ],
)

REGULATORS = PublicList(
    "regulators",
    lambda: Regulator.objects.select_related("parent").order_by("jurisdiction", "level", "name"),
    RegulatorFilter,
    "regulators:regulator-list",
)
