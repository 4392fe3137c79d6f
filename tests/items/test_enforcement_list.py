"""The enforcement list as a lawyer uses it: filters that combine, counts that match, no 500s."""

import re

import pytest

from core.trees import ParentTree
from items.models import EnforcementAction, Issue
from items.services import withdraw_issue
from regulators.models import Regulator

pytestmark = pytest.mark.usefixtures("seeds")


def listed_ids(response):
    assert response.status_code == 200
    return re.findall(r'href="/enforcement/(EA-\d{4}-\d{4})/"', response.content.decode())


def published_ids(**filters):
    actions = EnforcementAction.objects.published().filter(**filters).distinct()
    return set(actions.values_list("public_id", flat=True))


def with_offices(*slugs):
    """The regulators named and every office under them, as ?regulator= takes them."""
    tree = ParentTree.of(Regulator)
    ids = tree.subtrees(Regulator.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    return set(Regulator.objects.filter(pk__in=ids).values_list("slug", flat=True))


@pytest.mark.parametrize("slug", ["cac", "miit", "ningbo-amr", "hainan-cac", "ie-dpc"])
def test_filtering_by_regulator_lists_its_actions_and_its_offices(client, slug):
    ids = listed_ids(client.get(f"/enforcement/?regulator={slug}"))
    assert set(ids) == published_ids(regulators__slug__in=with_offices(slug))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("slug", ["cac", "miit", "ningbo-amr", "hainan-cac", "ie-dpc"])
def test_filtering_by_office_lists_exactly_its_actions(client, slug):
    ids = listed_ids(client.get(f"/enforcement/?office={slug}"))
    assert set(ids) == published_ids(regulators__slug=slug)
    assert len(ids) == len(set(ids))


def test_several_regulators_combine_as_either(client):
    ids = set(listed_ids(client.get("/enforcement/?regulator=miit&regulator=ningbo-amr")))
    assert ids == published_ids(regulators__slug__in=with_offices("miit", "ningbo-amr"))


def test_regulator_type_and_date_range_narrow_as_expected(client):
    everything = set(listed_ids(client.get("/enforcement/?regulator=miit")))
    narrowed = set(
        listed_ids(
            client.get(
                "/enforcement/?regulator=miit&action_type=rectification_order"
                "&decided_after=2021-01-01&decided_before=2021-12-31"
            )
        )
    )
    expected = published_ids(
        regulators__slug__in=with_offices("miit"),
        action_type="rectification_order",
        decided_on__gte="2021-01-01",
        decided_on__lte="2021-12-31",
    )
    assert narrowed == expected
    assert 0 < len(narrowed) < len(everything)


def test_each_facet_count_matches_the_rows_behind_it(client):
    page = client.get("/enforcement/?action_type=fine").content.decode()
    options = re.findall(r'name="regulator" value="([^"]+)"[^>]*>.*?<span class="count"[^>]*>(\d+)</span>', page)
    assert options
    for slug, count in options:
        rows = listed_ids(client.get(f"/enforcement/?action_type=fine&regulator={slug}"))
        assert len(rows) == int(count), slug


def test_sorting_by_fine_puts_the_largest_first_and_unfined_last(client):
    ids = listed_ids(client.get("/enforcement/?o=-fine"))
    fines = [EnforcementAction.objects.get(public_id=public_id).fine_amount for public_id in ids]
    amounts = [fine for fine in fines if fine is not None]
    assert amounts == sorted(amounts, reverse=True)
    assert fines[: len(amounts)] == amounts


def test_fine_range_and_target_text_filter(client):
    ids = set(listed_ids(client.get("/enforcement/?fine_min=250000&fine_max=250000")))
    assert ids == published_ids(fine_amount=250000)
    ids = set(listed_ids(client.get("/enforcement/?target=baoli")))
    assert ids == published_ids(target__icontains="baoli")


@pytest.mark.parametrize(
    "query",
    [
        "regulator=nope",
        "decided_after=yesterday",
        "fine_min=lots",
        "action_type=bribery",
        "o=-created_by__password",
        "o=,",
        "o=-fine,,date",
        "fine_min=%20",
        "fine_min=%09&fine_max=%20",
        "target__news_item__issue__status=draft",
        "page=999999",
        "page=x",
        "page=-1",
        "regulator=" + "x" * 5000,
    ],
)
def test_bad_filter_values_show_a_message_or_an_empty_page_never_a_500(client, query):
    response = client.get(f"/enforcement/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "form-errors" in body or "notice" in body or "table" in body


@pytest.mark.parametrize("query", ["o=,", "o=-fine,,date", "fine_min=%20", "fine_min=%09&fine_max=%20"])
def test_an_empty_sort_key_or_blank_amount_is_skipped_in_the_api_csv_and_charts(client, query):
    assert client.get(f"/enforcement/stats/?{query}").status_code == 200
    assert client.get(f"/api/enforcement/?{query}").status_code == 200
    assert client.get(f"/enforcement/export.csv?{query}").status_code == 200


def test_unknown_keys_are_ignored_not_passed_to_the_orm(client):
    withdraw_issue(Issue.objects.get(series__slug="weekly-review", number=53).pk)
    ids = set(listed_ids(client.get("/enforcement/?news_item__issue__status=withdrawn")))
    assert ids == published_ids()
    assert not ids & set(
        EnforcementAction.objects.filter(news_item__issue__number=53).values_list("public_id", flat=True)
    )


def test_withdrawn_issue_leaves_no_trace_in_lists_or_facet_counts(client):
    before = client.get("/enforcement/?regulator=ningbo-amr").content.decode()
    assert "Ningbo AMR" in before
    withdraw_issue(Issue.objects.get(series__slug="weekly-review", number=53).pk)
    response = client.get("/enforcement/")
    assert listed_ids(response) and set(listed_ids(response)) == published_ids()
    assert 'value="ningbo-amr"' not in response.content.decode()
    assert listed_ids(client.get("/enforcement/?regulator=ningbo-amr")) == []
