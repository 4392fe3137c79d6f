"""RSS and Atom feeds of instruments: the filtered instrument list, and one instrument's family.

`/instruments/feed/rss/?<filters>` lists what `/instruments/?<filters>` lists (the same
`INSTRUMENTS` list, its stage filter as of today), in the same order. `/instruments/<slug>/feed/`
tells the life of one text's family (regulators/versions.py): each version coming out, its
consultation closing, its adoption and entry into force, and the texts amending or repealing it,
each once its date has come (as regulators/stages.py counts dates known only to the month).
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import period_end
from core.feeds import FilteredListFeed
from regulators.lists import INSTRUMENTS
from regulators.models import Instrument
from regulators.stages import has_come
from regulators.versions import family_ids, version_date


def midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def instrument_facts(instrument, stage_label):
    """One line of facts: kind, stage, document number, dates, issuers (escaped for the feed's HTML)."""
    dates = [
        (gettext("published"), "published_on"),
        (gettext("comments until"), "comment_deadline"),
        (gettext("adopted"), "adopted_on"),
        (gettext("in force from"), "effective_on"),
    ]
    facts = [str(instrument.get_kind_display()).capitalize(), str(stage_label), instrument.document_number]
    facts += [f"{label} {instrument.display_date(name)}" for label, name in dates if getattr(instrument, name)]
    facts.append(", ".join(issuer.display_short_name for issuer in instrument.issuers.all()))
    return escape(" · ".join(fact for fact in facts if fact))


class InstrumentFeed(FilteredListFeed):
    public_list = INSTRUMENTS
    title = _("Laws, regulations and standards · Cybersecurity and Data Protection Review")
    description = _("Instruments as filtered on the instruments page, each with its stage today.")

    def item_title(self, instrument):
        return f"{instrument.display_title} — {instrument.current_stage.label}"

    def item_description(self, instrument):
        return instrument_facts(instrument, instrument.current_stage.label)

    def item_pubdate(self, instrument):
        day = version_date(instrument)
        return midnight(day) if day != datetime.date.min else None


class InstrumentAtomFeed(InstrumentFeed):
    feed_type = Atom1Feed
    subtitle = InstrumentFeed.description


# (date field, what its coming means for a draft, for a final text)
FAMILY_EVENTS = [
    ("published_on", _("Draft published for comment: %(title)s"), _("Published: %(title)s")),
    ("comment_deadline", _("Consultation closed: %(title)s"), None),
    ("adopted_on", None, _("Adopted: %(title)s")),
    ("effective_on", None, _("In force: %(title)s")),
]


class InstrumentFamilyFeed(Feed):
    """The dated steps of one text's family, newest first, each once its date has come."""

    limit = 50

    def get_object(self, request, slug):
        return get_object_or_404(Instrument, slug=slug)

    def title(self, instrument):
        return gettext("%(title)s: versions and stages · Cybersecurity and Data Protection Review") % {
            "title": instrument.display_title
        }

    def description(self, instrument):
        return gettext("New versions of this text, its consultations, adoption and entry into force.")

    def link(self, instrument):
        return instrument.get_absolute_url()

    def items(self, instrument):
        today = timezone.localdate()
        ids = family_ids(instrument)
        versions = Instrument.objects.filter(pk__in=ids).prefetch_related(
            "issuers", "amended_by__issuers", "repealed_by__issuers"
        )
        events = []
        for version in versions:
            draft = version.status == Instrument.Status.DRAFT
            for field, if_draft, if_final in FAMILY_EVENTS:
                summary = if_draft if draft else if_final
                day, precision = getattr(version, field), getattr(version, f"{field}_precision")
                if summary is None or day is None:
                    continue
                if field == "comment_deadline":  # closed the day after its (period's) last day
                    day, precision = period_end(day, precision) + datetime.timedelta(days=1), "day"
                # A comment period opens on its publication's first day; other dates count once certain.
                opens = field == "published_on" and draft
                if (day <= today) if opens else has_come(day, precision, today):
                    events.append(self.event(version, field, day, summary % {"title": version.display_title}))
            for verb, others in [
                (_("Amended by %(other)s: %(title)s"), version.amended_by.all()),
                (_("Repealed by %(other)s: %(title)s"), version.repealed_by.all()),
            ]:
                for other in others:
                    if other.effective_on and has_come(other.effective_on, other.effective_on_precision, today):
                        summary = verb % {"other": other.display_title, "title": version.display_title}
                        events.append(
                            self.event(version, f"changed-by-{other.slug}", other.effective_on, summary, other)
                        )
        events.sort(key=lambda event: (event["day"], event["guid"]), reverse=True)
        return events[: self.limit]

    @staticmethod
    def event(version, kind, day, summary, cause=None):
        return {
            "guid": f"{version.slug}:{kind}",
            "day": day,
            "title": summary,
            "version": version,
            "cause": cause,
        }

    def item_title(self, event):
        return event["title"]

    def item_description(self, event):
        version = event["cause"] or event["version"]
        return instrument_facts(version, version.get_status_display())

    def item_link(self, event):
        return (event["cause"] or event["version"]).get_absolute_url()

    def item_guid(self, event):
        return event["guid"]

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return midnight(event["day"])
