"""Alerts are written in the language the reader followed in: confirmation, digests, reminders."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from alerts.models import Subscriber
from items.models import NewsItem
from regulators.models import Regulator
from tests.alerts.conftest import run_alerts
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def follow(client, language):
    client.cookies["django_language"] = language
    data = {"email": f"{language}@example.com", "rhythm": "immediate", "kind": "issues"}
    return client.post(reverse("alerts:follow"), data, follow=True)


def test_following_in_chinese_stores_the_language_and_confirms_in_chinese(client):
    follow(client, "zh-hans")
    assert Subscriber.objects.get().language == "zh-hans"
    (message,) = mail.outbox
    assert message.subject.startswith("请确认您的提醒")


def test_following_again_in_english_switches_the_readers_language(client):
    follow(client, "zh-hans")
    client.cookies["django_language"] = "en"
    client.post(reverse("alerts:follow"), {"email": "zh-hans@example.com", "rhythm": "daily", "kind": "issues"})
    assert Subscriber.objects.get().language == "en"
    assert mail.outbox[-1].subject.startswith("Confirm your alert")


def test_send_alerts_mails_a_chinese_reader_in_chinese_and_an_english_reader_in_english(published_issue):
    published_issue.title_zh = "周报第300期"
    published_issue.save()
    Regulator.objects.filter(slug="cac").update(name_zh="国家互联网信息办公室")
    NewsItem.objects.update(headline_zh="国家网信办对某平台处以罚款")
    cac = Regulator.objects.get(slug="cac")
    chinese = SubscriberFactory(email="zh@example.com", language="zh-hans")
    SubscriptionFactory(subscriber=chinese)
    SubscriptionFactory(subscriber=chinese, kind="regulator", regulator=cac)
    english = SubscriberFactory(email="en@example.com")
    SubscriptionFactory(subscriber=english, kind="regulator", regulator=cac)

    with translation.override("en"):  # cron runs in the site's default language
        emails = {message.to[0]: message for message in run_alerts()}

    digest = emails["zh@example.com"]
    assert digest.subject.startswith("观察提醒")
    assert "周报第300期" in digest.body
    assert "国家网信办对某平台处以罚款" in digest.body
    assert "监管机构: 国家互联网信息办公室" in digest.body
    assert "Weekly Review No.300" not in digest.body
    assert "国家网信办对某平台处以罚款" in digest.alternatives[0][0]
    assert emails["en@example.com"].subject.startswith("Review alerts")
    assert "CAC Fines a Platform" in emails["en@example.com"].body
    assert "REGULATOR: CAC" in emails["en@example.com"].body
