"""An instrument's page shows its whole family of versions, with each one's stage today."""

import datetime
import re

import pytest
from django.utils import translation

from core.dates import format_precise_date
from regulators.stages import Stage
from tests.factories import EnforcementActionFactory, InstrumentFactory, IssueFactory, NewsItemFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    return TODAY


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_november_2021_draft_names_its_final_version_with_its_effective_date(client, seeds, today):
    response = client.get("/instruments/draft-network-data-security-regulation/")
    assert response.status_code == 200
    assert response.context["stage"].code == Stage.SUPERSEDED
    text = text_of(response.content.decode())
    assert (
        "Superseded by Network Data Security Management Regulations (in force from Jan. 1, 2025)" in text
    )  # the page's English dates
    assert 'href="/instruments/network-data-security-management-regulations/"' in response.content.decode()
    assert "Current version Network Data Security Management Regulations" in text


def test_the_final_regulations_page_lists_both_versions_and_marks_itself_current(client, seeds, today):
    response = client.get("/instruments/network-data-security-management-regulations/")
    rows = response.context["family"].rows
    assert [(row.instrument.slug, row.stage.code, row.is_current) for row in rows] == [
        ("draft-network-data-security-regulation", Stage.SUPERSEDED, False),
        ("network-data-security-management-regulations", Stage.IN_FORCE, True),
    ]
    text = text_of(response.content.decode())
    assert "State Council Decree No. 790" in text
    # the draft's reporting (published issues) is listed against the draft
    assert rows[0].items and not rows[1].items


@pytest.mark.parametrize(
    "slug, adopted, effective",
    [
        ("pipl", datetime.date(2021, 8, 20), datetime.date(2021, 11, 1)),
        ("dsl", datetime.date(2021, 6, 10), datetime.date(2021, 9, 1)),
        ("csl", datetime.date(2016, 11, 7), datetime.date(2017, 6, 1)),
    ],
)
def test_the_major_laws_show_their_adoption_and_effective_dates(client, seeds, today, slug, adopted, effective):
    text = text_of(client.get(f"/instruments/{slug}/").content.decode())
    with translation.override("en"):
        adopted, effective = format_precise_date(adopted), format_precise_date(effective)
    assert f"Adopted {adopted}" in text
    assert f"In force {effective}" in text
    assert "Stage In force" in text


def test_no_fixture_instrument_past_its_deadline_is_shown_as_open_for_comment(client, seeds, today):
    listed = client.get("/instruments/?status=open").context["paginator"].count
    assert listed == 0
    for instrument in client.get("/instruments/?status=closed&status=superseded").context["object_list"]:
        assert instrument.comment_deadline is None or instrument.comment_deadline < TODAY
    home = client.get("/").context
    assert list(home["open_for_comment"]) == []


def test_the_page_lists_only_published_items_and_actions_citing_each_version(client, today):
    draft = InstrumentFactory(slug="draft-rules", title="Draft Rules", comment_deadline=datetime.date(2021, 6, 1))
    final = InstrumentFactory(slug="rules", title="Rules", status="final", effective_on=datetime.date(2022, 1, 1))
    final.supersedes.add(draft)
    NewsItemFactory(headline="Draft out").instruments.add(draft)
    NewsItemFactory(headline="Secret news", issue=IssueFactory(status="draft")).instruments.add(final)
    action = EnforcementActionFactory()
    action.legal_basis.add(final)
    hidden = EnforcementActionFactory(news_item=NewsItemFactory(issue=IssueFactory(status="withdrawn")))
    hidden.legal_basis.add(final)
    response = client.get("/instruments/draft-rules/")
    rows = {row.instrument.slug: row for row in response.context["family"].rows}
    assert [item.headline for item in rows["draft-rules"].items] == ["Draft out"]
    assert rows["rules"].items == [] and rows["rules"].actions == [action]
    html = response.content.decode()
    assert "Secret news" not in html and hidden.public_id not in html and action.public_id in html


def test_a_loop_of_versions_an_editor_made_still_gives_a_page(client, today):
    first = InstrumentFactory(slug="first")
    second = InstrumentFactory(slug="second")
    second.supersedes.add(first)
    first.supersedes.add(second)
    assert client.get("/instruments/first/").status_code == 200
