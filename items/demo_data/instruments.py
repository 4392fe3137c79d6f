"""Instruments: the core laws most actions cite, then rules, standards and drafts at every status.

An instrument's issuer follows from its kind (a local regulation from a provincial
legislature, a national standard from TC260…), and its dates agree with its status.
"""

import datetime

from regulators.models import Instrument

from .draws import weighted
from .phrases import lower_phrase
from .vocabulary import MONTH, PERIOD_END, PERIOD_START, PROVINCE_BY_CODE, SUBJECTS, unique_slug

# Title forms by instrument kind: English, Chinese ({s}: subject; {p}: place).
TITLE_FORMS = {
    "departmental_rule": [("Measures for the Administration of {s}", "{s}管理办法"), ("Provisions on {s}", "{s}规定"),
                          ("Administrative Measures on {s}", "{s}管理暂行办法")],
    "normative_document": [("Notice on Strengthening {s}", "关于加强{s}工作的通知"),
                           ("Implementation Plan for {s}", "{s}实施方案"), ("Opinions on {s}", "关于{s}的意见")],
    "guideline": [("Guidelines on {s}", "{s}指南"), ("Compliance Guidelines for {s}", "{s}合规指引"),
                  ("Self-regulatory Convention on {s}", "{s}自律公约")],
    "national_standard": [("Information Security Technology — Security Requirements for {s}",
                           "信息安全技术 {s}安全要求"),
                          ("Information Security Technology — Guidelines for {s}", "信息安全技术 {s}指南"),
                          ("Information Security Technology — Evaluation Specification for {s}",
                           "信息安全技术 {s}评估规范")],
    "industry_standard": [("Technical Requirements for {s}", "{s}技术要求"),
                          ("Evaluation Methods for {s}", "{s}评估方法")],
    "local_regulation": [("{p} Regulations on {s}", "{p}{s}条例"), ("{p} Provisions on {s}", "{p}{s}若干规定")],
    "administrative_regulation": [("Regulations on {s}", "{s}条例")],
    "judicial_document": [("Provisions on the Application of Law in Cases Involving {s}",
                           "关于审理{s}案件适用法律若干问题的规定"),
                          ("Typical Cases on {s}", "{s}典型案例")],
    "law": [("Law on {s}", "{s}法")],
    "foreign_law": [("Regulation on {s}", ""), ("{p} {s} Act", ""), ("Guidance on {s}", "")],
}  # fmt: skip
INSTRUMENT_KIND_WEIGHTS = {"departmental_rule": 18, "normative_document": 18, "national_standard": 16,
                           "guideline": 14, "local_regulation": 10, "industry_standard": 8, "foreign_law": 7,
                           "judicial_document": 5, "administrative_regulation": 3, "law": 1}  # fmt: skip
INSTRUMENT_STATUS_WEIGHTS = {"in_force": 50, "draft": 18, "adopted": 12, "amended": 8, "repealed": 6,
                             "withdrawn": 6}  # fmt: skip

