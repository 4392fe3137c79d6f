"""Staff read the alerts in the admin: searchable, filterable, nothing added by hand."""

import pytest
from django.urls import reverse

from alerts.models import DeadlineReminder, Delivery, SendStatus
from tests import factories
from tests.alerts.conftest import run_alerts
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

MODELS = ["subscriber", "subscription", "delivery", "deadlinereminder"]


@pytest.fixture
def sent(published_issue):
    SubscriptionFactory(subscriber=SubscriberFactory(email="reader@example.com"))
    draft = factories.InstrumentFactory(slug="open-draft", status="draft", comment_deadline=None)
    SubscriptionFactory(subscriber=SubscriberFactory(email="other@example.com"), kind="instrument", instrument=draft)
    run_alerts()
    delivery = Delivery.objects.get()
    DeadlineReminder.objects.create(
        subscriber=delivery.subscription.subscriber,
        instrument=draft,
        comment_deadline="2031-06-30",
        claim_token="x",
        claimed_at=delivery.claimed_at,
        status=SendStatus.FAILED,
    )
    return delivery


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_reads_every_alert_list_and_record(admin_client, sent, model):
    changelist = admin_client.get(reverse(f"admin:alerts_{model}_changelist"), {"q": "reader"})
    assert changelist.status_code == 200
    assert "reader@example.com" in changelist.content.decode()
    record = {"subscriber": sent.subscription.subscriber, "subscription": sent.subscription, "delivery": sent}.get(
        model, DeadlineReminder.objects.first()
    )
    assert admin_client.get(reverse(f"admin:alerts_{model}_change", args=[record.pk])).status_code == 200
    assert admin_client.get(reverse(f"admin:alerts_{model}_add")).status_code == 403


def test_the_delivery_log_filters_by_status(admin_client, sent):
    response = admin_client.get(reverse("admin:alerts_delivery_changelist"), {"status__exact": "failed"})
    assert "0 deliveries" in response.content.decode()


def test_editors_see_the_log_and_publishers_queue_a_failed_send_again(client, editor, publisher, sent):
    Delivery.objects.update(status=SendStatus.FAILED)
    url = reverse("admin:alerts_delivery_changelist")
    client.force_login(editor)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "send_again", "_selected_action": [sent.pk]})
    assert Delivery.objects.get().status == SendStatus.FAILED  # viewing is not changing
    client.force_login(publisher)
    client.post(url, {"action": "send_again", "_selected_action": [sent.pk]})
    assert Delivery.objects.get().status == SendStatus.RETRY
    (digest,) = run_alerts()
    assert "Weekly Review No.300" in digest.body


def test_staff_without_rights_cannot_read_addresses(client, django_user_model, sent):
    client.force_login(django_user_model.objects.create_user("plain", password="pw", is_staff=True))
    assert client.get(reverse("admin:alerts_subscriber_changelist")).status_code == 403
