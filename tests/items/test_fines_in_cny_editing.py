"""Editors and files set a fine's currency and an editor's rate; the amounts in yuan follow."""

import datetime
from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains

from items.conversion import RateSource, ecb_rate, in_yuan
from items.models import EnforcementAction
from items.resources import EnforcementActionResource
from tests.admin_pages import admin_url
from tests.items.test_admin_bad_input import action_data
from tests.regulators.test_import_export import csv_text, export_file, import_file, read_file

pytestmark = pytest.mark.django_db


def draft_action_data(newsroom, **overrides):
    """An action of the draft issue, which an editor may add to."""
    return action_data(newsroom, news_item=newsroom.draft_item.pk, **overrides)


def item_key(item):
    return f"{item.issue.series.slug}/{item.issue.number}/{item.position}"


@pytest.mark.parametrize("typed", ["RMB", "¥", "元", "cny"])
def test_the_admin_reads_the_yuans_usual_names_as_cny(editor_client, newsroom, typed):
    response = editor_client.post(
        admin_url(EnforcementAction, "add"), draft_action_data(newsroom, currency=typed, target="Yuan Co")
    )
    assert response.status_code == 302
    action = EnforcementAction.objects.get(target="Yuan Co")
    assert (action.currency, action.fine_cny, action.cny_rate_source) == ("CNY", Decimal("1000"), "cny")


def test_an_editors_rate_typed_in_the_admin_converts_the_fine(editor_client, newsroom):
    data = draft_action_data(newsroom, currency="EUR", cny_rate_override="7.5", target="Euro Co")
    assert editor_client.post(admin_url(EnforcementAction, "add"), data).status_code == 302
    action = EnforcementAction.objects.get(target="Euro Co")
    assert (action.fine_cny, action.cny_rate, action.cny_rate_source) == (Decimal("7500"), Decimal("7.5"), "editor")
    page = editor_client.get(admin_url(EnforcementAction, "change", action.pk)).content.decode()
    assert 'name="cny_rate_override"' in page
    assert 'name="fine_cny"' not in page and 'name="cny_rate"' not in page  # worked out, shown read-only
    assert "7500.00" in page


def test_the_yuan_amounts_cannot_be_typed_in_the_admin(editor_client, newsroom):
    data = draft_action_data(newsroom, currency="EUR", fine_cny="1", cny_rate="1", target="Euro Co")
    assert editor_client.post(admin_url(EnforcementAction, "add"), data).status_code == 302
    action = EnforcementAction.objects.get(target="Euro Co")
    assert action.cny_rate == ecb_rate("EUR", datetime.date(2021, 4, 9))[0]


def test_an_editors_rate_on_a_fine_in_yuan_is_a_form_error(editor_client, newsroom):
    before = EnforcementAction.objects.count()
    response = editor_client.post(
        admin_url(EnforcementAction, "add"), draft_action_data(newsroom, cny_rate_override="7.5")
    )
    assertContains(response, "An amount in yuan needs no rate: leave this empty.", status_code=200)
    assert EnforcementAction.objects.count() == before


@pytest.mark.parametrize("rate", ["0", "-1", "abc"])
def test_a_bad_editors_rate_is_a_form_error(editor_client, newsroom, rate):
    before = EnforcementAction.objects.count()
    response = editor_client.post(
        admin_url(EnforcementAction, "add"), draft_action_data(newsroom, currency="EUR", cny_rate_override=rate)
    )
    assert response.status_code == 200
    assert "cny_rate_override" in response.context["adminform"].form.errors
    assert EnforcementAction.objects.count() == before


def test_a_file_may_name_the_yuan_as_rmb_and_give_an_editors_rate_but_not_the_yuan_amounts(newsroom):
    header = ["public_id", "news_item", "action_type", "decided_on", "fine_amount", "currency"]
    header += ["cny_rate_override", "fine_cny", "cny_rate"]
    key = item_key(newsroom.draft_item)
    data = csv_text(
        header,
        ["", key, "fine", "2021-06-01", "1000", "RMB", "", "99", "99"],
        ["", key, "fine", "2021-06-01", "2000", "EUR", "7.25", "99", "99"],
        ["", key, "fine", "2021-06-01", "3000", "EUR", "", "99", "99"],
    )
    result = import_file(EnforcementActionResource(), "csv", data)
    assert not result.has_errors() and not result.has_validation_errors()
    actions = {a.fine_amount: a for a in EnforcementAction.objects.filter(news_item=newsroom.draft_item)}
    assert (actions[Decimal("1000")].currency, actions[Decimal("1000")].fine_cny) == ("CNY", Decimal("1000"))
    assert actions[Decimal("2000")].fine_cny == Decimal("14500")
    ecb = ecb_rate("EUR", datetime.date(2021, 6, 1))[0]
    assert actions[Decimal("3000")].cny_rate == ecb
    assert actions[Decimal("3000")].fine_cny == in_yuan(Decimal("3000"), ecb)


def test_the_export_carries_the_yuan_amounts_and_the_rate(newsroom):
    action = newsroom.action
    action.currency, action.fine_amount = "USD", Decimal("10")
    action.save()
    rows = read_file("csv", export_file(EnforcementActionResource(), "csv")).dict
    row = next(row for row in rows if row["public_id"] == action.public_id)
    assert row["fine_cny"] == str(action.fine_cny)
    assert Decimal(row["cny_rate"]) == action.cny_rate
    assert row["cny_rate_date"] == action.cny_rate_date.isoformat()
    assert (row["cny_rate_source"], row["cny_rate_override"]) == (RateSource.ECB, "")


def test_demo_data_has_its_fines_in_yuan():
    from tests.items.test_generate_demo_data import generate

    generate()
    fined = EnforcementAction.objects.exclude(fine_amount=None)
    assert fined.exists()
    for action in fined.exclude(currency="CNY")[:50]:
        expected = ecb_rate(action.currency, action.decided_on)[0]
        assert (action.cny_rate, action.fine_cny) == (expected, in_yuan(action.fine_amount, expected)), action
    assert not fined.filter(fine_cny=None).exists()
