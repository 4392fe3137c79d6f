"""Public pages of the regulatory landscape that need nothing the newsletter reported.

The pages that show a regulator's or an instrument's items and enforcement are the items app's
(items/landscape_views.py): a page that shows two apps' data lives in the higher one.
"""

from django.utils import timezone

from core.content_cache import in_order
from core.listing import FilteredListView
from core.page_cache import KeptPageMixin
from regulators.lists import INSTRUMENTS


class InstrumentListView(KeptPageMixin, FilteredListView):
    template_name = "regulators/instrument_list.html"
    public_list = INSTRUMENTS
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)

    def rows_by_id(self, queryset, ids):
        # Every instrument is public: the page's rows are read by id from the plain rows, without
        # the stage expression a `status` filter adds (each row's stage is computed in Python).
        return in_order(self.public_list.rows(), ids)

    def cache_parts(self, *more):
        # The stages (filter, facet, counts) are today's: yesterday's cached counts are not.
        return super().cache_parts(timezone.localdate().isoformat(), *more)
