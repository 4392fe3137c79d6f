"""Lifang & Partners' monthly round-up.

Shape: items one after another, each a headline and a paragraph that ends in a footnote number
("… of Shanghai. 1"); the footnotes are listed at the end as "1 https://…". Few headings (e.g.
"Courts Litigation"); items before the first heading are domestic news. Extraction may glue a
headline after the footnote number of its own paragraph ("… the scope. 8CVERC Identifies …").
The masthead rarely states the month: it is then read from the items' dates.
"""

import re
from dataclasses import dataclass, field

from items.importers.base import INFERRED_DATE_WARNING, NewsletterFormat, finish_items, infer_issue_month, read_masthead
from items.importers.headlines import headline_from_body
from items.importers.paragraphs import (
    ends_sentence,
    is_boilerplate,
    is_noise,
    join_lines,
    looks_like_headline,
    strip_markup,
)
from items.importers.parsed import ParsedItem, ParsedSource

FOOTNOTE_LINE = re.compile(r"(?:^|\s)\[?(\d{1,3})\]?[.)]?\s+(https?://\S+)")
FOOTNOTE_LIST = re.compile(r"^(?:\s*\[?\d{1,3}\]?[.)]?\s+https?://\S+)+\s*$")
# A footnote number straight after the end of a sentence: "… Shanghai. 1", "… infringing.18".
FOOTNOTE_AFTER = re.compile(r"(?<=[.。!?！？\"”’)）\]])\s?(\d{1,3})(?!\d)")


@dataclass
class Draft:
    headline: str = ""
    paragraphs: list = field(default_factory=list)
    footnotes: list = field(default_factory=list)
    section: str = "domestic-news"

    @property
    def done(self):
        return bool(self.footnotes)


def read_footnote_list(paragraphs):
    """{number: url} from the list at the end, and the index where the list starts."""
    sources, start = {}, None
    for index, paragraph in enumerate(paragraphs):
        if FOOTNOTE_LIST.match(paragraph):
            start = index if start is None else start
            for number, url in FOOTNOTE_LINE.findall(paragraph):
                sources[int(number)] = url.rstrip(".,;)")
    return sources, start


class FootnoteReader:
    """Finds footnote numbers in body text, trusting a number only where the list has it."""

    def __init__(self, listed):
        self.listed = listed
        self.expected = min(listed) if listed else 1

    def plausible(self, number):
        if self.listed:
            return number in self.listed and number >= self.expected - 1
        return self.expected <= number <= self.expected + 2

    def split(self, paragraph):
        """(text without footnote numbers, [numbers], text glued after the last number)."""
        numbers, glued = [], ""
        matches = [m for m in FOOTNOTE_AFTER.finditer(paragraph) if self.plausible(int(m.group(1)))]
        end_match = None
        for match in reversed(matches):
            rest = paragraph[match.end() :].strip()
            if not rest or (looks_like_headline(rest) and not rest[:1].islower()):
                end_match, glued = match, rest
                break
        if end_match is None:
            return paragraph, [], ""
        text = paragraph[: end_match.start()]
        # Earlier numbers that continue the sequence inside the paragraph: "…released.3 The …".
        for match in matches:
            if match.start() < end_match.start() and int(match.group(1)) == self.expected:
                numbers.append(self.expected)
                self.expected += 1
        for number in numbers:
            text = re.sub(rf"(?<=[.。!?！？\"”’)）\]])\s?{number}(?=\s)", "", text, count=1)
        number = int(end_match.group(1))
        numbers.append(number)
        self.expected = number + 1
        return text.rstrip(), numbers, glued


class LifangMonthly(NewsletterFormat):
    name = "lifang-monthly"
    label = "Lifang & Partners monthly round-up"
    series = "monthly-roundup"
    period = "month"

    def score(self, newsletter):
        listed, _start = read_footnote_list(newsletter.paragraphs)
        if len(listed) < 2:
            return 0
        ending = sum(bool(FOOTNOTE_AFTER.search(p[-6:])) for p in newsletter.paragraphs)
        return 2 * len(listed) + ending

    def parse(self, newsletter):
        issue = self.new_issue()
        paragraphs = newsletter.paragraphs
        listed, list_start = read_footnote_list(paragraphs)
        content = paragraphs[:list_start] if list_start is not None else paragraphs
        drafts = self.read_drafts(content, newsletter, FootnoteReader(listed), issue.warnings)
        masthead = read_masthead(paragraphs[: min(6, len(paragraphs))])
        issue.issued_on = masthead.issued_on
        if masthead.number and masthead.issued_on:
            issue.number = masthead.number
        if issue.issued_on is None:
            issue.issued_on = infer_issue_month([" ".join(d.paragraphs) for d in drafts])
            if issue.issued_on:
                issue.warnings.append(f"{INFERRED_DATE_WARNING}: {issue.issued_on} was inferred from the items' dates.")
        used = set()
        for draft in drafts:
            item = ParsedItem(section=draft.section, headline=strip_markup(draft.headline))
            item.body = "\n\n".join(draft.paragraphs)
            item.footnotes = draft.footnotes
            for number in draft.footnotes:
                used.add(number)
                if number in listed:
                    item.sources.append(ParsedSource(url=listed[number], footnote=number))
                else:
                    item.warnings.append(f"Footnote {number} is not in the list of sources.")
            if not item.headline:
                item.headline, item.headline_generated = headline_from_body(item.body, newsletter.short_names), True
            issue.items.append(item)
        unused = sorted(set(listed) - used)
        if unused:
            issue.warnings.append(f"Sources listed but cited by no item: footnotes {', '.join(map(str, unused))}.")
        return finish_items(issue, newsletter)

    def read_drafts(self, content, newsletter, footnotes, warnings):
        drafts, section, current = [], "domestic-news", None
        for paragraph in content:
            if is_boilerplate(paragraph):
                break
            if paragraph.isdigit() and current and current.paragraphs and not current.done:
                if footnotes.plausible(int(paragraph)):  # a footnote number extraction set apart
                    current.footnotes.append(int(paragraph))
                    footnotes.expected = int(paragraph) + 1
                continue
            if is_noise(paragraph):
                continue
            slug = newsletter.vocabulary.match(paragraph)
            if slug:
                section, current = slug, None
                continue
            text, numbers, glued = footnotes.split(paragraph)
            if not numbers and looks_like_headline(paragraph):
                if current and current.headline and not current.paragraphs:
                    warnings.append(f"Two headlines in a row were read as one: “{current.headline[:50]}…”.")
                    current.headline = join_lines(current.headline, paragraph)
                else:
                    current = Draft(headline=paragraph, section=section)
                    drafts.append(current)
                continue
            if current is None or current.done:
                current = Draft(section=section)
                drafts.append(current)
            if current.paragraphs and not ends_sentence(current.paragraphs[-1]):
                current.paragraphs[-1] = join_lines(current.paragraphs[-1], text)  # cut by a page break
            else:
                current.paragraphs.append(text)
            current.footnotes.extend(numbers)
            if glued:
                if not current.headline:
                    current.headline = glued  # extraction put the item's own headline after its footnote
                else:
                    current = Draft(headline=glued, section=section)
                    drafts.append(current)
        for draft in drafts:
            if draft.paragraphs and not draft.footnotes:
                warnings.append(f"“{(draft.headline or draft.paragraphs[0])[:50]}…” cites no footnote.")
        return [draft for draft in drafts if draft.paragraphs or draft.headline]
