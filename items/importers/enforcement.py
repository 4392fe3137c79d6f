"""Enforcement actions an item reports, read sentence by sentence.

A sentence reports an action when it says, in the past tense, that an authority fined,
sentenced, ordered, removed, named, summoned, judged or settled with someone. What it adds is
read from the same sentence: the target, a count ("60 apps"), a fine or damages with their
currency ("CNY 250,000", "40,000 RMB", "10万元", "EUR 1.2 million"). Sentences about rules
("shall be fined not more than …") or plans ("will take measures such as removal") report
nothing. "Another two companies were fined … respectively" on two dates makes two actions.
"""

import re
from decimal import Decimal, InvalidOperation

from items.importers import dates
from items.importers.paragraphs import is_chinese, split_sentences, strip_markup
from items.importers.parsed import ParsedAction

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + r")"
MULTIPLIERS = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}
CURRENCIES = {
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "¥": "CNY", "元": "CNY", "人民币": "CNY",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR",
    "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "us dollars": "USD",
    "gbp": "GBP", "£": "GBP", "pounds": "GBP", "hkd": "HKD", "hk$": "HKD", "krw": "KRW", "won": "KRW",
    "jpy": "JPY", "yen": "JPY",
}  # fmt: skip
MULTIPLIER = r"(?:\s*(?P<mult>thousand|million|billion|mn|bn|m|k)\b)?"
AMOUNT_PATTERNS = [
    re.compile(rf"(?P<cur>CNY|RMB|EUR|USD|GBP|HKD|KRW|JPY|US\$|HK\$|[$€£¥])\s?(?P<num>\d[\d,]*(?:\.\d+)?){MULTIPLIER}"),
    re.compile(
        rf"(?P<num>\d[\d,]*(?:\.\d+)?){MULTIPLIER}\s*"
        r"(?P<cur>RMB|CNY|EUR|USD|GBP|HKD|yuan|euros?|US dollars|dollars|pounds)\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?:人民币)?(?P<num>\d+(?:\.\d+)?)\s*(?P<zhmult>万|亿)?\s*(?P<cur>元)"),
]
LIMIT_BEFORE = re.compile(
    r"(?:up\s+to|not\s+(?:less|more)\s+than|no\s+(?:less|more)\s+than|maximum(?:\s+of)?|at\s+most|as\s+much\s+as"
    r"|ranging\s+from|between|最高|不超过|以下|以上)\s*$",
    re.IGNORECASE,
)
RULE_OR_PLAN = re.compile(
    r"\b(?:shall|should|must|will|would|may|might|could|can|plans?\s+to|intends?\s+to|proposes?\s+to)\b|应当|将|可以"
)
COUNT = re.compile(
    rf"(?P<approx>\bover\s+|\bmore\s+than\s+|\babout\s+|\bnearly\s+|\bat\s+least\s+|\ba\s+total\s+of\s+|\banother\s+)?"
    rf"\b(?P<n>{NUMBER})\s+(?P<noun>(?:[\w-]+\s+){{0,4}}?(?:[Aa]pps|APPs|APPS|applications|mini[- ]programs|websites|"
    r"platforms|companies|enterprises|operators|defendants|persons|people|banks|firms|stores|SDKs))\b",
)
OF_THEM = re.compile(rf"\b(?P<n>{NUMBER})\s+of\s+(?:them|the\s+(?:defendants|companies|apps))\b", re.IGNORECASE)
ZH_COUNT = re.compile(r"(?P<n>\d+)\s*(?:余|多)?\s*(?:款|个|家)\s*(?P<noun>APP|应用|小程序|网站|平台|企业|公司)")

