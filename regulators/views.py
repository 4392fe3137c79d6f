"""Public pages of the regulatory landscape that need nothing the newsletter reported.

The pages that show a regulator's or an instrument's items and enforcement are the items app's
(items/landscape_views.py): a page that shows two apps' data lives in the higher one.
"""

from core.listing import Facet, FilteredListView
from core.page_cache import KeptPageMixin
from regulators.filters import InstrumentFilter
from regulators.models import Instrument


class InstrumentListView(KeptPageMixin, FilteredListView):
    template_name = "regulators/instrument_list.html"
    filterset_class = InstrumentFilter
    paginate_by = 50
    facets = [
        Facet("kind", "kind", choices=Instrument.Kind.choices),
        Facet("status", "status", choices=Instrument.Status.choices),
        Facet("issuer", "issuers__slug", ["issuers__abbreviation", "issuers__name"], limit=20),
    ]

    def get_base_queryset(self):
        return Instrument.objects.prefetch_related("issuers").order_by("-published_on", "title")
