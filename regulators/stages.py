"""The stage of an instrument that readers see, computed from facts as of a day.

Editors record facts: what kind of text it is (`status`: a draft for comment, a final text, or
withdrawn), its dates with their precision, and its links to other texts (`supersedes`, `amends`,
`repeals`). The stage follows from them, so it never goes stale:

- a draft is *open for comment* from its publication until its comment deadline (inclusive),
  then *consultation closed*; once a later version of it is out, it is *superseded* (by that
  version). A draft whose deadline is not known, or not yet published, is just a *draft*;
- a final text is *adopted* until its effective date, then *in force*; once a text that amends
  it is in force it reads *amended*; once a later version of it is in force it is *superseded*,
  and once a text that repeals it is in force, *repealed*. A final text whose effective date is
  not recorded counts as in force from its adoption (or publication): Chinese texts without a
  date of their own take effect on promulgation;
- a *withdrawn* text stays withdrawn.

Dates known only to the month or the year (core/dates.py): a deadline lasts until the end of its
period (comments are welcome all that month), and a date that must have come (adoption,
publication, entry into force) counts as come once its whole period has: only then is it
certain. A comment period opens on the first day of its publication's period.

`stage()` is the rule in Python, for one instrument; `with_stage()` is the same rule as a SQL
annotation, for filtering, facets and counts. tests/regulators/test_stages.py holds them equal.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core.dates import DatePrecision, period_end

DRAFT, FINAL, WITHDRAWN = "draft", "final", "withdrawn"  # Instrument.Status (models import this module)


class Stage(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for comment")
    CLOSED = "closed", _("consultation closed")
    ADOPTED = "adopted", _("adopted")
    IN_FORCE = "in_force", _("in force")
    AMENDED = "amended", _("amended")
    SUPERSEDED = "superseded", _("superseded")
    REPEALED = "repealed", _("repealed")
    WITHDRAWN = "withdrawn", _("withdrawn")


@dataclass(frozen=True)
class StageNow:
    """An instrument's stage on a day, and the text that brought it there (superseded by…)."""

    code: str
    by: object = None

    @property
    def label(self):
        return Stage(self.code).label

    def __str__(self):
        return str(self.label)


# Python: one instrument.


def has_come(value, precision, today):
    """The date is certainly past or today: its whole period (day, month or year) has come."""
    return value is not None and period_end(value, precision) <= today


def is_issued(instrument, today):
    """The text is out: its adoption or publication has come, or neither date is known."""
    if instrument.adopted_on is None and instrument.published_on is None:
        return True
    return has_come(instrument.adopted_on, instrument.adopted_on_precision, today) or has_come(
        instrument.published_on, instrument.published_on_precision, today
    )


def is_in_force(instrument, today):
    """A final text whose effective date has come (or, not recorded, whose adoption has)."""
    if instrument.status in (DRAFT, WITHDRAWN):
        return False
    if instrument.effective_on is not None:
        return has_come(instrument.effective_on, instrument.effective_on_precision, today)
    return is_issued(instrument, today)


def first(instruments):
    """The earliest of several texts, by date and title (which one a stage names)."""

    def key(instrument):
        day = instrument.effective_on or instrument.adopted_on or instrument.published_on or datetime.date.max
        return (day, instrument.title, instrument.pk or 0)

    return min(instruments, key=key, default=None)


# The links `stage()` reads: prefetch them to compute the stage of many rows.
STAGE_LINKS = ("superseded_by", "amended_by", "repealed_by")


def stage(instrument, today):
    """The public stage of `instrument` on `today` (a StageNow). Reads its later versions and
    the texts amending or repealing it: prefetch `superseded_by`, `amended_by`, `repealed_by`."""
    if instrument.status == WITHDRAWN:
        return StageNow(Stage.WITHDRAWN)
    if instrument.pk is None:  # not saved: no links yet
        later = amending = repealing = []
    else:
        later = [other for other in instrument.superseded_by.all() if other.status != WITHDRAWN]
        amending, repealing = instrument.amended_by.all(), instrument.repealed_by.all()
    if instrument.status == DRAFT:
        successor = first(other for other in later if is_issued(other, today))
        if successor is not None:
            return StageNow(Stage.SUPERSEDED, successor)
        if instrument.comment_deadline is None or (instrument.published_on and instrument.published_on > today):
            return StageNow(Stage.DRAFT)
        if period_end(instrument.comment_deadline, instrument.comment_deadline_precision) >= today:
            return StageNow(Stage.OPEN)
        return StageNow(Stage.CLOSED)
    repealer = first(other for other in repealing if is_in_force(other, today))
    if repealer is not None:
        return StageNow(Stage.REPEALED, repealer)
    successor = first(other for other in later if is_in_force(other, today))
    if successor is not None:
        return StageNow(Stage.SUPERSEDED, successor)
    if not is_in_force(instrument, today):
        return StageNow(Stage.ADOPTED)
    amender = first(other for other in amending if is_in_force(other, today))
    if amender is not None:
        return StageNow(Stage.AMENDED, amender)
    return StageNow(Stage.IN_FORCE)


