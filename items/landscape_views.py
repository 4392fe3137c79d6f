"""The landscape's pages that show what the newsletter reported: regulators with their counts,
a regulator's items, enforcement and charts, an instrument's timeline of items.

Regulators and instruments are reference records and are public; what was reported about them
comes through the items app's `published()` door. Their URLs keep the landscape's names
(`regulators:regulator-detail`…): digest_site/urls.py joins these patterns to regulators'.
"""

from types import SimpleNamespace

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.content_cache import cached, in_order
from core.dates import format_precise_date
from core.facets import shared_facet_rows
from core.page_cache import KeptPageMixin
from core.trees import ParentTree
from items.enforcement_stats import enforcement_charts
from items.lists import ENFORCEMENT, ITEMS
from items.models import EnforcementAction, NewsItem
from regulators.lists import REGULATORS
from regulators.models import Instrument, Regulator
from regulators.stages import stage
from regulators.versions import comparable_versions, current_version, family_ids, version_date


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
            today=timezone.localdate(),  # the instruments' stages are today's
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
            instruments=list(regulator.instruments.with_stage(timezone.localdate()).order_by("-published_on", "title")),
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
            "name": office.display_name,
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
    """An instrument with its whole family of versions (drafts, final text, revisions) as one
    timeline, each version's stage today and what the newsletter reported about each."""

    template_name = "items/instrument_detail.html"

    def get_queryset(self):
        return Instrument.objects.prefetch_related("issuers", "implements", "implemented_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument, today = self.object, timezone.localdate()
        family = instrument_family(instrument, today)
        context.update(
            today=today,
            family=family,
            stage=family.stages[instrument.pk],
            items=family.items,
            timeline=instrument_timeline(instrument, family.items, family.versions),
            actions=family.actions,
            comparable=comparable_versions(instrument),
        )
        return context


def instrument_family(instrument, today):
    """Every version of `instrument` in date order, each with its stage on `today` and the
    published items and enforcement citing it; which version is current; all their items and
    actions. A few queries, however many versions."""
    ids = family_ids(instrument)
    versions = sorted(
        Instrument.objects.filter(pk__in=ids).prefetch_related("superseded_by", "amended_by", "repealed_by"),
        key=lambda version: (version_date(version), version.pk),
    )
    stages = {version.pk: stage(version, today) for version in versions}
    cited = Prefetch("instruments", queryset=Instrument.objects.filter(pk__in=ids), to_attr="cited_versions")
    items = list(
        NewsItem.objects.published()
        .filter(pk__in=NewsItem.objects.filter(instruments__in=ids).values("pk"))
        .select_related("issue__series", "section")
        .prefetch_related(cited)
        .order_by("event_date", "pk")
    )
    cited = Prefetch("legal_basis", queryset=Instrument.objects.filter(pk__in=ids), to_attr="cited_versions")
    actions = list(
        EnforcementAction.objects.published()
        .filter(pk__in=EnforcementAction.objects.filter(legal_basis__in=ids).values("pk"))
        .select_related("organisation")
        .prefetch_related("regulators", cited)
        .order_by("-decided_on", "-public_id")
    )
    current = current_version(versions, stages)
    rows = [
        SimpleNamespace(
            instrument=version,
            stage=stages[version.pk],
            is_current=version == current,
            is_this=version.pk == instrument.pk,
            items=[item for item in items if version in item.cited_versions],
            actions=[action for action in actions if version in action.cited_versions],
        )
        for version in versions
    ]
    return SimpleNamespace(versions=versions, rows=rows, stages=stages, current=current, items=items, actions=actions)


STAGES = [
    ("published_on", _("Published")),
    ("comment_deadline", _("Comment deadline")),
    ("adopted_on", _("Adopted")),
    ("effective_on", _("Comes into force")),
]


def instrument_timeline(instrument, items, versions=None):
    """The life of the instrument's family in date order: each version's own dates (marked with
    the version when there are several), and every item that reported a step."""
    versions = versions or [instrument]
    events = [
        {
            "date": getattr(version, name),
            "label": label,
            "when": version.display_date(name),
            "stage": name,
            "version": version if len(versions) > 1 else None,
        }
        for version in versions
        for name, label in STAGES
        if getattr(version, name)
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
