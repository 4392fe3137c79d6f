"""The enforcement dashboard (/enforcement/stats/) and the same charts on a regulator's page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings

from core.charts import bar_chart, nice_ceiling, stacked_column_chart
from items.models import EnforcementAction, Issue, format_amount
from items.services import withdraw_issue
from tests.factories import EnforcementActionFactory, NewsItemFactory, RegulatorFactory, ViolationFactory
from tests.fuzzing import DRAFT_MARK, query_strings

STATS = "/enforcement/stats/"


def charts_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["charts"], response.content.decode()


def series_index(chart, key):
    return next(index for index, entry in enumerate(chart["legend"]) if entry["key"] == key)


def month_chart_counts(chart):
    """Every action the chart counts, month by month, the year-only and the undated included."""
    return sum(sum(row["counts"].values()) for row in chart["table"]["rows"])


def list_count(client, query=""):
    response = client.get(f"/enforcement/?{query}")
    assert response.status_code == 200
    return response.context["paginator"].count


@pytest.mark.usefixtures("seeds")
class TestChartsAgainstTheSeeds:
    def test_miit_actions_in_2021_are_the_published_count(self, client):
        charts, _html = charts_of(client, STATS)
        chart = charts["by_regulator"]
        miit = chart["legend"][series_index(chart, "miit")]["key"]
        in_2021 = sum(
            row["counts"].get(miit, 0)
            for row in chart["table"]["rows"]
            if row["period"] is not None and getattr(row["period"], "year", row["period"]) == 2021
        )
        expected = EnforcementAction.objects.published().filter(regulators__slug="miit", decided_on__year=2021)
        assert in_2021 == expected.count() > 0

    def test_ningbo_amr_fines_total_cny_750000(self, client):
        charts, html = charts_of(client, STATS)
        (cny,) = [chart for chart in charts["fines"] if chart["id"] == "fines-cny"]
        ningbo = next(row for row in cny["table"]["rows"] if row["label"] == "Ningbo AMR")
        assert ningbo["value"] == Decimal("750000")
        assert ningbo["values"] == ["CNY 750,000", "3"]
        assert "Fines in CNY, by regulator" in html
        assert "CNY 750,000" in html

    @pytest.mark.parametrize("query", ["", "regulator=miit", "action_type=fine", "jurisdiction=CN&sector=apps"])
    def test_monthly_counts_add_up_to_the_filtered_list(self, client, query):
        charts, _html = charts_of(client, f"{STATS}?{query}")
        count = list_count(client, query)
        assert month_chart_counts(charts["by_type"]) == charts["total"] == count
        assert re.search(rf">{count} actions?</h2>", _html)

    def test_filters_change_the_charts(self, client):
        everything, _html = charts_of(client, STATS)
        miit, html = charts_of(client, f"{STATS}?regulator=miit")
        # MIIT with the offices under it (none deeper than one level in the seeds).
        expected = (
            EnforcementAction.objects.published()
            .filter(Q(regulators__slug="miit") | Q(regulators__parent__slug="miit"))
            .distinct()
        )
        assert miit["total"] == expected.count() < everything["total"]
        assert miit["by_regulator"]["legend"][0]["key"] == "miit"
        sectors = {row["label"]: row["value"] for row in miit["sectors"]["table"]["rows"]}
        assert sectors == {
            label: expected.filter(sector=value).count()
            for value, label in EnforcementAction.Sector.choices
            if expected.filter(sector=value).exists()
        }
        # Every link out of the charts keeps the filter in force.
        assert 'href="/enforcement/?regulator=miit&amp;sector=apps"' in html

    def test_violations_are_counted_once_per_action(self, client):
        charts, _html = charts_of(client, STATS)
        rows = {row["label"]: row["value"] for row in charts["violations"]["table"]["rows"]}
        expected = EnforcementAction.objects.published().filter(violations__name="Excessive collection").distinct()
        assert rows["Excessive collection"] == expected.count()

    def test_invalid_filters_are_named_and_the_charts_follow_the_valid_ones(self, client):
        response = client.get(f"{STATS}?decided_after=2021-02-30&fine_min=lots&regulator=nobody&action_type=fine")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Some filters could not be applied" in html
        fines = EnforcementAction.objects.published().filter(action_type="fine").count()
        assert response.context["charts"]["total"] == fines > 0

    def test_actions_of_a_withdrawn_issue_vanish_from_the_charts(self, client):
        issue = Issue.objects.filter(items__enforcement_actions__regulators__slug="ningbo-amr").distinct().get()
        before, _html = charts_of(client, STATS)
        withdrawn = EnforcementAction.objects.published().filter(news_item__issue=issue).count()
        withdraw_issue(issue.pk)
        after, html = charts_of(client, STATS)
        assert after["total"] == before["total"] - withdrawn
        assert "Ningbo AMR" not in {row["label"] for chart in after["fines"] for row in chart["table"]["rows"]}
        assert "CNY 750,000" not in html

    def test_list_links_to_the_charts_of_its_results(self, client):
        html = client.get("/enforcement/?regulator=miit&action_type=fine").content.decode()
        assert 'href="/enforcement/stats/?regulator=miit&amp;action_type=fine"' in html
        assert "Charts of these results" in html

    def test_every_chart_is_a_figure_with_caption_image_and_table(self, client):
        _charts, html = charts_of(client, STATS)
        figures = re.findall(r"<figure .*?</figure>", html, flags=re.S)
        assert len(figures) == 5  # by regulator, by type, fines in CNY, sectors, violations
        for figure in figures:
            assert "<figcaption>" in figure
            assert re.search(r'<svg [^>]*role="img" aria-label="[^"]+"', figure)
            assert "<table" in figure and "<caption>" in figure and 'scope="row"' in figure

    def test_regulator_page_shows_the_charts_of_its_own_actions(self, client):
        response = client.get("/regulators/ningbo-amr/")
        assert response.status_code == 200
        charts, html = response.context["charts"], response.content.decode()
        assert charts["total"] == EnforcementAction.objects.published().filter(regulators__slug="ningbo-amr").count()
        assert "Enforcement in charts" in html and "CNY 750,000" in html
        assert 'href="/enforcement/stats/?regulator=ningbo-amr"' in html

    def test_regulator_without_actions_shows_no_charts(self, client):
        html = client.get(f"/regulators/{RegulatorFactory(slug='quiet-bureau').slug}/").content.decode()
        assert "Enforcement in charts" not in html


# Queries per page, pinned: one per chart, plus what the list's filters and facets cost and the
# content version; asked again, the charts and facets come from the cache.
DASHBOARD_QUERIES = {
    STATS: 7,  # the seven facets, none in use, counted in one statement
    f"{STATS}?regulator=miit&action_type=rectification_order": 11,  # and the regulators' tree
}
# Rendered again (page caching off): the content version, and the regulator filter's check that
# "miit" exists. An anonymous reader asking again is given the kept page: the version only.
CACHED_DASHBOARD_QUERIES = {STATS: 1, f"{STATS}?regulator=miit&action_type=rectification_order": 2}


@pytest.mark.usefixtures("seeds")
@pytest.mark.parametrize("url", list(DASHBOARD_QUERIES))
def test_dashboard_queries_are_pinned(client, django_assert_num_queries, settings, url):
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(DASHBOARD_QUERIES[url]):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(CACHED_DASHBOARD_QUERIES[url]):
        assert client.get(url).status_code == 200
    settings.PAGE_CACHE_SECONDS = 60
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("actions", [1, 30])
def test_dashboard_queries_do_not_grow_with_actions(client, django_assert_num_queries, actions):
    issue = NewsItemFactory().issue
    for index in range(actions):
        action = EnforcementActionFactory(
            news_item=NewsItemFactory(issue=issue),
            decided_on=datetime.date(2021, 1 + index % 12, 1),
            fine_amount=Decimal(100 + index),
            currency=["CNY", "EUR"][index % 2],
        )
        action.regulators.add(RegulatorFactory(), RegulatorFactory(slug="cac", abbreviation="CAC"))
        action.violations.add(ViolationFactory())
    with django_assert_num_queries(DASHBOARD_QUERIES[STATS]):
        assert client.get(STATS).status_code == 200


@pytest.mark.django_db
def test_fines_in_every_currency_are_summed_in_cny(client):
    issue = NewsItemFactory().issue
    dpc = RegulatorFactory(slug="ie-dpc", abbreviation="DPC")
    actions = []
    for amount, currency in [(Decimal("1000"), "EUR"), (Decimal("2000"), "CNY"), (Decimal("500"), "EUR")]:
        action = EnforcementActionFactory(news_item=NewsItemFactory(issue=issue), fine_amount=amount, currency=currency)
        action.regulators.add(dpc)
        actions.append(action)
    unconverted = EnforcementActionFactory(news_item=NewsItemFactory(issue=issue), fine_amount=9, currency="XAF")
    unconverted.regulators.add(dpc)
    charts, html = charts_of(client, STATS)
    totals = {chart["id"]: [row["values"][0] for row in chart["table"]["rows"]] for chart in charts["fines"]}
    assert totals == {"fines-cny": [format_amount(sum(action.fine_cny for action in actions), "CNY")]}
    assert "1 fine that could not be converted is left out." in charts["fines"][0]["note"]


@pytest.mark.django_db
def test_labels_are_escaped_in_the_charts(client):
    action = EnforcementActionFactory(news_item=NewsItemFactory())
    action.violations.add(ViolationFactory(slug="sneaky", name='<script>alert("x")</script> & co'))
    _charts, html = charts_of(client, STATS)
    assert "<script>alert" not in html
    assert escape('<script>alert("x")</script> & co') in html


@pytest.mark.django_db
def test_drafts_are_absent_from_the_charts(client):
    draft = NewsItemFactory(issue__status=Issue.Status.DRAFT)
    EnforcementActionFactory(news_item=draft, target="Hidden Co", fine_amount=Decimal("999"), currency="USD")
    charts, html = charts_of(client, STATS)
    assert charts["total"] == 0
    assert "USD" not in html


def test_any_query_string_gives_an_answer_and_no_draft(client, archive):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(query=query_strings)
    def check(query):
        response = client.get(f"{STATS}?{query}")
        # A NUL byte anywhere in the query is refused with a 400 and a message (core/nul_bytes.py).
        assert response.status_code == (400 if "%00" in query else 200), query
        assert DRAFT_MARK.encode() not in response.content, query

    check()


def test_url_name_resolves():
    assert reverse("items:enforcement-stats") == STATS


# The chart geometry, without the database.


def test_axis_tops_are_round_numbers():
    assert nice_ceiling(7) == (8, 2)
    assert nice_ceiling(13) == (15, 5)
    assert nice_ceiling(750000) == (800000, 200000)
    assert nice_ceiling(1) == (1, 1)
    assert nice_ceiling(0) == (1, 1)


def test_stacked_columns_stack_from_the_baseline_to_the_total():
    geometry = stacked_column_chart(
        [{"label": "April 2021", "values": [3, 1]}, {"label": "May 2021", "values": [0, 2]}],
        [{"label": "MIIT"}, {"label": "others", "other": True}],
    )
    april, may = geometry["columns"]
    assert [segment["css"] for segment in april["segments"]] == ["chart-series-0", "chart-series-other"]
    assert len(may["segments"]) == 1  # nothing drawn for a zero
    top = april["segments"][-1]["y"]
    assert round(sum(segment["height"] for segment in april["segments"]) + top, 2) == geometry["baseline"]


def test_bars_scale_to_the_largest_value_and_shorten_long_labels():
    geometry = bar_chart(
        [{"label": "x" * 80, "value": 10, "display": "10"}, {"label": "short", "value": 5, "display": "5"}]
    )
    first, second = geometry["bars"]
    assert second["width"] == first["width"] / 2
    assert first["short_label"].endswith("…") and len(first["short_label"]) < 80
