"""Every alert email carries a one-click unsubscribe (RFC 8058) that works, and a manage link."""

import pytest
from django.core import mail
from django.test import Client

from alerts.models import Subscription
from tests.alerts.conftest import links_in, run_alerts
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest(published_issue):
    reader = SubscriberFactory(email="reader@example.com")
    SubscriptionFactory(subscriber=reader)
    SubscriptionFactory(subscriber=reader, kind="list", list_name="items", query_string="")
    (message,) = run_alerts()
    return message


def test_every_alert_email_carries_the_list_unsubscribe_headers_and_links(digest):
    (unsubscribe,) = links_in(digest, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert links_in(digest, "manage")
    html = digest.alternatives[0][0]
    assert f'href="http://testserver{unsubscribe}"' in html
    assert 'href="http://testserver/alerts/manage/' in html
    rendered = digest.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in rendered


def test_the_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(digest, published_issue):
    (unsubscribe,) = links_in(digest, "unsubscribe")
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You will receive no more alerts." in response.content.decode()
    assert not Subscription.objects.filter(active=True).exists()


def test_an_unsubscribed_reader_gets_nothing_more(client, digest):
    from tests import factories

    (unsubscribe,) = links_in(digest, "unsubscribe")
    page = client.get(unsubscribe)
    assert page.status_code == 200 and "reader@example.com" in page.content.decode()
    assert Subscription.objects.filter(active=True).count() == 2  # opening the link changes nothing
    client.post(unsubscribe)
    factories.IssueFactory(number=400, slug="weekly-review-400", title="After unsubscribing")
    assert run_alerts() == []


def test_a_tampered_unsubscribe_link_is_refused(client, digest):
    (unsubscribe,) = links_in(digest, "unsubscribe")
    tampered = unsubscribe.replace(":", ":x", 1)
    response = client.post(tampered)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.filter(active=True).count() == 2


def test_the_unsubscribe_link_cannot_be_forged_from_another_readers_secret(client, digest):
    other = SubscriberFactory(email="other@example.com")
    SubscriptionFactory(subscriber=other)
    forged = f"/alerts/unsubscribe/{other.token}/"
    assert client.post(forged).status_code == 400
    assert Subscription.objects.get(subscriber=other).active


def test_confirmation_emails_are_no_alerts_and_carry_no_unsubscribe_header(client):
    client.post("/alerts/follow/", {"email": "x@example.com", "rhythm": "daily", "kind": "issues"})
    (message,) = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
