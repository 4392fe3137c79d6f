"""The landscape's pages that show what the newsletter reported: regulators with their counts,
a regulator's items, enforcement and charts, an instrument's timeline of items.

Regulators and instruments are reference records and are public; what was reported about them
comes through the items app's `published()` door. Their URLs keep the landscape's names
(`regulators:regulator-detail`…): digest_site/urls.py joins these patterns to regulators'.
"""

from types import SimpleNamespace

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.content_cache import cached, in_order
from core.dates import format_precise_date
from core.listing import shared_facet_rows
from core.page_cache import KeptPageMixin
from core.trees import ParentTree
from items.enforcement_stats import enforcement_charts
from items.lists import ENFORCEMENT, ITEMS
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


def counts_with_offices(public_list):
    """{regulator slug: published rows of the list naming it or any office under it}: what
    `?regulator=<slug>` lists, for every regulator at once (the list's regulator facet, one
    statement, kept under the content version)."""
    facet = next(facet for facet in public_list.facets if facet.name == "regulator")

    def count():
        rows = shared_facet_rows(public_list.rows(), [facet])[facet.name]
        return {row[facet.path]: row["total"] for row in rows}

    return cached("regulator-counts-with-offices", (public_list.name,), count)


class RegulatorListView(KeptPageMixin, ListView):
    """Each regulator's items and actions: with its offices' (what ?regulator= lists) and, for
    a regulator with offices, its own apart (what ?office= lists)."""

    template_name = "items/regulator_list.html"

    def get_queryset(self):
        return REGULATORS.rows().annotate(
            item_count=published_count(NewsItem, "regulators"),
            action_count=published_count(EnforcementAction, "regulators"),
            has_offices=Exists(Regulator.objects.filter(parent=OuterRef("pk"))),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items, actions = counts_with_offices(ITEMS), counts_with_offices(ENFORCEMENT)
        regulators = list(context["object_list"])
        for regulator in regulators:
            regulator.item_total = items.get(regulator.slug, 0)
            regulator.action_total = actions.get(regulator.slug, 0)
        context["object_list"] = context["regulator_list"] = regulators
        return context


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
            children=regulator.children.order_by("name"),
            body=SimpleLazyObject(lambda: self.body(regulator)),
        )
        return context

    def body(self, regulator):
        """Its latest actions and items with their totals, its offices' share, its charts and its
        instruments: the totals, row ids, offices and charts from the cache while the content is
        unchanged, rows afresh.

        Its actions and items are those of the regulator and of every office under it, as
        `?regulator=<slug>` lists them (the same tree, core.trees); each office's own are counted
        apart, as `?office=<slug>` lists them.
        """
        members = ParentTree.of(Regulator).subtree(regulator.pk)
        items = (
            NewsItem.objects.published()
            .filter(regulators__in=members)
            .distinct()
            .select_related("issue__series", "section")
        )
        actions = (
            EnforcementAction.objects.published()
            .filter(regulators__in=members)
            .distinct()
            .select_related("organisation")
            .prefetch_related("regulators")
        )

        def figures():
            return {
                "item_count": items.count(),
                "item_ids": list(items.order_by("-event_date", "-pk").values_list("pk", flat=True)[: self.latest]),
                "action_count": actions.count(),
                "action_ids": list(
                    actions.order_by("-decided_on", "-public_id").values_list("pk", flat=True)[: self.latest]
                ),
                "offices": office_counts(members) if len(members) > 1 else [],
            }

        page = cached("regulator-page", (regulator.pk, self.latest), figures)
        return SimpleNamespace(
            actions=in_order(actions, page["action_ids"]),
            action_count=page["action_count"],
            items=in_order(items, page["item_ids"]),
            item_count=page["item_count"],
            offices=page["offices"],
            instruments=list(regulator.instruments.order_by("-published_on", "title")),
            charts=cached(
                "regulator-charts", (regulator.pk,), lambda: enforcement_charts(actions, {"regulator": regulator.slug})
            ),
        )


def office_counts(members):
    """The regulator (`members[0]`) and each office under it, with its own published items and
    actions (what `?office=<slug>` lists): the regulator first, then its offices by name. One query."""
    offices = (
        Regulator.objects.filter(pk__in=members)
        .annotate(
            own_items=published_count(NewsItem, "regulators"),
            own_actions=published_count(EnforcementAction, "regulators"),
        )
        .order_by("name")
    )
    rows = [
        {
            "name": str(office),
            "slug": office.slug,
            "url": office.get_absolute_url(),
            "item_count": office.own_items,
            "action_count": office.own_actions,
            "is_itself": office.pk == members[0],
        }
        for office in offices
    ]
    return sorted(rows, key=lambda row: not row["is_itself"])


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