# The laws most actions cite, created first (and always before the period): key, title, Chinese title,
# short title, kind, jurisdiction, issuer keys, published, subject index.
CORE_INSTRUMENTS = [
    ("pipl", "Personal Information Protection Law", "个人信息保护法", "PIPL", "law", "CN", ["npcsc"], "2021-08-20"),
    ("csl", "Cybersecurity Law", "网络安全法", "CSL", "law", "CN", ["npcsc"], "2016-11-07"),
    ("dsl", "Data Security Law", "数据安全法", "DSL", "law", "CN", ["npcsc"], "2021-06-10"),
    ("consumer-rights-law", "Law on the Protection of Consumer Rights and Interests", "消费者权益保护法", "", "law",
     "CN", ["npcsc"], "2013-10-25"),
    ("civil-code", "Civil Code", "民法典", "", "law", "CN", ["npcsc"], "2020-05-28"),
    ("criminal-law", "Criminal Law", "刑法", "", "law", "CN", ["npcsc"], "2017-11-04"),
    ("public-security-penalties-law", "Law on Penalties for Administration of Public Security", "治安管理处罚法", "",
     "law", "CN", ["npcsc"], "2012-10-26"),
    ("ecommerce-law", "E-commerce Law", "电子商务法", "", "law", "CN", ["npcsc"], "2018-08-31"),
    ("minors-protection-law", "Law on the Protection of Minors", "未成年人保护法", "", "law", "CN", ["npcsc"],
     "2020-10-17"),
    ("anti-unfair-competition-law", "Anti-Unfair Competition Law", "反不正当竞争法", "", "law", "CN", ["npcsc"],
     "2019-04-23"),
    ("network-data-security-regulations", "Regulations on Network Data Security Management", "网络数据安全管理条例", "",
     "administrative_regulation", "CN", ["state-council"], "2024-09-30"),
    ("app-pi-provisions", "Provisions on the Scope of Necessary Personal Information for Common Types of Mobile "
     "Internet Applications", "常见类型移动互联网应用程序必要个人信息范围规定", "", "normative_document", "CN",
     ["cac", "miit", "mps", "samr"], "2021-03-22"),
    ("gdpr", "General Data Protection Regulation", "", "GDPR", "foreign_law", "EU",
     ["european-parliament", "eu-council"], "2016-04-27"),
    ("uk-dpa-2018", "Data Protection Act 2018", "", "DPA 2018", "foreign_law", "GB", ["uk-dsit"], "2018-05-23"),
    ("ftc-act", "Federal Trade Commission Act", "", "FTC Act", "foreign_law", "US", ["us-ftc"], "2006-10-01"),
    ("coppa", "Children's Online Privacy Protection Act", "", "COPPA", "foreign_law", "US", ["us-ftc"], "2013-07-01"),
    ("ccpa", "California Consumer Privacy Act", "", "CCPA", "foreign_law", "US-CA", ["us-cppa", "us-ca-ag"],
     "2018-06-28"),
    ("kr-pipa", "Personal Information Protection Act (Korea)", "", "PIPA", "foreign_law", "KR", ["kr-pipc"],
     "2020-02-04"),
    ("eprivacy-directive", "Directive on Privacy and Electronic Communications", "", "ePrivacy Directive",
     "foreign_law", "EU", ["european-parliament", "eu-council"], "2009-11-25"),
    ("hk-pdpo", "Personal Data (Privacy) Ordinance", "", "PDPO", "foreign_law", "HK", ["hk-pcpd"], "2012-10-01"),
]  # fmt: skip
# How a foreign law's title names its jurisdiction ("Irish … Act").
FOREIGN_PLACES = {"EU": "EU", "IE": "Irish", "FR": "French", "DE": "German", "DE-HH": "Hamburg",
                  "DE-BW": "Baden-Württemberg", "GB": "UK", "US": "US", "US-CA": "California", "US-TX": "Texas",
                  "IT": "Italian", "ES": "Spanish", "NL": "Dutch", "LU": "Luxembourg", "KR": "Korean",
                  "NO": "Norwegian", "SG": "Singapore", "JP": "Japanese", "HK": "Hong Kong"}  # fmt: skip


