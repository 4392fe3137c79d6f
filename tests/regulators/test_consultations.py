"""Consultations and deadlines (/instruments/consultations/): open drafts, entry into force, the calendar."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from items.landscape_views import instrument_timeline
from regulators.models import Instrument
from tests.factories import InstrumentFactory, IssueFactory, NewsItemFactory

PAGE = "/instruments/consultations/"
APP_RULES_DRAFT = "draft-app-pi-protection-interim-regulations"  # MIIT's exposure draft, deadline 2021-05-26


def get(client, query=""):
    response = client.get(f"{PAGE}?{query}" if query else PAGE)
    assert response.status_code == 200, query
    return response, response.content.decode()


def calendar_cell(html, day):
    """The HTML of the calendar cell of `day` (a date)."""
    cells = re.findall(r"<td[^>]*>.*?</td>", html[html.index('<table class="calendar">') :], flags=re.S)
    return next(cell for cell in cells if f'datetime="{day.isoformat()}"' in cell)


def month_row(html):
    match = re.search(r'<tr class="calendar-month-row">.*?</tr>', html, flags=re.S)
    return match.group(0) if match else ""


def slugs(rows):
    return [row["instrument"].slug for row in rows]


@pytest.mark.usefixtures("seeds")
class TestWithTheSeeds:
    def test_miit_exposure_draft_is_open_on_1_may_2021_with_25_days_left(self, client):
        response, html = get(client, "on=2021-05-01")
        row = next(row for row in response.context["open_for_comment"] if row["instrument"].slug == APP_RULES_DRAFT)
        assert row["days"] == 25
        table = html[html.index('<table class="data deadlines">') : html.index("</table>")]
        line = next(line for line in re.findall(r"<tr>.*?</tr>", table, flags=re.S) if APP_RULES_DRAFT in line)
        assert "May 26, 2021" in line and "25 days left" in line
        assert "Open for comment on May 1, 2021" in html

    def test_open_drafts_are_those_whose_comment_period_includes_the_day(self, client):
        response, _html = get(client, "on=2021-05-01")
        expected = Instrument.objects.filter(
            published_on__lte=datetime.date(2021, 5, 1), comment_deadline__gte=datetime.date(2021, 5, 1)
        ).order_by("comment_deadline", "title")
        assert slugs(response.context["open_for_comment"]) == [instrument.slug for instrument in expected]
        # The day after its deadline, the exposure draft is closed and listed as such.
        response, _html = get(client, "on=2021-05-27")
        assert APP_RULES_DRAFT not in slugs(response.context["open_for_comment"])
        assert APP_RULES_DRAFT in slugs(response.context["recently_closed"])

    def test_calendar_of_may_2021_shows_the_deadline_on_the_26th(self, client):
        response, html = get(client, "month=2021-05")
        cell = calendar_cell(html, datetime.date(2021, 5, 26))
        assert f'href="/instruments/{APP_RULES_DRAFT}/"' in cell
        assert "Comment deadline" in cell
        assert APP_RULES_DRAFT not in calendar_cell(html, datetime.date(2021, 5, 25))
        assert re.search(r"<caption>May 2021: \d+ dates</caption>", html)
        assert 'href="?month=2021-04"' in html and 'href="?month=2021-06"' in html

    def test_calendar_is_an_accessible_table(self, client):
        _response, html = get(client, "month=2021-05")
        table = html[html.index('<table class="calendar">') :]
        assert "<caption>" in table
        assert table.count('<th scope="col">') == 7
        assert '<abbr title="Monday">Mon</abbr>' in table
        assert '<time datetime="2021-05-01">1</time>' in table

    def test_month_precise_entry_into_force_sits_in_the_month_row(self, client):
        _response, html = get(client, "month=2022-07")
        assert "Chongqing" in month_row(html)
        assert "This month" in month_row(html)
        assert "Chongqing" not in calendar_cell(html, datetime.date(2022, 7, 1))

    def test_day_precise_dates_leave_no_month_row(self, client):
        _response, html = get(client, "month=2021-05")
        assert month_row(html) == ""

    def test_coming_into_force_within_a_year_and_recently(self, client):
        response, _html = get(client, "on=2021-05-01")
        assert "shanghai-data-regulations" in slugs(response.context["coming_into_force"])
        assert "chongqing-data-regulations" not in slugs(response.context["coming_into_force"])  # July 2022
        response, html = get(client, "on=2022-06-01")
        assert slugs(response.context["coming_into_force"]) == ["chongqing-data-regulations"]
        assert slugs(response.context["recently_in_force"]) == ["beijing-pilot-free-trade-zone-regulations"]
        assert "in force July 2022" in html.replace('<time datetime="2022-07-01">', "").replace("</time>", "")
        assert "31 days ago" in html

    def test_today_with_nothing_open_links_to_the_latest_consultation(self, client, monkeypatch):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2025, 3, 10))
        response, html = get(client)
        assert response.context["day"] == datetime.date(2025, 3, 10)
        assert response.context["open_for_comment"] == []
        assert "No draft is open for comment on March 10, 2025." in html
        latest = Instrument.objects.exclude(comment_deadline=None).order_by("-comment_deadline").first()
        assert f'href="?on={latest.published_on.isoformat()}"' in html
        # Nothing in March 2025 or after: the calendar opens on the month of the last date, not an empty one.
        dates = [
            value
            for instrument in Instrument.objects.exclude(status="withdrawn")
            for value, precision in [
                (instrument.comment_deadline, instrument.comment_deadline_precision),
                (instrument.effective_on, instrument.effective_on_precision),
            ]
            if value and precision != "year"
        ]
        assert response.context["calendar"]["month"] == max(dates).replace(day=1)
        assert ": 0 dates</caption>" not in html

    def test_links_to_the_page_from_the_header_and_the_instrument_list(self, client):
        html = client.get("/instruments/").content.decode()
        assert html.count(f'href="{PAGE}"') == 2  # the main navigation, and the list's own link

    def test_queries_are_pinned(self, client, django_assert_num_queries):
        # The content version (the key of the kept page); open drafts, recently closed and entering
        # into force (each with its issuers), the month the calendar opens on, the calendar.
        with django_assert_num_queries(9):
            get(client, "on=2021-05-01")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ("on=2021-02-30", "Give the day as YYYY-MM-DD"),
        ("on=0000-00-00", "Give the day as YYYY-MM-DD"),
        ("on=yesterday", "Give the day as YYYY-MM-DD"),
        ("on=9999-12-31", "Choose a day between 1900 and 2100"),
        ("month=2021-13", "Give the month as YYYY-MM"),
        ("month=May", "Give the month as YYYY-MM"),
        ("month=" + "9" * 400, "Give the month as YYYY-MM"),
        ("month=0001-01", "Choose a month between 1900 and 2100"),
    ],
)
def test_bad_day_or_month_gives_a_clear_message(client, query, message):
    response, html = get(client, query)
    assert 'role="alert"' in html
    assert message in html
    assert response.context["day"] == timezone.localdate()  # the page still answers, for today


@pytest.mark.django_db
def test_a_valid_day_survives_a_bad_month(client):
    response, html = get(client, "on=2021-05-01&month=2021-13")
    assert response.context["day"] == datetime.date(2021, 5, 1)
    assert response.context["calendar"]["month"] == datetime.date(2021, 5, 1)
    assert "Give the month as YYYY-MM" in html


@pytest.mark.django_db
def test_month_links_keep_the_chosen_day(client):
    _response, html = get(client, "on=2021-05-01&month=2021-07")
    assert 'href="?on=2021-05-01&amp;month=2021-06"' in html
    assert 'href="?on=2021-05-01&amp;month=2021-08"' in html


@pytest.mark.django_db
def test_a_deadline_known_only_to_the_month_stays_open_through_the_month(client):
    InstrumentFactory(
        slug="vague-draft",
        published_on=datetime.date(2021, 6, 1),
        comment_deadline=datetime.date(2021, 7, 1),
        comment_deadline_precision="month",
    )
    response, html = get(client, "on=2021-07-20&month=2021-07")
    (row,) = response.context["open_for_comment"]
    assert row["days"] == 11  # to 31 July
    assert "vague-draft" in month_row(html)


@pytest.mark.django_db
def test_withdrawn_drafts_are_not_open_for_comment(client):
    InstrumentFactory(
        slug="dropped-draft",
        status=Instrument.Status.WITHDRAWN,
        published_on=datetime.date(2021, 6, 1),
        comment_deadline=datetime.date(2021, 7, 1),
    )
    response, html = get(client, "on=2021-06-15&month=2021-07")
    assert response.context["open_for_comment"] == []
    assert "dropped-draft" not in html


@pytest.mark.django_db
def test_instrument_timeline_covers_every_stage_and_every_published_item():
    instrument = InstrumentFactory(
        published_on=datetime.date(2021, 4, 26),
        comment_deadline=datetime.date(2021, 5, 26),
        adopted_on=datetime.date(2021, 9, 1),
        effective_on=datetime.date(2022, 7, 1),
        effective_on_precision="month",
    )
    reported = [
        NewsItemFactory(event_date=datetime.date(2021, 4, 27), headline="Draft released"),
        NewsItemFactory(event_date=None, issue=IssueFactory(issued_on=datetime.date(2021, 9, 5)), headline="Adopted"),
    ]
    NewsItemFactory(issue=IssueFactory(status="draft"), headline="Not yet public").instruments.add(instrument)
    for item in reported:
        item.instruments.add(instrument)
    items = list(instrument.news_items.published().select_related("issue__series", "section"))
    events = [(event.get("stage") or event["label"], event["when"]) for event in instrument_timeline(instrument, items)]
    assert events == [
        ("published_on", "April 26, 2021"),
        ("Draft released", "April 27, 2021"),
        ("comment_deadline", "May 26, 2021"),
        ("adopted_on", "Sept. 1, 2021"),
        ("Adopted", "Sept. 5, 2021"),
        ("effective_on", "July 2022"),
    ]


@pytest.mark.django_db
def test_any_day_or_month_gives_an_answer(client):
    values = st.one_of(st.text(max_size=20), st.dates().map(str), st.sampled_from(["0000-00", "2021-00", "-1", "\x00"]))

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(on=values, month=values)
    def check(on, month):
        # A NUL byte is refused before any page (core/nul_bytes.py), with a 400 saying so.
        expected = 400 if "\x00" in on + month else 200
        assert client.get(PAGE, {"on": on, "month": month}).status_code == expected, (on, month)

    check()


def test_url_name_resolves_before_the_instrument_pages():
    assert reverse("regulators:consultations") == PAGE
