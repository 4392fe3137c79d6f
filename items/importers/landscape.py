"""Finding the regulators, instruments and organisations an item names, among existing rows.

Names are matched case-insensitively as whole words, longest first, so that "Cybersecurity
Administration Bureau of the Ministry of Industry and Information Technology" is the bureau
and not the ministry. A regulator is known by its name (also without "Provincial",
"Municipal"…), abbreviation or Chinese name; an instrument by its title (also without a
trailing "(Draft for Comment)"), short title or Chinese title. Titles the text marks
(italics, quotes, 《》) or writes in capitals with a word such as "Measures" or "Law" and that
match nothing are reported as new; authorities it names that match nothing, as proposed.
"""

import difflib
import re
from dataclasses import dataclass

from items.importers import dates
from items.importers.paragraphs import split_sentences, strip_markup
from items.importers.parsed import InstrumentMention

INSTRUMENT_WORDS = (
    r"Law|Laws|Regulation|Regulations|Measures|Provisions|Rules|Guidelines|Guideline|Guidance|Standard|Standards|"
    r"Specification|Specifications|Requirements|Opinions|Notice|Circular|Plan|Outline|Convention|Commitment|Code|"
    r"Decision|Directive|Act|Methods|Interpretation|Catalogue|Catalog|Framework|Procedures|Policy|Strategy|Cases"
)
AUTHORITY_WORDS = (
    r"Administration|Commission|Ministry|Bureau|Court|Procuratorate|Committee|Council|Authority|Agency|Office|"
    r"Center|Centre|Association|Department|Congress|Board|Regulator|Government|Tribunal|Parliament|Inspectorate|"
    r"Supervisor|Commissioner|Police"
)
CHINESE_INSTRUMENT = re.compile(r"(?:法|条例|办法|规定|规则|指南|标准|要求|意见|通知|公约|细则|规范|决定|方案|纲要)$")
SMALL = r"(?:of|on|for|the|and|in|to|by|with|from|at|against|over|under|its|a|an)"
CAPITALISED = r"(?:[A-Z][\w'’\-]*|\d+(?:st|nd|rd|th)?|\(\d{4}\s*[-–]\s*\d{4}\)|\((?:Trial|Draft[\w ]*|for [\w ]+)\))"
TITLE_PHRASE = re.compile(rf"{CAPITALISED}(?:\s+(?:{SMALL}\s+)*{CAPITALISED})+")
ITALICS = re.compile(r"(?<![*\w])\*(?!\*)(?P<t>[^*\n]+?)(?<![\s*])\*(?![*\w])")
QUOTED = re.compile(r"[“\"](?P<t>[^“”\"]{6,200})[”\"]")
BOOK_TITLE = re.compile(r"《(?P<t>[^《》]{2,120})》")
DEFINITION = re.compile(
    r"(?P<name>(?:[A-Z][\w'’&.\-]*\s+(?:(?:of|for|and|the|on|in)\s+)*){1,12})\(\s*(?:the\s+)?[\"“]?(?:\*\*)?"
    r"(?P<abbr>[A-Z][A-Za-z0-9]{1,11}(?:\s[A-Z][A-Za-z0-9]{1,11})?)(?:\*\*)?[\"”]?\s*\)"
)
LOCAL_WORDS = re.compile(r"\s+(?:Provincial|Municipal|Province|City)\b")
TRAILING_PAREN = re.compile(r"\s*[（(][^()（）]*[)）]\s*$")


def normalise(text):
    text = strip_markup(text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s*[—–]\s*|\s+-\s+", " — ", text)
    return " ".join(text.split())


class NameIndex:
    """Finds any of many names in a text: whole words, case-insensitive, longest first."""

    def __init__(self, names):
        """`names`: (name, key) pairs; a key may have many names."""
        self.keys = {}
        for name, key in names:
            name = normalise(name)
            if len(name) >= 2:
                self.keys.setdefault(name.casefold(), key)
        ordered = sorted(self.keys, key=len, reverse=True)
        pattern = "|".join(re.escape(name) for name in ordered)
        self.pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{pattern})(?![A-Za-z0-9])", re.IGNORECASE) if ordered else None

    def find(self, text):
        """[(key, start, end)] in order of appearance, without overlaps."""
        if self.pattern is None:
            return []
        return [(self.keys[m.group(0).casefold()], m.start(), m.end()) for m in self.pattern.finditer(text)]


@dataclass
class Marked:
    title: str
    how: str
    start: int
    end: int = 0


LEADING_WORDS = re.compile(
    r"^(?:(?:The|A|An|On|In|At|By|For|As|To|From|Under|According|Since|After|Before|Both|the|to|of|and)\s+)+"
)


