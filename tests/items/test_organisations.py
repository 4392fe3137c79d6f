"""Organisation pages: a group's enforcement in China and abroad, fines converted at the editors' rates."""

import datetime
from decimal import Decimal

import pytest
import tablib

from items.conversion import convert, rates_for
from items.models import EnforcementAction, ExchangeRate, Issue
from items.resources import ExchangeRateResource
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
    ExchangeRate.objects.create(currency="EUR", year=2023, rate_to_cny=Decimal("7.66"), source="PBOC yearly average")
    ExchangeRate.objects.create(currency="EUR", year=2021, rate_to_cny=Decimal("7.62847"))
    ExchangeRate.objects.create(currency="GBP", year=2022, rate_to_cny=Decimal("8.3"))
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


def test_fines_are_shown_in_their_currency_and_converted_at_the_rate_shown(client, tiktok):
    html = client.get("/organisations/tiktok/").content.decode()
    assert "EUR 345,000,000" in html
    assert "CNY 2,642,700,000" in html
    assert "at 7.66 CNY/EUR, 2023" in html
    # 750,000 × 7.62847 = 5,721,352.5, rounded to the yuan.
    assert "CNY 5,721,353" in html and "at 7.62847 CNY/EUR, 2021" in html
    assert "CNY 500,000" in html


def test_a_fine_without_a_rate_for_its_year_is_not_converted(client, tiktok):
    html = client.get("/organisations/tiktok/").content.decode()
    assert "GBP 12,700,000" in html
    assert "no rate for GBP 2023" in html  # the 2022 rate is not used instead
    assert "8.3 CNY/GBP" not in html
    # The column's total in yuan leaves it out, and says so.
    assert "CNY 2,648,421,353 in all, converted" in html  # 2,642,700,000 + 5,721,353
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
    dated = EnforcementAction(fine_amount=Decimal("100"), currency="USD", decided_on=datetime.date(2020, 5, 1))
    undated = EnforcementAction(fine_amount=Decimal("100"), currency="USD", decided_on=None)
    in_yuan = EnforcementAction(fine_amount=Decimal("100"), currency="CNY", decided_on=None)
    no_fine = EnforcementAction(fine_amount=None, currency="", decided_on=None)
    assert convert(dated, {}).missing == "no rate for USD 2020"
    assert convert(undated, {}).missing == "no decision date to choose a rate"
    assert (convert(in_yuan, {}).amount, convert(in_yuan, {}).rate_display) == (Decimal("100"), "")
    assert convert(no_fine, {}).amount is None and not convert(no_fine, {}).missing
    ExchangeRate.objects.create(currency="USD", year=2020, rate_to_cny=Decimal("6.9"))
    assert convert(dated, rates_for([dated])).amount_display == "CNY 690"


def test_exchange_rates_import_from_a_spreadsheet_by_currency_and_year():
    ExchangeRate.objects.create(currency="EUR", year=2021, rate_to_cny=Decimal("7.5"))
    dataset = tablib.Dataset(headers=["currency", "year", "rate_to_cny", "source", "note"])
    dataset.append(["EUR", "2021", "7.62847", "PBOC", ""])
    dataset.append(["USD", "2021", "6.4515", "PBOC", ""])
    result = ExchangeRateResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert ExchangeRate.objects.get(currency="EUR", year=2021).rate_to_cny == Decimal("7.62847")
    assert ExchangeRate.objects.count() == 2

    bad = tablib.Dataset(headers=["currency", "year", "rate_to_cny", "source", "note"])
    bad.append(["RMB", "2021", "1", "", ""])
    bad.append(["GBP", "2021", "0", "", ""])
    result = ExchangeRateResource().import_data(bad, dry_run=False)
    assert [line for line, _reasons in result.bad_rows()] == [2, 3]
    assert ExchangeRate.objects.count() == 2


def test_editors_may_keep_the_rates_in_the_admin(editor_client):
    assert editor_client.get("/admin/items/exchangerate/add/").status_code == 200
    response = editor_client.post(
        "/admin/items/exchangerate/add/", {"currency": "EUR", "year": 2021, "rate_to_cny": "7.62847", "source": ""}
    )
    assert response.status_code == 302
    duplicate = editor_client.post(
        "/admin/items/exchangerate/add/", {"currency": "EUR", "year": 2021, "rate_to_cny": "7.7", "source": ""}
    )
    assert "This currency already has a rate for this year." in duplicate.content.decode()
    assert ExchangeRate.objects.get().history.count() == 1


def test_the_seed_tiktok_group_shows_its_irish_complaints_abroad(client, seeds):
    response = client.get("/organisations/tiktok/")
    assert response.status_code == 200
    assert column_ids(response, 0) == set()
    assert column_ids(response, 1) == {"EA-2021-0003", "EA-2021-0004"}
    bank = client.get("/organisations/bank-of-beijing/")
    assert column_ids(bank, 0) == {"EA-2021-0015", "EA-2021-0023"}  # the bank and its Shanghai sub-branch
    assert "CNY 500,000" in bank.content.decode()
