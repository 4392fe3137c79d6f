"""Headlines for items that have none: "<who> <does> <what>", taken from the first sentence.

Bird & Bird items are paragraphs without headlines ("On November 3, the Ministry … issued a
notice on …"). The headline says only what that sentence says: its subject, its verb turned
into the headline present tense, and its object, cut at the first clause boundary. Nothing
is added: when the sentence does not parse, its first clause, trimmed, is the headline.
"""

import re

from items.importers import dates
from items.importers.paragraphs import first_sentence, strip_more_marker

MAX_WORDS = 16
SMALL_WORDS = {
    "a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "by", "with", "as", "via",
    "per", "from", "into", "over", "than", "vs",
}  # fmt: skip
IRREGULAR = {
    "held": "hold", "made": "make", "sought": "seek", "found": "find", "took": "take", "set": "set", "put": "put",
    "said": "say", "shut": "shut", "brought": "bring", "began": "begin", "gave": "give", "won": "win", "lost": "lose",
    "paid": "pay", "led": "lead", "upheld": "uphold", "spotted": "spot", "banned": "ban", "submitted": "submit",
    "planned": "plan", "committed": "commit", "stopped": "stop", "fined": "fine", "sent": "send", "built": "build",
    "spent": "spend", "told": "tell", "wrote": "write", "written": "write", "taken": "take", "given": "give",
    "begun": "begin", "drew": "draw", "drawn": "draw", "rolled": "roll", "handed": "hand", "carried": "carry",
    "came": "come", "went": "go", "became": "become", "rose": "rise", "fell": "fall", "met": "meet",
}  # fmt: skip
REGULAR = [
    "issue", "release", "publish", "adopt", "impose", "report", "launch", "organize", "organise", "order", "announce",
    "propose", "require", "notify", "unveil", "introduce", "approve", "pass", "sign", "file", "sue", "settle", "open",
    "start", "identify", "remove", "detect", "urge", "summon", "investigate", "penalize", "penalise", "punish",
    "revise", "amend", "promulgate", "enact", "formulate", "solicit", "invite", "warn", "block", "suspend", "close",
    "complete", "conclude", "decide", "rule", "sentence", "dismiss", "accept", "reject", "conduct", "establish",
    "update", "clarify", "confirm", "state", "emphasize", "emphasise", "demand", "request", "recommend", "ask",
    "name", "list", "expose", "discover", "uncover", "deploy", "host", "convene", "interview", "inspect", "test",
    "check", "publicize", "publicise", "circulate", "draft", "call", "select", "deliver", "sanction", "criticize",
    "criticise", "promise", "pledge", "join", "collect", "receive", "answer", "respond", "reveal", "disclose",
    "welcome", "award", "designate", "prohibit", "restrict", "permit", "grant", "accuse", "charge", "arrest",
    "prosecute", "indict", "convict", "acquit", "hear", "examine", "review", "assess", "evaluate", "audit", "monitor",
    "verify", "register", "record", "highlight", "stress", "underline", "explain", "post", "share", "attend",
    "present", "enforce",
]  # fmt: skip

PASSIVE_AUX = {"was", "were", "is", "are", "been", "being", "be"}
PERFECT_AUX = {"has", "have", "had"}
ADVERBS = {
    "recently", "jointly", "formally", "also", "further", "gradually", "consecutively", "officially", "publicly",
    "newly", "successfully", "finally", "again", "already", "first", "respectively", "separately", "together",
}  # fmt: skip
CLAUSE_BREAK = re.compile(r"[,;:](?=\s)|\s[–—]\s|\s\((?=which|including)")
CUT_BEFORE = {"for", "to", "in", "on", "with", "and", "by", "from", "following", "including", "which", "that", "as"}
DEFINITION = re.compile(r"\s*\((?:the\s+)?[\"“”'‘]*([A-Z][\w&.\- ]{1,20}?)[\"“”'’]*\)")
LEADING_DATE = re.compile(r"^(?:(?:On|In|Since|From|During|By|As of|Starting|Between|Early|Late|Mid)\b-?\s*)?$")
REPORTED_BY = re.compile(
    r"^As\s+(?:reported|announced|stated|disclosed)\s+by\s+(?P<who>.+?)\s+(?:on|in)\s+[^,]{3,30},\s*"
)
LEAD_INS = re.compile(
    r"^(?:Recently|Meanwhile|Furthermore|Moreover|Besides|In addition|It (?:is|was) reported that)\s*,?\s*", re.I
)


