"""The landscape's public lists, each defined once (see core.listing.PublicList).

Instruments and regulators are reference records: every one of them is public. The regulator
list's page adds the counts of what the newsletter reported (items/landscape_views.py).
"""

from django.utils import timezone

from core.facets import Facet
from core.listing import PublicList
from regulators.filters import InstrumentFilter, RegulatorFilter
from regulators.models import Instrument, Regulator
from regulators.stages import STAGE_LINKS, Stage, with_stage


def instrument_rows():
    """Every instrument, with what its stage today is computed from (`Instrument.current_stage`,
    in Python for the rows shown). The stage is SQL only where the list filters or counts by it:
    the `status` filter and facet add `with_stage()`, whose expression is dear to compile."""
    return Instrument.objects.prefetch_related("issuers", *STAGE_LINKS).order_by("-published_on", "title")


def with_stage_today(queryset):
    return with_stage(queryset, timezone.localdate())


INSTRUMENTS = PublicList(
    "instruments",
    instrument_rows,
    InstrumentFilter,
    "regulators:instrument-list",
    facets=[
        Facet("kind", "kind", choices=Instrument.Kind.choices),
        Facet("status", "stage", choices=Stage.choices, annotate=with_stage_today),
        Facet(
            "issuer",
            "issuers__slug",
            ["issuers__abbreviation", "issuers__name"],
            limit=20,
            zh_label_paths=["issuers__name_zh"],
        ),
    ],
)

REGULATORS = PublicList(
    "regulators",
    lambda: Regulator.objects.select_related("parent").order_by("jurisdiction", "level", "name"),
    RegulatorFilter,
    "regulators:regulator-list",
)
