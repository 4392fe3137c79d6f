"""send_alerts: new published matches only, one email per reader per run, each match sent once."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts import matching, services
from alerts.models import Delivery, SendStatus, Subscription
from items.models import EnforcementAction, Issue
from items.services import withdraw_issue
from tests import factories
from tests.alerts.conftest import run_alerts
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def at(days=0, hour=8):
    """An ISO moment `days` from today, local time, for --now."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0)).isoformat()


def new_issue(number, **kwargs):
    issue = factories.IssueFactory(number=number, title=f"Weekly Review No.{number}", slug=f"weekly-review-{number}")
    for name, value in kwargs.items():
        setattr(issue, name, value)
    issue.save()
    return issue


def test_running_twice_sends_each_match_once(published_issue):
    SubscriptionFactory(subscriber=SubscriberFactory(email="a@example.com"))
    (first,) = run_alerts()
    assert "Weekly Review No.300" in first.body
    assert run_alerts() == []
    assert Delivery.objects.get().status == SendStatus.SENT


def test_each_reader_gets_one_email_per_run_grouping_every_alert(published_issue):
    reader = SubscriberFactory(email="a@example.com")
    SubscriptionFactory(subscriber=reader)
    SubscriptionFactory(subscriber=reader, kind="regulator", regulator=factories.RegulatorFactory(slug="cac"))
    SubscriptionFactory(subscriber=SubscriberFactory(email="b@example.com"))
    emails = run_alerts()
    assert sorted(message.to[0] for message in emails) == ["a@example.com", "b@example.com"]
    (digest,) = [message for message in emails if message.to == ["a@example.com"]]
    assert "NEW ISSUES" in digest.body and "REGULATOR: CAC" in digest.body
    assert "Weekly Review No.300" in digest.body
    assert "CAC Fines a Platform" in digest.body
    action = EnforcementAction.objects.get()
    assert action.public_id in digest.body
    assert f"http://testserver{action.get_absolute_url()}" in digest.body
    html = digest.alternatives[0]
    assert html[1] == "text/html" and "CAC Fines a Platform" in html[0]
    assert digest.subject == "Review alerts: 3 new matches"


def test_a_record_two_alerts_match_is_listed_once(published_issue):
    reader = SubscriberFactory()
    cac = factories.RegulatorFactory(slug="cac")
    SubscriptionFactory(subscriber=reader, kind="regulator", regulator=cac)
    SubscriptionFactory(subscriber=reader, kind="list", list_name="items", query_string="regulator=cac")
    (digest,) = run_alerts()
    assert digest.body.count("CAC Fines a Platform") == 1
    assert Delivery.objects.filter(status=SendStatus.SENT).count() == 3  # item + action, item again


def test_drafts_are_never_sent(draft_issue):
    SubscriptionFactory()
    SubscriptionFactory(kind="list", list_name="items", query_string="")
    assert run_alerts() == []
    assert not Delivery.objects.exists()


def test_withdrawn_issues_are_never_sent(published_issue):
    withdraw_issue(published_issue.pk)
    SubscriptionFactory()
    SubscriptionFactory(kind="regulator", regulator=factories.RegulatorFactory(slug="cac"))
    assert run_alerts() == []


def test_an_issue_withdrawn_between_claim_and_send_is_dropped_and_logged_as_skipped(published_issue, monkeypatch):
    SubscriptionFactory()
    compose = services.compose

    def withdraw_then_compose(*args):
        withdraw_issue(published_issue.pk)
        return compose(*args)

    monkeypatch.setattr(services, "compose", withdraw_then_compose)
    assert run_alerts() == []
    assert Delivery.objects.get().status == SendStatus.SKIPPED


def test_only_what_is_published_after_the_alert_starts_is_sent(published_issue):
    SubscriptionFactory(starts_at=timezone.now() + datetime.timedelta(minutes=1))
    assert run_alerts() == []
    old = new_issue(310, published_at=timezone.now() - datetime.timedelta(days=3))
    new = new_issue(311, published_at=timezone.now() + datetime.timedelta(minutes=5))
    (digest,) = run_alerts()
    assert new.title in digest.body and old.title not in digest.body


def test_publishing_a_draft_issue_makes_it_news(draft_issue):
    from items.services import publish_issue

    SubscriptionFactory()
    assert run_alerts() == []
    publish_issue(draft_issue.pk)
    (digest,) = run_alerts()
    assert "Secret Draft Issue" in digest.body


