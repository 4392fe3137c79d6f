"""News items: their place in an issue, the story each tells and what it links to.

Items are written batch by batch with their sources; their words come from texts.py.
"""

import bisect
import datetime
from collections import Counter

from items.models import NewsItem, Section, Source, Topic

from .draws import weighted
from .texts import build_item, build_source
from .vocabulary import (
    DAY,
    EU_COUNTRIES,
    MONTH,
    SECTION_ORDER,
    SMALLINT_MAX,
    SUBJECTS,
    VIOLATION_BY_SLUG,
    YEAR,
)

# What kind of story an item of each section tells, with weights.
SECTION_KINDS = {
    "enforcement-developments": {"enforcement": 90, "campaign": 10},
    "courts-and-litigation": {"court": 85, "regulation": 15},
    "domestic-news": {"regulation": 50, "enforcement": 35, "industry": 10, "campaign": 5},
    "overseas-news": {"foreign_enforcement": 55, "foreign_regulation": 45},
    "regulatory-developments": {"regulation": 100},
    "industry-developments": {"industry": 100},
    "our-views": {"views": 100},
    "key-highlights": {"regulation": 60, "enforcement": 40},
}
SECTOR_TOPICS = {"apps": "apps", "finance": "finance", "banking": "finance", "insurance": "finance",
                 "telecoms": "telecoms", "automotive": "vehicles", "healthcare": "health-data", "education": "minors",
                 "gaming": "minors", "ecommerce": "platforms", "social_media": "platforms",
                 "internet": "platforms"}  # fmt: skip


class ItemPlan:
    """A planned news item: its place in an issue, its story, and what it links to (text comes later)."""

    __slots__ = (
        "issue",
        "section",
        "position",
        "event_date",
        "precision",
        "kind",
        "actions",
        "regulators",
        "instrument",
        "instruments",
        "subject",
        "org",
        "topics",
        "bilingual",
        "sources",
        "jurisdiction",
        "count",
        "pk",
    )

    def __init__(self, issue, section, position, event_date, precision, kind, bilingual, sources):
        self.issue, self.section, self.position, self.kind = issue, section, position, kind
        self.event_date, self.precision, self.bilingual, self.sources = event_date, precision, bilingual, sources
        self.actions, self.regulators, self.instruments, self.topics = [], [], [], []
        self.instrument = self.subject = self.org = self.count = self.pk = None
        self.jurisdiction = "CN"


def normalise(value, precision):
    if value is None:
        return None
    if precision == MONTH:
        return value.replace(day=1)
    if precision == YEAR:
        return value.replace(month=1, day=1)
    return value


def distinct(objs):
    """Unsaved model instances in order, each once (they cannot be hashed before they have a pk)."""
    seen, result = set(), []
    for obj in objs:
        if id(obj) not in seen:
            seen.add(id(obj))
            result.append(obj)
    return result


def plan_items(rng, issues):
    """Every item of every issue, in issue and section order (stories come with the actions)."""
    items = []
    for (issue, _weight, sections), count in zip(issues.issues, issues.items_per_issue, strict=True):
        section_slugs = [weighted(rng, sections) for _ in range(count)]
        section_slugs.sort(key=lambda s: SECTION_ORDER[s])
        if issue.period_start:
            first, last = issue.period_start, issue.period_end
        else:
            first, last = issue.issued_on - datetime.timedelta(days=14), issue.issued_on
        days = (last - first).days
        for position, section in enumerate(section_slugs, start=1):
            kind = weighted(rng, SECTION_KINDS[section])
            roll = rng.random()
            if kind == "views" and roll < 0.7 or roll < 0.01:
                event_date, precision = None, DAY
            else:
                precision = MONTH if roll < 0.05 else YEAR if roll < 0.06 else DAY
                event_date = normalise(first + datetime.timedelta(days=rng.randint(0, days)), precision)
            n_sources = rng.choices([0, 1, 2, 3, 4], weights=[0, 30, 35, 22, 13])[0]
            if kind == "views":
                n_sources = rng.choice([0, 1])
            items.append(
                ItemPlan(
                    issue=issue,
                    section=section,
                    position=position,
                    event_date=event_date,
                    precision=precision,
                    kind=kind,
                    bilingual=rng.random() < 0.2,
                    sources=n_sources,
                )
            )
    return items


