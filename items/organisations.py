"""Organisation pages: one firm's enforcement record in one place, in China and abroad.

An organisation is public when published enforcement names it or any company of its group (an
app's operator, a branch): an organisation named only in drafts stays unknown to the public.
A group's page shows its own actions and those of every company under it, each under its name.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, Q, Value, When
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.listing import FilteredListView
from core.page_cache import KeptPageMixin
from core.trees import ParentTree
from items.conversion import REFERENCE_CURRENCY
from items.lists import ORGANISATIONS
from items.models import EnforcementAction, Organisation, format_amount

IN_CHINA = Q(jurisdiction="CN") | Q(jurisdiction__startswith="CN-")


def organisation_tree():
    """Who belongs to whom among the organisations (core.trees.ParentTree), read once."""
    return ParentTree.of(Organisation)


def public_organisations():
    """The organisations the public may see (a queryset): `Organisation.objects.published()`."""
    return Organisation.objects.published()


def public_organisation_ids():
    return set(public_organisations().values_list("pk", flat=True))


def action_counts(tree, organisations):
    """{id: {"china", "abroad", "group"}}: each organisation's published actions, and its group's."""
    rows = (
        EnforcementAction.objects.published()
        .exclude(organisation=None)
        .order_by()
        .values("organisation_id")
        .annotate(china=Count("pk", filter=IN_CHINA), total=Count("pk"))
    )
    own = {row["organisation_id"]: row for row in rows}
    counts = {}
    for organisation in organisations:
        mine = own.get(organisation.pk, {"china": 0, "total": 0})
        counts[organisation.pk] = {
            "china": mine["china"],
            "abroad": mine["total"] - mine["china"],
            "group": sum(own.get(pk, {"total": 0})["total"] for pk in tree.subtree(organisation.pk)),
        }
    return counts


class OrganisationListView(KeptPageMixin, FilteredListView):
    template_name = "items/organisation_list.html"
    public_list = ORGANISATIONS
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = action_counts(organisation_tree(), context["object_list"])
        context["rows"] = [
            {"organisation": organisation, **counts[organisation.pk]} for organisation in context["object_list"]
        ]
        return context


def fines_by_currency(actions):
    """The fines added up in their own currencies: ["CNY 500,000", "EUR 1,200"]."""
    totals = defaultdict(Decimal)
    for action in actions:
        if action.fine_amount is not None:
            totals[action.currency] += action.fine_amount
    return [format_amount(amount, currency) for currency, amount in sorted(totals.items())]


def enforcement_column(label, actions, group_order):
    """One side of the page: the actions of each company of the group, the group first."""
    by_organisation = defaultdict(list)
    for action in actions:
        by_organisation[action.organisation_id].append(action)
    total = sum((action.fine_cny for action in actions if action.fine_cny is not None), Decimal(0))
    unconverted = sum(1 for action in actions if action.fine_amount is not None and action.fine_cny is None)
    foreign = any(action.fine_amount is not None and action.currency != REFERENCE_CURRENCY for action in actions)
    return {
        "label": label,
        "count": len(actions),
        "groups": [
            {"organisation": organisation, "actions": by_organisation[organisation.pk]}
            for organisation in group_order
            if by_organisation[organisation.pk]
        ],
        "fines": fines_by_currency(actions),
        # A total in yuan only says something new when some fines are in another currency.
        "converted_total": format_amount(total, REFERENCE_CURRENCY) if foreign and total else "",
        "has_fines": any(action.fine_amount is not None for action in actions),
        "unconverted": unconverted,
    }


def group_enforcement(organisation_ids):
    """The published actions against these organisations, newest first (their fines in yuan stored with them)."""
    return list(
        EnforcementAction.objects.published()
        .filter(organisation_id__in=organisation_ids)
        .select_related("organisation", "news_item__issue__series")
        .prefetch_related("regulators")
        .annotate(domestic=Case(When(IN_CHINA, then=Value(True)), default=Value(False)))
        .order_by("-decided_on", "-public_id")
    )


class OrganisationDetailView(KeptPageMixin, DetailView):
    template_name = "items/organisation_detail.html"

    def get_queryset(self):
        self.tree = organisation_tree()
        self.public_ids = public_organisation_ids()
        return Organisation.objects.filter(pk__in=self.public_ids).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        tree = self.tree
        group_ids = [pk for pk in tree.subtree(organisation.pk) if pk in self.public_ids]
        members = Organisation.objects.in_bulk(group_ids + tree.ancestors(organisation.pk))
        # The organisation itself first, then the companies under it by name.
        group_order = [organisation] + sorted((members[pk] for pk in group_ids[1:]), key=lambda o: o.name.lower())
        actions = group_enforcement(group_ids)
        query = QueryDict(mutable=True)
        query.setlist("organisation", [member.slug for member in group_order])
        context.update(
            ancestors=[members[pk] for pk in tree.ancestors(organisation.pk)],
            subsidiaries=[member for member in group_order[1:] if member.parent_id == organisation.pk],
            action_count=len(actions),
            columns=[
                enforcement_column(_("In China"), [a for a in actions if a.domestic], group_order),
                enforcement_column(_("Abroad"), [a for a in actions if not a.domestic], group_order),
            ],
            is_group=len(group_order) > 1,
            enforcement_list_url=f"{reverse('items:enforcement-list')}?{query.urlencode()}",
            reference_currency=REFERENCE_CURRENCY,
        )
        return context
