"""An iCalendar feed of instruments' comment deadlines and entry-into-force dates.

`/instruments/calendar.ics` takes the query string of `/instruments/`, so a reader can subscribe
to, say, only the drafts of one issuer. Instruments are public reference records.

A date known only to the month is shown as an all-day event on the month's first day, marked
"(month only)"; a date known only to the year is left out, as no day of the year would be right.

Each event carries a reminder (VALARM) `CALENDAR_ALARM_DAYS` days before it (setting, default 7),
so calendar apps warn of a deadline or an entry into force ahead of time. Each instrument's
description names its stage today (regulators/stages.py).
"""

import datetime

import icalendar
from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from core.dates import DatePrecision
from regulators.lists import INSTRUMENTS

UID_DOMAIN = "cybersecurity-review"

# (date field, kind of event in its UID, summary)
INSTRUMENT_EVENTS = [
    ("comment_deadline", "comment-deadline", gettext_lazy("Comment deadline: %(title)s")),
    ("effective_on", "in-force", gettext_lazy("In force: %(title)s")),
]


def instrument_title(instrument):
    """The title in the reader's language when the instrument has a Chinese one."""
    if (get_language() or "").lower().startswith("zh") and instrument.title_zh:
        return instrument.title_zh
    return instrument.title


def event_description(instrument, date_field, url):
    issuers = ", ".join(issuer.display_short_name for issuer in instrument.issuers.all())
    facts = [instrument.display_date(date_field), str(instrument.current_stage.label), issuers]
    return " · ".join(fact for fact in facts if fact) + f"\n{url}"


def instrument_events(instrument, url, stamp):
    """One all-day VEVENT per known date of the instrument (comment deadline, entry into force)."""
    for date_field, kind, summary in INSTRUMENT_EVENTS:
        day = getattr(instrument, date_field)
        precision = getattr(instrument, f"{date_field}_precision")
        if day is None or precision == DatePrecision.YEAR:
            continue
        title = summary % {"title": instrument_title(instrument)}
        if precision == DatePrecision.MONTH:
            title = _("%(title)s (month only)") % {"title": title}
        event = icalendar.Event()
        event.add("uid", f"{instrument.slug}-{kind}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", title)
        event.add("description", event_description(instrument, date_field, url))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        event.add_component(reminder(title))
        yield event


def reminder(title):
    """A VALARM `CALENDAR_ALARM_DAYS` days before the event's (all-day) start."""
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -datetime.timedelta(days=settings.CALENDAR_ALARM_DAYS))
    return alarm


def instrument_calendar(instruments, absolute_url):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Cybersecurity and Data Protection Review//Instrument calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Comment deadlines and entry into force · Cybersecurity and Data Protection Review"))
    stamp = timezone.now()
    events = [
        event
        for instrument in instruments
        for event in instrument_events(instrument, absolute_url(instrument.get_absolute_url()), stamp)
    ]
    for event in sorted(events, key=lambda event: (event.decoded("dtstart"), str(event["uid"]))):
        calendar.add_component(event)
    return calendar


class InstrumentCalendarView(View):
    def get(self, request, *args, **kwargs):
        # The list page's own list: same filters, and invalid input gives no rows.
        instruments = INSTRUMENTS.filtered(request.GET).filter(
            Q(comment_deadline__isnull=False) | Q(effective_on__isnull=False)
        )
        calendar = instrument_calendar(instruments, request.build_absolute_uri)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="instrument-calendar.ics"'
        return response
