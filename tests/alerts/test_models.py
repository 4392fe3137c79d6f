"""What an alert may follow: a filtered list is validated by the list's own FilterSet."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alerts.followed_lists import normalise_query_string
from alerts.models import Subscription
from tests import factories
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulators(db):
    factories.RegulatorFactory(slug="miit", abbreviation="MIIT")
    factories.RegulatorFactory(slug="cac", abbreviation="CAC")


def test_a_followed_list_is_stored_in_normal_form(regulators):
    subscription = SubscriptionFactory(
        kind="list", list_name="enforcement", query_string="?regulator=miit&page=3&o=-fine&action_type=fine&sector="
    )
    assert subscription.query_string == "action_type=fine&regulator=miit"


def test_the_same_filters_in_another_order_are_one_alert(regulators):
    subscriber = SubscriberFactory()
    SubscriptionFactory(
        subscriber=subscriber, kind="list", list_name="enforcement", query_string="regulator=miit&regulator=cac"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(
            subscriber=subscriber, kind="list", list_name="enforcement", query_string="regulator=cac&regulator=miit"
        )


@pytest.mark.parametrize(
    ("list_name", "query", "message"),
    [
        ("enforcement", "regulator=no-such-body", "These filters cannot be followed"),
        ("enforcement", "action_type=parking_ticket", "These filters cannot be followed"),
        ("enforcement", "decided_after=2021-02-30", "These filters cannot be followed"),
        ("enforcement", "regulater=miit", "“regulater” is not a filter of this list."),
        ("items", "news_item__issue__status=draft", "is not a filter of this list"),
        ("instruments", "status=secret", "These filters cannot be followed"),
        ("enforcement", "target=" + "x" * 1200, "too long"),
        ("nothing", "", "There is no list"),
    ],
)
def test_an_invalid_query_string_is_refused_with_a_clear_message(regulators, list_name, query, message):
    with pytest.raises(ValidationError) as refused:
        SubscriptionFactory(kind="list", list_name=list_name, query_string=query)
    assert message in " ".join(refused.value.messages)
    assert not Subscription.objects.exists()


def test_date_ranges_and_every_list_filter_are_accepted(regulators):
    assert (
        normalise_query_string("enforcement", "decided_after=2021-01-01&decided_before=2021-12-31&fine_min=1000")
        == "decided_after=2021-01-01&decided_before=2021-12-31&fine_min=1000"
    )
    assert normalise_query_string("instruments", "open_on=2024-05-01&status=draft") == "open_on=2024-05-01&status=draft"
    assert normalise_query_string("items", "") == ""


def test_an_alert_follows_exactly_the_one_thing_its_kind_names(regulators):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(kind="regulator")
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(kind="issues", regulator=factories.RegulatorFactory(slug="cac"))


def test_an_alert_says_what_it_follows(regulators):
    miit = factories.RegulatorFactory(slug="miit")
    assert SubscriptionFactory(kind="regulator", regulator=miit).describe() == "Regulator: MIIT"
    listed = SubscriptionFactory(kind="list", list_name="enforcement", query_string="regulator=miit")
    assert listed.describe() == "Enforcement actions: regulator=miit"
    assert listed.followed_url() == "/enforcement/?regulator=miit"