def test_a_filtered_list_alert_matches_what_the_list_page_shows(client):
    miit = factories.RegulatorFactory(slug="miit", abbreviation="MIIT")
    cac = factories.RegulatorFactory(slug="cac", abbreviation="CAC")
    expected = factories.EnforcementActionFactory(target="MIIT Fined Co")
    expected.regulators.set([miit])
    factories.EnforcementActionFactory(target="MIIT Warned Co", action_type="warning", fine_amount=None, currency="")
    EnforcementAction.objects.get(target="MIIT Warned Co").regulators.set([miit])
    factories.EnforcementActionFactory(target="CAC Fined Co").regulators.set([cac])
    draft = factories.NewsItemFactory(issue=factories.IssueFactory(status=Issue.Status.DRAFT))
    factories.EnforcementActionFactory(news_item=draft, target="Draft MIIT Fine").regulators.set([miit])

    SubscriptionFactory(kind="list", list_name="enforcement", query_string="?regulator=miit&action_type=fine")
    (digest,) = run_alerts()
    assert "MIIT Fined Co" in digest.body
    for absent in ("MIIT Warned Co", "CAC Fined Co", "Draft MIIT Fine"):
        assert absent not in digest.body
    page = client.get("/enforcement/?regulator=miit&action_type=fine").content.decode()
    assert expected.public_id in page and "CAC Fined Co" not in page
    assert list(Delivery.objects.values_list("object_id", flat=True)) == [expected.pk]


def test_a_list_followed_with_no_filters_sends_every_published_row():
    # The whole list is a bound FilterSet with no values, not an unbound (and so invalid) one.
    shown = factories.EnforcementActionFactory(target="Any Fined Co")
    draft = factories.NewsItemFactory(issue=factories.IssueFactory(status=Issue.Status.DRAFT))
    factories.EnforcementActionFactory(news_item=draft, target="Draft Fined Co")

    SubscriptionFactory(kind="list", list_name="enforcement", query_string="")
    (digest,) = run_alerts()
    assert "Any Fined Co" in digest.body and "Draft Fined Co" not in digest.body
    assert list(Delivery.objects.values_list("object_id", flat=True)) == [shown.pk]


def test_a_followed_item_search_uses_the_search_of_the_list(published_issue):
    factories.NewsItemFactory(headline="Unrelated Standard Released")
    SubscriptionFactory(kind="list", list_name="items", query_string="q=platform")
    (digest,) = run_alerts()
    assert "CAC Fines a Platform" in digest.body and "Unrelated Standard" not in digest.body


def test_an_organisation_alert_includes_the_companies_under_it():
    group = factories.OrganisationFactory(slug="tiktok", name="TikTok")
    uk = factories.OrganisationFactory(slug="tiktok-uk", name="TikTok UK Ltd")
    uk.parent = group
    uk.save()
    factories.EnforcementActionFactory(organisation=uk, target="TikTok UK", currency="EUR")
    factories.EnforcementActionFactory(target="Someone else")
    SubscriptionFactory(kind="organisation", organisation=group)
    (digest,) = run_alerts()
    assert "TikTok UK" in digest.body and "Someone else" not in digest.body


def test_an_instrument_list_sends_instruments_that_enter_it_not_those_it_had():
    factories.InstrumentFactory(slug="old-draft", title="Old Draft Measures", status="draft")
    subscription = SubscriptionFactory(
        kind="list", list_name="instruments", query_string="status=draft", confirmed_at=None, starts_at=None
    )
    services.confirm_subscription(subscription, "immediate")  # records what the list shows now
    assert run_alerts() == []
    factories.InstrumentFactory(slug="new-draft", title="New Draft Measures", status="draft")
    factories.InstrumentFactory(slug="new-law", title="New Law", status="in_force")
    (digest,) = run_alerts()
    assert "New Draft Measures" in digest.body
    assert "Old Draft Measures" not in digest.body and "New Law" not in digest.body


def test_daily_alerts_go_once_a_day_and_weekly_ones_once_a_week(published_issue):
    SubscriptionFactory(subscriber=SubscriberFactory(email="daily@example.com"), rhythm="daily")
    SubscriptionFactory(subscriber=SubscriberFactory(email="weekly@example.com"), rhythm="weekly")
    SubscriptionFactory(subscriber=SubscriberFactory(email="now@example.com"), rhythm="immediate")

    def recipients(moment):
        return sorted(message.to[0] for message in run_alerts("--now", moment))

    assert recipients(at(1)) == ["daily@example.com", "now@example.com", "weekly@example.com"]
    new_issue(320)
    assert recipients(at(1, hour=20)) == ["now@example.com"]
    new_issue(321)
    assert recipients(at(2)) == ["daily@example.com", "now@example.com"]
    new_issue(322)
    assert recipients(at(5)) == ["daily@example.com", "now@example.com"]
    new_issue(323)
    emails = run_alerts("--now", at(8))
    assert sorted(message.to[0] for message in emails) == ["daily@example.com", "now@example.com", "weekly@example.com"]
    (weekly,) = [message for message in emails if message.to == ["weekly@example.com"]]
    assert all(f"No.{number}" in weekly.body for number in (320, 321, 322, 323))


