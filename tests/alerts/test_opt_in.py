"""Double opt-in: the follow form creates nothing live; the signed link in the email does."""

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from alerts.models import Subscriber, Subscription
from tests import factories
from tests.alerts.conftest import links_in, run_alerts
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

CHECK_INBOX = "Check your inbox"
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def page_text(response):
    """The page as the visitor reads it, without the CSRF token (new on every response)."""
    return CSRF_VALUE.sub("", response.content.decode())


def follow(client, email="reader@example.com", rhythm="immediate", **link):
    data = {"email": email, "rhythm": rhythm, "kind": "issues", **link}
    return client.post(reverse("alerts:follow"), data, follow=True)


def test_the_follow_form_answers_check_your_inbox_and_emails_a_confirmation_link(client):
    response = follow(client)
    assert CHECK_INBOX in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.com"]
    assert "New issues" in message.subject
    assert links_in(message, "confirm")
    assert 'href="http://testserver/alerts/confirm/' in message.alternatives[0][0]
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.subscriber.confirmed_at is None


def test_an_unconfirmed_reader_gets_nothing(client, published_issue):
    follow(client)
    mail.outbox.clear()
    assert run_alerts() == []


def test_the_link_confirms_and_alerts_follow(client, published_issue):
    follow(client, email="Reader@Example.com ")
    (link,) = links_in(mail.outbox[0], "confirm")
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm this alert" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None  # a link scanner's GET changes nothing

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "Alert confirmed" in confirmed.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.is_live
    assert subscription.rhythm == "immediate"
    assert subscription.subscriber.email == "reader@example.com"
    assert subscription.subscriber.confirmed_at is not None

    mail.outbox.clear()
    assert run_alerts() == []  # the issue was published before the alert began
    factories.IssueFactory(title="Weekly Review No.302", slug="weekly-review-302", number=302)
    (digest,) = run_alerts()
    assert "Weekly Review No.302" in digest.body
    assert digest.to == ["reader@example.com"]


def test_a_tampered_link_is_refused_with_a_clear_page(client):
    follow(client)
    (link,) = links_in(mail.outbox[0], "confirm")
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    for response in (client.get(tampered), client.post(tampered)):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_an_expired_link_is_refused_with_a_clear_page(client, monkeypatch):
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago))
    follow(client)
    monkeypatch.undo()
    (link,) = links_in(mail.outbox[0], "confirm")
    response = client.post(link)
    assert response.status_code == 400
    assert "This confirmation link has expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmation_link_cannot_be_used_as_a_manage_link(client):
    follow(client)
    (link,) = links_in(mail.outbox[0], "confirm")
    token = link.split("/")[3]
    assert client.get(reverse("alerts:manage", kwargs={"token": token})).status_code == 400


def test_following_again_with_a_known_address_reveals_nothing_and_resends_the_link(client):
    new = page_text(follow(client, email="new@example.com"))
    SubscriptionFactory(subscriber=SubscriberFactory(email="known@example.com"))
    mail.outbox.clear()
    known = page_text(follow(client, email="known@example.com"))
    assert known == new
    assert "known@example.com" not in known
    assert Subscription.objects.filter(subscriber__email="known@example.com").count() == 1
    (message,) = mail.outbox
    assert links_in(message, "confirm")
    assert links_in(message, "manage")  # only the inbox's owner learns the address has alerts


def test_confirming_again_applies_the_rhythm_asked_for(client):
    subscription = SubscriptionFactory(subscriber=SubscriberFactory(email="known@example.com"), rhythm="daily")
    follow(client, email="known@example.com", rhythm="weekly")
    subscription.refresh_from_db()
    assert subscription.rhythm == "daily"  # nothing changes until the inbox's owner confirms
    (link,) = links_in(mail.outbox[-1], "confirm")
    client.post(link)
    subscription.refresh_from_db()
    assert subscription.rhythm == "weekly"


def test_confirmation_emails_are_throttled_per_address(client, settings):
    settings.ALERT_CONFIRMATIONS_PER_HOUR = 3
    pages = {page_text(follow(client, email="target@example.com")) for _ in range(5)}
    assert len(pages) == 1  # the same answer every time
    assert len(mail.outbox) == 3
    follow(client, email="other@example.com")
    assert len(mail.outbox) == 4