def marked_titles(text):
    """Titles the text marks as instruments: italics (joined across " — "), quotes, 《》, capitals."""
    plain_positions = []
    merged = re.sub(r"\*\s*[—–-]\s*\*", " — ", text)  # "*Information Security Technology* — *…*"
    for match in ITALICS.finditer(merged):
        plain_positions.append(Marked(match.group("t").strip(), "italics", match.start()))
    plain = normalise(text)
    for match in QUOTED.finditer(text):
        if re.search(rf"\b(?:{INSTRUMENT_WORDS})\b", match.group("t")):
            plain_positions.append(Marked(match.group("t").strip(), "quotes", match.start()))
    for match in BOOK_TITLE.finditer(text):
        plain_positions.append(Marked(match.group("t").strip(), "book-title marks", match.start()))
    for match in TITLE_PHRASE.finditer(plain):
        phrase = LEADING_WORDS.sub("", match.group(0))
        capitalised = [word for word in phrase.split() if word[:1].isupper()]
        if (
            len(capitalised) >= 3
            and re.search(rf"\b(?:{INSTRUMENT_WORDS})\b", phrase)
            and not re.search(rf"\b(?:{AUTHORITY_WORDS})\b", phrase)
            and not phrase.startswith(("Article", "Chapter", "Section"))
        ):
            start = match.start() + len(match.group(0)) - len(phrase)
            plain_positions.append(Marked(phrase, "capitalised title", start, start + len(phrase)))
    return plain_positions


def instrument_like(title):
    words = title.split()
    if CHINESE_INSTRUMENT.search(TRAILING_PAREN.sub("", title)):
        return True
    return len(words) >= 2 and bool(re.search(rf"\b(?:{INSTRUMENT_WORDS})\b", title))


class Landscape:
    """The existing regulators, instruments and organisations, indexed for matching."""

    def __init__(self, regulators, instruments, organisations):
        self.regulators = {regulator.pk: regulator for regulator in regulators}
        self.instruments = {instrument.pk: instrument for instrument in instruments}
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.regulator_index = NameIndex(self.regulator_names())
        self.instrument_index = NameIndex(self.instrument_names())
        self.organisation_index = NameIndex(self.organisation_names())
        self.instrument_titles = {
            normalise(TRAILING_PAREN.sub("", i.title)).casefold(): pk for pk, i in self.instruments.items()
        }

    def regulator_names(self):
        for pk, regulator in self.regulators.items():
            for name in (regulator.name, regulator.abbreviation, regulator.name_zh, *regulator.alias_list):
                if name:
                    yield name, pk
            for variant in (
                LOCAL_WORDS.sub("", regulator.name),
                re.sub(r"\s+the\s+|\s+Municipal\s+", " ", regulator.name),
            ):
                if variant != regulator.name and len(variant.split()) >= 3:
                    yield variant, pk
            # "Shanghai AMR" is also written "Shanghai Municipal AMR".
            words, parts = regulator.name.split(), regulator.abbreviation.split()
            if len(parts) >= 2 and len(words) >= 2 and words[0] == parts[0] and words[1] in {"Municipal", "Provincial"}:
                yield " ".join([parts[0], words[1], *parts[1:]]), pk

    def instrument_names(self):
        for pk, instrument in self.instruments.items():
            for title in (instrument.title, instrument.title_zh, instrument.short_title):
                if title:
                    yield title, pk
                    bare = TRAILING_PAREN.sub("", title)
                    if bare != title and len(bare) >= 6:
                        yield bare, pk

    def organisation_names(self):
        for pk, organisation in self.organisations.items():
            for name in (organisation.name, organisation.name_zh):
                if name:
                    yield name, pk
                    short = re.search(r"\(([^)]+)\)\s*$", name)
                    if short:
                        yield short.group(1), pk
                        yield TRAILING_PAREN.sub("", name), pk

    def short_names(self):
        """{long name (casefolded): abbreviation}, to shorten generated headlines."""
        return {
            regulator.name.casefold(): regulator.abbreviation
            for regulator in self.regulators.values()
            if regulator.abbreviation and len(regulator.abbreviation) < len(regulator.name)
        }

    def regulators_in(self, text):
        """Regulator rows named in the text, in order of first mention."""
        seen = []
        for pk, _start, _end in self.regulator_index.find(normalise(text)):
            if pk not in seen:
                seen.append(pk)
        return [self.regulators[pk] for pk in seen]

    def organisation_in(self, text):
        found = self.organisation_index.find(normalise(text))
        return self.organisations[found[0][0]] if found else None

    def match_instrument_title(self, title):
        """An instrument whose title this marked title is, allowing for extraction typos."""
        key = normalise(TRAILING_PAREN.sub("", title)).casefold()
        found = self.instrument_index.find(normalise(title))
        if found and found[0][1] == 0 and found[0][2] >= len(normalise(title)) - 25:
            return self.instruments[found[0][0]], "exact"
        if key in self.instrument_titles:
            return self.instruments[self.instrument_titles[key]], "exact"
        close = difflib.get_close_matches(key, self.instrument_titles, n=1, cutoff=0.92)
        if close:
            return self.instruments[self.instrument_titles[close[0]]], "close"
        return None, ""

    def read_item(self, headline, body, body_zh, event_date):
        """What one item names: ItemFindings with regulators, instruments and their stated dates."""
        findings = ItemFindings()
        for text in (headline, body, body_zh):
            for regulator in self.regulators_in(text or ""):
                if regulator not in findings.regulators:
                    findings.regulators.append(regulator)
        reference = event_date.value if event_date else None
        for text in (body, body_zh):
            if text:
                self.read_instruments(text, reference, findings)
        findings.proposed = self.proposed_authorities(body or "")
        return findings

    def read_instruments(self, text, reference, findings):
        pending = []  # instruments named since the last stated deadline
        for sentence in split_sentences(text):
            here = []
            plain = normalise(sentence)
            for pk, _start, _end in self.instrument_index.find(plain):
                here.append(("known", self.instruments[pk]))
            for marked in marked_titles(sentence):
                instrument, how = self.match_instrument_title(marked.title)
                if instrument:
                    note = f"“{marked.title}” read as “{instrument.title}” (close spelling)."
                    if how == "close" and note not in findings.notes:
                        findings.notes.append(note)
                    here.append(("known", instrument))
                elif instrument_like(marked.title) and not self.covered(marked, plain):
                    here.append(("new", marked.title, marked.how))
            for entry in here:
                findings.add(entry)
            pending.extend(entry for entry in here if entry not in pending)
            deadline = dates.dates_after_keyword(sentence, dates.DEADLINE, reference, "future")
            if deadline:
                for entry in here or pending or findings.entries[:1]:
                    findings.set_date(entry, "comment_deadline", deadline)
                pending = []
            effective = dates.dates_after_keyword(sentence, dates.EFFECTIVE, reference, "future")
            if effective:
                targets = here or findings.entries[-1:]
                for entry in here if here else targets[:1]:
                    findings.set_date(entry, "effective_on", effective)

    def covered(self, marked, plain_sentence):
        """A marked title that a known instrument's name already accounts for."""
        key = normalise(marked.title).casefold()
        for _pk, start, end in self.instrument_index.find(plain_sentence):
            name = plain_sentence[start:end].casefold()
            if key in name or name in key:
                return True
            if marked.end and marked.start < end and start < marked.end:
                return True  # a capitalised run that overlaps a known title
        return False

    def proposed_authorities(self, text):
        """Authorities the text names that no Regulator row matches: (name, abbreviation)."""
        plain = normalise(text)
        known_spans = [(start, end) for _pk, start, end in self.regulator_index.find(plain)]
        for match in DEFINITION.finditer(plain):
            if self.regulator_index.find(match.group("abbr")):
                known_spans.append(match.span())  # "the Legislative Affairs Commission ("LAC")": known as LAC

        def overlaps(start, end):
            return any(start < known_end and known_start < end for known_start, known_end in known_spans)

        proposed = []
        for match in DEFINITION.finditer(plain):
            name = re.sub(r"^(?:the|The)\s+", "", match.group("name").strip())
            abbreviation = match.group("abbr").strip()
            is_authority = re.search(rf"\b(?:{AUTHORITY_WORDS})\b", name)
            if is_authority and not overlaps(*match.span("name")) and not self.regulator_index.find(abbreviation):
                proposed.append((name, abbreviation))
        for match in TITLE_PHRASE.finditer(plain):
            phrase = LEADING_WORDS.sub("", match.group(0))
            if not re.search(rf"\b(?:{AUTHORITY_WORDS})\b", phrase) or len(phrase.split()) < 2:
                continue
            if re.search(rf"\b(?:{INSTRUMENT_WORDS})\b", phrase) or overlaps(*match.span()):
                continue
            if any(phrase in name or name in phrase for name, _abbr in proposed):
                continue
            proposed.append((phrase, ""))
        return proposed


