"""RSS and Atom feeds: only published content, and a filtered feed lists exactly what its page lists."""

import datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from urllib.parse import urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from items.models import Issue
from tests.factories import EnforcementActionFactory, IssueFactory, NewsItemFactory, RegulatorFactory, TopicFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

ISSUE_FEEDS = ["/feeds/issues/rss/", "/feeds/issues/atom/"]
ITEM_FEEDS = ["/items/feed/rss/", "/items/feed/atom/"]
ENFORCEMENT_FEEDS = ["/enforcement/feed/rss/", "/enforcement/feed/atom/"]
ALL_FEEDS = ISSUE_FEEDS + ITEM_FEEDS + ENFORCEMENT_FEEDS


def read_feed(response):
    """The feed's channel and entries as plain dicts, whether RSS 2.0 or Atom."""
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own output, not foreign XML
    if root.tag == f"{ATOM}feed":
        assert response["Content-Type"].startswith("application/atom+xml")
        channel = {"title": root.findtext(f"{ATOM}title"), "link": root.find(f"{ATOM}link").get("href")}
        entries = [
            {
                "title": entry.findtext(f"{ATOM}title"),
                "link": entry.find(f"{ATOM}link").get("href"),
                "description": entry.findtext(f"{ATOM}summary"),
                "published": datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")),
                "updated": entry.findtext(f"{ATOM}updated"),
            }
            for entry in root.findall(f"{ATOM}entry")
        ]
        return channel, entries
    assert response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    rss = root.find("channel")
    channel = {"title": rss.findtext("title"), "link": rss.findtext("link")}
    entries = [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "description": item.findtext("description"),
            "published": parsedate_to_datetime(item.findtext("pubDate")),
        }
        for item in rss.findall("item")
    ]
    return channel, entries


def paths(entries):
    return [urlsplit(entry["link"]).path for entry in entries]


def feed_text(response):
    return response.content.decode()


@pytest.fixture
def hidden_content(newsroom):
    """Beside the newsroom's draft issue: a withdrawn issue with an item and an action, and an
    action no item reports. All are tied to CAC and a fine, so a filter cannot hide a leak."""
    withdrawn_issue = IssueFactory(title="Withdrawn Weekly Review", status=Issue.Status.WITHDRAWN)
    withdrawn_item = NewsItemFactory(issue=withdrawn_issue, headline="Withdrawn Headline About CAC")
    withdrawn_item.regulators.set([newsroom.cac])
    withdrawn_item.topics.set([newsroom.topic])
    withdrawn_action = EnforcementActionFactory(news_item=withdrawn_item, target="Withdrawn Target Ltd")
    withdrawn_action.regulators.set([newsroom.cac])
    unreported_action = EnforcementActionFactory(news_item=None, target="Unreported Target Ltd")
    unreported_action.regulators.set([newsroom.cac])
    return SimpleNamespace(
        issues=[newsroom.draft_issue, withdrawn_issue],
        items=[newsroom.draft_item, withdrawn_item],
        actions=[newsroom.draft_action, withdrawn_action, unreported_action],
    )


@pytest.mark.parametrize("url", ALL_FEEDS)
@pytest.mark.parametrize("query", ["", "?regulator=cac", "?regulator=miit", "?topic=facial-recognition"])
def test_feeds_omit_draft_and_withdrawn_issues_and_actions_no_item_reports(
    client, newsroom, hidden_content, url, query
):
    response = client.get(url + query)
    _channel, entries = read_feed(response)
    text = feed_text(response)
    for issue in hidden_content.issues:
        assert issue.title not in text
        assert issue.get_absolute_url() not in text
    for item in hidden_content.items:
        assert item.headline not in text
        assert item.get_absolute_url() not in text
    for action in hidden_content.actions:
        assert action.public_id not in text
        assert action.target not in text
    shown = {newsroom.issue.get_absolute_url(), newsroom.item.get_absolute_url(), newsroom.action.get_absolute_url()}
    assert set(paths(entries)) <= shown


