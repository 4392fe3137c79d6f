"""What a newsletter parser hands to the import service: plain data, no database rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class PreciseDate:
    """A date and how precisely the text gives it (day, month or year)."""

    value: datetime.date
    precision: str = "day"
    phrase: str = ""

    def __str__(self):
        if self.precision == "year":
            return f"{self.value:%Y}"
        if self.precision == "month":
            return f"{self.value:%B %Y}"
        return f"{self.value:%B} {self.value.day}, {self.value:%Y}"


@dataclass
class ParsedSource:
    url: str
    footnote: int | None = None


@dataclass
class ParsedAction:
    """An enforcement action as one sentence of an item reports it."""

    action_type: str
    sentence: str
    target: str = ""
    target_count: int | None = None
    fine_amount: Decimal | None = None
    damages_amount: Decimal | None = None
    currency: str = ""
    decided_on: PreciseDate | None = None
    prison_sentence: str = ""


@dataclass
class InstrumentMention:
    """A title the text marks as a normative text (italics, quotes, 《》) or names in capitals."""

    title: str
    how: str  # "italics", "quotes", "book-title marks", "capitalised title"
    comment_deadline: PreciseDate | None = None
    effective_on: PreciseDate | None = None


@dataclass
class ParsedItem:
    section: str  # a Section slug
    headline: str = ""
    headline_zh: str = ""
    body: str = ""
    body_zh: str = ""
    headline_generated: bool = False
    event_date: PreciseDate | None = None
    footnotes: list[int] = field(default_factory=list)
    sources: list[ParsedSource] = field(default_factory=list)
    # Filled by the service from the landscape: kept here so the report can show them.
    actions: list[ParsedAction] = field(default_factory=list)
    instrument_mentions: list[InstrumentMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedIssue:
    format_name: str  # machine name of the detected format
    format_label: str  # what the editor reads
    series: str  # the Series slug this format belongs to
    number: int | None = None
    edition_number: int | None = None
    title: str = ""
    issued_on: PreciseDate | None = None
    summary: str = ""
    # What the issue covers: "span" (its first to last event), "month" (its own month) or
    # "previous-month" (a monthly update dated the month after its events).
    period: str = "span"
    items: list[ParsedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
