"""Fines in any currency compared in yuan: stored converted at the ECB's rate, or an editor's."""

import csv
import datetime
import importlib
import io
import json
import re
from decimal import Decimal

import pytest
from currency_converter import CurrencyConverter
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from items.conversion import RATE_PLACES, RateSource, ecb_converter
from items.models import EnforcementAction
from tests.factories import EnforcementActionFactory, IssueFactory, NewsItemFactory
from tests.seed_data import load_seeds

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2021, 6, 1)
SATURDAY, FRIDAY = datetime.date(2021, 6, 5), datetime.date(2021, 6, 4)


def library_rate(currency, day, **options):
    """Yuan per unit of `currency` as the currencyconverter package itself gives it, to our places."""
    converter = CurrencyConverter(decimal=True, **options)
    rate = converter.convert(1, currency, "CNY", date=day)
    return rate.quantize(Decimal(1).scaleb(-RATE_PLACES))


@pytest.fixture
def two_fines(db):
    """EUR 1,000,000 decided 2021-06-01 and CNY 5,000,000: the euro fine is the larger in yuan."""
    eur = EnforcementActionFactory(
        fine_amount=Decimal("1000000"), currency="EUR", decided_on=TUESDAY, target="Euro Fined GmbH"
    )
    cny = EnforcementActionFactory(
        fine_amount=Decimal("5000000"), currency="CNY", decided_on=TUESDAY, target="Yuan Fined Co"
    )
    return eur, cny


def listed_ids(response):
    assert response.status_code == 200
    return re.findall(r'href="/enforcement/(EA-\d{4}-\d{4})/"', response.content.decode())


def test_a_euro_fine_sorts_above_a_smaller_one_in_yuan(client, two_fines):
    eur, cny = two_fines
    assert listed_ids(client.get("/enforcement/?o=-fine")) == [eur.public_id, cny.public_id]
    assert listed_ids(client.get("/enforcement/?o=fine")) == [cny.public_id, eur.public_id]


def test_the_fine_range_is_in_yuan(client, two_fines):
    eur, cny = two_fines
    assert listed_ids(client.get("/enforcement/?fine_min=6000000")) == [eur.public_id]
    # 1,000,000 read as yuan would keep the euro fine: it is worth far more.
    assert listed_ids(client.get("/enforcement/?fine_max=5000000")) == [cny.public_id]


def test_the_rate_is_the_ecbs_of_the_decision_date(two_fines):
    eur, cny = two_fines
    assert eur.cny_rate == library_rate("EUR", TUESDAY)
    assert (eur.cny_rate_date, eur.cny_rate_source) == (TUESDAY, RateSource.ECB)
    assert eur.fine_cny == (Decimal("1000000") * eur.cny_rate).quantize(Decimal("0.01"))
    assert (cny.fine_cny, cny.cny_rate, cny.cny_rate_source) == (
        Decimal("5000000"),
        Decimal(1),
        RateSource.SAME_CURRENCY,
    )


def test_a_weekend_decision_takes_the_last_rate_the_ecb_published(db):
    action = EnforcementActionFactory(fine_amount=Decimal("1000"), currency="USD", decided_on=SATURDAY)
    assert action.cny_rate_date == FRIDAY
    assert action.cny_rate == library_rate("USD", FRIDAY)
    last_known = library_rate(
        "USD", SATURDAY, fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known"
    )
    assert action.cny_rate == last_known


def test_a_decision_after_the_ecb_data_takes_its_last_rate(db):
    last = ecb_converter().bounds["CNY"].last_date
    action = EnforcementActionFactory(currency="EUR", decided_on=last + datetime.timedelta(days=400))
    assert action.cny_rate_date <= last
    assert action.fine_cny is not None


def test_an_editors_rate_wins_over_the_ecbs(client, two_fines):
    eur, _cny = two_fines
    eur.cny_rate_override = Decimal("8")
    eur.save()
    eur.refresh_from_db()
    assert (eur.fine_cny, eur.cny_rate, eur.cny_rate_source) == (Decimal("8000000"), Decimal(8), RateSource.EDITOR)
    html = client.get(eur.get_absolute_url()).content.decode()
    assert "CNY 8,000,000" in html and "8 CNY per EUR (editor&#x27;s rate)" in html
    eur.cny_rate_override = None
    eur.save()
    assert eur.cny_rate == library_rate("EUR", TUESDAY)