class InstrumentPlan:
    """The instruments chosen, where news items and actions find them.

    `entries`: (instrument, subject index, issuer specs, indexes of the instruments it
    implements); `core`: a core law's index by key; `timelines`: (publication date, index) by
    side (CN, foreign, judicial), in date order.
    """

    def __init__(self, rng, wanted, regulators):
        regs = regulators.by_key
        taken_titles, taken_slugs = set(), set()
        instruments = []  # (obj, subject index, issuer specs, implements keys)
        self.core = {}
        for key, title, title_zh, short, kind, jurisdiction, issuers, published in CORE_INSTRUMENTS[:wanted]:
            published_on = datetime.date.fromisoformat(published)
            obj = Instrument(
                title=title,
                title_zh=title_zh,
                short_title=short,
                slug=unique_slug(key, taken_slugs),
                kind=kind,
                status=Instrument.Status.FINAL,
                published_on=published_on,
                adopted_on=published_on,
                effective_on=published_on + datetime.timedelta(days=rng.choice([0, 90, 180, 365])),
                jurisdiction=jurisdiction,
                description="Demo data: a generated core law.",
            )
            obj.demo_stage = "in_force"
            taken_titles.add(title)
            issuer_specs = [regs[k] for k in issuers if k in regs]
            instruments.append((obj, None, issuer_specs, []))
            self.core[key] = len(instruments) - 1

        national_all = [s for s in regulators.specs if s.country == "CN" and s.obj.level == "national"]
        national_issuers = [
            s
            for s in regulators.specs
            if s.country == "CN" and s.obj.level == "national" and s.obj.kind == "agency" and s.category
        ]
        provincial_agencies = [
            s for s in regulators.specs if s.country == "CN" and s.obj.level == "provincial" and s.obj.kind == "agency"
        ]
        legislatures = [
            s
            for s in regulators.specs
            if s.obj.kind == "legislature" and s.country == "CN" and s.obj.level == "provincial"
        ]
        foreign_issuers = [s for s in regulators.specs if s.country != "CN"]
        cn_laws = [i for i, (obj, *_rest) in enumerate(instruments) if obj.jurisdiction == "CN"]
        kinds = INSTRUMENT_KIND_WEIGHTS
        span = (PERIOD_END - PERIOD_START).days
        while len(instruments) < wanted:
            kind = weighted(rng, kinds)
            subject_index = rng.randrange(len(SUBJECTS))
            subject, subject_zh, _topics = SUBJECTS[subject_index]
            issuers, place, place_zh, jurisdiction = _instrument_issuers(
                rng, kind, national_all, national_issuers, provincial_agencies, legislatures, foreign_issuers
            )
            form, form_zh = rng.choice(TITLE_FORMS[kind])
            title = form.format(s=subject, p=place)
            title_zh = form_zh.format(s=subject_zh, p=place_zh) if form_zh else ""
            if place and "{p}" not in form and kind != "foreign_law":
                title, title_zh = f"{place} {title}", f"{place_zh}{title_zh}" if title_zh else ""
            status = weighted(rng, INSTRUMENT_STATUS_WEIGHTS)
            if status == "draft" and rng.random() < 0.6:
                title, title_zh = f"{title} (Draft for Comment)", f"{title_zh}（征求意见稿）" if title_zh else ""
            if title in taken_titles:
                year = PERIOD_START.year + rng.randrange(6)
                title, title_zh = f"{title} ({year} Revision)", f"{title_zh}（{year}年修订）" if title_zh else ""
                if title in taken_titles:
                    continue
            taken_titles.add(title)
            obj = Instrument(
                title=title,
                title_zh=title_zh if rng.random() < 0.6 else "",
                kind=kind,
                status=status if status in (Instrument.Status.DRAFT, Instrument.Status.WITHDRAWN) else "final",
                jurisdiction=jurisdiction,
                slug=unique_slug(title, taken_slugs),
            )
            obj.demo_stage = status  # what the generated news says of it (texts.py); the site computes its own
            _instrument_dates(rng, obj, span)
            lead = issuers[0] if issuers else None
            if lead and lead.obj.website and rng.random() < 0.7:
                obj.official_url = (
                    f"{lead.obj.website.rstrip('/')}/{obj.published_on:%Y-%m/%d}/c_{rng.getrandbits(40)}.htm"
                )
            obj.description = f"Demo data: a {obj.get_kind_display()} on {lower_phrase(subject)}."
            implements = []
            if cn_laws and jurisdiction.startswith("CN") and kind != "law" and rng.random() < 0.35:
                implements = rng.sample(cn_laws, min(len(cn_laws), rng.choice([1, 1, 2])))
            instruments.append((obj, subject_index, issuers, implements))
        self.entries = instruments
        # Regulation news reports what was released near its date: instruments by publication date.
        self.timelines = {}
        for index, (obj, subject_index, _issuers, _impl) in enumerate(instruments):
            if subject_index is None or obj.published_on is None:
                continue
            if obj.kind == "foreign_law":
                side = "foreign"
            elif obj.kind == "judicial_document":
                side = "judicial"
            else:
                side = "CN"
            self.timelines.setdefault(side, []).append((obj.published_on, index))
        for timeline in self.timelines.values():
            timeline.sort()


