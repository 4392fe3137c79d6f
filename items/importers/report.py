"""What an import recognised and what it was unsure of: one object, shown by the command and the admin."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ItemReport:
    position: int
    section: str
    headline: str
    headline_generated: bool = False
    headline_zh: str = ""
    event_date: str = ""
    regulators: list = field(default_factory=list)
    instruments: list = field(default_factory=list)
    new_instruments: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


@dataclass
class ProposedRegulator:
    name: str
    abbreviation: str = ""
    items: list = field(default_factory=list)


@dataclass
class NewInstrument:
    title: str
    how: str
    items: list = field(default_factory=list)
    comment_deadline: str = ""
    effective_on: str = ""


@dataclass
class ImportReport:
    dry_run: bool = False
    format_label: str = ""
    series: str = ""
    series_created: bool = False
    number: int | None = None
    edition_number: int | None = None
    title: str = ""
    issued_on: str = ""
    issue_id: int | None = None
    outcome: str = ""  # "created", "replaced", with dry runs saying "would"
    replaced_items: int = 0
    summary_paragraphs: int = 0
    items: list = field(default_factory=list)
    items_done: int = 0
    regulators_matched: Counter = field(default_factory=Counter)
    regulators_proposed: list = field(default_factory=list)
    instruments_matched: Counter = field(default_factory=Counter)
    instruments_new: list = field(default_factory=list)
    instrument_updates: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def sections(self):
        """(section, number of items) in the order the issue presents them."""
        counts = Counter(item.section for item in self.items)
        order = list(dict.fromkeys(item.section for item in self.items))
        return [(section, counts[section]) for section in order]

    @property
    def dates_resolved(self):
        return sum(bool(item.event_date) for item in self.items)

    @property
    def actions_found(self):
        return sum(len(item.actions) for item in self.items)

    @property
    def headlines_generated(self):
        return sum(item.headline_generated for item in self.items)

    @property
    def headline(self):
        verb = {"created": "Created", "replaced": "Replaced"}.get(self.outcome, self.outcome)
        if self.dry_run:
            verb = {"created": "Would create", "replaced": "Would replace"}.get(self.outcome, self.outcome)
        what = "draft issue" if self.outcome == "created" else "the draft issue"
        return f"{verb} {what} “{self.title}” ({self.series} No.{self.number}, {self.issued_on})"

    def lines(self, verbosity=1):
        """The report as text lines; verbosity 2 adds every item."""
        lines = [self.headline + (" — dry run, nothing saved." if self.dry_run else ".")]
        lines.append(f"Format: {self.format_label}.")
        if self.series_created:
            lines.append(f"Series “{self.series}” did not exist and was created.")
        if self.edition_number:
            lines.append(f"Edition number: {self.edition_number}.")
        if self.replaced_items:
            lines.append(f"The draft's {self.replaced_items} earlier items were replaced.")
        lines.append(
            f"Items: {self.items_done} of {len(self.items)} imported; "
            + ", ".join(f"{section}: {count}" for section, count in self.sections)
            + "."
        )
        if self.summary_paragraphs:
            lines.append(f"Summary: {self.summary_paragraphs} paragraphs of key highlights.")
        lines.append(f"Event dates resolved: {self.dates_resolved} of {len(self.items)}.")
        if self.headlines_generated:
            lines.append(f"Headlines written from the first sentence (check them): {self.headlines_generated}.")
        lines.append(
            f"Regulators matched: {len(self.regulators_matched)}"
            + (" (" + ", ".join(sorted(self.regulators_matched)) + ")" if self.regulators_matched else "")
            + "."
        )
        if self.regulators_proposed:
            lines.append(f"Regulators proposed (not in the landscape, not created): {len(self.regulators_proposed)}")
            lines.extend(
                f"  - {p.name}" + (f" ({p.abbreviation})" if p.abbreviation else "") + f" — items {_positions(p.items)}"
                for p in self.regulators_proposed
            )
        lines.append(f"Instruments matched: {len(self.instruments_matched)}.")
        if self.instruments_new:
            lines.append(f"Instruments new (not in the landscape, not created): {len(self.instruments_new)}")
            for instrument in self.instruments_new:
                dates = "; ".join(
                    part
                    for part in (
                        f"comment deadline {instrument.comment_deadline}" if instrument.comment_deadline else "",
                        f"effective {instrument.effective_on}" if instrument.effective_on else "",
                    )
                    if part
                )
                lines.append(
                    f"  - {instrument.title} [{instrument.how}] — items {_positions(instrument.items)}"
                    + (f"; {dates}" if dates else "")
                )
        lines.extend(f"Instrument updated: {update}" for update in self.instrument_updates)
        lines.append(f"Enforcement actions found: {self.actions_found}.")
        if verbosity >= 2:
            for item in self.items:
                lines.append(
                    f"  {item.position:>2}. [{item.section}] {item.headline}"
                    + (" (headline written by the importer)" if item.headline_generated else "")
                )
                details = [
                    f"date {item.event_date}" if item.event_date else "no date",
                    f"regulators: {', '.join(item.regulators)}" if item.regulators else "",
                    f"instruments: {', '.join(item.instruments)}" if item.instruments else "",
                    f"sources: {', '.join(item.sources)}" if item.sources else "",
                ]
                lines.append("      " + "; ".join(detail for detail in details if detail))
                lines.extend(f"      action: {action}" for action in item.actions)
        warnings = self.warnings + [w for item in self.items for w in item.warnings]
        if warnings:
            lines.append(f"Unsure ({len(warnings)}):")
            lines.extend(f"  ! {warning}" for warning in warnings)
        return lines

    @property
    def all_warnings(self):
        return self.warnings + [w for item in self.items for w in item.warnings]


def _positions(positions):
    return ", ".join(str(position) for position in positions)