def past_to_base(word):
    """The base form of a past tense or participle we know, else None."""
    lower = word.lower()
    if lower in IRREGULAR:
        return IRREGULAR[lower]
    if not lower.endswith("ed"):
        return None
    for base in (lower[:-1], lower[:-2], lower[:-3] + "y" if lower.endswith("ied") else None):
        if base and base in REGULAR_SET:
            return base
    return None


REGULAR_SET = set(REGULAR) | set(IRREGULAR.values())


def present(base, plural):
    if plural:
        return base
    if re.search(r"(?:s|sh|ch|x|z|o)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


def title_case(text):
    words = text.split()
    result = []
    for index, word in enumerate(words):
        match = re.match(r"^([\"“‘'(《\[]*)(.*)$", word)
        lead, core = match.group(1), match.group(2)
        after_colon = index > 0 and result[-1].endswith(":")
        if not core:
            result.append(word)
        elif any(ch.isupper() for ch in core[1:]) or (core[:1].isupper() and core.isupper()):
            result.append(word)  # MIIT, TC260, iPhone, APPs: as written
        elif index > 0 and not after_colon and core.lower() in SMALL_WORDS:
            result.append(lead + core.lower())
        else:
            result.append(lead + core[:1].upper() + core[1:])
    return " ".join(result)


AUTHORITY_END = re.compile(
    r"(?:Administration|Commission|Ministry|Bureau|Court|Council|Committee|Office|Authority|Agency|Department|"
    r"Center|Centre|Government|Association|Congress|Procuratorate|Board)$"
)


def is_plural(subject):
    """ "Commissions", "MIIT and CAC" take "Impose"; "Ministry of Industry and IT" takes "Imposes"."""
    head_phrase = re.split(r"\s+of\s+", subject.strip(), maxsplit=1)[0]
    words = head_phrase.split()
    if not words:
        return False
    parts = [part.strip() for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", head_phrase) if part.strip()]
    if len(parts) > 1 and all(part.split()[-1].isupper() or AUTHORITY_END.search(part) for part in parts):
        return True
    head = words[-1].strip("\"“”'’()")
    return head.lower().endswith("s") and not head.lower().endswith(("ss", "us", "is")) and not head.isupper()


def shorten_subject(subject, short_names):
    definition = DEFINITION.search(subject)
    if definition:
        return definition.group(1).strip()
    name = re.sub(r"^the\s+", "", subject.strip(), flags=re.I)
    return (short_names or {}).get(name.casefold(), name)


def trim(words):
    if len(words) <= MAX_WORDS:
        return words
    cut = max((i for i in range(6, MAX_WORDS + 1) if words[i].lower() in CUT_BEFORE), default=MAX_WORDS)
    return words[:cut]


MODALS = {"will", "shall", "would", "should", "can", "could", "may", "must", "has", "have", "was", "were", "is", "are"}


def first_clause(sentence):
    """Up to the first comma, colon or dash, or to a second verb joined by "and"."""
    match = CLAUSE_BREAK.search(sentence)
    clause = sentence[: match.start()] if match else sentence
    words = clause.split()
    for index in range(1, len(words) - 1):
        following = words[index + 1]
        second_verb = following.lower() in MODALS or past_to_base(following) or re.fullmatch(r"[a-z]+ed", following)
        if words[index] == "and" and second_verb and index > 2:
            words = words[:index]
            break
    return " ".join(words).strip().rstrip(".。")


def without_leading_date(sentence):
    """The sentence without its opening "On April 20, 2022," / "Since November,"."""
    mentions = dates.find_dates(sentence)
    if mentions and LEADING_DATE.match(sentence[: mentions[0].start]):
        rest = sentence[mentions[0].end :]
        if rest.startswith(","):
            return rest[1:].lstrip()
    return sentence


def headline_from_sentence(sentence, short_names=None):
    sentence = LEAD_INS.sub("", sentence.strip())
    reporter = None
    reported = REPORTED_BY.match(sentence)
    if reported:
        reporter, sentence = reported.group("who"), sentence[reported.end() :]
    else:
        sentence = LEAD_INS.sub("", without_leading_date(sentence))
    # Definitions such as (the "CSAC") hold commas and quotes: read them before cutting clauses.
    definitions = {}

    def keep_definition(match):
        key = f"\x00{len(definitions)}\x00"
        definitions[key] = match.group(0)
        return key

    protected = DEFINITION.sub(keep_definition, sentence)
    clause = first_clause(protected)
    words = clause.split()
    headline_words = None
    for index, word in enumerate(words):
        if index == 0:
            continue
        base = past_to_base(word.strip(",."))
        if not base:
            continue
        previous = words[index - 1].lower()
        before = [w for w in words[:index] if w.lower() not in ADVERBS]
        aux_passive = [w for w in before[-2:] if w.lower() in PASSIVE_AUX]
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if not aux_passive and following == "by" and any(past_to_base(w.strip(",.")) for w in words[index + 2 :]):
            continue  # "the Measures jointly issued by the CAC came into effect": not the main verb
        if aux_passive:
            subject_words = before[: len(before) - len(aux_passive)]
            if subject_words and subject_words[-1].lower() in PERFECT_AUX:
                subject_words = subject_words[:-1]
            rest = words[index + 1 :]
            agent = None
            if rest and rest[0].lower() == "by":
                stop = next((i for i, w in enumerate(rest[1:], 1) if w.lower() in CUT_BEFORE - {"and"}), len(rest))
                agent, rest = " ".join(rest[1:stop]), rest[stop:]
            patient = restore(" ".join(subject_words), definitions)
            patient = re.sub(r"^the\s+", "", patient, flags=re.I)
            if agent:
                who = shorten_subject(restore(agent, definitions), short_names)
                headline_words = [who, present(base, is_plural(who)), *patient.split(), *rest]
            else:
                headline_words = [*patient.split(), word.strip(",."), *rest]
        else:
            subject_words = [w for w in before if w.lower() not in PERFECT_AUX]
            if not subject_words or previous in {"to", "of", "the", "a", "an"}:
                continue
            who = shorten_subject(restore(" ".join(subject_words), definitions), short_names)
            rest = words[index + 1 :]
            if rest and rest[0].lower() in {"a", "an", "the"}:
                rest = rest[1:]
            headline_words = [who, present(base, is_plural(who)), *rest]
        break
    if headline_words is None:
        headline_words = restore(clause, definitions).split()
        headline_words = [w for w in headline_words if w]
    text = restore(" ".join(trim([w for w in headline_words if w])), definitions)
    text = DEFINITION.sub("", text).strip(" ,;:")
    if reporter:
        text = f"{shorten_subject(reporter, short_names)} Reports {text}"
    return title_case(text)


def restore(text, definitions):
    for key, value in definitions.items():
        text = text.replace(key, value)
    return text


def headline_from_body(body, short_names=None):
    """A short headline from an item's first sentence (see the module docstring)."""
    sentence = first_sentence(strip_more_marker(body)[0])
    if not sentence:
        return ""
    return headline_from_sentence(sentence, short_names)[:300]