# (action type, what says it), most specific first; the first that matches names the action.
ACTION_SIGNS = [
    ("administrative_detention", r"administrative\s+detention|行政拘留"),
    ("criminal_sentence", r"\bsentenced\b|\bimprisonment\b|\bin\s+prison\b|\bjailed\b|判处|有期徒刑"),
    ("settlement", r"\bsettled\b|\breached\s+(?:a\s+)?settlement\b|\bagreed\s+to\s+settle\b|达成和解"),
    (
        "complaint_filed",
        r"\b(?:submit|submitted|filed|lodged|brought)\s+(?:a\s+|an\s+)?(?:formal\s+|joint\s+)?(?:complaint|lawsuit|suit|claim)s?\b"
        r"|\bsued\b|\bsues\b|起诉|投诉",
    ),
    (
        "fine",
        r"\bfined\b|\bfines?\s+(?:of|amounting|totall?ing)\b|\bfine\s+amounted\b|\bimposed\b[^.]*?\b(?:fines?|penalt\w+)\b|罚款",
    ),
    (
        "app_removal",
        r"\bremoved\s+from\b|\bto\s+be\s+removed\b|\bremoval\s+of\b|\btaken\s+down\b|\btook\s+down\b|\btaking\s+down\b|下架",
    ),
    ("suspension", r"\bshut\s*down\b|\bsuspended\b|\bsuspension\s+of\b|关停"),
    (
        "rectification_order",
        r"\b(?:ordered|required|urged|demanded|asked|instructed|issued)\b[^.;]{0,80}?\b(?:rectif\w+|correct\w*)\b"
        r"|\brectification\s+(?:orders?|notices?|requests?)\b|责令(?:限期)?整改|限期整改",
    ),
    ("regulatory_talk", r"\bregulatory\s+talks?\b|\bsummoned\b|\badministrative\s+guidance\s+meeting\b|约谈"),
    ("warning", r"\bwarned\b|\bwarning\s+letters?\b|\bissued\s+(?:a\s+)?warnings?\b|警告"),
    (
        "civil_judgment",
        r"\b(?:issued|made|handed\s+down|rendered|delivered)\s+(?:a\s+|the\s+)?[\w-]*\s*(?:instance\s+)?(?:judge?ment|verdict|ruling)"
        r"|\bruled\s+that\b|\bordered\s+(?:\w+\s+){0,6}?to\s+pay\b|\bpublic\s+interest\s+damages\b|判决",
    ),
    (
        "public_naming",
        r"(?<!were\s)(?<!was\s)(?<!been\s)\b(?:notified|reported|named|exposed|published|listed|announced|spotted|identified"
        r"|found|discovered|reporting|naming)\b"
        r"|通报|曝光",
    ),
]
ACTION_SIGNS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in ACTION_SIGNS]
NEEDS_COUNT = {"public_naming", "app_removal", "suspension", "rectification_order"}
SEVERITY = ["public_naming", "rectification_order", "suspension", "app_removal"]
COMPANY = (
    r"[A-Z][\w&.,'’()\- ]*?(?:Co\.,?\s*Ltd\.?|Ltd\.?|Inc\.?|LLC|GmbH|Limited|Corporation|Corp\.?|S\.A\.|B\.V\.|plc|AG)"
)


def to_number(text):
    text = text.lower().replace(",", "")
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def find_amounts(sentence):
    """[(start, end, Decimal amount, currency)] of the money amounts in a sentence, not the legal limits."""
    found = []
    for pattern in AMOUNT_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(start <= match.start() < end for start, end, *_rest in found):
                continue
            if LIMIT_BEFORE.search(sentence[max(0, match.start() - 25) : match.start()]):
                continue
            value = to_number(match.group("num"))
            if value is None:
                continue
            groups = match.groupdict()
            if groups.get("mult"):
                value *= MULTIPLIERS[groups["mult"].lower()]
            if groups.get("zhmult"):
                value *= 10_000 if groups["zhmult"] == "万" else 100_000_000
            currency = CURRENCIES.get(match.group("cur").lower(), CURRENCIES.get(match.group("cur")))
            if currency:
                found.append((match.start(), match.end(), value.quantize(Decimal("0.01")), currency))
    return sorted(found)


def find_count(sentence, after=0):
    """The number of targets named together ("60 apps", "over 400 apps", "16个APP"), nearest after `after`."""
    matches = list(COUNT.finditer(sentence)) + list(ZH_COUNT.finditer(sentence)) + list(OF_THEM.finditer(sentence))
    if not matches:
        return None, ""
    later = [m for m in matches if m.start() >= after]
    match = min(later or matches, key=lambda m: abs(m.start() - after))
    number = to_number(match.group("n"))
    if number is None or number != int(number) or number > 10_000_000:
        return None, ""
    return int(number), match.group(0).strip()


def action_kind(sentence):
    for kind, pattern in ACTION_SIGNS:
        match = pattern.search(sentence)
        if match:
            return kind, match
    return None, None


