"""The enforcement dashboard: the enforcement list's filters and query string, drawn as charts.

`/enforcement/stats/?regulator=miit` charts exactly the actions `/enforcement/?regulator=miit`
lists: the same FilterSet over the same published() queryset, with the same facets beside it.
Invalid filters show the form's errors and empty charts, as the list shows no rows.
"""

from core.content_cache import cached
from items.enforcement_stats import enforcement_charts
from items.views import EnforcementListView


class EnforcementStatsView(EnforcementListView):
    template_name = "items/enforcement_stats.html"
    paginate_by = None  # every matching action is charted; none is listed

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["charts"] = cached(
            "enforcement-charts",
            self.cache_parts(),
            lambda: enforcement_charts(self.object_list, self.request.GET),
            self.cache_timeout(),
        )
        return context