def _instrument_issuers(rng, kind, national_all, national, provincial, legislatures, foreign):
    """Who issues an instrument of this kind, and so its place and jurisdiction."""
    pick = None
    if kind == "foreign_law":
        pool = [s for s in foreign if s.obj.kind in ("agency", "legislature")]
        if pool:
            pick = [rng.choice(pool)]
            jurisdiction = pick[0].obj.jurisdiction
            return pick, FOREIGN_PLACES.get(jurisdiction, jurisdiction), "", jurisdiction
        return [], "EU", "", "EU"
    if kind == "local_regulation" and legislatures:
        pick = [rng.choice(legislatures)]
    elif kind in ("departmental_rule", "normative_document", "guideline") and provincial and rng.random() < 0.3:
        pick = [rng.choice(provincial)]
    if pick:
        code = pick[0].province
        name, zh, _adj = PROVINCE_BY_CODE[code]
        return pick, name, zh, f"CN-{code}"
    preferred = {
        "national_standard": ["tc260"],
        "industry_standard": ["miit", "caict", "csac"],
        "administrative_regulation": ["state-council"],
        "law": ["npcsc"],
        "judicial_document": ["spc", "spp"],
    }.get(kind)
    # The named issuer of laws, standards and judicial texts, when it was generated.
    candidates = [s for s in national_all if s.key in (preferred or [])]
    if not candidates:
        candidates = national or provincial
    if not candidates:
        return [], "", "", "CN"
    issuers = [rng.choice(candidates)]
    if kind in ("departmental_rule", "normative_document") and rng.random() < 0.15 and len(national) > 1:
        others = [s for s in national if s is not issuers[0]]
        issuers += rng.sample(others, min(len(others), rng.randint(1, 4)))
    return issuers, "", "", "CN"


def _instrument_dates(rng, obj, span):
    """Dates that agree with the status: drafts recent with a deadline after publication."""
    status = obj.demo_stage
    if status == "draft":
        # Drafts are mostly recent: older ones have been adopted or dropped.
        back = min(span, int(rng.expovariate(1 / 240)))
        obj.published_on = PERIOD_END - datetime.timedelta(days=back)
        if rng.random() < 0.9:
            obj.comment_deadline = obj.published_on + datetime.timedelta(days=rng.choice([15, 30, 30, 30, 45, 60]))
        return
    obj.published_on = PERIOD_START + datetime.timedelta(days=rng.randrange(span + 1))
    if rng.random() < 0.06:
        obj.published_on_precision = MONTH
        obj.published_on = obj.published_on.replace(day=1)
    if status == "withdrawn":
        return
    obj.adopted_on = obj.published_on - datetime.timedelta(days=rng.choice([0, 0, 0, 3, 10, 30]))
    delay = rng.choice([0, 30, 60, 90, 180, 365])
    if rng.random() < 0.85:
        obj.effective_on = obj.published_on + datetime.timedelta(days=delay)
        if rng.random() < 0.05:
            obj.effective_on_precision = MONTH
            obj.effective_on = obj.effective_on.replace(day=1)
        if status == "in_force" and obj.effective_on > PERIOD_END:
            obj.demo_stage = "adopted"  # adopted, not yet in force


def write_instruments(writer, plan):
    """The instruments, then their issuers and what they implement, then their history."""
    objs = [obj for obj, *_rest in plan.entries]
    for start in range(0, len(objs), writer.batch_size):
        chunk = objs[start : start + writer.batch_size]
        writer.bulk(Instrument, chunk)
        writer.advance("instruments", len(chunk))
    writer.link(Instrument.issuers, [(o.pk, spec.obj.pk) for o, _s, specs, _i in plan.entries for spec in specs])
    writer.link(
        Instrument.implements,
        [(o.pk, plan.entries[i][0].pk) for o, _s, _specs, targets in plan.entries for i in targets],
    )
    writer.history(Instrument, objs)
