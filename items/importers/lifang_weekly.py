"""Lifang & Partners' "Weekly Cybersecurity and Data Protection Review".

Shape: a masthead ("No.229", "2021.04", "Weekly … Review No.51"), a table of contents (the
section headings with their headlines), then the same sections again with each item as a
headline followed by one paragraph that ends in "(More)". Page breaks may cut a paragraph in
two; the footer is a disclaimer.
"""

import difflib
import re
from dataclasses import dataclass, field

from items.importers.base import NewsletterFormat, finish_items, read_masthead
from items.importers.headlines import headline_from_body
from items.importers.paragraphs import (
    ends_sentence,
    has_more_marker,
    is_boilerplate,
    is_chinese,
    is_noise,
    join_lines,
    looks_like_headline,
    strip_markup,
    strip_more_marker,
)
from items.importers.parsed import ParsedItem


@dataclass
class Unit:
    """A headline and the paragraphs under it, in one language."""

    section: str
    headline: str = ""
    paragraphs: list = field(default_factory=list)
    closed: bool = False  # its last paragraph ended in "(More)": nothing more belongs to it

    @property
    def complete(self):
        return self.closed or (bool(self.paragraphs) and ends_sentence(self.paragraphs[-1]))

    @property
    def chinese(self):
        return is_chinese(self.headline or (self.paragraphs[0] if self.paragraphs else ""))

    @property
    def body(self):
        return "\n\n".join(strip_more_marker(paragraph)[0] for paragraph in self.paragraphs)


def headline_key(text):
    text = strip_markup(text).casefold()
    return " ".join(re.sub(r"[^\w\u4e00-\u9fff]+", " ", text).split())


class TableOfContents:
    """The headlines the contents list promises, to tell headlines from prose and count items."""

    def __init__(self, headlines=()):
        self.keys = [headline_key(headline) for headline in headlines]

    def __len__(self):
        return len(self.keys)

    def lists(self, paragraph):
        key = headline_key(paragraph)
        if not key or not self.keys:
            return False
        if key in self.keys:
            return True
        # Extraction damage ("Projects3"): a near-identical entry still counts.
        return any(difflib.SequenceMatcher(None, key, listed).ratio() > 0.93 for listed in self.keys)


def split_contents(paragraphs, vocabulary):
    """(masthead, contents, body) paragraphs: the contents run from the first heading until it recurs."""
    first = next((i for i, p in enumerate(paragraphs) if vocabulary.match(p)), None)
    if first is None:
        return paragraphs[:0], [], paragraphs
    first_slug = vocabulary.match(paragraphs[first])
    again = next((i for i in range(first + 1, len(paragraphs)) if vocabulary.match(paragraphs[i]) == first_slug), None)
    if again is None:
        return paragraphs[:first], [], paragraphs[first:]
    contents = paragraphs[first:again]
    if not all(vocabulary.match(p) or looks_like_headline(p) for p in contents):
        return paragraphs[:first], [], paragraphs[first:]
    return paragraphs[:first], contents, paragraphs[again:]


def read_units(paragraphs, vocabulary, contents, default_section, warnings):
    """Headline-and-paragraph units, in order, with paragraphs cut by page breaks put back together."""
    units = []
    section = default_section
    current = None
    for paragraph in paragraphs:
        if is_boilerplate(paragraph):
            break
        if is_noise(paragraph):
            continue
        slug = vocabulary.match(paragraph)
        if slug:
            section, current = slug, None
            continue
        listed = contents.lists(paragraph)
        if current and current.paragraphs and not current.complete and not listed:
            # The rest of a paragraph that a page break cut off.
            current.paragraphs[-1] = join_lines(current.paragraphs[-1], paragraph)
            current.closed = has_more_marker(paragraph)
            continue
        starts_unit = listed or (looks_like_headline(paragraph) and (current is None or current.paragraphs))
        if starts_unit:
            current = Unit(section=section, headline=paragraph)
            units.append(current)
            continue
        if current is None or current.closed:
            current = Unit(section=section)
            units.append(current)
            warnings.append(f"A paragraph has no headline above it: “{strip_markup(paragraph)[:60]}…”")
        current.paragraphs.append(paragraph)
        current.closed = has_more_marker(paragraph)
    return units


class LifangWeekly(NewsletterFormat):
    name = "lifang-weekly"
    label = "Lifang & Partners weekly review"
    series = "weekly-review"
    period = "span"

    def score(self, newsletter):
        paragraphs = newsletter.paragraphs
        headings = [newsletter.vocabulary.match(p) for p in paragraphs]
        news_headings = sum(slug in ("domestic-news", "overseas-news") for slug in headings)
        more = sum(has_more_marker(p) for p in paragraphs)
        chinese = sum(is_chinese(p) for p in paragraphs)
        if chinese > len(paragraphs) / 5:
            return 0
        masthead = " ".join(paragraphs[:12])
        score = 2 * news_headings + more
        if re.search(r"\bReview\b.*\bNo\.?\s*\d", masthead) or "Lifang" in masthead:
            score += 3
        return score if (news_headings or more) else 0

    def parse(self, newsletter):
        issue = self.new_issue()
        head, contents, body = split_contents(newsletter.paragraphs, newsletter.vocabulary)
        masthead = read_masthead(head or newsletter.paragraphs[:10])
        issue.number, issue.edition_number, issue.issued_on = (
            masthead.number,
            masthead.edition_number,
            masthead.issued_on,
        )
        issue.title = masthead.title
        toc = TableOfContents([p for p in contents if not newsletter.vocabulary.match(p)])
        units = read_units(body, newsletter.vocabulary, toc, "domestic-news", issue.warnings)
        self.build_items(issue, units, newsletter.short_names)
        if len(toc) and len(toc) != self.expected_entries(issue):
            issue.warnings.append(
                f"The table of contents lists {len(toc)} headlines but {len(issue.items)} items were read."
            )
        return finish_items(issue, newsletter)

    def expected_entries(self, issue):
        return len(issue.items)

    def build_items(self, issue, units, short_names=None):
        for unit in units:
            item = ParsedItem(section=unit.section, headline=strip_markup(unit.headline), body=unit.body)
            if not unit.headline:
                item.headline, item.headline_generated = headline_from_body(item.body, short_names), True
            if not unit.paragraphs:
                issue.warnings.append(f"“{item.headline[:60]}” has no text under it.")
            issue.items.append(item)
