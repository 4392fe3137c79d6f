"""What every newsletter format shares: the document, its masthead, and finishing the items."""

import calendar
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from items.importers import dates
from items.importers.paragraphs import first_sentence, is_chinese, split_paragraphs, strip_more_marker
from items.importers.parsed import ParsedIssue, PreciseDate
from items.importers.sections import SectionVocabulary


@dataclass
class Newsletter:
    """The text being imported, split once, with what the parsers may look up."""

    text: str
    vocabulary: SectionVocabulary = field(default_factory=SectionVocabulary)
    # Long names → the short names readers know ("National Computer Virus … Center" → "CVERC"),
    # used only to shorten generated headlines.
    short_names: dict = field(default_factory=dict)
    # The issue date the editor gives when the text does not print one (or prints it wrongly).
    issued_on: PreciseDate | None = None

    def __post_init__(self):
        self.paragraphs = split_paragraphs(self.text)


class NewsletterFormat:
    """One newsletter format: how to recognise it and how to read it."""

    name = ""
    label = ""
    series = ""
    period = "span"

    def score(self, newsletter):
        """How strongly the text looks like this format: 0 when it does not at all."""
        raise NotImplementedError

    def parse(self, newsletter):
        """A ParsedIssue with the items, in order, and warnings about what was unsure."""
        raise NotImplementedError

    def new_issue(self):
        return ParsedIssue(format_name=self.name, format_label=self.label, series=self.series, period=self.period)


NUMBER = re.compile(r"\bNo\.?\s*(\d{1,4})\b|第\s*(\d{1,4})\s*期")
TITLE_WORDS = re.compile(
    r"\b(?:Review|Newsletter|Update|Digest|Bulletin|Round-?up|Weekly|Monthly|Briefing|Report)\b|周报|月报|简报",
    re.IGNORECASE,
)
ISSUE_DATE_PATTERNS = [
    (re.compile(r"(?<![\d.])((?:19|20)\d{2})[.\-/年]\s*(\d{1,2})[.\-/月]\s*(\d{1,2})日?(?![\d.])"), "day"),
    (re.compile(r"(?<![\d.])((?:19|20)\d{2})[.\-/年]\s*(\d{1,2})月?(?![\d.])"), "month"),
    (re.compile(rf"\b({dates.MONTH})\s+((?:19|20)\d{{2}})\b"), "month-name"),
]


@dataclass
class Masthead:
    edition_number: int | None = None
    number: int | None = None
    title: str = ""
    issued_on: PreciseDate | None = None


def read_masthead(paragraphs):
    """Edition number, issue number, title and date from the paragraphs before the first section.

    Lifang prints the firm-wide edition ("No.229") before the title and the series number in or
    after it ("… Review No.51"); a lone number is taken as the series number.
    """
    masthead = Masthead()
    standalone = []  # (index, number) of paragraphs that are only "No.N"
    title_index = None
    title_number = None
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.replace("**", "").strip()
        numbers = [int(a or b) for a, b in NUMBER.findall(text)]
        if numbers and len(text) <= 12:
            standalone.append((index, numbers[0]))
        elif (
            title_index is None
            and TITLE_WORDS.search(text)
            and not is_chinese(text)
            and len(text.split()) >= 3
            and not text.lower().startswith(("by ", "this newsletter"))
        ):
            title_index = index
            masthead.title = NUMBER.sub("", text).strip(" -–:")
            title_number = numbers[0] if numbers else None
        if masthead.issued_on is None:
            masthead.issued_on = issue_date_in(text)
    if title_number is not None:
        masthead.number = title_number
        before = [number for index, number in standalone if title_index is None or index < title_index]
        masthead.edition_number = before[0] if before else None
    elif len(standalone) >= 2:
        masthead.edition_number, masthead.number = standalone[0][1], standalone[-1][1]
    elif standalone:
        masthead.number = standalone[0][1]
    return masthead


def issue_date_in(text):
    """The date an issue carries ("2021.04", "2021.04.16", "April 2021", "2021年4月"), if this text is one."""
    if len(text) > 60:
        return None
    for pattern, kind in ISSUE_DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "month-name":
            month, year = dates.month_number(match.group(1)), int(match.group(2))
            return PreciseDate(datetime.date(year, month, 1), "month", match.group(0))
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            continue
        if kind == "day":
            day = int(match.group(3))
            try:
                return PreciseDate(datetime.date(year, month, day), "day", match.group(0))
            except ValueError:
                continue
        return PreciseDate(datetime.date(year, month, 1), "month", match.group(0))
    return None


def infer_issue_month(texts, month_offset=0):
    """The issue's month when the text does not print it, read from the items' own dates.

    Dates that state their year ("April 20, 2022") vote for their month. When no item states a
    year, the items' commonest month is placed in the year that puts it nearest the dates
    elsewhere in the text that do state one ("come into effect on January 1, 2022").
    `month_offset` is the format's habit: a monthly update dated the month after its events.
    Returns a PreciseDate with month precision, or None.
    """
    full_votes, month_votes, stated = Counter(), Counter(), []
    for position, text in enumerate(texts):
        mentions = dates.find_dates(text)
        for rank, mention in enumerate(mentions):
            if mention.year and mention.month:
                stated.append((mention.year, mention.month))
            if rank == 0 and position >= 0 and mention.month:
                if mention.year:
                    full_votes[(mention.year, mention.month)] += 1
                month_votes[mention.month] += 1
    if full_votes:
        (year, month), _count = full_votes.most_common(1)[0]
    elif month_votes and stated:
        month = month_votes.most_common(1)[0][0]
        years = {year for year, _month in stated}
        candidates = {year + delta for year in years for delta in (-1, 0, 1)}

        def distance(year):
            return sum(abs((year * 12 + month) - (y * 12 + m)) for y, m in stated)

        year = min(sorted(candidates), key=distance)
    else:
        return None
    month += month_offset
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return PreciseDate(datetime.date(year, month, 1), "month", "inferred from the items' dates")


INFERRED_DATE_WARNING = "The text does not print its date"


def date_reference(issued_on):
    """The date item phrases without a year are read against: the end of the issue's period."""
    if issued_on is None:
        return None
    if issued_on.precision == "month":
        value = issued_on.value
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if issued_on.precision == "year":
        return issued_on.value.replace(month=12, day=31)
    return issued_on.value


def finish_items(issue, newsletter):
    """Event dates, resolved against the issue date, and a warning for each item without one."""
    if newsletter.issued_on:
        issue.issued_on = newsletter.issued_on
        issue.warnings = [w for w in issue.warnings if not w.startswith(INFERRED_DATE_WARNING)]
    reference = date_reference(issue.issued_on)
    for position, item in enumerate(issue.items, 1):
        if item.section == "our-views":
            continue  # the firm's articles: titles, not events
        for text in (item.body, item.body_zh):
            if text and item.event_date is None:
                item.event_date = dates.event_date(first_sentence(strip_more_marker(text)[0]), reference)
        if item.event_date is None:
            item.warnings.append(f"Item {position}: no date in its first sentence; event date left empty.")
    return issue
