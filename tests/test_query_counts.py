"""A public page's database queries do not grow with the rows it shows.

Each page is requested with one row and with fifty rows of richly linked data; the number of
queries must be the same, and is pinned so that a new query per page is noticed.
"""

import datetime
from decimal import Decimal

import pytest

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


# Queries per page, pinned: the same with 1 row as with 50.
PAGES = {
    "/": 6,
    "/issues/": 2,
    "/issues/weekly-review/1/": 6,
    "/items/": 7,
    "/items/?regulator=cac&topic=apps": 9,
    "/search/?q=regulator": 9,
    "/enforcement/": 10,
    "/enforcement/?regulator=cac&action_type=fine&decided_after=2021-01-01&o=-fine": 11,
    "/instruments/": 6,
    "/instruments/?status=draft&open_on=2021-05-01": 6,
    "/instruments/pipl/": 8,
    "/regulators/": 1,
    "/regulators/cac/": 15,
}


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("url", list(PAGES))
def test_page_queries_do_not_grow_with_rows_shown(client, django_assert_num_queries, url, rows):
    build_archive(rows)
    with django_assert_num_queries(PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200