def test_issue_feed_lists_published_issues_newest_first_with_their_summary(client, newsroom):
    newer = IssueFactory(
        title="Weekly Review No.230",
        issued_on=datetime.date(2021, 4, 8),
        summary="**CAC** publishes draft rules.",
        published_at=datetime.datetime(2021, 4, 8, 10, 30, tzinfo=datetime.UTC),
    )
    for url in ISSUE_FEEDS:
        channel, entries = read_feed(client.get(url))
        assert urlsplit(channel["link"]).path == "/issues/"
        assert [entry["title"] for entry in entries] == ["Weekly Review No.230", "Weekly Review No.229"]
        assert paths(entries) == [newer.get_absolute_url(), newsroom.issue.get_absolute_url()]
        assert entries[0]["description"] == newer.summary_html
        assert entries[0]["published"] == datetime.datetime(2021, 4, 8, 10, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("url", ISSUE_FEEDS)
def test_issue_without_publication_time_is_dated_by_its_issue_date(client, newsroom, url):
    _channel, entries = read_feed(client.get(url))
    assert newsroom.issue.published_at is None
    assert entries[0]["published"] == datetime.datetime(2021, 4, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_atom_entries_carry_an_updated_date(client, newsroom):
    for url in ["/feeds/issues/atom/", "/items/feed/atom/", "/enforcement/feed/atom/"]:
        _channel, entries = read_feed(client.get(url))
        assert entries and all(entry["updated"] for entry in entries)


@pytest.fixture
def enforcement_record(newsroom):
    """Published actions by CAC and MIIT, of several types, dates and fines."""
    item = NewsItemFactory(issue=newsroom.issue, headline="Regulators Act on Apps")
    rows = [
        ("miit", "fine", datetime.date(2021, 3, 1), Decimal("50000")),
        ("miit", "fine", datetime.date(2021, 5, 1), Decimal("900000")),
        ("miit", "app_removal", datetime.date(2021, 6, 1), None),
        ("cac", "fine", datetime.date(2021, 2, 1), Decimal("10000")),
        ("cac", "warning", datetime.date(2021, 7, 1), None),
    ]
    regulators = {"cac": newsroom.cac, "miit": newsroom.miit}
    for slug, action_type, decided_on, fine in rows:
        action = EnforcementActionFactory(
            news_item=item,
            action_type=action_type,
            decided_on=decided_on,
            fine_amount=fine,
            currency="CNY" if fine else "",
            target=f"{slug} {action_type} {decided_on:%B}",
        )
        action.regulators.set([regulators[slug]])
    return newsroom


@pytest.mark.parametrize("url", ENFORCEMENT_FEEDS)
@pytest.mark.parametrize(
    "query",
    [
        "",
        "regulator=miit&action_type=fine",
        "regulator=cac",
        "regulator=cac&regulator=miit&o=-fine",
        "fine_min=40000",
        "decided_after=2021-04-01&decided_before=2021-06-30",
        "target=miit",
        "action_type=fine&page=2",
    ],
)
def test_filtered_enforcement_feed_lists_exactly_the_rows_of_the_filtered_page(
    client, enforcement_record, hidden_content, url, query
):
    page = client.get(f"/enforcement/?{query}")
    _channel, entries = read_feed(client.get(f"{url}?{query}"))
    listed = [action.get_absolute_url() for action in page.context["paginator"].object_list]
    assert paths(entries) == listed[:50]
    assert entries, "the query should match something, or the test proves little"


def test_enforcement_feed_gives_the_newest_fifty_in_page_order(client, newsroom):
    start = datetime.date(2022, 1, 1)
    actions = [
        EnforcementActionFactory(news_item=newsroom.item, decided_on=start + datetime.timedelta(days=day))
        for day in range(55)
    ]
    page = client.get("/enforcement/")
    _channel, entries = read_feed(client.get("/enforcement/feed/rss/"))
    assert len(entries) == 50
    assert paths(entries) == [action.get_absolute_url() for action in page.context["object_list"]]
    assert paths(entries)[0] == actions[-1].get_absolute_url()


@pytest.fixture
def item_record(newsroom):
    apps = TopicFactory(slug="apps", name="Apps")
    for number, (topic, event_date) in enumerate(
        [(apps, datetime.date(2021, 3, 2)), (apps, datetime.date(2021, 3, 20)), (newsroom.topic, None)]
    ):
        item = NewsItemFactory(issue=newsroom.issue, headline=f"Item {number} on {topic.name}", event_date=event_date)
        item.topics.set([topic])
    return newsroom


@pytest.mark.parametrize("url", ITEM_FEEDS)
@pytest.mark.parametrize(
    "query",
    ["", "topic=apps", "topic=apps&topic=facial-recognition", "regulator=cac", "q=apps", "date_after=2021-03-10"],
)
def test_filtered_item_feed_lists_exactly_the_rows_of_the_filtered_page(
    client, item_record, hidden_content, url, query
):
    page = client.get(f"/items/?{query}")
    _channel, entries = read_feed(client.get(f"{url}?{query}"))
    listed = [item.get_absolute_url() for item in page.context["paginator"].object_list]
    assert paths(entries) == listed[:50]
    assert entries, "the query should match something, or the test proves little"


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (url, query)
        for url in ENFORCEMENT_FEEDS
        for query in ["regulator=nope", "decided_after=yesterday", "fine_min=lots", "action_type=flogging", "o=evil"]
    ]
    + [
        (url, query)
        for url in ITEM_FEEDS
        for query in ["topic=nope", "date_after=yesterday", "regulator=nope&topic=apps", "jurisdiction=XX"]
    ],
)
def test_invalid_filter_gives_an_empty_valid_feed(client, enforcement_record, item_record, hidden_content, url, query):
    response = client.get(f"{url}?{query}")
    channel, entries = read_feed(response)
    assert entries == []
    assert channel["title"]