def test_a_dry_run_sends_nothing_and_writes_nothing(published_issue):
    subscription = SubscriptionFactory()
    out = call_command_output("send_alerts", "--dry-run", "--verbosity", "2")
    assert "would email" in out and "Would send 1 emails: 1 new matches" in out
    assert not mail.outbox
    assert not Delivery.objects.exists()
    subscription.refresh_from_db()
    assert subscription.last_run_at is None


def call_command_output(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_bad_now_is_a_clear_error():
    with pytest.raises(CommandError, match="--now takes an ISO date"):
        call_command("send_alerts", "--now", "next tuesday")


def test_paused_and_unconfirmed_alerts_get_nothing(published_issue):
    SubscriptionFactory(active=False)
    SubscriptionFactory(confirmed_at=None)
    SubscriptionFactory(subscriber=SubscriberFactory(confirmed_at=None))
    assert run_alerts() == []


# The database decides: a claim another run made first is never made again ------------------


def test_the_unique_delivery_row_refuses_a_second_claim_of_the_same_match(published_issue):
    from django.contrib.contenttypes.models import ContentType
    from django.db import IntegrityError, transaction

    subscription = SubscriptionFactory()
    row = {
        "subscription": subscription,
        "content_type": ContentType.objects.get_for_model(Issue),
        "object_id": published_issue.pk,
        "claimed_at": timezone.now(),
    }
    Delivery.objects.create(claim_token="run-a", **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(claim_token="run-b", **row)


def test_a_run_that_loses_the_race_for_a_match_sends_nothing(published_issue, monkeypatch):
    """Another run claims the match between this run's search and its insert: the insert is ignored."""
    from django.contrib.contenttypes.models import ContentType

    SubscriptionFactory()
    new_records = matching.new_records

    def found_then_claimed_elsewhere(subscription, limit):
        records = new_records(subscription, limit)
        for record in records:
            Delivery.objects.create(
                subscription=subscription,
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                claim_token="the-other-run",
                claimed_at=timezone.now(),
            )
        return records

    monkeypatch.setattr(matching, "new_records", found_then_claimed_elsewhere)
    assert run_alerts() == []
    assert Delivery.objects.get().claim_token == "the-other-run"


def test_two_runs_cannot_both_take_a_daily_turn(published_issue):
    subscription = SubscriptionFactory(rhythm="daily")
    stale_copy = Subscription.objects.get(pk=subscription.pk)
    now = timezone.now()
    assert services.take_turn(subscription, now)
    assert not services.take_turn(stale_copy, now)  # the other run read last_run_at before the update


# Killed midway -------------------------------------------------------------------------------


class Killed(BaseException):
    """What SIGKILL does to a run: no except clause or cleanup of ours runs after it."""


def test_a_send_the_mail_server_refuses_is_marked_failed_not_retried_until_an_editor_asks(published_issue, monkeypatch):
    SubscriptionFactory()

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server refused the message")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    with pytest.raises(CommandError, match="1 sends failed"):
        run_alerts()
    delivery = Delivery.objects.get()
    assert delivery.status == SendStatus.FAILED and "refused" in delivery.error
    monkeypatch.undo()

    assert run_alerts() == []  # at most once: the next run does not resend on its own
    assert services.queue_again(Delivery.objects.all()) == 1  # the admin's "Send again"
    (digest,) = run_alerts()
    assert "Weekly Review No.300" in digest.body
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (SendStatus.SENT, 2)
    assert run_alerts() == []


def test_an_unreachable_mail_server_claims_nothing_so_the_next_run_sends_it(published_issue, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    SubscriptionFactory()

    def refuse_to_connect(self):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(EmailBackend, "open", refuse_to_connect)
    with pytest.raises(CommandError, match="The mail server cannot be reached"):
        run_alerts()
    assert not Delivery.objects.exists()
    monkeypatch.undo()
    (digest,) = run_alerts()
    assert "Weekly Review No.300" in digest.body


def test_a_run_killed_after_claiming_and_before_sending_never_sends_blindly(published_issue, monkeypatch):
    SubscriptionFactory()

    def die(self, fail_silently=False):
        raise Killed

    monkeypatch.setattr(mail.EmailMessage, "send", die)
    with pytest.raises(Killed):
        run_alerts()
    monkeypatch.undo()
    assert not mail.outbox
    assert Delivery.objects.get().status == SendStatus.CLAIMED

    # A rerun within the claim timeout: the claim may belong to a run still sending.
    assert run_alerts() == []
    assert Delivery.objects.get().status == SendStatus.CLAIMED
    # After the timeout: shown to editors as interrupted, still not sent on its own.
    assert run_alerts("--now", (timezone.now() + datetime.timedelta(minutes=31)).isoformat()) == []
    delivery = Delivery.objects.get()
    assert delivery.status == SendStatus.INTERRUPTED and "may have gone out" in delivery.error
    # An editor who knows it did not go out sends it again: once.
    services.queue_again(Delivery.objects.all())
    assert len(run_alerts()) == 1
    assert run_alerts() == []


def test_a_run_killed_after_sending_and_before_recording_it_does_not_send_it_again(published_issue, monkeypatch):
    SubscriptionFactory()
    mark = services.mark

    def die_before_recording_the_send(deliveries, reminders, run_token, **changes):
        if changes.get("status") == SendStatus.SENT:
            raise Killed
        return mark(deliveries, reminders, run_token, **changes)

    monkeypatch.setattr(services, "mark", die_before_recording_the_send)
    with pytest.raises(Killed):
        run_alerts()
    monkeypatch.undo()
    assert len(mail.outbox) == 1
    assert run_alerts() == []
    assert run_alerts("--now", (timezone.now() + datetime.timedelta(hours=1)).isoformat()) == []
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == SendStatus.INTERRUPTED


# Deadline reminders ------------------------------------------------------------------------------

DEADLINE = datetime.date(2031, 6, 30)


def on(day):
    return datetime.datetime.combine(day, datetime.time(8, 0)).isoformat()


@pytest.fixture
def open_draft(db):
    return factories.InstrumentFactory(
        slug="draft-data-rules", title="Draft Data Rules", status="draft", comment_deadline=DEADLINE
    )


def test_the_deadline_reminder_goes_once_seven_days_before(open_draft):
    SubscriptionFactory(kind="instrument", instrument=open_draft)
    assert run_alerts("--now", on(DEADLINE - datetime.timedelta(days=8))) == []
    (reminder,) = run_alerts("--now", on(DEADLINE - datetime.timedelta(days=7)))
    assert "Draft Data Rules" in reminder.body
    assert "7 days left" in reminder.body
    assert reminder.subject == "Review alerts: 1 comment deadline is near"
    assert run_alerts("--now", on(DEADLINE - datetime.timedelta(days=6))) == []
    assert run_alerts("--now", on(DEADLINE - datetime.timedelta(days=7))) == []
    assert run_alerts("--now", on(DEADLINE)) == []


def test_a_late_first_run_still_reminds_before_the_deadline_but_not_after(open_draft, settings):
    settings.ALERT_REMINDER_DAYS = 3
    SubscriptionFactory(kind="instrument", instrument=open_draft)
    assert run_alerts("--now", on(DEADLINE - datetime.timedelta(days=4))) == []
    assert run_alerts("--now", on(DEADLINE + datetime.timedelta(days=1))) == []
    (reminder,) = run_alerts("--now", on(DEADLINE - datetime.timedelta(days=1)))
    assert "1 day left" in reminder.body


def test_a_draft_matching_a_followed_instrument_list_is_reminded_once_per_reader(open_draft):
    reader = SubscriberFactory()
    SubscriptionFactory(subscriber=reader, kind="instrument", instrument=open_draft)
    listed = SubscriptionFactory(
        subscriber=reader, kind="list", list_name="instruments", query_string="status=draft", confirmed_at=None
    )
    services.confirm_subscription(listed, "weekly")
    (reminder,) = run_alerts("--now", on(DEADLINE - datetime.timedelta(days=7)))
    assert reminder.body.count("Draft Data Rules") == 1
    assert run_alerts("--now", on(DEADLINE - datetime.timedelta(days=5))) == []


def test_no_reminder_for_adopted_texts_or_deadlines_known_only_to_the_month(open_draft):
    adopted = factories.InstrumentFactory(slug="adopted", status="adopted", comment_deadline=DEADLINE)
    vague = factories.InstrumentFactory(
        slug="vague", status="draft", comment_deadline=DEADLINE.replace(day=1), comment_deadline_precision="month"
    )
    for instrument in (adopted, vague):
        SubscriptionFactory(kind="instrument", instrument=instrument)
    assert run_alerts("--now", on(DEADLINE - datetime.timedelta(days=7))) == []
    assert run_alerts("--now", on(DEADLINE.replace(day=1) - datetime.timedelta(days=3))) == []
