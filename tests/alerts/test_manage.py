"""The manage page, reached only by the signed link in every email: rhythm, pause, delete, forget."""

import datetime

import pytest
from django.utils import timezone

from alerts.links import manage_url
from alerts.models import Delivery, Subscriber, Subscription
from tests import factories
from tests.alerts.conftest import run_alerts
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(db):
    reader = SubscriberFactory(email="reader@example.com")
    cac = factories.RegulatorFactory(slug="cac", abbreviation="CAC")
    SubscriptionFactory(subscriber=reader, rhythm="daily")
    SubscriptionFactory(subscriber=reader, kind="regulator", regulator=cac, rhythm="weekly")
    return reader


def alert(reader, kind):
    return reader.subscriptions.get(kind=kind)


def test_the_signed_link_lists_the_readers_alerts(client, reader):
    SubscriptionFactory(subscriber=SubscriberFactory(email="someone@example.com"), kind="issues")
    page = client.get(manage_url(reader))
    text = page.content.decode()
    assert page.status_code == 200
    assert "reader@example.com" in text and "New issues" in text and "Regulator: CAC" in text
    assert "someone@example.com" not in text
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_tampered_manage_link_is_refused(client, reader):
    url = manage_url(reader)
    assert client.get(url[:-2] + "x/").status_code == 400
    assert client.get(f"/alerts/manage/{reader.token}/").status_code == 400


def test_the_reader_changes_the_rhythm(client, reader):
    issues = alert(reader, "issues")
    response = client.post(manage_url(reader), {"alert": issues.pk, "action": "save", "rhythm": "weekly"}, follow=True)
    assert "Saved: New issues." in response.content.decode()
    issues.refresh_from_db()
    assert issues.rhythm == "weekly"


def test_a_paused_alert_sends_nothing_and_resuming_skips_the_pause(client, reader):
    issues = alert(reader, "issues")
    client.post(manage_url(reader), {"alert": issues.pk, "action": "pause"})
    alert(reader, "regulator").delete()
    factories.IssueFactory(number=500, slug="weekly-review-500", title="Published while paused")
    assert run_alerts() == []
    client.post(manage_url(reader), {"alert": issues.pk, "action": "resume"})
    issues.refresh_from_db()
    assert issues.active
    assert run_alerts() == []
    factories.IssueFactory(number=501, slug="weekly-review-501", title="Published after resuming")
    (digest,) = run_alerts("--now", (timezone.now() + datetime.timedelta(days=1)).isoformat())
    assert "Published after resuming" in digest.body and "Published while paused" not in digest.body


def test_the_reader_deletes_one_alert(client, reader):
    regulator_alert = alert(reader, "regulator")
    client.post(manage_url(reader), {"alert": regulator_alert.pk, "action": "delete"})
    assert list(reader.subscriptions.values_list("kind", flat=True)) == ["issues"]


def test_the_reader_cannot_touch_anothers_alert(client, reader):
    someone_else = SubscriptionFactory(subscriber=SubscriberFactory(email="someone@example.com"))
    response = client.post(manage_url(reader), {"alert": someone_else.pk, "action": "delete"}, follow=True)
    assert "could not be made" in response.content.decode()
    assert Subscription.objects.filter(pk=someone_else.pk).exists()


def test_forget_me_deletes_the_address_its_alerts_and_its_log(client, reader, published_issue):
    run_alerts()
    assert Delivery.objects.exists()
    url = manage_url(reader)
    response = client.post(url, {"action": "forget"})
    assert "Address deleted" in response.content.decode()
    assert not Subscriber.objects.filter(email="reader@example.com").exists()
    assert not Delivery.objects.exists()
    assert client.get(url).status_code == 400