def test_changing_the_currency_amount_or_date_converts_again(two_fines):
    eur, _cny = two_fines
    eur.currency = "USD"
    eur.save()
    eur.refresh_from_db()
    assert eur.cny_rate == library_rate("USD", TUESDAY)
    eur.fine_amount, eur.decided_on = Decimal("10"), FRIDAY
    eur.save()
    eur.refresh_from_db()
    assert eur.fine_cny == (Decimal("10") * library_rate("USD", FRIDAY)).quantize(Decimal("0.01"))
    eur.currency = "CNY"
    eur.save()
    eur.refresh_from_db()
    assert (eur.fine_cny, eur.cny_rate_date) == (Decimal("10"), None)


def test_damages_are_converted_at_the_same_rate(db):
    action = EnforcementActionFactory(fine_amount=None, damages_amount=Decimal("200"), currency="GBP")
    assert action.damages_cny == (Decimal("200") * library_rate("GBP", action.decided_on)).quantize(Decimal("0.01"))
    assert action.fine_cny is None


def test_without_a_decision_date_the_issues_date_is_used(db):
    issue = IssueFactory(issued_on=TUESDAY)
    action = EnforcementActionFactory(news_item=NewsItemFactory(issue=issue), currency="EUR", decided_on=None)
    assert (action.cny_rate_date, action.cny_rate) == (TUESDAY, library_rate("EUR", TUESDAY))


def test_without_any_date_the_fine_stays_unconverted_and_says_why(client, db):
    action = EnforcementActionFactory(news_item=None, currency="EUR", decided_on=None)
    assert (action.fine_cny, action.cny_rate, action.cny_rate_source) == (None, None, RateSource.NO_DATE)


def test_a_currency_the_ecb_lacks_is_shown_unconverted_never_guessed(client, db):
    action = EnforcementActionFactory(fine_amount=Decimal("5000"), currency="XAF")
    assert (action.fine_cny, action.cny_rate, action.cny_rate_source) == (None, None, RateSource.NO_RATE)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "XAF 5,000" in html
    assert "Not converted: the ECB publishes no rate for this currency" in html
    listing = client.get("/enforcement/").content.decode()
    assert "not converted: the ECB publishes no rate for this currency" in listing
    assert listed_ids(client.get("/enforcement/?fine_min=0")) == []  # no amount in yuan to compare


def test_moving_an_undated_action_to_another_issue_converts_it_at_that_issues_date(db):
    action = EnforcementActionFactory(news_item=NewsItemFactory(issue=IssueFactory(issued_on=TUESDAY)), decided_on=None)
    action.currency = "EUR"
    action.save()
    action.news_item = NewsItemFactory(issue=IssueFactory(issued_on=FRIDAY, number=77))
    action.save(update_fields=["news_item"])
    action.refresh_from_db()
    assert (action.cny_rate_date, action.cny_rate) == (FRIDAY, library_rate("EUR", FRIDAY))


def test_the_list_shows_the_yuan_amount_beside_the_original(client, two_fines):
    eur, cny = two_fines
    html = client.get("/enforcement/").content.decode()
    assert f'{eur.fine_cny_display}<br><span class="meta original-amount">EUR 1,000,000</span>' in html
    assert "CNY 5,000,000<br>" not in html  # a fine in yuan is shown once
    assert "Fine (CNY)" in html


def test_the_detail_page_shows_both_amounts_the_rate_its_date_and_source(client, two_fines):
    eur, _cny = two_fines
    html = client.get(eur.get_absolute_url()).content.decode()
    assert "EUR 1,000,000" in html
    assert eur.fine_cny_display in html
    assert f"{eur.cny_rate_display} CNY per EUR (ECB reference rate of 2021-06-01)" in html


@pytest.mark.parametrize("typed", ["6,000,000", "6000000", "6e6", " 6 000 000 ", "6，000，000"])
def test_amounts_may_be_typed_as_readers_write_them(client, two_fines, typed):
    eur, _cny = two_fines
    assert listed_ids(client.get("/enforcement/", {"fine_min": typed})) == [eur.public_id]