# SQL: the same rule as an annotation.


def latest_period_starts(today):
    """{precision: the latest first day of a period of that precision that has wholly come by today}."""
    month_start = today.replace(day=1)
    if today.day != calendar.monthrange(today.year, today.month)[1]:
        month_start = (month_start - datetime.timedelta(days=1)).replace(day=1)
    year_start = today.replace(month=1, day=1)
    if (today.month, today.day) != (12, 31):
        year_start = year_start.replace(year=today.year - 1)
    return {DatePrecision.DAY: today, DatePrecision.MONTH: month_start, DatePrecision.YEAR: year_start}


def has_come_q(field, today, prefix=""):
    """Q: `has_come()` of the date in `field` (a NULL date has not come)."""
    starts = latest_period_starts(today)
    condition = Q()
    for precision, start in starts.items():
        condition |= Q(**{f"{prefix}{field}_precision": precision, f"{prefix}{field}__lte": start})
    return condition


def lasts_until_q(field, day, prefix=""):
    """Q: the date in `field`, taken at its precision, ends on `day` or later."""
    return (
        Q(**{f"{prefix}{field}_precision": DatePrecision.DAY, f"{prefix}{field}__gte": day})
        | Q(**{f"{prefix}{field}_precision": DatePrecision.MONTH, f"{prefix}{field}__gte": day.replace(day=1)})
        | Q(**{f"{prefix}{field}_precision": DatePrecision.YEAR, f"{prefix}{field}__gte": day.replace(month=1, day=1)})
    )


def is_issued_q(today):
    return (
        Q(adopted_on__isnull=True, published_on__isnull=True)
        | has_come_q("adopted_on", today)
        | has_come_q("published_on", today)
    )


def is_in_force_q(today):
    return ~Q(status__in=[DRAFT, WITHDRAWN]) & (
        has_come_q("effective_on", today) | (Q(effective_on__isnull=True) & is_issued_q(today))
    )


def with_stage(queryset, today):
    """`queryset` (of instruments) with `stage`: the code `stage()` gives each row on `today`."""
    return queryset.annotate(stage=stage_expression(queryset.model, today))


@functools.lru_cache(maxsize=8)
def stage_expression(model, today):
    """The stage as one SQL expression, built once per day: building its subqueries costs ~15 ms,
    and a list applies it several times (rows, counts, facets). Django resolves a copy of it in
    every query, so one expression serves every query and thread."""
    instruments = model._base_manager.all()
    later_out = Exists(instruments.filter(is_issued_q(today), supersedes=OuterRef("pk")).exclude(status=WITHDRAWN))
    later_in_force = Exists(instruments.filter(is_in_force_q(today), supersedes=OuterRef("pk")))
    repealer_in_force = Exists(instruments.filter(is_in_force_q(today), repeals=OuterRef("pk")))
    amender_in_force = Exists(instruments.filter(is_in_force_q(today), amends=OuterRef("pk")))
    return Case(
        When(status=WITHDRAWN, then=Value(Stage.WITHDRAWN)),
        When(Q(status=DRAFT) & later_out, then=Value(Stage.SUPERSEDED)),
        When(Q(status=DRAFT, comment_deadline__isnull=True), then=Value(Stage.DRAFT)),
        When(Q(status=DRAFT, published_on__gt=today), then=Value(Stage.DRAFT)),
        When(Q(status=DRAFT) & lasts_until_q("comment_deadline", today), then=Value(Stage.OPEN)),
        When(status=DRAFT, then=Value(Stage.CLOSED)),
        When(repealer_in_force, then=Value(Stage.REPEALED)),
        When(later_in_force, then=Value(Stage.SUPERSEDED)),
        When(is_in_force_q(today) & amender_in_force, then=Value(Stage.AMENDED)),
        When(is_in_force_q(today), then=Value(Stage.IN_FORCE)),
        default=Value(Stage.ADOPTED),
        output_field=CharField(),
    )


def open_for_comment(queryset, today):
    """The drafts of `queryset` that `with_stage` shows as open for comment on `today`, annotated so.

    The same rule as `with_stage`'s OPEN branch, without the branches a draft cannot reach: a page
    that lists only what is open (the home page) compiles a few conditions instead of the whole
    stage expression, which costs tens of milliseconds to compile on every request.
    """
    instruments = queryset.model._base_manager.all()
    later_out = Exists(instruments.filter(is_issued_q(today), supersedes=OuterRef("pk")).exclude(status=WITHDRAWN))
    return queryset.filter(
        Q(status=DRAFT, comment_deadline__isnull=False)
        & ~Q(published_on__gt=today)
        & lasts_until_q("comment_deadline", today)
        & ~later_out
    ).annotate(stage=Value(Stage.OPEN, output_field=CharField()))
