"""Bad input in the admin gives a form error on the page, never a 500, and saves nothing."""

import datetime

import pytest
from pytest_django.asserts import assertContains

from items.models import EnforcementAction, Issue, NewsItem
from regulators.models import Instrument, Regulator
from tests.admin_pages import admin_url, assert_saved, management_form

pytestmark = pytest.mark.django_db

NEGATIVE = "Ensure this value is greater than or equal to 0."
BAD_JURISDICTION = "Use an ISO 3166 code such as CN, EU, US, or a subdivision such as CN-ZJ."
BAD_CURRENCY = "Use a three-letter ISO 4217 code such as CNY, EUR or USD."


def action_data(newsroom, **overrides):
    data = {
        "news_item": newsroom.item.pk,
        "action_type": "fine",
        "decided_on": "2021-04-09",
        "decided_on_precision": "day",
        "regulators": [newsroom.cac.pk],
        "target": "Bad Input Co.",
        "organisation": "",
        "target_count": "",
        "sector": "",
        "jurisdiction": "CN",
        "fine_amount": "1000",
        "currency": "CNY",
        "damages_amount": "",
        "sentence": "",
        "summary": "",
        **management_form("legal_basis_articles"),
    }
    return {**data, **overrides}


def instrument_data(**overrides):
    data = {
        "title": "Measures on Bad Dates",
        "title_zh": "",
        "short_title": "",
        "slug": "measures-on-bad-dates",
        "kind": "departmental_rule",
        "status": "draft",
        "jurisdiction": "CN",
        "official_url": "",
        "published_on": "2021-11-14",
        "published_on_precision": "day",
        "comment_deadline": "2021-12-13",
        "comment_deadline_precision": "day",
        "adopted_on": "",
        "adopted_on_precision": "day",
        "effective_on": "",
        "effective_on_precision": "day",
        "description": "",
    }
    return {**data, **overrides}


def regulator_data(**overrides):
    data = {
        "name": "Shanghai Municipal Cyberspace Administration",
        "name_zh": "",
        "abbreviation": "Shanghai CAC",
        "slug": "shanghai-cac",
        "kind": "agency",
        "level": "municipal",
        "jurisdiction": "CN-SH",
        "parent": "",
        "website": "",
        "description": "",
    }
    return {**data, **overrides}


def news_item_change_data(item, **inline_action):
    """The NewsItem change form as the page submits it, with one new enforcement action in the inline."""
    data = {
        "issue": item.issue.pk,
        "section": item.section.pk,
        "position": item.position,
        "headline": "Edited headline that must not be saved",
        "headline_zh": "",
        "body": item.body,
        "body_zh": "",
        "event_date": "2021-04-09",
        "event_date_precision": "day",
        "jurisdiction": "CN",
        **management_form("sources", total=item.sources.count(), initial=item.sources.count()),
        **management_form(
            "enforcement_actions",
            total=item.enforcement_actions.count() + 1,
            initial=item.enforcement_actions.count(),
        ),
    }
    for index, source in enumerate(item.sources.all()):
        data.update(
            {
                f"sources-{index}-id": source.pk,
                f"sources-{index}-news_item": item.pk,
                f"sources-{index}-footnote": source.footnote or "",
                f"sources-{index}-url": source.url,
                f"sources-{index}-label": source.label,
                f"sources-{index}-language": source.language,
            }
        )
    for index, action in enumerate(item.enforcement_actions.all()):
        data.update(
            {
                f"enforcement_actions-{index}-id": action.pk,
                f"enforcement_actions-{index}-news_item": item.pk,
                f"enforcement_actions-{index}-action_type": action.action_type,
                f"enforcement_actions-{index}-decided_on": action.decided_on.isoformat(),
                f"enforcement_actions-{index}-decided_on_precision": action.decided_on_precision,
                f"enforcement_actions-{index}-regulators": [regulator.pk for regulator in action.regulators.all()],
                f"enforcement_actions-{index}-target": action.target,
                f"enforcement_actions-{index}-organisation": action.organisation_id or "",
                f"enforcement_actions-{index}-target_count": action.target_count or "",
                f"enforcement_actions-{index}-sector": action.sector,
                f"enforcement_actions-{index}-jurisdiction": action.jurisdiction,
                f"enforcement_actions-{index}-fine_amount": action.fine_amount
                if action.fine_amount is not None
                else "",
                f"enforcement_actions-{index}-currency": action.currency,
                f"enforcement_actions-{index}-damages_amount": action.damages_amount or "",
                f"enforcement_actions-{index}-sentence": action.sentence,
                f"enforcement_actions-{index}-legal_basis": [instrument.pk for instrument in action.legal_basis.all()],
                f"enforcement_actions-{index}-violations": [violation.pk for violation in action.violations.all()],
                f"enforcement_actions-{index}-summary": action.summary,
            }
        )
    new = item.enforcement_actions.count()
    new_action = {
        "action_type": "fine",
        "decided_on": "2021-04-09",
        "decided_on_precision": "day",
        "target": "Inline Target Co.",
        "jurisdiction": "CN",
        "fine_amount": "1000",
        "currency": "CNY",
        **inline_action,
    }
    data.update({f"enforcement_actions-{new}-{name}": value for name, value in new_action.items()})
    return data