@pytest.mark.parametrize("typed", ["RMB", "rmb", "¥", "￥", "元", "cny", " CNY "])
def test_the_yuan_may_be_named_as_readers_name_it(client, two_fines, typed):
    _eur, cny = two_fines
    assert listed_ids(client.get("/enforcement/", {"currency": typed})) == [cny.public_id]


def test_a_bad_amount_is_an_error_for_that_field_only_and_keeps_the_other_filters(client, two_fines):
    response = client.get("/enforcement/", {"fine_min": "a lot", "action_type": "fine", "currency": "EUR"})
    assert response.status_code == 200
    form = response.context["filter"].form
    assert set(form.errors) == {"fine"}
    assert "Enter an amount such as 100000, 100,000 or 1e5." in response.content.decode()
    assert form["currency"].value() == "EUR" and form["action_type"].value() == ["fine"]
    assert 'value="EUR"' in response.content.decode()


def test_an_amount_beyond_the_column_is_an_error_not_a_500(client, two_fines):
    response = client.get("/enforcement/", {"fine_min": "1e999999"})
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"fine"}


def test_the_csv_carries_the_yuan_columns(client, two_fines):
    eur, _cny = two_fines
    response = client.get("/enforcement/export.csv?o=-fine")
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["public id"] == eur.public_id
    assert rows[0]["fine in CNY"] == f"{eur.fine_cny:.2f}"
    assert rows[0]["rate to CNY"] == eur.cny_rate_display
    assert rows[0]["date of the rate"] == "2021-06-01"
    assert rows[0]["conversion to CNY"] == "ECB reference rate"
    assert (rows[1]["fine in CNY"], rows[1]["rate to CNY"], rows[1]["date of the rate"]) == ("5000000.00", "1", "")


def test_the_api_carries_the_yuan_fields_and_filters_in_yuan(client, two_fines):
    eur, _cny = two_fines
    results = client.get("/api/enforcement/?fine_min=6000000").json()["results"]
    assert [row["public_id"] for row in results] == [eur.public_id]
    (row,) = results
    assert Decimal(row["fine_cny"]) == eur.fine_cny
    assert Decimal(row["cny_rate"]) == eur.cny_rate
    assert (row["cny_rate_date"], row["cny_rate_source"], row["damages_cny"]) == ("2021-06-01", "ecb", None)


def test_the_seed_fixtures_load_with_their_amounts_in_yuan(db):
    load_seeds()  # as `make load-fixtures` does: loaddata, raw saves
    amounts = EnforcementAction.objects.exclude(fine_amount=None, damages_amount=None)
    assert amounts.exists()
    for action in amounts:
        assert action.cny_rate_source == RateSource.SAME_CURRENCY, action.public_id
        assert (action.fine_cny, action.damages_cny) == (action.fine_amount, action.damages_amount)


def test_a_fixture_in_another_currency_loads_converted(db, tmp_path):
    action = EnforcementActionFactory(fine_amount=Decimal("1000"), currency="EUR", decided_on=TUESDAY)
    records = json.loads(serializers.serialize("json", [action], use_natural_primary_keys=True))
    for name in ("fine_cny", "damages_cny", "cny_rate", "cny_rate_date", "cny_rate_source"):
        records[0]["fields"].pop(name)  # a fixture written before the amounts in yuan existed
    EnforcementAction.objects.filter(pk=action.pk).delete()
    fixture = tmp_path / "foreign_fine.json"
    fixture.write_text(json.dumps(records))
    call_command("loaddata", str(fixture), verbosity=0)
    loaded = EnforcementAction.objects.get(public_id=action.public_id)
    assert loaded.cny_rate == library_rate("EUR", TUESDAY)
    assert loaded.fine_cny == (Decimal("1000") * loaded.cny_rate).quantize(Decimal("0.01"))


def test_the_migration_fills_the_amounts_of_existing_rows(two_fines):
    migration = importlib.import_module("items.migrations.0010_cny_amounts")
    eur, _cny = two_fines
    EnforcementAction.objects.update(fine_cny=None, cny_rate=None, cny_rate_date=None, cny_rate_source="")
    migration.convert_existing_amounts(apps, None)
    eur.refresh_from_db()
    assert (eur.cny_rate, eur.cny_rate_date) == (library_rate("EUR", TUESDAY), TUESDAY)
    assert EnforcementAction.objects.filter(fine_cny=None).count() == 0
