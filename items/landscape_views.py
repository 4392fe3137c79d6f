"""The landscape's pages that show what the newsletter reported: regulators with their counts,
a regulator's items, enforcement and charts, an instrument's timeline of items.

Regulators and instruments are reference records and are public; what was reported about them
comes through the items app's `published()` door. Their URLs keep the landscape's names
(`regulators:regulator-detail`…): digest_site/urls.py joins these patterns to regulators'.
"""

from types import SimpleNamespace

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.content_cache import cached, in_order
from core.dates import format_precise_date
from core.page_cache import KeptPageMixin
from items.enforcement_stats import enforcement_charts
from items.models import EnforcementAction, NewsItem
from regulators.lists import REGULATORS
from regulators.models import Instrument, Regulator


def published_count(model, lookup):
    """A subquery counting the published rows of `model` that point at the outer record by `lookup`."""
    rows = (
        model.objects.published()
        .filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(total=Count("pk", distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class RegulatorListView(KeptPageMixin, ListView):
    template_name = "items/regulator_list.html"

    def get_queryset(self):
        return REGULATORS.rows().annotate(
            item_count=published_count(NewsItem, "regulators"),
            action_count=published_count(EnforcementAction, "regulators"),
        )


class RegulatorDetailView(KeptPageMixin, DetailView):
    template_name = "items/regulator_detail.html"
    queryset = Regulator.objects.select_related("parent")
    latest = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regulator = self.object
        # Everything below the heading is one cached fragment of the template: it is read only
        # when that fragment is rendered afresh.
        context.update(
            today=timezone.localdate(),  # the instruments' stages are today's
            children=regulator.children.order_by("name"),
            body=SimpleLazyObject(lambda: self.body(regulator)),
        )
        return context

    def body(self, regulator):
        """Its latest actions and items with their totals, its charts and its instruments: the
        totals, row ids and charts from the cache while the content is unchanged, rows afresh."""
        items = regulator.news_items.published().select_related("issue__series", "section")
        actions = (
            regulator.enforcement_actions.published().select_related("organisation").prefetch_related("regulators")
        )

        def figures():
            return {
                "item_count": items.count(),
                "item_ids": list(items.order_by("-event_date", "-pk").values_list("pk", flat=True)[: self.latest]),
                "action_count": actions.count(),
                "action_ids": list(
                    actions.order_by("-decided_on", "-public_id").values_list("pk", flat=True)[: self.latest]
                ),
            }

        page = cached("regulator-page", (regulator.pk, self.latest), figures)
        return SimpleNamespace(
            actions=in_order(actions, page["action_ids"]),
            action_count=page["action_count"],
            items=in_order(items, page["item_ids"]),
            item_count=page["item_count"],
            instruments=list(regulator.instruments.with_stage(timezone.localdate()).order_by("-published_on", "title")),
            charts=cached(
                "regulator-charts", (regulator.pk,), lambda: enforcement_charts(actions, {"regulator": regulator.slug})
            ),
        )


class InstrumentDetailView(KeptPageMixin, DetailView):
    template_name = "items/instrument_detail.html"

    def get_queryset(self):
        return Instrument.objects.prefetch_related("issuers", "implements", "implemented_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        items = list(
            instrument.news_items.published().select_related("issue__series", "section").order_by("event_date", "pk")
        )
        context["items"] = items
        context["timeline"] = instrument_timeline(instrument, items)
        context["actions"] = (
            instrument.enforcement_actions.published().select_related("organisation").prefetch_related("regulators")
        )
        return context


STAGES = [
    ("published_on", _("Published")),
    ("comment_deadline", _("Comment deadline")),
    ("adopted_on", _("Adopted")),
    ("effective_on", _("Comes into force")),
]


def instrument_timeline(instrument, items):
    """The instrument's life in date order: its own dates, and every item that reported a step."""
    events = [
        {"date": getattr(instrument, name), "label": label, "when": instrument.display_date(name), "stage": name}
        for name, label in STAGES
        if getattr(instrument, name)
    ]
    events += [
        {
            "date": item.event_date or item.issue.issued_on,
            "label": item.display_headline,
            "when": format_precise_date(item.event_date, item.event_date_precision)
            if item.event_date
            else item.issue.issued_on_display,
            "item": item,
        }
        for item in items
    ]
    return sorted(events, key=lambda event: (event["date"], "item" in event))


# Joined to regulators.urls under the "regulators" namespace by digest_site/urls.py.
urlpatterns = [
    path("regulators/", RegulatorListView.as_view(), name="regulator-list"),
    path("regulators/<slug:slug>/", RegulatorDetailView.as_view(), name="regulator-detail"),
    path("instruments/<slug:slug>/", InstrumentDetailView.as_view(), name="instrument-detail"),
]
