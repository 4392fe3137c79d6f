"""A public page's database queries do not grow with the rows it shows, nor with the table.

Each page is requested with one row and with fifty rows of richly linked data; the number of
queries must be the same, and is pinned so that a new query per page is noticed. Then with
thousands of rows in the tables besides: still the same.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from items.models import PublicIdCounter, Section, Topic, Violation
from regulators.models import Regulator
from tests.factories import (
    EnforcementActionFactory,
    InstrumentFactory,
    IssueFactory,
    NewsItemFactory,
    OrganisationFactory,
    RegulatorFactory,
    SourceFactory,
    TopicFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db


def build_archive(rows):
    """`rows` published items in one issue, each linked to everything a page may show."""
    regulator = RegulatorFactory(slug="cac", abbreviation="CAC", name="Cyberspace Administration of China")
    instrument = InstrumentFactory(
        slug="pipl",
        published_on=datetime.date(2021, 4, 26),
        comment_deadline=datetime.date(2099, 5, 26),
    )
    instrument.issuers.add(regulator)
    topic = TopicFactory(slug="apps", name="Apps")
    issue = IssueFactory(number=1)
    for index in range(rows):
        item = NewsItemFactory(issue=issue, position=index + 1, event_date=datetime.date(2021, 4, 1 + index % 28))
        item.regulators.add(regulator, RegulatorFactory())
        item.instruments.add(instrument)
        item.topics.add(topic, TopicFactory())
        SourceFactory(news_item=item, footnote=index + 1)
        action = EnforcementActionFactory(
            news_item=item, organisation=OrganisationFactory(), fine_amount=Decimal(1000 * (index + 1))
        )
        action.regulators.add(regulator)
        action.legal_basis.add(instrument)
        action.violations.add(ViolationFactory())
    return issue


# Queries per page, pinned: the same with 1 row as with 50. The first figure is a page asked
# for the first time since the content changed; the second, the same page rendered again (for a
# reader with a session, who is not given a kept page), when its counts, facets, charts, the ids
# of its rows and the rows' rendered fragment come from the cache: a list then reads no row at
# all (core.content_cache.RowsById; rows are read afresh, through published(), whenever their
# fragment is rendered). Both include reading the content version. An anonymous reader asking again is
# given the kept page: one query (test_page_cache.py and the last test here).
PAGES = {
    "/": (9, 6),
    "/issues/": (2, 2),
    "/issues/weekly-review/1/": (7, 2),
    "/items/": (5, 1),  # five facets, none in use: counted in one statement
    # The facets in use each counted alone; the regulators' tree read once (then from the cache).
    "/items/?regulator=cac&topic=apps": (10, 3),
    # Besides the items: the regulators, instruments, actions and organisations the words name,
    # found once for the content version (four statements), then read by id (four more).
    "/search/?q=regulator": (13, 5),
    # The table's violations, legal bases and articles applied: one query each for the page's rows.
    "/enforcement/": (9, 1),
    "/enforcement/?regulator=cac&action_type=fine&decided_after=2021-01-01&o=-fine": (13, 2),
    # Each stage computed in Python from the versions, amendments and repeals read for the page.
    "/instruments/": (9, 1),
    "/instruments/?status=open&open_on=2021-05-01": (10, 1),
    "/instruments/pipl/": (15, 15),  # its family of versions, each with its stage and citations
    # The list, then each regulator's items and actions with its offices' (a statement each, cached).
    "/regulators/": (4, 2),
    "/regulators/cac/": (18, 4),  # its instruments counted from the list it shows; the regulators' tree
}


def assert_pinned_queries(client, django_assert_num_queries, url):
    """The page's pinned counts: asked first, then rendered again (whole-page caching off)."""
    first, again = PAGES[url]
    with override_settings(PAGE_CACHE_SECONDS=0):
        with django_assert_num_queries(first):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_num_queries(again):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("url", list(PAGES))
def test_page_queries_do_not_grow_with_rows_shown(client, django_assert_num_queries, url, rows):
    build_archive(rows)
    assert_pinned_queries(client, django_assert_num_queries, url)


@pytest.fixture(scope="module")
def big_tables(django_db_setup, django_db_blocker):
    """5,000 more published items, 2,500 actions and 500 instruments, once for the module."""
    from django.core.management import call_command

    vocabulary = (Topic, Violation, Section)
    with django_db_blocker.unblock():
        before = {model: set(model.objects.values_list("pk", flat=True)) for model in vocabulary}
        counters = list(PublicIdCounter.objects.values_list("year", "last_number"))
        call_command(
            "generate_demo_data", items=5000, actions=2500, instruments=500, regulators=60, seed=2, verbosity=0
        )
        # build_archive() names its own CAC.
        Regulator.objects.filter(slug__startswith="demo-").update(abbreviation="")
    yield
    with django_db_blocker.unblock():
        call_command("generate_demo_data", "--clear-only", verbosity=0)
        for model in vocabulary:  # the generator adds the shared vocabulary where missing
            model.objects.exclude(pk__in=before[model]).delete()
            model.history.exclude(id__in=before[model]).delete()
        PublicIdCounter.objects.all().delete()
        PublicIdCounter.objects.bulk_create([PublicIdCounter(year=y, last_number=n) for y, n in counters])


@pytest.mark.parametrize("url", list(PAGES))
def test_page_queries_do_not_grow_with_rows_in_the_tables(big_tables, client, django_assert_num_queries, url):
    build_archive(1)
    assert_pinned_queries(client, django_assert_num_queries, url)
    client.get(url)  # kept for anonymous readers
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