def test_news_item_change_form_as_submitted_saves(client, editor, publisher, newsroom):
    # The control for the inline tests below: the same form with good input saves (a draft's item
    # for an editor; a published issue's item for a publisher, who alone may add to it).
    client.force_login(editor)
    draft_data = news_item_change_data(newsroom.draft_item)
    assert_saved(client.post(admin_url(NewsItem, "change", newsroom.draft_item.pk), draft_data))
    assert newsroom.draft_item.enforcement_actions.filter(target="Inline Target Co.").exists()
    client.force_login(publisher)
    data = news_item_change_data(newsroom.item)
    assert_saved(client.post(admin_url(NewsItem, "change", newsroom.item.pk), data))
    assert newsroom.item.enforcement_actions.filter(target="Inline Target Co.").exists()
    existing = EnforcementAction.objects.get(pk=newsroom.action.pk)
    assert (existing.sector, existing.organisation, existing.fine_display) == (
        "real_estate",
        newsroom.organisation,
        "CNY 250,000",
    )
    assert list(existing.legal_basis.all()) == [newsroom.pipl]


def test_negative_fine_in_enforcement_add_form_is_a_form_error(editor_client, newsroom):
    before = EnforcementAction.objects.count()
    response = editor_client.post(admin_url(EnforcementAction, "add"), action_data(newsroom, fine_amount="-5000"))
    assertContains(response, NEGATIVE, status_code=200)
    assert EnforcementAction.objects.count() == before


def test_negative_damages_in_enforcement_add_form_is_a_form_error(editor_client, newsroom):
    before = EnforcementAction.objects.count()
    response = editor_client.post(
        admin_url(EnforcementAction, "add"), action_data(newsroom, fine_amount="", damages_amount="-1")
    )
    assertContains(response, NEGATIVE, status_code=200)
    assert EnforcementAction.objects.count() == before


def test_fine_without_currency_in_enforcement_add_form_is_a_form_error(editor_client, newsroom):
    before = EnforcementAction.objects.count()
    response = editor_client.post(admin_url(EnforcementAction, "add"), action_data(newsroom, currency=""))
    assertContains(response, "Give the currency of the fine or damages.", status_code=200)
    assert EnforcementAction.objects.count() == before


def test_negative_fine_in_news_item_enforcement_inline_is_a_form_error(editor_client, newsroom):
    item = newsroom.draft_item  # a draft's: editors add actions to drafts only
    actions_before = EnforcementAction.objects.count()
    response = editor_client.post(
        admin_url(NewsItem, "change", item.pk), news_item_change_data(item, fine_amount="-250000")
    )
    assertContains(response, NEGATIVE, status_code=200)
    assert EnforcementAction.objects.count() == actions_before
    item.refresh_from_db()
    assert item.headline == "MIIT Names Sixty Apps"


def test_bad_currency_in_news_item_enforcement_inline_is_a_form_error(editor_client, newsroom):
    item = newsroom.draft_item  # a draft's: editors add actions to drafts only
    actions_before = EnforcementAction.objects.count()
    response = editor_client.post(admin_url(NewsItem, "change", item.pk), news_item_change_data(item, currency="yen"))
    assertContains(response, BAD_CURRENCY, status_code=200)
    assert EnforcementAction.objects.count() == actions_before


@pytest.mark.parametrize("currency", ["usd", "RM", "12$"])
def test_bad_currency_code_is_a_form_error(editor_client, newsroom, currency):
    before = EnforcementAction.objects.count()
    response = editor_client.post(admin_url(EnforcementAction, "add"), action_data(newsroom, currency=currency))
    assertContains(response, BAD_CURRENCY, status_code=200)
    assert EnforcementAction.objects.count() == before


def test_instrument_comment_deadline_before_publication_is_a_form_error(editor_client):
    response = editor_client.post(
        admin_url(Instrument, "add"), instrument_data(published_on="2021-11-14", comment_deadline="2021-11-01")
    )
    assertContains(response, "The comment deadline cannot be before the publication date.", status_code=200)
    assert not Instrument.objects.filter(slug="measures-on-bad-dates").exists()


def test_month_precise_comment_deadline_in_the_publication_month_is_saved(editor_client):
    # "Comments until November 2021" for a draft of 14 November 2021: stored as the 1st, shown as the month.
    response = editor_client.post(
        admin_url(Instrument, "add"),
        instrument_data(published_on="2021-11-14", comment_deadline="2021-11-30", comment_deadline_precision="month"),
    )
    assert_saved(response)
    instrument = Instrument.objects.get(slug="measures-on-bad-dates")
    assert instrument.comment_deadline == datetime.date(2021, 11, 1)
    assert instrument.display_date("comment_deadline") == "November 2021"


def test_month_precise_comment_deadline_in_an_earlier_month_is_a_form_error(editor_client):
    response = editor_client.post(
        admin_url(Instrument, "add"),
        instrument_data(published_on="2021-11-14", comment_deadline="2021-10-31", comment_deadline_precision="month"),
    )
    assertContains(response, "The comment deadline cannot be before the publication date.", status_code=200)
    assert not Instrument.objects.filter(slug="measures-on-bad-dates").exists()


