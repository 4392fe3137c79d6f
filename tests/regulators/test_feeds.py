"""Instrument feeds: the filtered list's RSS and Atom, one family's steps, and the calendar's alarms."""

import datetime
from xml.etree import ElementTree

import icalendar
import pytest

from regulators.models import Instrument
from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    return TODAY


def read_xml(content):
    return ElementTree.fromstring(content)  # noqa: S314 - the site's own output, not foreign XML


def feed_links(response):
    assert response.status_code == 200
    root = read_xml(response.content)
    if root.tag == f"{ATOM}feed":
        return [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    return [item.findtext("link") for item in root.iter("item")]


def page_links(client, query):
    response = client.get(f"/instruments/?{query}")
    assert response.status_code == 200
    return [f"http://testserver{instrument.get_absolute_url()}" for instrument in response.context["object_list"]]


@pytest.mark.parametrize("feed", ["/instruments/feed/rss/", "/instruments/feed/atom/"])
@pytest.mark.parametrize("query", ["", "status=closed", "status=in_force&kind=law", "status=superseded", "issuer=cac"])
def test_instrument_feeds_list_what_the_filtered_page_lists(client, seeds, today, feed, query):
    expected = page_links(client, query)
    assert expected, "the query should match something, or the test proves little"
    assert feed_links(client.get(f"{feed}?{query}" if query else feed)) == expected


@pytest.mark.parametrize("feed", ["/instruments/feed/rss/", "/instruments/feed/atom/"])
def test_an_invalid_filter_gives_an_empty_instrument_feed(client, seeds, feed):
    assert feed_links(client.get(f"{feed}?status=lost")) == []


def test_the_instrument_feed_titles_each_text_with_its_stage_today(client, seeds, today):
    content = client.get("/instruments/feed/rss/?status=superseded").content.decode()
    assert "Network Data Security Administrative Regulation (Draft for Comment) — superseded" in content


def test_a_familys_feed_tells_its_versions_and_stages_newest_first(client, seeds, today):
    response = client.get("/instruments/draft-network-data-security-regulation/feed/")
    assert response.status_code == 200
    root = read_xml(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    final, draft = "Network Data Security Management Regulations", "Network Data Security Administrative Regulation"
    assert titles == [
        f"In force: {final}",
        f"Published: {final}",
        f"Adopted: {final}",
        f"Consultation closed: {draft} (Draft for Comment)",
        f"Draft published for comment: {draft} (Draft for Comment)",
    ]
    # the family is the same from either end
    other_end = client.get("/instruments/network-data-security-management-regulations/feed/")
    assert [item.findtext("title") for item in read_xml(other_end.content).iter("item")] == titles


def test_a_familys_feed_leaves_out_what_has_not_happened_yet(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2024, 12, 1))
    draft = InstrumentFactory(
        slug="draft-rules",
        title="Draft Rules",
        published_on=datetime.date(2024, 11, 1),
        comment_deadline=datetime.date(2024, 12, 31),
    )
    final = InstrumentFactory(slug="rules", title="Rules", status="final", adopted_on=datetime.date(2025, 3, 1))
    final.supersedes.add(draft)
    root = read_xml(client.get("/instruments/rules/feed/").content)
    assert [item.findtext("title") for item in root.iter("item")] == ["Draft published for comment: Draft Rules"]


def test_an_unknown_instruments_feed_is_not_found(client, db):
    assert client.get("/instruments/no-such-text/feed/").status_code == 404


def test_calendar_events_carry_alarms_the_configured_days_ahead(client, settings):
    settings.CALENDAR_ALARM_DAYS = 10
    InstrumentFactory(slug="draft-rules", status=Instrument.Status.DRAFT, comment_deadline=datetime.date(2030, 5, 26))
    InstrumentFactory(slug="law", status=Instrument.Status.FINAL, effective_on=datetime.date(2030, 7, 1))
    calendar = icalendar.Calendar.from_ical(client.get("/instruments/calendar.ics").content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY" and str(alarm["DESCRIPTION"])
        assert alarm.decoded("TRIGGER") == -datetime.timedelta(days=10)
    # what a calendar app reads back is valid iCalendar, alarms included
    assert icalendar.Calendar.from_ical(calendar.to_ical()).walk("VALARM")


def test_calendar_alarms_default_to_a_week_ahead(client, db):
    InstrumentFactory(slug="draft-rules", comment_deadline=datetime.date(2030, 5, 26))
    calendar = icalendar.Calendar.from_ical(client.get("/instruments/calendar.ics").content)
    (alarm,) = calendar.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -datetime.timedelta(days=7)
