"""A followed instrument's own moves reach its followers once: a final text adopted, in force,
superseded by a new version. The stage it had when the alert started, and the end of a comment
period (readers are reminded of deadlines), are recorded without an email."""

import datetime

import pytest

from alerts.models import StageNotice
from alerts.services import confirm_subscription
from tests import factories
from tests.alerts.conftest import run_alerts
from tests.alerts.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

ADOPTED = datetime.date(2030, 3, 1)
EFFECTIVE = datetime.date(2030, 6, 1)


def on(day):
    return f"{day.isoformat()}T08:00"


@pytest.fixture
def draft(db):
    return factories.InstrumentFactory(
        slug="draft-data-rules",
        title="Draft Data Rules",
        status="draft",
        published_on=datetime.date(2030, 1, 10),
        comment_deadline=datetime.date(2030, 2, 10),
    )


def test_a_new_final_version_of_a_followed_draft_is_sent_once(draft):
    SubscriptionFactory(kind="instrument", instrument=draft, rhythm="immediate")
    assert run_alerts("--now", on(datetime.date(2030, 1, 20))) == []  # open for comment: the baseline
    assert run_alerts("--now", on(datetime.date(2030, 2, 20))) == []  # consultation closed: no news
    final = factories.InstrumentFactory(
        slug="data-rules", title="Data Rules", status="final", published_on=ADOPTED, effective_on=EFFECTIVE
    )
    final.supersedes.add(draft)

    (email,) = run_alerts("--now", on(ADOPTED + datetime.timedelta(days=1)))
    assert "Draft Data Rules" in email.body and "superseded by Data Rules" in email.body
    assert email.subject == "Review alerts: a followed instrument moved to a new stage"
    assert run_alerts("--now", on(ADOPTED + datetime.timedelta(days=1))) == []  # run twice: still one
    assert run_alerts("--now", on(ADOPTED + datetime.timedelta(days=2))) == []


def test_a_followed_law_coming_into_force_is_sent_once(db):
    law = factories.InstrumentFactory(
        slug="data-law", title="Data Law", status="final", published_on=ADOPTED, effective_on=EFFECTIVE
    )
    SubscriptionFactory(kind="instrument", instrument=law, rhythm="immediate")
    assert run_alerts("--now", on(ADOPTED + datetime.timedelta(days=5))) == []  # adopted: the baseline
    (email,) = run_alerts("--now", on(EFFECTIVE))
    assert "Data Law" in email.body and "Now: in force." in email.body
    assert run_alerts("--now", on(EFFECTIVE)) == []
    assert list(StageNotice.objects.values_list("stage", "status").order_by("pk")) == [
        ("adopted", "skipped"),
        ("in_force", "sent"),
    ]


def test_the_stage_an_alert_starts_at_is_not_news(draft):
    subscription = SubscriptionFactory(
        kind="instrument", instrument=draft, rhythm="immediate", confirmed_at=None, active=False
    )
    law = draft
    law.status, law.effective_on = "final", EFFECTIVE
    law.save()
    confirm_subscription(subscription, "immediate")  # today: adopted, not in force before 2030
    (baseline,) = StageNotice.objects.all()
    assert (baseline.stage, baseline.status) == ("adopted", "skipped")


def test_a_reader_following_in_chinese_is_told_in_chinese(db):
    law = factories.InstrumentFactory(
        slug="data-law",
        title="Data Law",
        title_zh="数据法",
        status="final",
        published_on=ADOPTED,
        effective_on=EFFECTIVE,
    )
    subscription = SubscriptionFactory(kind="instrument", instrument=law, rhythm="immediate")
    subscription.subscriber.language = "zh-hans"
    subscription.subscriber.save()
    run_alerts("--now", on(ADOPTED + datetime.timedelta(days=5)))
    (email,) = run_alerts("--now", on(EFFECTIVE))
    assert "数据法" in email.body and "现行有效" in email.body and "新阶段" in email.body


def test_a_followed_regulators_new_draft_open_for_comment_is_announced_once(db):
    from django.utils import timezone

    today = timezone.localdate()
    cac = factories.RegulatorFactory(slug="cac", abbreviation="CAC")
    hainan = factories.RegulatorFactory(slug="hainan-cac", abbreviation="Hainan CAC", parent=cac, level="provincial")

    def draft(slug, title, issuer, deadline):
        instrument = factories.InstrumentFactory(
            slug=slug,
            title=title,
            status="draft",
            published_on=today - datetime.timedelta(days=3),
            comment_deadline=deadline,
        )
        instrument.issuers.set([issuer])
        return instrument

    draft("old-draft", "Draft Open When Followed", cac, today + datetime.timedelta(days=20))
    subscription = SubscriptionFactory(
        kind="regulator", regulator=cac, rhythm="immediate", confirmed_at=None, active=False
    )
    confirm_subscription(subscription, "immediate")
    draft("new-draft", "Draft Rules on Island Data", hainan, today + datetime.timedelta(days=30))
    draft("closed-draft", "Draft Already Closed", cac, today - datetime.timedelta(days=1))

    (email,) = run_alerts()
    assert "Draft Rules on Island Data" in email.body
    assert "Draft Open When Followed" not in email.body and "Draft Already Closed" not in email.body
    assert run_alerts() == []


def test_the_command_says_how_many_stage_changes_it_sent(db, capsys):
    from django.core.management import call_command

    law = factories.InstrumentFactory(
        slug="data-law", title="Data Law", status="final", published_on=ADOPTED, effective_on=EFFECTIVE
    )
    SubscriptionFactory(kind="instrument", instrument=law, rhythm="immediate")
    call_command("send_alerts", "--now", on(ADOPTED + datetime.timedelta(days=5)), "--site-url", "http://testserver")
    call_command("send_alerts", "--now", on(EFFECTIVE), "--site-url", "http://testserver")
    assert "Sent 1 emails: 0 new matches, 0 deadline reminders, 1 stage changes." in capsys.readouterr().out


def test_an_email_of_several_stage_changes_reads_them_in_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    from django.utils import timezone

    from alerts.models import SendStatus
    from alerts.services import compose_stage_changes

    subscription = SubscriptionFactory(kind="issues")
    notices = []
    for index in range(6):
        old = factories.InstrumentFactory(slug=f"old-{index}", title=f"Old Rules {index}", status="final")
        new = factories.InstrumentFactory(slug=f"new-{index}", title=f"New Rules {index}", status="final")
        new.supersedes.add(old)
        notices.append(
            StageNotice.objects.create(
                subscriber=subscription.subscriber,
                instrument=old,
                stage="superseded",
                stage_key=f"superseded:{new.pk}",
                claim_token="t",
                claimed_at=timezone.now(),
                status=SendStatus.CLAIMED,
            )
        )
    notices = list(StageNotice.objects.select_related("instrument").order_by("pk"))
    with django_assert_max_num_queries(4):  # three stage links, the texts named: not per notice
        entries = compose_stage_changes(notices, "http://testserver")
    assert [entry["by"] for entry in entries] == [f"New Rules {index}" for index in range(6)]
