"""The landscape's public lists, each defined once (see core.listing.PublicList).

Instruments and regulators are reference records: every one of them is public. The regulator
list's page adds the counts of what the newsletter reported (items/landscape_views.py).
"""

from core.listing import Facet, PublicList
from regulators.filters import InstrumentFilter, RegulatorFilter
from regulators.models import Instrument, Regulator

INSTRUMENTS = PublicList(
    "instruments",
    lambda: Instrument.objects.prefetch_related("issuers").order_by("-published_on", "title"),
    InstrumentFilter,
    "regulators:instrument-list",
    facets=[
        Facet("kind", "kind", choices=Instrument.Kind.choices),
        Facet("status", "status", choices=Instrument.Status.choices),
        Facet("issuer", "issuers__slug", ["issuers__abbreviation", "issuers__name"], limit=20),
    ],
)

REGULATORS = PublicList(
    "regulators",
    lambda: Regulator.objects.select_related("parent").order_by("jurisdiction", "level", "name"),
    RegulatorFilter,
    "regulators:regulator-list",
)
