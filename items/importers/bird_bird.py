"""Bird & Bird's "China Cybersecurity and Data Protection: Monthly Update".

Shape: an introduction, "Key highlights" (the issue's summary), "Our Views" (titles of the
firm's articles), then "Regulatory / Enforcement / Industry Developments". Items have no
headlines: each is a paragraph that opens with its date ("On November 3, …", "As reported by
… on November 12, …", "Since November, …"); a paragraph without a date continues the item
before it. A "Source: https://…" line at the end links the whole update.
"""

import re

from items.importers import dates
from items.importers.base import INFERRED_DATE_WARNING, NewsletterFormat, finish_items, infer_issue_month, issue_date_in
from items.importers.headlines import headline_from_body, title_case
from items.importers.paragraphs import first_sentence, is_boilerplate, is_noise, join_lines, strip_markup
from items.importers.parsed import ParsedItem, ParsedSource
from items.importers.sections import KEY_HIGHLIGHTS

SOURCE_LINE = re.compile(r"^(?:Source|Sources|Link|Read more)\s*[:：]\s*(https?://\S+)\s*$", re.IGNORECASE)
DEVELOPMENT_SECTIONS = {"regulatory-developments", "enforcement-developments", "industry-developments"}
ISSUE_PHRASE = re.compile(
    rf"\b(?P<month>{dates.MONTH})\s+(?P<year>(?:19|20)\d{{2}})\s+(?:issue|edition|update)\b", re.I
)


def opens_with_date(paragraph):
    """An item starts where the first sentence's opening words carry a date."""
    sentence = first_sentence(paragraph)
    return any(mention.start <= 60 and mention.month for mention in dates.find_dates(sentence))


class BirdBirdMonthly(NewsletterFormat):
    name = "bird-bird-monthly"
    label = "Bird & Bird China monthly update"
    series = "bird-bird-monthly"
    period = "previous-month"
    month_offset = 1  # the December issue reports November's events

    def score(self, newsletter):
        headings = {newsletter.vocabulary.match(p) for p in newsletter.paragraphs}
        developments = len(headings & DEVELOPMENT_SECTIONS)
        if not developments:
            return 0
        score = 3 * developments + 2 * (KEY_HIGHLIGHTS in headings) + 2 * ("our-views" in headings)
        return score + sum(opens_with_date(p) for p in newsletter.paragraphs) / 2

    def parse(self, newsletter):
        issue = self.new_issue()
        section, summary, items, source_urls = None, [], [], []
        for paragraph in newsletter.paragraphs:
            source = SOURCE_LINE.match(paragraph)
            if source:
                source_urls.append(source.group(1))
                continue
            if is_boilerplate(paragraph):
                break
            if issue.issued_on is None and section is None:
                phrase = ISSUE_PHRASE.search(paragraph)
                stated = issue_date_in(phrase.group(0)) if phrase else None
                if stated:
                    issue.issued_on = stated
            slug = newsletter.vocabulary.match(paragraph)
            if slug:
                section = slug
                continue
            if section is None or is_noise(paragraph):
                continue  # the introduction
            if section == KEY_HIGHLIGHTS:
                summary.append(paragraph.strip())
            elif section == "our-views":
                items.append(ParsedItem(section=section, headline=title_case(strip_markup(paragraph)), body=paragraph))
            elif opens_with_date(paragraph) or not items or items[-1].section != section:
                if not opens_with_date(paragraph):
                    issue.warnings.append(f"A paragraph opens no dated item: “{paragraph[:60]}…”; imported as one.")
                items.append(ParsedItem(section=section, body=paragraph))
            else:
                # A paragraph without a date of its own goes on with the item before it.
                previous = items[-1]
                if re.search(r"[.。!?]$", previous.body):
                    previous.body = f"{previous.body}\n\n{paragraph}"
                else:
                    previous.body = join_lines(previous.body, paragraph)
        issue.summary = "\n\n".join(summary)
        for item in items:
            if not item.headline:
                item.headline, item.headline_generated = headline_from_body(item.body, newsletter.short_names), True
        issue.items = items
        news = [item for item in items if item.section != "our-views"]
        for url in source_urls:
            target = news[0] if news else (items[0] if items else None)
            if target:
                target.sources.append(ParsedSource(url=url))
        if issue.issued_on is None:
            issue.issued_on = infer_issue_month([item.body for item in news], self.month_offset)
            if issue.issued_on:
                issue.warnings.append(
                    f"{INFERRED_DATE_WARNING}: {issue.issued_on} was inferred as the month after "
                    "the events it reports (the update's habit); check it."
                )
        return finish_items(issue, newsletter)
