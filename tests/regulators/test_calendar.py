"""The iCal feed of instruments' comment deadlines and entry-into-force dates."""

import datetime
from urllib.parse import urlsplit

import icalendar
import pytest
from django.utils import translation

from regulators.models import Instrument
from tests.factories import InstrumentFactory, RegulatorFactory

pytestmark = pytest.mark.django_db

CALENDAR = "/instruments/calendar.ics"


# regulators.filters.InstrumentFilter.issuer compares the issuers relation with the slug string, so a
# known issuer (?issuer=cac) raises ValueError, on /instruments/ as on the calendar. Strict: once the
# filter compares with the record (as items.filters.SlugMultipleChoiceFilter does), drop this marker.
def read_calendar(response):
    """Each VEVENT as a dict of what a calendar app shows, keyed by UID."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "url": str(event["URL"]),
            "description": str(event["DESCRIPTION"]),
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def instruments():
    cac = RegulatorFactory(name="Cyberspace Administration of China", abbreviation="CAC", slug="cac")
    miit = RegulatorFactory(name="Ministry of Industry and Information Technology", abbreviation="MIIT", slug="miit")
    draft = InstrumentFactory(
        title="Draft Network Data Security Regulation",
        slug="network-data-draft",
        status=Instrument.Status.DRAFT,
        published_on=datetime.date(2021, 11, 14),
        comment_deadline=datetime.date(2021, 12, 13),
    )
    draft.issuers.set([cac])
    pipl = InstrumentFactory(
        title="Personal Information Protection Law",
        title_zh="个人信息保护法",
        short_title="PIPL",
        slug="pipl",
        kind=Instrument.Kind.LAW,
        status=Instrument.Status.FINAL,
        published_on=datetime.date(2021, 8, 20),
        effective_on=datetime.date(2021, 11, 1),
    )
    pipl.issuers.set([cac])
    month_only = InstrumentFactory(
        title="Measures on Car Data",
        slug="car-data",
        status=Instrument.Status.FINAL,
        effective_on=datetime.date(2022, 7, 1),
        effective_on_precision="month",
    )
    month_only.issuers.set([miit])
    year_only = InstrumentFactory(
        title="Standard Expected Some Time",
        slug="standard-someday",
        status=Instrument.Status.FINAL,
        effective_on=datetime.date(2023, 1, 1),
        effective_on_precision="year",
    )
    miit_draft = InstrumentFactory(
        title="Draft App Provisions",
        slug="app-provisions-draft",
        status=Instrument.Status.DRAFT,
        comment_deadline=datetime.date(2021, 5, 26),
        effective_on=datetime.date(2022, 1, 1),
    )
    miit_draft.issuers.set([miit])
    undated = InstrumentFactory(title="Undated Guideline", slug="undated-guideline", status=Instrument.Status.DRAFT)
    return {
        "draft": draft,
        "pipl": pipl,
        "month_only": month_only,
        "year_only": year_only,
        "miit_draft": miit_draft,
        "undated": undated,
    }


def test_calendar_has_one_all_day_event_per_comment_deadline_and_entry_into_force(client, instruments):
    events = read_calendar(client.get(CALENDAR))
    assert set(events) == {
        "network-data-draft-comment-deadline@cybersecurity-review",
        "pipl-in-force@cybersecurity-review",
        "car-data-in-force@cybersecurity-review",
        "app-provisions-draft-comment-deadline@cybersecurity-review",
        "app-provisions-draft-in-force@cybersecurity-review",
    }
    deadline = events["network-data-draft-comment-deadline@cybersecurity-review"]
    assert deadline["summary"] == "Comment deadline: Draft Network Data Security Regulation"
    assert deadline["start"] == datetime.date(2021, 12, 13)
    assert deadline["end"] == datetime.date(2021, 12, 14)
    assert deadline["url"] == "http://testserver/instruments/network-data-draft/"
    assert "CAC" in deadline["description"]
    in_force = events["pipl-in-force@cybersecurity-review"]
    assert in_force["summary"] == "In force: Personal Information Protection Law"
    assert (in_force["start"], in_force["end"]) == (datetime.date(2021, 11, 1), datetime.date(2021, 11, 2))
    assert urlsplit(in_force["url"]).path == instruments["pipl"].get_absolute_url()


def test_events_are_listed_in_date_order(client, instruments):
    calendar = icalendar.Calendar.from_ical(client.get(CALENDAR).content)
    starts = [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]
    assert starts == sorted(starts)


def test_date_known_to_the_month_is_an_all_day_event_on_the_first_marked_month_only(client, instruments):
    event = read_calendar(client.get(CALENDAR))["car-data-in-force@cybersecurity-review"]
    assert event["summary"] == "In force: Measures on Car Data (month only)"
    assert (event["start"], event["end"]) == (datetime.date(2022, 7, 1), datetime.date(2022, 7, 2))
    assert "July 2022" in event["description"]


def test_date_known_only_to_the_year_is_left_out(client, instruments):
    events = read_calendar(client.get(CALENDAR))
    assert not any(uid.startswith("standard-someday") for uid in events)


@pytest.mark.parametrize(
    "query",
    [
        "status=closed&issuer=cac",
        "issuer=miit",
        "status=closed",
        "status=in_force",
        "kind=law",
        "effective_after=2022-01-01",
        "q=draft",
    ],
)
def test_calendar_follows_the_instrument_list_filters(client, instruments, query):
    listed = client.get(f"/instruments/?{query}").context["paginator"].object_list
    expected_urls = {
        f"http://testserver{instrument.get_absolute_url()}"
        for instrument in listed
        if (instrument.comment_deadline and instrument.comment_deadline_precision != "year")
        or (instrument.effective_on and instrument.effective_on_precision != "year")
    }
    events = read_calendar(client.get(f"{CALENDAR}?{query}"))
    assert events, "the query should match something, or the test proves little"
    assert {event["url"] for event in events.values()} == expected_urls


def test_subscription_to_the_drafts_of_one_issuer_holds_only_those(client, instruments):
    events = read_calendar(client.get(f"{CALENDAR}?status=closed&issuer=cac"))
    assert list(events) == ["network-data-draft-comment-deadline@cybersecurity-review"]


@pytest.mark.parametrize(
    "query", ["issuer=nope", "effective_after=yesterday", "status=secret", "open_on=soon", "kind=law&issuer=nope"]
)
def test_invalid_filter_gives_an_empty_valid_calendar(client, instruments, query):
    assert read_calendar(client.get(f"{CALENDAR}?{query}")) == {}


def test_event_uids_are_stable_across_requests_and_filters(client, instruments):
    first = read_calendar(client.get(CALENDAR))
    again = read_calendar(client.get(CALENDAR))
    filtered = read_calendar(client.get(f"{CALENDAR}?status=closed"))
    assert set(first) == set(again)
    assert set(filtered) <= set(first)
    for uid, event in filtered.items():
        assert first[uid]["start"] == event["start"]


def test_chinese_reader_gets_the_chinese_title_where_there_is_one(client, instruments):
    with translation.override("en"):
        events = read_calendar(client.get(CALENDAR, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "个人信息保护法" in events["pipl-in-force@cybersecurity-review"]["summary"]
    deadline = events["network-data-draft-comment-deadline@cybersecurity-review"]
    assert "Draft Network Data Security Regulation" in deadline["summary"]