def target_of(kind, sentence, sign, count_phrase):
    """Who the action is aimed at, as the sentence names them; "" when it does not say."""
    patterns = {
        "fine": [
            rf"\bfined\s+(?P<t>{COMPANY})",
            r"\bfined\s+(?P<t>(?:[A-Z]|(?:an?|the)\s)[^,;]{2,80}?)\s+(?:CNY|RMB|EUR|USD|GBP|[$€£¥]|\d)",
            r"\b(?:penalt\w+|fines?)\s+on\s+(?P<t>[^,;]{3,120}?)(?:\s+for\b|,|;|$)",
            r"(?P<t>(?:\w+\s+){0,2}?[A-Z][\w&.,'’ -]{2,80}?)\s+(?:was|were)\s+fined\b",
        ],
        "complaint_filed": [
            rf"\bsued\s+(?P<t>{COMPANY}(?:\s*\([^)]*\))?)",
            r"\bagainst\s+(?P<t>[^,;]{3,120}?)(?:\s+for\b|,|;|$)",
            r"\bsued\s+(?P<t>.{3,120}?)(?:\s+for\b|,|;|$)",
        ],
        "settlement": [
            r"(?:that\s+)?(?P<t>[A-Z][\w.,&'’ -]{1,60}?)(?:,\s+an?\s+[^,]+,)?\s+(?:has\s+|have\s+)?settled\b"
        ],
        "criminal_sentence": [
            r"(?:defendant,?\s+)(?P<t>[A-Z][\w]*)",
            r"(?P<t>[A-Z][\w ,'’-]{1,60}?)\s+(?:was|were)\s+sentenced",
        ],
        "administrative_detention": [r"detention\s+on\s+(?P<t>[^,;]{2,80}?)(?:\s+for\b|,|;|$)"],
        "civil_judgment": [
            r"\b(?:defendant|against)\s+(?P<t>[A-Z][\w.,&'’ -]{1,60}?)(?:\s+to\b|,|;|$)",
            rf"\bbetween\s+.+?\s+and\s+(?P<t>{COMPANY})",
        ],
        "regulatory_talk": [r"\btalks?\s+with\s+(?P<t>[^,;]{3,120}?)(?:,|;|$)", r"\bmeeting\s+for\s+(?P<t>\w+)"],
    }
    for pattern in patterns.get(kind, []):
        match = re.search(pattern, sentence)
        if match:
            target = match.group("t").strip(' ,;"“”')
            if not re.search(r"(?:Ltd|Inc|Co|Corp|B\.V|S\.A|N\.V)\.$", target):
                target = target.rstrip(".")
            target = re.sub(r"^(?:the|a|an)\s+", "", target)
            if 1 < len(target) <= 200:
                return target
    return count_phrase


def split_companies(target):
    """ "TikTok Ltd and TikTok Information Technologies UK Ltd" → two targets; other names stay whole."""
    parts = re.split(r"\s+and\s+", target)
    if len(parts) > 1 and all(re.search(rf"^{COMPANY}$", part) for part in parts):
        return parts
    return [target]


def clause_money(sentence):
    """(fine, damages, currency) in a sentence: an amount counts where a fine or damages word is near."""
    fine = damages = None
    currency = ""
    for start, end, amount, code in find_amounts(sentence):
        before = sentence[max(0, start - 80) : start].lower()
        after = sentence[end : end + 40].lower()
        if re.search(r"demand|claim|seek|sought", sentence[:start]):
            continue  # what a plaintiff asks for is not what anyone was ordered to pay
        if "damage" in after or "compensat" in before[-40:] or "damages" in before[-30:] or "赔偿" in before:
            damages = damages or amount
        elif re.search(r"fine|penalt|罚", before) or "fine" in after:
            fine = fine or amount
        else:
            continue
        currency = currency or code
    return fine, damages, currency


CLAUSE_SPLIT = re.compile(
    r";\s*|,\s+(?:and\s+)?(?=(?:the\s+)?(?:removal|shutdown|suspension|rectification|closure)\s+of\b)"
    r"|,?\s+and\s+(?=(?:imposed|ordered|removed|fined|required|exposed|named|demanded|suspended)\b)"
)
DEADLINE_WORD = re.compile(r"(?:before|by|until|prior\s+to|no\s+later\s+than|within|deadline\s+(?:of|is))\s*$", re.I)
BACKGROUND = re.compile(r"\b(?:accused|criminal|crimes?|originated)\b", re.I)


def actions_in_sentence(sentence, reference, default_date):
    """Actions of one sentence; a sentence listing several measures gives one per measure."""
    mentions = [m for m in dates.find_dates(sentence) if not DEADLINE_WORD.search(sentence[: m.start])]
    decided = dates.resolve(mentions[0], reference, "past") if mentions else default_date
    clauses = [clause for clause in CLAUSE_SPLIT.split(sentence) if clause.strip()]
    found = []
    for clause in clauses if len(clauses) > 1 else [sentence]:
        for action in actions_in_clause(clause, sentence, reference, decided, mentions):
            convicted = next((a for a in found if a.action_type == "criminal_sentence"), None)
            same_people = not action.target or action.target == convicted.target if convicted else False
            if convicted and action.action_type in {"fine", "civil_judgment"} and same_people:
                # "sentenced to three years and fined 40,000 RMB": the fine is part of the sentence.
                convicted.fine_amount = convicted.fine_amount or action.fine_amount
                convicted.damages_amount = convicted.damages_amount or action.damages_amount
                convicted.currency = convicted.currency or action.currency
                continue
            same = found[-1] if found else None
            if same and same.action_type == action.action_type == "fine" and same.fine_amount is None:
                # "imposed a penalty on X, and fined the company 50,000 RMB": one fine.
                same.fine_amount, same.currency = action.fine_amount, action.currency
                continue
            found.append(action)
    return found