def plan_item_context(rng, item, regulators, organisations, instrument_plan):
    """Regulators, instruments, topics and subject of an item, from its story."""
    kind = item.kind
    topics = []
    instruments = []
    if item.actions:
        first = item.actions[0]
        instruments = distinct(ins for plan in item.actions for ins in plan.legal_basis)
        topics += [VIOLATION_BY_SLUG[slug][6] for slug in first.violations]
        if first.obj.sector in SECTOR_TOPICS:
            topics.append(SECTOR_TOPICS[first.obj.sector])
        if first.obj.action_type in ("complaint_filed",) and first.regulators[0].kind == "procuratorate":
            topics.append("public-interest-litigation")
        if first.obj.jurisdiction.split("-")[0] in EU_COUNTRIES:
            topics.append("gdpr")
        item.subject = rng.randrange(len(SUBJECTS))
    elif kind in ("regulation", "foreign_regulation"):
        if kind == "foreign_regulation":
            side = "foreign"
        elif item.section == "courts-and-litigation":
            side = "judicial"
        else:
            side = "CN"
        timeline = instrument_plan.timelines.get(side) or instrument_plan.timelines.get("CN")
        if not timeline:
            kind = item.kind = "views"
        else:
            when = item.event_date or item.issue.issued_on
            low = bisect.bisect_left(timeline, (when - datetime.timedelta(days=45), -1))
            high = bisect.bisect_right(timeline, (when + datetime.timedelta(days=45), len(instrument_plan.entries)))
            index = timeline[rng.randrange(low, high)][1] if high > low else timeline[min(low, len(timeline) - 1)][1]
            obj, subject_index, issuers, implements = instrument_plan.entries[index]
            item.instrument = index
            item.subject = subject_index
            instruments = [obj] + [instrument_plan.entries[i][0] for i in implements]
            item.regulators = [spec.obj for spec in issuers[:3]]
            item.jurisdiction = obj.jurisdiction
            topics += SUBJECTS[subject_index][2]
            if obj.kind in ("national_standard", "industry_standard"):
                topics.append("standards")
            if obj.jurisdiction.split("-")[0] in EU_COUNTRIES:
                topics.append("gdpr")
    if kind in ("campaign", "industry", "views"):
        item.subject = rng.randrange(len(SUBJECTS))
        topics += SUBJECTS[item.subject][2]
        if kind == "campaign":
            regulator = regulators.pick_enforcer(rng, "domestic") if regulators.specs else None
            item.regulators = [regulator.obj] if regulator else []
            item.jurisdiction = regulator.obj.jurisdiction if regulator else "CN"
        elif kind == "industry":
            monitor, _cum = regulators.enforcer_pools.get("monitor", ([], []))
            item.regulators = [rng.choice(monitor).obj] if monitor and rng.random() < 0.5 else []
            org_pool = organisations.pools["CN"] if organisations.specs else []
            item.org = rng.choice(org_pool[:200]) if org_pool else None
            item.count = rng.randint(3, 40)
        else:
            item.regulators = []
        if instrument_plan.entries and rng.random() < 0.4:
            instruments.append(instrument_plan.entries[rng.randrange(len(instrument_plan.entries))][0])
    if rng.random() < 0.6:
        topics.append("personal-information")
    item.topics = list(dict.fromkeys(topics))[:4]
    item.instruments = distinct(instruments)[:3]


def write_items(writer, items, vocabulary, instruments, rng):
    """Items batch by batch, each with its sources, links and history; texts drawn from `rng`."""
    sections = vocabulary[Section]
    topics = vocabulary[Topic]
    footnotes = Counter()
    for start in range(0, len(items), writer.batch_size):
        plans = items[start : start + writer.batch_size]
        objs = [build_item(rng, plan, sections[plan.section], instruments) for plan in plans]
        writer.bulk(NewsItem, objs)
        sources, regulator_links, instrument_links, topic_links = [], [], [], []
        for plan, obj in zip(plans, objs, strict=True):
            plan.pk = obj.pk
            regulator_links += [(obj.pk, regulator.pk) for regulator in plan.regulators]
            instrument_links += [(obj.pk, instrument.pk) for instrument in plan.instruments]
            topic_links += [(obj.pk, topics[slug]) for slug in plan.topics]
            for index in range(plan.sources):
                footnotes[plan.issue.pk] += 1
                number = footnotes[plan.issue.pk]
                footnote = number if number <= SMALLINT_MAX else None
                sources.append(build_source(rng, plan, obj, footnote, official_allowed=index == 0))
        writer.bulk(Source, sources)
        writer.link(NewsItem.regulators, regulator_links)
        writer.link(NewsItem.instruments, instrument_links)
        writer.link(NewsItem.topics, topic_links)
        writer.history(NewsItem, objs)
        writer.history(Source, sources)
        writer.advance("news items", len(objs))
