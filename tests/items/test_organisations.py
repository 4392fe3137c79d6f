"""Organisation pages: a group's enforcement in China and abroad, fines in CNY at the ECB's rates."""

import datetime
from decimal import Decimal

import pytest

from items.conversion import RateSource, cny_amounts, ecb_rate, in_yuan
from items.models import Issue, format_amount
from tests.factories import (
    EnforcementActionFactory,
    IssueFactory,
    NewsItemFactory,
    OrganisationFactory,
    RegulatorFactory,
)

pytestmark = pytest.mark.django_db


def action(organisation, jurisdiction, amount, currency, decided_on, issue=None, **kwargs):
    item = NewsItemFactory(issue=issue) if issue else NewsItemFactory()
    record = EnforcementActionFactory(
        news_item=item,
        organisation=organisation,
        jurisdiction=jurisdiction,
        fine_amount=Decimal(amount) if amount is not None else None,
        currency=currency,
        decided_on=decided_on,
        **kwargs,
    )
    record.regulators.add(RegulatorFactory(slug=f"regulator-{jurisdiction.lower()}", jurisdiction=jurisdiction[:2]))
    return record


@pytest.fixture
def tiktok(db):
    """TikTok and two of its companies, fined in Beijing, Ireland and the UK; and a draft action."""
    group = OrganisationFactory(slug="tiktok", name="TikTok", country="")
    ltd = OrganisationFactory(slug="tiktok-ltd", name="TikTok Ltd", parent=group, country="IE")
    uk = OrganisationFactory(
        slug="tiktok-uk", name="TikTok Information Technologies UK Ltd", parent=group, country="GB"
    )
    draft = IssueFactory(status=Issue.Status.DRAFT, number=900)
    return {
        "group": group,
        "ltd": ltd,
        "uk": uk,
        "beijing": action(ltd, "CN-BJ", "500000", "CNY", datetime.date(2021, 6, 1)),
        "ireland": action(ltd, "IE", "345000000", "EUR", datetime.date(2023, 9, 15)),
        "britain": action(uk, "GB", "12700000", "GBP", datetime.date(2023, 4, 4)),
        "ireland_2021": action(uk, "IE", "750000", "EUR", datetime.date(2021, 12, 1)),
        "draft": action(group, "CN", "999999", "CNY", datetime.date(2022, 1, 1), issue=draft, target="Draft Target"),
    }


def column_ids(response, index):
    column = response.context["columns"][index]
    return {action.public_id for group in column["groups"] for action in group["actions"]}


def test_an_organisation_lives_at_its_own_page(tiktok):
    assert tiktok["group"].get_absolute_url() == "/organisations/tiktok/"


def test_a_group_page_shows_its_companies_enforcement_in_china_and_abroad_side_by_side(client, tiktok):
    response = client.get("/organisations/tiktok/")
    assert response.status_code == 200
    assert [column["label"] for column in response.context["columns"]] == ["In China", "Abroad"]
    assert column_ids(response, 0) == {tiktok["beijing"].public_id}
    assert column_ids(response, 1) == {tiktok[name].public_id for name in ("ireland", "britain", "ireland_2021")}
    abroad = response.context["columns"][1]
    # The companies under the group come by name.
    assert [group["organisation"].slug for group in abroad["groups"]] == ["tiktok-uk", "tiktok-ltd"]
    html = response.content.decode()
    assert 'class="side-by-side"' in html
    assert "TikTok Information Technologies UK Ltd" in html


def in_cny(amount, currency, day):
    rate, _rate_date = ecb_rate(currency, day)
    return format_amount(in_yuan(Decimal(amount), rate), "CNY")


def test_fines_are_shown_in_their_currency_and_in_cny_at_the_ecb_rate_shown(client, tiktok):
    html = client.get("/organisations/tiktok/").content.decode()
    assert "EUR 345,000,000" in html
    assert in_cny("345000000", "EUR", datetime.date(2023, 9, 15)) in html
    rate = tiktok["ireland"].cny_rate_display
    assert f"at {rate}, ECB reference rate of 2023-09-15" in html
    assert in_cny("12700000", "GBP", datetime.date(2023, 4, 4)) in html
    assert "CNY 500,000" in html


def test_a_fine_in_a_currency_the_ecb_does_not_publish_is_not_converted(client, tiktok):
    action(tiktok["uk"], "VN", "80000000", "VND", datetime.date(2023, 5, 2))
    response = client.get("/organisations/tiktok/")
    html = response.content.decode()
    assert "VND 80,000,000" in html
    assert "not converted: the ECB publishes no rate for this currency" in html
    # The column's total in yuan leaves it out, and says so.
    abroad = response.context["columns"][1]
    converted = [tiktok[name].fine_cny for name in ("ireland", "britain", "ireland_2021")]
    assert abroad["converted_total"] == format_amount(sum(converted), "CNY")
    assert "(1 fine without a rate left out)" in html


