"""Public pages of the regulatory landscape.

Regulators and instruments are reference records and are public; everything the newsletter
reported about them (items, enforcement) is reached through the reporting models' own
`published()` door, via the reverse relations, so that this app never imports `items`.
"""

from types import SimpleNamespace

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.content_cache import cached, in_order
from core.dates import format_precise_date
from core.listing import Facet, FilteredListView
from core.page_cache import KeptPageMixin
from items.enforcement_stats import enforcement_charts
from regulators.filters import InstrumentFilter
from regulators.models import Instrument, Regulator


def reporting_model(model, relation):
    """The model behind a reverse relation (e.g. Regulator.news_items → NewsItem)."""
    return model._meta.get_field(relation).related_model


def published_count(model, relation, lookup):
    """A subquery counting the published rows of `relation` that point at the outer record."""
    related = reporting_model(model, relation)
    rows = (
        related.objects.published()
        .filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(total=Count("pk", distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class RegulatorListView(KeptPageMixin, ListView):
    template_name = "regulators/regulator_list.html"

    def get_queryset(self):
        return (
            Regulator.objects.select_related("parent")
            .annotate(
                item_count=published_count(Regulator, "news_items", "regulators"),
                action_count=published_count(Regulator, "enforcement_actions", "regulators"),
            )
            .order_by("jurisdiction", "level", "name")
        )


class RegulatorDetailView(KeptPageMixin, DetailView):
    template_name = "regulators/regulator_detail.html"
    queryset = Regulator.objects.select_related("parent")
    latest = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regulator = self.object
        # Everything below the heading is one cached fragment of the template: it is read only
        # when that fragment is rendered afresh.
        context.update(
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
            instruments=list(regulator.instruments.order_by("-published_on", "title")),
            charts=cached(
                "regulator-charts", (regulator.pk,), lambda: enforcement_charts(actions, {"regulator": regulator.slug})
            ),
        )


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


class InstrumentDetailView(KeptPageMixin, DetailView):
    template_name = "regulators/instrument_detail.html"

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