def test_duplicate_issue_number_in_the_same_series_is_a_form_error(editor_client, newsroom):
    data = {
        "series": newsroom.weekly.pk,
        "number": str(newsroom.issue.number),
        "edition_number": "",
        "title": "A second No.229",
        "slug": "a-second-229",
        "issued_on": "2021-04-16",
        "issued_on_precision": "day",
        "period_start": "",
        "period_end": "",
        "summary": "",
        **management_form("items"),
    }
    response = editor_client.post(admin_url(Issue, "add"), data)
    assertContains(response, "This series already has an issue with this number.", status_code=200)
    assert not Issue.objects.filter(slug="a-second-229").exists()


def test_issue_period_ending_before_it_starts_is_a_form_error(editor_client, newsroom):
    data = {
        "series": newsroom.weekly.pk,
        "number": "999",
        "edition_number": "",
        "title": "Backwards period",
        "slug": "backwards-period",
        "issued_on": "2021-04-16",
        "issued_on_precision": "day",
        "period_start": "2021-04-16",
        "period_end": "2021-04-10",
        "summary": "",
        **management_form("items"),
    }
    response = editor_client.post(admin_url(Issue, "add"), data)
    assertContains(response, "The period cannot end before it starts.", status_code=200)
    assert not Issue.objects.filter(slug="backwards-period").exists()


@pytest.mark.parametrize("jurisdiction", ["China", "cn", "CN-", "CN-ZHEJ"])
def test_bad_jurisdiction_code_on_a_regulator_is_a_form_error(editor_client, jurisdiction):
    response = editor_client.post(admin_url(Regulator, "add"), regulator_data(jurisdiction=jurisdiction))
    assertContains(response, BAD_JURISDICTION, status_code=200)
    assert not Regulator.objects.filter(slug="shanghai-cac").exists()


def test_bad_jurisdiction_code_on_an_enforcement_action_is_a_form_error(editor_client, newsroom):
    before = EnforcementAction.objects.count()
    response = editor_client.post(admin_url(EnforcementAction, "add"), action_data(newsroom, jurisdiction="Zhejiang"))
    assertContains(response, BAD_JURISDICTION, status_code=200)
    assert EnforcementAction.objects.count() == before


def test_duplicate_regulator_abbreviation_is_a_form_error(editor_client, newsroom):
    response = editor_client.post(admin_url(Regulator, "add"), regulator_data(abbreviation="CAC"))
    assertContains(response, "Another regulator already uses this abbreviation.", status_code=200)
    assert not Regulator.objects.filter(slug="shanghai-cac").exists()


def test_duplicate_regulator_slug_is_a_form_error(editor_client, newsroom):
    response = editor_client.post(admin_url(Regulator, "add"), regulator_data(slug="cac"))
    assertContains(response, "Regulator with this Slug already exists.", status_code=200)
    assert Regulator.objects.filter(slug="cac").count() == 1


# Malformed addresses in the admin (issue 16, point 6): a 404, a 400 or Django's "invalid lookup"
# answer, never a 500. PostgreSQL refuses a NUL byte in text; SQLite cannot bind a 30-digit id.

HUGE = "9" * 30


@pytest.mark.parametrize(
    "query",
    [
        "sector=%00",
        "q=%00",
        "decided_on__year=%00",
        "decided_on__year=2021&decided_on__month=%00",
        "action_type__exact=%00",
    ],
)
def test_a_nul_byte_in_an_admin_changelist_filter_is_a_400(editor_client, newsroom, query):
    response = editor_client.get(f"/admin/items/enforcementaction/?{query}")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/items/enforcementaction/", f"regulators={HUGE}"),
        ("/admin/items/enforcementaction/", f"decided_on__year={HUGE}"),
        ("/admin/items/issue/", f"series__gte={HUGE}"),
        ("/admin/items/issue/", f"issued_on__year={HUGE}"),
        ("/admin/items/newsitem/", f"section={HUGE}"),
        ("/admin/regulators/instrument/", f"published_on__year={HUGE}"),
        ("/admin/auth/user/", f"groups={HUGE}"),
    ],
)
def test_a_number_no_column_holds_in_an_admin_changelist_filter_is_not_a_500(admin_client, newsroom, url, query):
    response = admin_client.get(f"{url}?{query}")
    # PostgreSQL compares the id and finds nothing; SQLite cannot bind it and the changelist
    # answers as Django does for any bad lookup.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("version", ["%00", "abc", "1.5"])
def test_a_history_version_that_is_not_a_number_is_a_404(editor_client, newsroom, version):
    response = editor_client.get(f"/admin/items/issue/{newsroom.issue.pk}/history/{version}/")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/admin/items/issue/abc/history/", "/admin/regulators/regulator/x/history/1/"])
def test_a_history_page_of_an_id_that_is_not_a_number_is_a_404(editor_client, newsroom, url):
    assert editor_client.get(url).status_code == 404
