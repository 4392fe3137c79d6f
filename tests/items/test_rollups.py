"""A regulator means it and every office under it; an organisation, it and its group's companies.

`?regulator=cac` lists what the CAC and its provincial and municipal offices did (Hainan CAC in
the seeds); `?office=cac` the CAC's own alone; `?organisation=tiktok` both TikTok companies. The
page, its facets, CSV, API, feeds, alerts and the regulators' pages all agree, and an editor's
cycle of parents ends every walk.
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from alerts.matching import followed_querysets
from core.trees import ParentTree
from items.lists import ENFORCEMENT, ITEMS
from items.models import EnforcementAction, Organisation
from regulators.models import Regulator
from tests.alerts.factories import SubscriptionFactory
from tests.factories import (
    EnforcementActionFactory,
    IssueFactory,
    NewsItemFactory,
    OrganisationFactory,
    RegulatorFactory,
)

pytestmark = pytest.mark.usefixtures("seeds")


def listed_ids(response):
    assert response.status_code == 200
    return re.findall(r'href="/enforcement/(EA-\d{4}-\d{4})/"', response.content.decode())


def published_ids(**filters):
    return set(EnforcementAction.objects.published().filter(**filters).distinct().values_list("public_id", flat=True))


def facet_counts(response, name):
    """{value: count} of one facet as the page shows it."""
    pattern = rf'name="{name}" value="([^"]+)"[^>]*> <span>[^<]*</span> <span class="count"[^>]*>(\d+)</span>'
    return {value: int(count) for value, count in re.findall(pattern, response.content.decode())}


def test_a_regulator_filter_lists_the_actions_of_its_offices(client):
    hainan = published_ids(regulators__slug="hainan-cac")
    assert hainan  # the seeds' case: Hainan CAC, under the CAC, took two actions
    assert set(listed_ids(client.get("/enforcement/?regulator=cac"))) == hainan


def test_an_office_filter_lists_that_office_alone(client):
    assert not set(listed_ids(client.get("/enforcement/?office=cac"))) & published_ids(regulators__slug="hainan-cac")
    assert set(listed_ids(client.get("/enforcement/?office=hainan-cac"))) == published_ids(
        regulators__slug="hainan-cac"
    )
    assert set(listed_ids(client.get("/enforcement/?office=miit"))) == published_ids(regulators__slug="miit")


def test_a_regulator_and_an_office_together_narrow_to_that_office(client):
    ids = set(listed_ids(client.get("/enforcement/?regulator=miit&office=gd-ca")))
    assert ids == published_ids(regulators__slug="gd-ca")


def test_the_item_list_rolls_up_the_same_way(client):
    response = client.get("/items/?regulator=cac")
    own_or_offices = ITEMS.rows().filter(regulators__slug__in=["cac", "hainan-cac"]).distinct()
    assert response.context["paginator"].count == own_or_offices.count()
    hainan_only = ITEMS.rows().filter(regulators__slug="hainan-cac").exclude(regulators__slug="cac")
    assert hainan_only.exists()
    assert not set(ITEMS.filtered("office=cac")) & set(hainan_only)


def test_an_organisation_filter_lists_the_actions_of_its_group(client):
    companies = published_ids(organisation__slug__in=["tiktok-ltd", "tiktok-information-technologies-uk"])
    assert len(companies) == 2
    assert set(listed_ids(client.get("/enforcement/?organisation=tiktok"))) == companies


def test_an_organisation_filter_reaches_a_company_two_levels_down(client):
    app = OrganisationFactory(slug="tiktok-app", parent=Organisation.objects.get(slug="tiktok-ltd"))
    action = EnforcementActionFactory(news_item=NewsItemFactory(issue=IssueFactory()), organisation=app)
    assert action.public_id in listed_ids(client.get("/enforcement/?organisation=tiktok"))


@pytest.mark.parametrize(
    ("facet", "path", "values"),
    [
        ("regulator", "/enforcement/", ["cac", "hainan-cac", "miit", "gd-ca", "zj-ca"]),
        ("organisation", "/enforcement/", ["tiktok"]),
        ("regulator", "/items/", ["cac", "hainan-cac", "miit", "zj-ca"]),
    ],
)
def test_a_facet_count_is_the_number_of_rows_its_click_lists(client, facet, path, values):
    counts = facet_counts(client.get(path), facet)
    for value in values:
        clicked = client.get(f"{path}?{facet}={value}")
        assert counts[value] == clicked.context["paginator"].count, value


def test_a_group_and_its_company_count_as_many_rows_as_their_clicks_list(client):
    # Under the Irish filter both TikTok facet values are in the ten shown.
    counts = facet_counts(client.get("/enforcement/?jurisdiction=IE"), "organisation")
    assert counts["tiktok"] == 2 and counts["tiktok-ltd"] == 1
    for value in ("tiktok", "tiktok-ltd"):
        clicked = client.get(f"/enforcement/?jurisdiction=IE&organisation={value}")
        assert counts[value] == clicked.context["paginator"].count, value


def test_facet_counts_under_another_filter_match_the_rows_clicked(client):
    counts = facet_counts(client.get("/enforcement/?action_type=rectification_order"), "regulator")
    assert counts["miit"] > 0
    for value, count in counts.items():
        assert count == ENFORCEMENT.filtered(f"action_type=rectification_order&regulator={value}").count(), value


def test_a_joint_action_of_a_regulator_and_its_office_counts_once(client):
    action = EnforcementActionFactory(news_item=NewsItemFactory(issue=IssueFactory()))
    action.regulators.add(*Regulator.objects.filter(slug__in=["cac", "hainan-cac"]))
    counts = facet_counts(client.get("/enforcement/"), "regulator")
    assert counts["cac"] == ENFORCEMENT.filtered("regulator=cac").count() == 3


def make_cycle():
    """CAC under Hainan CAC, which is under the CAC: what an editor could do by mistake."""
    Regulator.objects.filter(slug="cac").update(parent=Regulator.objects.get(slug="hainan-cac"))


def test_a_cycle_of_parents_ends_every_walk():
    make_cycle()
    tree = ParentTree.of(Regulator)
    cac, hainan = (Regulator.objects.get(slug=slug).pk for slug in ("cac", "hainan-cac"))
    assert set(tree.subtree(cac)) == set(tree.subtree(hainan)) == {cac, hainan}
    assert tree.ancestors(cac) == [hainan]


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_cycle_of_parents_does_not_hang_the_pages(client):
    make_cycle()
    expected = published_ids(regulators__slug__in=["cac", "hainan-cac"])
    assert set(listed_ids(client.get("/enforcement/?regulator=cac"))) == expected
    assert set(listed_ids(client.get("/enforcement/?regulator=hainan-cac"))) == expected
    counts = facet_counts(client.get("/enforcement/"), "regulator")
    assert counts["cac"] == counts["hainan-cac"] == len(expected)
    for path in ("/regulators/cac/", "/regulators/", "/enforcement/stats/?regulator=cac"):
        assert client.get(path).status_code == 200, path
    subscription = SubscriptionFactory(kind="regulator", regulator=Regulator.objects.get(slug="cac"))
    assert set(followed_querysets(subscription)[1].values_list("public_id", flat=True)) == expected


def read_csv(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("query", ["regulator=cac", "office=hainan-cac", "regulator=miit", "organisation=tiktok"])
def test_csv_api_and_feeds_give_the_rows_of_the_page(client, settings, query):
    settings.EXPORT_ANON_RATE = "1000/min"
    page = set(listed_ids(client.get(f"/enforcement/?{query}")))
    assert page
    csv_rows = {row["public id"] for row in read_csv(client.get(f"/enforcement/export.csv?{query}"))}
    api_rows = {row["public_id"] for row in client.get(f"/api/enforcement/?{query}").json()["results"]}
    feed = client.get(f"/enforcement/feed/rss/?{query}").content.decode()
    feed_rows = set(re.findall(r"/enforcement/(EA-\d{4}-\d{4})/</link>", feed))
    assert csv_rows == api_rows == feed_rows == page


def test_the_regulator_page_counts_and_lists_its_offices_actions(client):
    html = client.get("/regulators/cac/").content.decode()
    hainan = published_ids(regulators__slug="hainan-cac")
    enforcement = html.split('id="actions-heading"', 1)[1].split("</section>", 1)[0]
    assert f'<span class="count-badge">{len(hainan)}</span>' in enforcement
    assert all(f"/enforcement/{public_id}/" in enforcement for public_id in hainan)
    offices = html.split('id="offices-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="/enforcement/?office=hainan-cac">{len(hainan)}</a>' in offices
    assert "Hainan" in offices


def test_the_regulator_page_of_miit_counts_its_communications_administrations(client):
    html = client.get("/regulators/miit/").content.decode()
    expected = ENFORCEMENT.filtered("regulator=miit").count()
    assert expected > EnforcementAction.objects.published().filter(regulators__slug="miit").count()
    assert f'<span class="count-badge">{expected}</span>' in html
    for office in ("gd-ca", "zj-ca"):
        own = EnforcementAction.objects.published().filter(regulators__slug=office).count()
        assert f'href="/enforcement/?office={office}">{own}</a>' in html


def test_a_regulator_without_offices_shows_no_breakdown(client):
    assert 'id="offices-heading"' not in client.get("/regulators/hainan-cac/").content.decode()


def test_the_regulators_list_counts_each_with_its_offices(client):
    html = client.get("/regulators/").content.decode()
    with_offices = ENFORCEMENT.filtered("regulator=cac").count()
    assert f'href="/enforcement/?regulator=cac">{with_offices}</a>' in html
    own = EnforcementAction.objects.published().filter(regulators__slug="miit").count()
    assert f'href="/enforcement/?office=miit">{own}</a>' in html
    assert f'href="/enforcement/?regulator=miit">{ENFORCEMENT.filtered("regulator=miit").count()}</a>' in html


def test_an_alert_on_a_regulator_matches_an_action_of_its_office():
    subscription = SubscriptionFactory(kind="regulator", regulator=Regulator.objects.get(slug="cac"))
    items, actions, _open_drafts = followed_querysets(subscription)
    assert set(actions.values_list("public_id", flat=True)) == set(
        ENFORCEMENT.filtered("regulator=cac").values_list("public_id", flat=True)
    )
    assert published_ids(regulators__slug="hainan-cac") <= set(actions.values_list("public_id", flat=True))
    assert set(items) == set(ITEMS.filtered("regulator=cac"))


def test_an_alert_on_an_organisation_matches_its_group_at_any_depth():
    app = OrganisationFactory(slug="tiktok-app", parent=Organisation.objects.get(slug="tiktok-ltd"))
    action = EnforcementActionFactory(news_item=NewsItemFactory(issue=IssueFactory()), organisation=app)
    subscription = SubscriptionFactory(kind="organisation", organisation=Organisation.objects.get(slug="tiktok"))
    (actions,) = followed_querysets(subscription)
    assert set(actions) == set(ENFORCEMENT.filtered("organisation=tiktok"))
    assert action in set(actions)


def test_the_charts_by_regulator_link_each_office_to_its_own_actions(client):
    charts = client.get("/enforcement/stats/?regulator=miit").context["charts"]
    legend = {entry["key"]: entry["url"] for entry in charts["by_regulator"]["legend"] if entry["key"]}
    assert legend["gd-ca"] == "/enforcement/?regulator=miit&office=gd-ca"


def offices_under(parent, count):
    """`count` offices under `parent`, each with one published action."""
    issue = IssueFactory()
    for _ in range(count):
        office = RegulatorFactory(parent=parent)
        action = EnforcementActionFactory(news_item=NewsItemFactory(issue=issue))
        action.regulators.add(office)
        action.news_item.regulators.add(office)


@pytest.mark.parametrize("url", ["/enforcement/?regulator=national-bureau", "/regulators/national-bureau/"])
@override_settings(PAGE_CACHE_SECONDS=0)
def test_queries_do_not_grow_with_the_number_of_offices(client, url):
    def queries(count):
        parent = RegulatorFactory(slug="national-bureau")
        offices_under(parent, count)
        with CaptureQueriesContext(connection) as first:
            response = client.get(url)
        assert response.status_code == 200
        assert ENFORCEMENT.filtered("regulator=national-bureau").count() == count
        Regulator.objects.filter(parent=parent).delete()
        parent.delete()
        return len(first.captured_queries)

    assert queries(1) == queries(12)