def test_enforcement_feed_entry_names_the_action_and_summarises_it(client, newsroom):
    action = newsroom.action
    action.summary = "The CAC fined the company for collecting personal information without consent."
    action.save()
    _channel, entries = read_feed(client.get("/enforcement/feed/rss/"))
    (entry,) = entries
    assert entry["title"] == f"{action.public_id}: fine – Example Real Estate Co., Ltd."
    assert entry["link"] == f"http://testserver/enforcement/{action.public_id}/"
    assert "CAC" in entry["description"]
    assert "CNY 250,000" in entry["description"]
    assert "without consent" in entry["description"]


@pytest.mark.parametrize("url", ITEM_FEEDS)
def test_item_feed_entry_carries_the_headline_and_the_rendered_body(client, newsroom, url):
    _channel, entries = read_feed(client.get(url))
    (entry,) = entries
    assert entry["title"] == "CAC Fines a Real Estate Company"
    assert entry["link"] == f"http://testserver{newsroom.item.get_absolute_url()}"
    assert entry["description"] == newsroom.item.body_html
    assert "<strong>regulator</strong>" in entry["description"]


@pytest.mark.parametrize("url", ITEM_FEEDS)
def test_item_feed_uses_the_chinese_headline_only_for_chinese_readers(client, newsroom, url):
    newsroom.item.headline_zh = "网信办对一家房地产公司处以罚款"
    newsroom.item.save()
    with translation.override("en"):
        _channel, english = read_feed(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        _channel, chinese = read_feed(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert english[0]["title"] == "CAC Fines a Real Estate Company"
    assert chinese[0]["title"] == "网信办对一家房地产公司处以罚款"


@pytest.mark.parametrize(
    ("url", "page"),
    [("/enforcement/feed/rss/", "/enforcement/"), ("/items/feed/atom/", "/items/")],
)
def test_filtered_feed_links_back_to_the_page_with_the_same_filters(client, newsroom, url, page):
    channel, _entries = read_feed(client.get(f"{url}?regulator=cac&page=3"))
    assert channel["link"] == f"http://testserver{page}?regulator=cac"


@pytest.mark.parametrize(
    ("page", "rss", "atom"),
    [
        ("/enforcement/", "/enforcement/feed/rss/", "/enforcement/feed/atom/"),
        ("/items/", "/items/feed/rss/", "/items/feed/atom/"),
    ],
)
def test_list_page_links_to_its_feeds_with_the_current_filters(client, newsroom, page, rss, atom):
    html = client.get(f"{page}?regulator=cac&jurisdiction=CN&page=2").content.decode()
    assert f'href="{rss}?regulator=cac&amp;jurisdiction=CN"' in html
    assert f'href="{atom}?regulator=cac&amp;jurisdiction=CN"' in html
    assert ">RSS</a>" in html and ">Atom</a>" in html


def test_every_page_advertises_the_issue_feeds(client, newsroom):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/issues/rss/"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/issues/atom/"' in html


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_feed_queries_do_not_grow_with_the_number_of_entries(client, newsroom, url):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for _ in range(4):
        issue = IssueFactory()
        action = EnforcementActionFactory(news_item__issue=issue)
        action.regulators.set([RegulatorFactory()])
    assert queries() == few
