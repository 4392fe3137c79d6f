"""Facet counts computed together (one statement for every facet not in use) equal the counts
each facet's own query gives, on every list, whatever the filters."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.facets import Facet, FacetSource, facet_options, facets_options, shared_facet_rows
from items.lists import ENFORCEMENT, ITEMS
from items.views import EnforcementListView, NewsItemListView, SearchView
from regulators.lists import INSTRUMENTS
from regulators.views import InstrumentListView

pytestmark = pytest.mark.usefixtures("seeds")

LISTS = [
    (NewsItemListView, ""),
    (NewsItemListView, "section=domestic-news"),
    (NewsItemListView, "regulator=cac&regulator=miit&topic=personal-information"),
    (SearchView, "q=data"),
    (SearchView, "q=data+protection&jurisdiction=CN"),
    (SearchView, "q=nothing-matches-this"),
    (EnforcementListView, ""),
    (EnforcementListView, "action_type=fine"),
    (EnforcementListView, "regulator=miit&action_type=rectification_order&decided_after=2021-01-01"),
    (EnforcementListView, "decided_after=2021-06-01&decided_before=2021-12-31"),
    (InstrumentListView, ""),
    (InstrumentListView, "status=draft&issuer=cac"),
]


def filtered_view(view_class, query):
    view = view_class()
    view.setup(RequestFactory().get(f"/?{query}"))
    view.get_queryset()  # filters the list, as the page does before its facets
    return view


@pytest.mark.parametrize(("view_class", "query"), LISTS)
def test_facets_counted_together_equal_each_facet_counted_alone(view_class, query):
    view = filtered_view(view_class, query)
    together = facets_options(view.filterset, view.facets)
    alone = {facet.name: facet_options(view.filterset, facet) for facet in view.facets}
    assert together == alone
    assert any(options for options in alone.values()) or "nothing-matches" in query


@pytest.mark.parametrize(
    ("view_class", "query", "statements"),
    [
        (SearchView, "q=data", 1),  # five facets, none in use: one statement
        (NewsItemListView, "regulator=cac&topic=personal-information", 3),  # the other three, then one each
        (EnforcementListView, "action_type=fine&decided_after=2021-01-01", 2),  # a date is no facet
        # All in use: one each; and the chosen issuer, which no row shows any more, is labelled by
        # one more query (its name, not its slug).
        (InstrumentListView, "status=draft&kind=standard&issuer=cac", 4),
    ],
)
def test_facets_not_in_use_are_counted_in_one_statement(django_assert_num_queries, view_class, query, statements):
    view = filtered_view(view_class, query)
    with django_assert_num_queries(statements):
        facets_options(view.filterset, view.facets)


def test_the_shared_statement_finds_the_matching_rows_once():
    view = filtered_view(SearchView, "q=data")
    with CaptureQueriesContext(connection) as captured:
        facets_options(view.filterset, view.facets)
    (statement,) = [query["sql"] for query in captured.captured_queries]
    matches, branches = statement.split(") SELECT 0, ", 1)
    # RECURSIVE: the regulator facet counts each regulator with its offices (facet_tree_1).
    assert matches.startswith("WITH RECURSIVE facet_matches AS MATERIALIZED (SELECT DISTINCT")
    assert "facet_tree_1(member, ancestor)" in matches
    assert branches.count(" UNION ALL ") == len(view.facets) - 1
    match = "@@" if connection.vendor == "postgresql" else "LIKE"
    assert match in matches
    assert match not in branches


@pytest.mark.parametrize("public_list", [ITEMS, ENFORCEMENT, INSTRUMENTS], ids=repr)
def test_every_list_facet_is_read_where_its_values_are(public_list):
    rows = public_list.rows()
    kinds = {facet.name: FacetSource.of(rows.model, facet, rows.query.annotations).kind for facet in public_list.facets}
    assert set(kinds.values()) <= {"column", "foreign", "links"}


def test_a_facet_deeper_than_one_relation_is_counted_alone():
    view = filtered_view(NewsItemListView, "")
    deep = Facet("series", "issue__series__slug", ["issue__series__name"])
    assert FacetSource.of(view.filterset.queryset.model, deep) is None
    together = facets_options(view.filterset, [*view.facets, deep])
    assert together["series"] == facet_options(view.filterset, deep) != []


def test_a_row_the_filters_join_twice_is_counted_once():
    from items.models import NewsItem
    from regulators.models import Regulator

    cac, miit = Regulator.objects.get(slug="cac"), Regulator.objects.get(slug="miit")
    item = NewsItem.objects.published().exclude(regulators__in=[cac, miit]).first()
    item.regulators.add(cac, miit)
    # Joined once per regulator, without distinct(): the item is a row twice.
    twice = NewsItem.objects.published().filter(regulators__in=[cac, miit])
    assert twice.filter(pk=item.pk).count() == 2
    view = filtered_view(NewsItemListView, "")
    expected = shared_facet_rows(twice.distinct(), view.facets)
    assert shared_facet_rows(twice, view.facets) == expected
    (section,) = [row for row in expected["section"] if row["section__slug"] == item.section.slug]
    assert section["total"] == twice.distinct().filter(section=item.section).count()
