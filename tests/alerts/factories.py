"""Factories for alerts: a confirmed reader and a live alert, counting from an hour ago."""

import datetime

import factory
from django.utils import timezone

from alerts.models import Subscriber, Subscription


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    confirmed_at = factory.LazyFunction(an_hour_ago)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    kind = Subscription.Kind.ISSUES
    rhythm = Subscription.Rhythm.IMMEDIATE
    active = True
    confirmed_at = factory.LazyFunction(an_hour_ago)
    starts_at = factory.LazyFunction(an_hour_ago)