def actions_in_clause(clause, sentence, reference, decided, mentions):
    kind, sign = action_kind(clause)
    if kind is None:
        return []
    if kind == "civil_judgment" and BACKGROUND.search(sentence):
        return []  # a criminal case or the story behind a case: its sentencing sentence reports the act
    sentence_text, sentence = sentence, clause
    head = sentence[: sign.start()]
    if RULE_OR_PLAN.search(head[-60:]) and not re.search(r"\b(?:was|were|has|have|had)\b", head[-40:]):
        return []  # what a rule provides or a regulator plans is not an action
    if "respectively" not in sentence and RULE_OR_PLAN.search(sentence[sign.start() - 25 : sign.start()]):
        return []
    count, count_phrase = find_count(sentence, after=sign.start())
    if not count and re.search(r"\b(?:them|those|these)\b", sentence):
        count, count_phrase = find_count(sentence_text)  # "ordered them to be removed": the batch named before
    fine, damages, currency = clause_money(sentence)
    if kind in NEEDS_COUNT and not count and not fine:
        return []
    if kind == "public_naming" and not count:
        return []
    target = target_of(kind, sentence, sign, count_phrase)
    prison = ""
    prison_match = re.search(
        r"sentenced\s+(?:[\w ]{1,40}?\s+)?to\s+(?P<s>[\w'’ -]{3,40}?(?:imprisonment|in\s+prison|prison))", sentence
    )
    if prison_match:
        prison = prison_match.group("s")
    detention = re.search(r"administrative\s+detention\s+(?:on\s+\w+\s+)?for\s+(?P<d>\d+\s+days?)", sentence)
    if detention:
        prison = f"{detention.group('d')} administrative detention"

    def action(target_text, date, single=False):
        return ParsedAction(
            action_type=kind,
            sentence=sentence_text,
            target=target_text[:500],
            target_count=None if single else count,
            fine_amount=fine,
            damages_amount=damages,
            currency=currency if (fine or damages) else "",
            decided_on=date,
            prison_sentence=prison[:500],
        )

    # "another two companies were fined … respectively" on as many dates as companies: one action each.
    if "respectively" in sentence and count and mentions:
        days = dates.resolve_all_days(mentions[0], reference, "past")
        if len(days) == count:
            return [action("", day, single=True) for day in days]
    targets = split_companies(target) if kind in {"complaint_filed", "fine", "settlement"} else [target]
    if len(targets) > 1:
        return [action(name, decided, single=True) for name in targets]
    return [action(target, decided)]


def find_actions(body, reference, default_date=None):
    """ParsedActions in an item's body (English preferred), merged where sentences report the same act."""
    actions = []
    for sentence in split_sentences(strip_markup(body)):
        found = actions_in_sentence(sentence, reference, default_date)
        previous = actions[-1] if actions else None
        if (
            len(found) == 1
            and previous
            and found[0].action_type == previous.action_type == "fine"
            and previous.fine_amount is None
            and not re.search(r"\bfined\b|\bon\s+[A-Z]", sentence)
        ):
            # "The highest single fine amounted to 500,000 RMB": the amount of the fine just reported.
            previous.fine_amount, previous.currency = found[0].fine_amount, found[0].currency
            continue
        if found:
            actions.extend(found)
            continue
        # "The highest single fine amounted to 500,000 RMB": money for the action just reported.
        fine, damages, currency = clause_money(sentence)
        if (fine or damages) and actions and actions[-1].fine_amount is None and actions[-1].damages_amount is None:
            actions[-1].fine_amount, actions[-1].damages_amount, actions[-1].currency = fine, damages, currency
    return merge_same_targets(actions)


def merge_same_targets(actions):
    """One batch of apps named, then removed, is one action: keep the stronger measure."""
    merged = []
    for action in actions:
        twin = next(
            (
                other
                for other in merged
                if action.target_count
                and other.target_count == action.target_count
                and other.action_type in SEVERITY
                and action.action_type in SEVERITY
            ),
            None,
        )
        if twin:
            if SEVERITY.index(action.action_type) > SEVERITY.index(twin.action_type):
                twin.action_type = action.action_type
                twin.sentence = f"{twin.sentence} {action.sentence}"
            continue
        merged.append(action)
    return merged


def find_item_actions(item, reference):
    """Actions of a ParsedItem: from the English body, or the Chinese one when there is no English."""
    body = item.body if item.body and not is_chinese(item.body) else item.body_zh
    if not body:
        return []
    return find_actions(body, reference, item.event_date)
