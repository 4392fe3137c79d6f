"""Consultations and deadlines (`/instruments/consultations/`).

For a day (today unless ?on=YYYY-MM-DD): the drafts open for comment, with the days left; the
instruments coming into force in the year from that day, and those that did in the months
before; the latest consultations that closed. And a month calendar (?month=YYYY-MM) of comment
deadlines and entry-into-force dates: unless a month is asked for, the day's month when it has
any, else the month of the next date after the day, else of the last one before it (never an
empty month when there are dates at all).

A draft is open for comment on a day when its stage on that day is (regulators/stages.py): from
its publication to its deadline, unless a later version was out by then (a look at a past day
shows what was open then); a withdrawn instrument has none. A date
known only to the month lasts until the month's last day and sits in the calendar's row for the
whole month, not on the 1st; a date known only to the year is listed but not put in a calendar.
Instruments are public reference records, so no published() door applies here.
"""

import calendar
import datetime
from collections import defaultdict

from django.db.models import Max, Min, Q
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.dates import DatePrecision, period_end
from core.page_cache import KeptPageMixin
from regulators.forms import FIRST_YEAR, LAST_YEAR, ConsultationDayForm
from regulators.models import Instrument
from regulators.stages import Stage, lasts_until_q

RECENT_DAYS = 90  # "recently in force": this many days before the day
CLOSED_SHOWN = 5  # the latest consultations listed

CALENDAR_EVENTS = [
    ("comment_deadline", "deadline", _("Comment deadline")),
    ("effective_on", "in-force", _("In force")),
]


lasts_until = lasts_until_q


def days_until(instrument, field, day):
    return (period_end(getattr(instrument, field), getattr(instrument, f"{field}_precision")) - day).days


def a_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def consultations_on(day):
    """The lists of the page for `day`: three queries and one prefetch of issuers each."""
    instruments = Instrument.objects.exclude(status=Instrument.Status.WITHDRAWN)
    with_deadline = instruments.filter(comment_deadline__isnull=False)
    open_drafts = (
        Instrument.objects.with_stage(day)
        .filter(stage=Stage.OPEN)
        .prefetch_related("issuers")
        .order_by("comment_deadline", "title")
    )
    closed = (
        with_deadline.exclude(lasts_until("comment_deadline", day))
        .prefetch_related("issuers")
        .order_by("-comment_deadline", "title")[:CLOSED_SHOWN]
    )
    entering_force = (
        instruments.filter(effective_on__isnull=False, effective_on__lte=a_year_after(day))
        .filter(lasts_until("effective_on", day - datetime.timedelta(days=RECENT_DAYS)))
        .prefetch_related("issuers")
        .order_by("effective_on", "title")
    )
    in_force = []
    for instrument in entering_force:
        days = days_until(instrument, "effective_on", day)
        in_force.append({"instrument": instrument, "days": days, "days_ago": -days})
    return {
        "open_for_comment": [
            {"instrument": instrument, "days": days_until(instrument, "comment_deadline", day)}
            for instrument in open_drafts
        ],
        "recently_closed": [
            {"instrument": instrument, "open_on": instrument.published_on or instrument.comment_deadline}
            for instrument in closed
        ],
        "coming_into_force": [row for row in in_force if row["days"] >= 0],
        "recently_in_force": [row for row in in_force if row["days"] < 0][::-1],
        "ahead_until": a_year_after(day),
        "recent_since": day - datetime.timedelta(days=RECENT_DAYS),
    }


def month_with_dates(day):
    """The first day of the month the calendar opens on for `day` (see the module): two queries at most."""
    month = day.replace(day=1)
    instruments = Instrument.objects.exclude(status=Instrument.Status.WITHDRAWN)

    def calendar_dates(aggregate, lookup):
        found = instruments.aggregate(
            **{
                field: aggregate(
                    field, filter=Q(**{f"{field}__{lookup}": month}) & ~Q(**{f"{field}_precision": DatePrecision.YEAR})
                )
                for field, _kind, _label in CALENDAR_EVENTS
            }
        )
        return [value for value in found.values() if value is not None]

    upcoming = calendar_dates(Min, "gte")
    if upcoming:
        return min(upcoming).replace(day=1)
    past = calendar_dates(Max, "lt")
    return max(past).replace(day=1) if past else month


def month_calendar(month, today, chosen_day=None):
    """A month as weeks of days (Monday first), each with its events, in one query.

    The links to the months before and after keep the day the reader chose, if any.
    """
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    instruments = (
        Instrument.objects.exclude(status=Instrument.Status.WITHDRAWN)
        .filter(Q(comment_deadline__range=(month, last)) | Q(effective_on__range=(month, last)))
        .order_by("title")
    )
    by_day, whole_month = defaultdict(list), []
    for instrument in instruments:
        for field, kind, label in CALENDAR_EVENTS:
            value, precision = getattr(instrument, field), getattr(instrument, f"{field}_precision")
            if value is None or not month <= value <= last or precision == DatePrecision.YEAR:
                continue
            event = {"instrument": instrument, "kind": kind, "label": label}
            (whole_month if precision == DatePrecision.MONTH else by_day[value]).append(event)
    dates = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month.year, month.month)
    weeks = [
        [
            {"date": date, "in_month": date.month == month.month, "today": date == today, "events": by_day[date]}
            for date in week
        ]
        for week in dates
    ]
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = last + datetime.timedelta(days=1)
    previous_month = previous_month if previous_month.year >= FIRST_YEAR else None
    next_month = next_month if next_month.year <= LAST_YEAR else None
    return {
        "month": month,
        "weeks": weeks,
        "weekdays": [
            {"short": formats.date_format(date, "D"), "long": formats.date_format(date, "l")} for date in dates[0]
        ],
        "whole_month": whole_month,
        "event_count": sum(len(events) for events in by_day.values()) + len(whole_month),
        "previous": previous_month,
        "previous_url": month_query(previous_month, chosen_day) if previous_month else "",
        "next": next_month,
        "next_url": month_query(next_month, chosen_day) if next_month else "",
    }


class ConsultationsView(KeptPageMixin, TemplateView):
    template_name = "regulators/consultations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = ConsultationDayForm(self.request.GET or None)
        day, month = form.day_and_month(today)
        chosen_day = form.cleaned_data.get("on") if form.is_bound else None
        if not (form.is_bound and form.cleaned_data.get("month")):
            month = month_with_dates(day)
        context.update(
            form=form,
            today=today,
            day=day,
            chosen_day=chosen_day,
            calendar=month_calendar(month, today, chosen_day),
            **consultations_on(day),
        )
        return context


def month_query(month, day=None):
    """?month=YYYY-MM, keeping the day looked at when one was chosen."""
    query = QueryDict(mutable=True)
    if day:
        query["on"] = day.isoformat()
    query["month"] = f"{month:%Y-%m}"
    return f"?{query.urlencode()}"