def test_confirmation_emails_are_throttled_per_client_address_too(client, settings):
    settings.ALERT_CONFIRMATIONS_PER_HOUR = 3
    settings.ALERT_FOLLOW_CLIENT_RATE = "4/hour"
    for number in range(4):
        assert CHECK_INBOX in follow(client, email=f"inbox{number}@example.com").content.decode()
    refused = client.post(
        reverse("alerts:follow"), {"email": "inbox9@example.com", "rhythm": "daily", "kind": "issues"}
    )
    assert refused.status_code == 429
    assert "Too many alert requests from your address." in refused.content.decode()
    assert len(mail.outbox) == 4
    assert not Subscriber.objects.filter(email="inbox9@example.com").exists()
    # Another address still may ask.
    other = client.post(
        reverse("alerts:follow"),
        {"email": "inbox9@example.com", "rhythm": "daily", "kind": "issues"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302
    assert len(mail.outbox) == 5


def test_an_invalid_followed_list_is_refused_with_a_clear_message(client, published_issue):
    url = reverse("alerts:follow") + "?kind=list&list=enforcement&query=regulator%3Dno-such-regulator"
    page = client.get(url).content.decode()
    assert "These filters cannot be followed" in page
    response = client.post(
        reverse("alerts:follow"),
        {
            "email": "reader@example.com",
            "rhythm": "daily",
            "kind": "list",
            "list": "enforcement",
            "query": "regulator=no-such-regulator",
        },
    )
    assert response.status_code == 200
    assert "These filters cannot be followed" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_follow_page_names_what_the_link_follows(client, published_issue):
    page = client.get(reverse("alerts:follow") + "?kind=regulator&target=cac").content.decode()
    assert "Regulator: CAC" in page
    missing = client.get(reverse("alerts:follow") + "?kind=regulator&target=nobody")
    assert missing.status_code == 200
    assert "nothing to follow" in missing.content.decode()


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("/issues/", "/alerts/follow/?kind=issues"),
        ("/regulators/cac/", "/alerts/follow/?kind=regulator&amp;target=cac"),
        (
            "/enforcement/?regulator=cac&action_type=fine",
            "/alerts/follow/?kind=list&amp;list=enforcement&amp;query=regulator%3Dcac%26action_type%3Dfine",
        ),
        ("/items/?regulator=cac", "/alerts/follow/?kind=list&amp;list=items&amp;query=regulator%3Dcac"),
        ("/instruments/?status=draft", "/alerts/follow/?kind=list&amp;list=instruments&amp;query=status%3Ddraft"),
    ],
)
def test_public_pages_carry_a_follow_link_for_what_they_show(client, published_issue, page, expected):
    assert expected in client.get(page).content.decode()


def test_instrument_pages_carry_a_follow_link(client):
    factories.InstrumentFactory(slug="draft-rules", title="Draft Rules")
    assert (
        "/alerts/follow/?kind=instrument&amp;target=draft-rules"
        in client.get("/instruments/draft-rules/").content.decode()
    )


def test_following_a_filtered_list_from_its_page_stores_it_normalised(client, published_issue):
    client.post(
        reverse("alerts:follow"),
        {
            "email": "reader@example.com",
            "rhythm": "daily",
            "kind": "list",
            "list": "enforcement",
            "query": "page=2&regulator=cac&action_type=fine&o=-fine",
        },
    )
    subscription = Subscription.objects.get()
    assert subscription.query_string == "action_type=fine&regulator=cac"
    assert Subscriber.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "kind=regulator&target=" + "x" * 5000,
        "kind=list&list=enforcement&query=regulator%3D%2500",
        "kind=list&list=nothing",
        "kind=organisation&target=%E4%BA%BA%E8%84%B8",
    ],
)
def test_hostile_follow_links_get_a_clear_page_never_a_500(client, query):
    response = client.get(f"/alerts/follow/?{query}")
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()


@pytest.mark.parametrize("query", ["kind=regulator&target=%00", "kind=list&list=items&query=q%3D%00", "kind=%00"])
def test_follow_links_with_a_nul_byte_are_refused_saying_why(client, query):
    response = client.get(f"/alerts/follow/?{query}")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
