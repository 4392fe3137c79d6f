"""Date phrases in newsletter text: "On April 7", "April 7, 2021", "13 April 2021",
"Since November", "in July this year", "2021年1月15日", resolved against the issue's date.

A phrase without a year takes the year that puts it nearest the reference date: an event
reported in a January issue as "December 28" happened the year before; a comment deadline
"January 19" stated in December falls in the next year.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from items.importers.parsed import PreciseDate

MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_NUMBERS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTH_NUMBERS["sept"] = 9
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # noqa: E501
YEAR = r"(?:19|20)\d{2}"
DAY = r"\d{1,2}(?:st|nd|rd|th)?(?![\d,.]\d)"
RELATIVE_YEAR = r"(?:\s+(?P<relative>this|next|last)\s+year)?"

# The second and further days of a phrase: "November 24 and 30", "April 14 and April 15".
MORE_DAYS = rf"(?P<more>(?:\s*(?:,|and|&|-|–|to)\s*(?:{MONTH}\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?!\d))+)?"
PATTERNS = [
    (
        "mdy",
        re.compile(rf"\b(?P<month>{MONTH})\s+(?P<day>{DAY}){MORE_DAYS}(?:,?\s+(?P<year>{YEAR})\b)?{RELATIVE_YEAR}"),
    ),
    ("dmy", re.compile(rf"\b(?P<day>{DAY})\s+(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR}))?\b{RELATIVE_YEAR}")),
    ("zh", re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日)?")),
    ("iso", re.compile(rf"\b(?P<year>{YEAR})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}})\b")),
    ("my", re.compile(rf"\b(?P<month>{MONTH}),?\s+(?P<year>{YEAR})\b")),
    # A bare month needs a preposition before it, so that "may" the verb is never a month.
    (
        "m",
        re.compile(
            rf"\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]ill|[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]nd\s+of)\s+"
            rf"(?P<month>{MONTH})(?![\w-]){RELATIVE_YEAR}"
        ),
    ),
    ("y", re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Ff]or)\s+(?:the\s+year\s+)?(?P<year>{YEAR})\b(?![-–/]\d)")),
]


@dataclass
class DateMention:
    start: int
    end: int
    phrase: str
    year: int | None
    month: int | None
    day: int | None
    relative: str = ""
    extra_days: tuple = ()

    @property
    def precision(self):
        if self.day and not self.extra_days:
            return "day"
        return "month" if self.month else "year"


def month_number(name):
    return MONTH_NUMBERS.get(name.lower().rstrip("."))


def find_dates(text):
    """Every date phrase in the text, in order; where two patterns overlap the longer wins."""
    found = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = groups.get("month")
            month = (int(month) if month.isdigit() else month_number(month)) if month else None
            year = int(groups["year"]) if groups.get("year") else None
            day = int(re.sub(r"\D", "", groups["day"])) if groups.get("day") else None
            if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
                continue
            if kind == "zh" and year is None and day is None:
                continue  # "5月" alone is too weak a signal in Chinese prose
            extra = ()
            if groups.get("more"):
                extra = tuple(
                    (month_number(m) if m else month, int(d))
                    for m, d in re.findall(rf"(?:({MONTH})\s+)?(\d{{1,2}})(?:st|nd|rd|th)?", groups["more"])
                )
                if any(not 1 <= d <= 31 or m is None for m, d in extra):
                    extra = ()
            start, end = match.span()
            if kind == "m":
                start = match.start("month")
            found.append(
                DateMention(start, end, text[start:end], year, month, day, groups.get("relative") or "", extra)
            )
    found.sort(key=lambda mention: (mention.start, -(mention.end - mention.start)))
    kept = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def safe_date(year, month, day):
    day = min(day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def resolve(mention, reference, direction="past"):
    """The PreciseDate a mention stands for, given the date it is read against.

    `direction` says which way an unstated year leans: "past" for events (they happened before
    the issue was written), "future" for deadlines and effective dates.
    A phrase read against a reference at the edge of the calendar (an issue dated 9999-12-31)
    may name a year Python cannot hold: it stays unresolved, like a phrase with no reference.
    """
    try:
        return resolve_within_calendar(mention, reference, direction)
    except (ValueError, OverflowError):
        return None


def resolve_within_calendar(mention, reference, direction):
    if mention.month is None and mention.year is None:
        return None
    year = mention.year
    if year is None:
        if reference is None:
            return None
        year = reference.year + {"this": 0, "next": 1, "last": -1}.get(mention.relative, 0)
        if not mention.relative:
            candidate = safe_date(year, mention.month, mention.day or 1)
            if direction == "past" and candidate > reference + datetime.timedelta(days=92):
                year -= 1
            elif direction == "future" and candidate < reference - datetime.timedelta(days=92):
                year += 1
    month = mention.month or 1
    precision = mention.precision
    day = mention.day if precision == "day" else 1
    return PreciseDate(safe_date(year, month, day), precision, mention.phrase)


def resolve_all_days(mention, reference, direction="past"):
    """Each day a phrase like "April 14 and April 15" names, as day-precise dates."""
    first = resolve(mention, reference, direction)
    if first is None or not mention.day:
        return [first] if first else []
    dates = [PreciseDate(safe_date(first.value.year, first.value.month, mention.day), "day", mention.phrase)]
    for month, day in mention.extra_days:
        dates.append(PreciseDate(safe_date(first.value.year, month, day), "day", mention.phrase))
    return dates


def event_date(text, reference):
    """When an item's event happened: the first date phrase of its first sentence.

    A yearly statistic ("in 2020") is used only when the sentence gives nothing finer.
    """
    mentions = [mention for mention in find_dates(text) if mention.month or mention.year]
    if not mentions:
        return None
    precise = [mention for mention in mentions if mention.month]
    chosen = precise[0] if precise else mentions[0]
    return resolve(chosen, reference, "past")


DEADLINE = re.compile(
    r"(?:deadline|截止(?:日期|时间)?|(?:comments?|opinions?|advice|feedback)\s+(?:\w+\s+){0,4}?(?:by|before|until)\b"
    r"|(?:solicit|seek|sought|invite)\w*\s+(?:\w+\s+){0,8}?(?:by|before|until)\b)",
    re.IGNORECASE,
)
EFFECTIVE = re.compile(
    r"(?:come|comes|came|coming)\s+in(?:to)?\s+(?:effect|force)|take[sn]?\s+effect|took\s+effect|effective\s+(?:from|on|as\s+of)"
    r"|enter(?:s|ed)?\s+into\s+force|起施行|起生效|正式施行",
    re.IGNORECASE,
)


def dates_after_keyword(sentence, keyword, reference, direction="future"):
    """The first date phrase that follows a keyword such as "deadline" or "come into effect"."""
    for keyword_match in keyword.finditer(sentence):
        for mention in find_dates(sentence):
            close_after = keyword_match.start() <= mention.start <= keyword_match.end() + 60
            chinese_before = keyword_match.group(0).startswith("起") and mention.end <= keyword_match.start()
            if close_after or chinese_before:
                resolved = resolve(mention, reference, direction)
                if resolved:
                    return resolved
    return None
