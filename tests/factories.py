"""Model factories for tests: small, valid records with readable defaults."""

import datetime
from decimal import Decimal

import factory

from items.models import EnforcementAction, Issue, NewsItem, Organisation, Section, Series, Source, Topic, Violation
from regulators.models import Instrument, Regulator


class RegulatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulator
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Regulator {n}")
    abbreviation = factory.Sequence(lambda n: f"R{n}")
    slug = factory.Sequence(lambda n: f"regulator-{n}")
    kind = Regulator.Kind.AGENCY
    jurisdiction = "CN"
    level = Regulator.Level.NATIONAL


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Measures on Data Matter {n}")
    slug = factory.Sequence(lambda n: f"instrument-{n}")
    kind = Instrument.Kind.DEPARTMENTAL_RULE
    status = Instrument.Status.DRAFT
    jurisdiction = "CN"


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ["slug"]

    slug = "weekly-review"
    name = "Weekly Cybersecurity and Data Protection Review"
    publisher = "Lifang & Partners"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"section-{n}")
    name = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: 100 + n)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"violation-{n}")
    name = factory.Sequence(lambda n: f"Violation {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Company {n} Ltd")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "CN"


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    series = factory.SubFactory(SeriesFactory)
    # Far above the numbers tests give by hand (229, 400, 900…): the sequence runs on across the
    # session, and reaching a hand-given number within one test would break the slug's uniqueness.
    number = factory.Sequence(lambda n: 100_000 + n)
    title = factory.LazyAttribute(lambda issue: f"Weekly Review No.{issue.number}")
    slug = factory.LazyAttribute(lambda issue: f"weekly-review-{issue.number}")
    issued_on = datetime.date(2021, 4, 1)
    status = Issue.Status.PUBLISHED


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    issue = factory.SubFactory(IssueFactory)
    section = factory.LazyFunction(lambda: Section.objects.get(slug="domestic-news"))
    position = factory.Sequence(lambda n: n + 1)
    headline = factory.Sequence(lambda n: f"Regulator Acts on Matter {n}")
    body = "On April 9, 2021, the **regulator** issued the *Measures*."
    event_date = datetime.date(2021, 4, 9)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    news_item = factory.SubFactory(NewsItemFactory)
    url = factory.Sequence(lambda n: f"https://www.example.gov.cn/notice/{n}.html")
    label = "Regulator notice"
    footnote = 1


class EnforcementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementAction

    news_item = factory.SubFactory(NewsItemFactory)
    decided_on = datetime.date(2021, 4, 9)
    action_type = EnforcementAction.ActionType.FINE
    target = "Example Real Estate Co., Ltd."
    fine_amount = Decimal("250000")
    currency = "CNY"