class ItemFindings:
    """What one item names: regulators, instruments (known or new) with their stated dates."""

    def __init__(self):
        self.regulators = []
        self.entries = []  # ("known", Instrument) or ("new", title, how)
        self.dates = {}  # entry → {"comment_deadline": PreciseDate, "effective_on": PreciseDate}
        self.proposed = []
        self.notes = []

    def add(self, entry):
        if entry[0] == "new" and any(e[0] == "new" and e[1].casefold() == entry[1].casefold() for e in self.entries):
            return
        if entry not in self.entries:
            self.entries.append(entry)

    def set_date(self, entry, field, value):
        self.dates.setdefault(self.key(entry), {}).setdefault(field, value)

    @staticmethod
    def key(entry):
        return (entry[0], entry[1].pk) if entry[0] == "known" else ("new", entry[1].casefold())

    @property
    def instruments(self):
        return [entry[1] for entry in self.entries if entry[0] == "known"]

    @property
    def new_instruments(self):
        mentions = []
        for entry in self.entries:
            if entry[0] == "new":
                stated = self.dates.get(self.key(entry), {})
                mentions.append(
                    InstrumentMention(
                        title=entry[1],
                        how=entry[2],
                        comment_deadline=stated.get("comment_deadline"),
                        effective_on=stated.get("effective_on"),
                    )
                )
        return mentions

    def stated_dates(self, instrument):
        return self.dates.get(("known", instrument.pk), {})