def test_a_company_page_shows_its_own_enforcement_and_its_group(client, tiktok):
    response = client.get("/organisations/tiktok-uk/")
    assert column_ids(response, 0) == set()
    assert column_ids(response, 1) == {tiktok["britain"].public_id, tiktok["ireland_2021"].public_id}
    html = response.content.decode()
    assert 'href="/organisations/tiktok/"' in html
    assert "None reported." in html


def test_the_page_links_to_the_enforcement_list_of_the_whole_group(client, tiktok):
    response = client.get("/organisations/tiktok/")
    url = response.context["enforcement_list_url"]
    assert url == "/enforcement/?organisation=tiktok&organisation=tiktok-uk&organisation=tiktok-ltd"
    listed = client.get(url).context["paginator"].object_list
    assert {record.public_id for record in listed} == column_ids(response, 0) | column_ids(response, 1)


def test_drafts_are_absent_from_organisation_pages(client, tiktok):
    html = client.get("/organisations/tiktok/").content.decode()
    assert tiktok["draft"].public_id not in html
    assert "Draft Target" not in html
    assert "CNY 999,999" not in html


def test_an_organisation_named_only_in_drafts_is_not_public(client, tiktok):
    hidden = OrganisationFactory(slug="hidden-co", name="Hidden Company")
    action(hidden, "CN", None, "", datetime.date(2022, 1, 1), issue=IssueFactory(status=Issue.Status.WITHDRAWN))
    assert client.get("/organisations/hidden-co/").status_code == 404
    assert "Hidden Company" not in client.get("/organisations/").content.decode()
    OrganisationFactory(slug="unnamed-co", name="Never Named")
    assert client.get("/organisations/unnamed-co/").status_code == 404


def test_the_list_counts_actions_in_china_abroad_and_with_companies(client, tiktok):
    response = client.get("/organisations/")
    rows = {row["organisation"].slug: row for row in response.context["rows"]}
    assert set(rows) == {"tiktok", "tiktok-ltd", "tiktok-uk"}
    assert (rows["tiktok"]["china"], rows["tiktok"]["abroad"], rows["tiktok"]["group"]) == (0, 0, 4)
    assert (rows["tiktok-ltd"]["china"], rows["tiktok-ltd"]["abroad"], rows["tiktok-ltd"]["group"]) == (1, 1, 2)
    assert (rows["tiktok-uk"]["china"], rows["tiktok-uk"]["abroad"]) == (0, 2)


def test_the_list_is_searchable(client, tiktok):
    response = client.get("/organisations/", {"q": "technologies uk"})
    assert [row["organisation"].slug for row in response.context["rows"]] == ["tiktok-uk"]
    too_long = client.get("/organisations/", {"q": "x" * 1000})
    assert too_long.status_code == 200
    # The name could not be applied, and says so; the list is not narrowed by it.
    assert len(too_long.context["rows"]) == len(client.get("/organisations/").context["rows"])
    assert "form-errors" in too_long.content.decode()


def test_the_detail_page_queries_do_not_grow_with_its_actions(client, tiktok, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        client.get("/organisations/tiktok/")
    for index in range(10):
        action(tiktok["ltd"], "FR", "1000", "EUR", datetime.date(2021, 1, 1 + index))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/organisations/tiktok/")


def test_conversion_says_why_a_fine_is_not_converted():
    may = datetime.date(2020, 5, 1)
    assert cny_amounts(Decimal("100"), None, "USD", None).source == RateSource.NO_DATE
    assert cny_amounts(Decimal("100"), None, "XAF", may).source == RateSource.NO_RATE
    assert cny_amounts(Decimal("100"), None, "XAF", may).fine is None
    in_yuan_already = cny_amounts(Decimal("100"), None, "CNY", None)
    assert (in_yuan_already.fine, in_yuan_already.rate) == (Decimal("100"), Decimal(1))
    assert cny_amounts(None, None, "", None).source == RateSource.NO_AMOUNT


def test_the_seed_tiktok_group_shows_its_irish_complaints_abroad(client, seeds):
    response = client.get("/organisations/tiktok/")
    assert response.status_code == 200
    assert column_ids(response, 0) == set()
    assert column_ids(response, 1) == {"EA-2021-0003", "EA-2021-0004"}
    bank = client.get("/organisations/bank-of-beijing/")
    assert column_ids(bank, 0) == {"EA-2021-0015", "EA-2021-0023"}  # the bank and its Shanghai sub-branch
    assert "CNY 500,000" in bank.content.decode()
