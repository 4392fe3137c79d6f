"""Issues: three demo series over the period, and how many items each issue carries.

Most issues are published; the newest are drafts, and a few older ones linger as drafts or
were withdrawn.
"""

import datetime

from items.models import Issue, Series
from items.rendering import render_markdown

from .phrases import MONTHS, lower_phrase
from .vocabulary import MONTH, PERIOD_END, PERIOD_START, SMALLINT_MAX, SUBJECTS

# slug, name, Chinese name, share of issues, relative size, section weights
SERIES = [
    ("demo-weekly-review", "Demo Weekly Review", "演示周报", 0.60, 1.0,
     {"domestic-news": 50, "overseas-news": 25, "enforcement-developments": 10, "courts-and-litigation": 10,
      "our-views": 5}),
    ("demo-monthly-roundup", "Demo Monthly Round-up", "演示月报", 0.25, 1.6,
     {"regulatory-developments": 30, "enforcement-developments": 35, "courts-and-litigation": 13,
      "industry-developments": 12, "key-highlights": 5, "our-views": 5}),
    ("demo-client-alerts", "Demo Client Alerts", "演示客户快讯", 0.15, 0.4,
     {"domestic-news": 40, "enforcement-developments": 40, "regulatory-developments": 20}),
]  # fmt: skip


class IssuePlan:
    """The series and issues chosen, and how many items each issue gets.

    `issues`: (issue, weight, section weights) in date order; `items_per_issue` aligned with it.
    """

    def __init__(self, rng, wanted, items):
        self.series = []
        self.issues = []
        if not wanted:
            self.items_per_issue = []
            return
        counts = [round(share * wanted) for *_x, share, _size, _sections in SERIES]
        counts[-1] = wanted - sum(counts[:-1])
        if counts[-1] < 0:
            counts[0] += counts[-1]
            counts[-1] = 0
        span = (PERIOD_END - PERIOD_START).days
        edition = 300
        for (slug, name, name_zh, _share, size, sections), count in zip(SERIES, counts, strict=True):
            if not count:
                continue
            series = Series(
                slug=slug,
                name=name,
                name_zh=name_zh,
                publisher="Demo data",
                description="Generated demo issues; generate_demo_data --clear removes them.",
            )
            self.series.append(series)
            for index in range(count):
                centre = PERIOD_START + datetime.timedelta(days=int((index + 0.5) * span / count))
                number = index + 1
                issue = Issue(series=series, number=number, status=Issue.Status.PUBLISHED)
                if slug == "demo-weekly-review":
                    period_end = centre - datetime.timedelta(days=(centre.weekday() - 4) % 7)
                    issue.period_start, issue.period_end = period_end - datetime.timedelta(days=4), period_end
                    issue.issued_on = period_end + datetime.timedelta(days=3)
                    issue.title = f"Demo Weekly Review No.{number}"
                    edition += 1
                    issue.edition_number = edition
                elif slug == "demo-monthly-roundup":
                    first = centre.replace(day=1)
                    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
                    issue.period_start, issue.period_end = first, last
                    issue.issued_on, issue.issued_on_precision = first, MONTH
                    issue.title = f"Demo Monthly Round-up No.{number}, {MONTHS[first.month - 1]} {first.year}"
                else:
                    issue.issued_on = centre + datetime.timedelta(days=rng.randint(-3, 3))
                    subject = SUBJECTS[rng.randrange(len(SUBJECTS))][0]
                    issue.title = f"Demo Client Alert No.{number}: {subject}"
                issue.slug = f"{slug}-{number}"
                self.issues.append((issue, size * rng.uniform(0.6, 1.4), sections))
        self.issues.sort(key=lambda entry: (entry[0].issued_on, entry[0].series.slug, entry[0].number))

        # Status: the newest issues are drafts still being edited, a few older drafts linger and
        # a few issues were withdrawn after publication.
        total = len(self.issues)
        newest = max(1 if total >= 3 else 0, round(0.015 * total))
        draft_indexes = set(range(total - newest, total))
        older = list(range(total - newest))
        draft_indexes.update(rng.sample(older, min(len(older), round(0.02 * total))))
        candidates = [i for i in older if i not in draft_indexes]
        withdrawn = rng.sample(candidates, min(len(candidates), max(1 if total >= 3 else 0, round(0.015 * total))))
        for index, (issue, _weight, _sections) in enumerate(self.issues):
            if index in draft_indexes:
                issue.status = Issue.Status.DRAFT
                continue
            if index in withdrawn:
                issue.status = Issue.Status.WITHDRAWN
            published = issue.period_end or issue.issued_on
            published_on = max(published, issue.issued_on) + datetime.timedelta(days=rng.randint(2, 9))
            issue.published_at = datetime.datetime.combine(published_on, datetime.time(1, 0), tzinfo=datetime.UTC)

        # Items per issue: proportional to each issue's weight, at least one each while they last.
        counts = [1 if index < items else 0 for index in range(total)]
        remaining = items - sum(counts)
        weights = [weight for _issue, weight, _sections in self.issues]
        total_weight = sum(weights)
        quotas = [remaining * weight / total_weight for weight in weights]
        floors = [int(q) for q in quotas]
        leftover = remaining - sum(floors)
        by_fraction = sorted(range(total), key=lambda i: (-(quotas[i] - floors[i]), i))
        for i in by_fraction[:leftover]:
            floors[i] += 1
        self.items_per_issue = [c + f for c, f in zip(counts, floors, strict=True)]
        if max(self.items_per_issue, default=0) > SMALLINT_MAX:
            raise ValueError("Too many items per issue: ask for more issues.")


def write_issues(writer, plan, rng):
    """The series, then the issues with their summaries (drawn from `rng`)."""
    writer.bulk(Series, plan.series)
    writer.history(Series, plan.series)
    objs = []
    for (issue, _weight, _sections), count in zip(plan.issues, plan.items_per_issue, strict=True):
        if issue.series.slug != "demo-weekly-review":
            subject = lower_phrase(SUBJECTS[rng.randrange(len(SUBJECTS))][0])
            issue.summary = (
                f"This issue reports {count} developments. Highlights include new rules on *{subject}* "
                f"and the latest enforcement against apps."
            )
            issue.summary_html = render_markdown(issue.summary)
        objs.append(issue)
    writer.bulk(Issue, objs)
    writer.history(Issue, objs)
    writer.advance("issues", len(objs))
