"""Enforcement actions: who acted, against whom, for what, under which law, at what cost.

Also their public ids, and writing them with their links.

Fines are log-uniform over four orders of magnitude or more; many actions carry no fine
(rectification orders, app removals of batches of apps); detentions and sentences name people.
"""

import datetime
import math
from collections import Counter

from items.conversion import convert_actions
from items.models import PUBLIC_ID_PATTERN, EnforcementAction, PublicIdCounter, Violation

from .draws import log_uniform_amount, weighted, zipf_cum_weights
from .organisations import SECTOR_WEIGHTS
from .vocabulary import DAY, EU_COUNTRIES, PERIOD_START, VIOLATION_WEIGHTS, YEAR

Sector = EnforcementAction.Sector

ENFORCEMENT_KINDS = ("enforcement", "court", "foreign_enforcement")
# When there are fewer actions than enforcement stories, the rest tell a story without one.
KIND_WITHOUT_ACTION = {"enforcement": "campaign", "court": "regulation", "foreign_enforcement": "foreign_regulation"}

# Action types (with weights) by the enforcing regulator's category.
ACTION_TYPES_BY_CATEGORY = {
    "telecom": {"rectification_order": 38, "app_removal": 22, "public_naming": 28, "suspension": 6, "warning": 6},
    "cac": {"rectification_order": 18, "app_removal": 14, "public_naming": 14, "regulatory_talk": 22, "fine": 22,
            "warning": 6, "suspension": 4},
    "amr": {"fine": 62, "warning": 16, "rectification_order": 14, "public_naming": 8},
    "police": {"administrative_detention": 30, "fine": 30, "warning": 20, "rectification_order": 12, "other": 8},
    "finance": {"fine": 85, "warning": 15},
    "sector": {"rectification_order": 35, "public_naming": 30, "fine": 20, "regulatory_talk": 15},
    "monitor": {"public_naming": 85, "other": 15},
    "consumer": {"regulatory_talk": 40, "public_naming": 40, "other": 20},
    "court": {"criminal_sentence": 50, "civil_judgment": 45, "other": 5},
    "procuratorate": {"complaint_filed": 75, "other": 25},
    "dpa": {"fine": 55, "warning": 12, "complaint_filed": 13, "rectification_order": 10, "other": 10},
    "us": {"settlement": 55, "fine": 25, "complaint_filed": 20},
    "us-state": {"settlement": 60, "complaint_filed": 40},
}  # fmt: skip
BATCH_TYPES = {"rectification_order": 0.65, "app_removal": 0.7, "public_naming": 0.7, "suspension": 0.5,
               "regulatory_talk": 0.2}  # fmt: skip
BATCH_NOUNS = [("apps", "款APP", 70), ("mini programs", "款小程序", 12), ("SDKs", "款SDK", 6),
               ("websites", "家网站", 6), ("platforms", "家平台", 6)]  # fmt: skip
CURRENCY_BY_COUNTRY = {"CN": "CNY", "US": "USD", "GB": "GBP", "NO": "NOK", "KR": "KRW", "JP": "JPY", "SG": "SGD",
                       "HK": "HKD"}  # fmt: skip
# log10 of the smallest and largest fine in each currency: four orders of magnitude or more.
FINE_RANGE = {"CNY": (4.0, 8.0), "EUR": (3.5, 9.1), "USD": (4.0, 9.7), "GBP": (3.5, 8.3), "NOK": (4.5, 8.5),
              "KRW": (6.0, 11.0), "JPY": (5.0, 9.0), "SGD": (3.5, 7.0), "HKD": (3.0, 6.0)}  # fmt: skip

SURNAMES = [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
            ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"), ("Xu", "徐"), ("Sun", "孙")]  # fmt: skip
WORKPLACES = [("hospital", "医院"), ("courier company", "快递公司"),
              ("community health office", "社区卫生服务中心"), ("property management company", "物业公司"),
              ("telecom operator", "电信运营商"), ("school", "学校")]  # fmt: skip

# Which core laws each kind of action cites, most cited first.
LEGAL_BASIS_BY_TYPE = {
    "criminal_sentence": ["criminal-law", "pipl"],
    "civil_judgment": ["civil-code", "pipl", "consumer-rights-law"],
    "complaint_filed": ["pipl", "civil-code", "minors-protection-law"],
    "administrative_detention": ["public-security-penalties-law", "csl"],
}
DEFAULT_LEGAL_BASIS = ["pipl", "csl", "dsl", "app-pi-provisions", "consumer-rights-law",
                       "network-data-security-regulations", "ecommerce-law", "minors-protection-law",
                       "anti-unfair-competition-law"]  # fmt: skip
FOREIGN_LEGAL_BASIS = {"EU": ["gdpr", "eprivacy-directive"], "GB": ["uk-dpa-2018"], "US": ["ftc-act", "coppa"],
                       "US-CA": ["ccpa"], "KR": ["kr-pipa"], "HK": ["hk-pdpo"]}  # fmt: skip


class ActionPlan:
    """A planned enforcement action (an unsaved model instance) and the item and links it goes with."""

    __slots__ = ("obj", "item", "regulators", "legal_basis", "violations", "org_name_zh")

    def __init__(self, obj, item, regulators, legal_basis, violations, org_name_zh=""):
        self.obj, self.item, self.regulators = obj, item, regulators
        self.legal_basis, self.violations, self.org_name_zh = legal_basis, violations, org_name_zh


class ActionPlanner:
    """Plans the actions news items report, from the regulator, organisation and instrument plans."""

    def __init__(self, regulators, organisations, instruments):
        self.regulators, self.organisations, self.instruments = regulators, organisations, instruments
        self.actions = []

    def plan(self, rng, wanted, items):
        """`wanted` actions spread over the enforcement stories of `items`; returns their plans."""
        capable = [item for item in items if item.kind in ENFORCEMENT_KINDS]
        if wanted and not capable:
            capable = items[:wanted]
            for item in capable:
                item.kind = "enforcement"
        # Which items report how many actions: one each while they last; extra actions cluster
        # in a few items ("Ningbo AMR fines three real estate companies").
        counts = {}
        if wanted <= len(capable):
            for index in sorted(rng.sample(range(len(capable)), wanted)):
                counts[index] = 1
        else:
            counts = dict.fromkeys(range(len(capable)), 1)
            extra = wanted - len(capable)
            clusters = rng.sample(range(len(capable)), max(1, min(len(capable), extra // 3)))
            for _ in range(extra):
                counts[rng.choice(clusters)] += 1
        for index, item in enumerate(capable):
            if index not in counts:
                item.kind = KIND_WITHOUT_ACTION[item.kind]
        for index, item in enumerate(capable):
            if index in counts:
                self._plan_item_actions(rng, item, counts[index])
        return self.actions

    def _plan_item_actions(self, rng, item, count):
        pool_name = {"enforcement": "domestic", "court": "court", "foreign_enforcement": "foreign"}[item.kind]
        regulator = self.regulators.pick_enforcer(rng, pool_name)
        foreign = regulator.country != "CN"
        regulators = [regulator]
        if rng.random() < 0.12:
            partner = self.regulators.pick_enforcer(rng, pool_name)
            if partner is not regulator:
                regulators.append(partner)
        action_type = weighted(rng, ACTION_TYPES_BY_CATEGORY[regulator.category])
        n_violations = rng.choices([0, 1, 2, 3], weights=[10, 50, 28, 12])[0]
        violations = []
        for _ in range(n_violations):
            slug = weighted(rng, VIOLATION_WEIGHTS)
            if slug not in violations:
                violations.append(slug)
        if action_type in ("administrative_detention", "criminal_sentence"):
            violations = [rng.choice(["illegal-sale-of-data", "unlawful-disclosure"])]
        decided_on = item.event_date or item.issue.issued_on
        precision = item.precision
        if precision == DAY:
            decided_on -= datetime.timedelta(
                days=min(rng.choice([0, 0, 0, 1, 2, 5, 10]), max(0, (decided_on - PERIOD_START).days))
            )
        batch = action_type in BATCH_TYPES and rng.random() < BATCH_TYPES[action_type]
        noun = rng.choices(BATCH_NOUNS, weights=[n[2] for n in BATCH_NOUNS])[0]
        if action_type == "regulatory_talk":
            noun = ("platforms", "家平台", 0)
        if batch and precision == DAY and rng.random() < 0.03:
            # A yearly total ("MIIT removed 1,200 apps in 2022").
            precision, decided_on = YEAR, decided_on.replace(month=1, day=1)
        currency = _currency(regulator)
        legal_basis = self._legal_basis(rng, regulator, action_type, decided_on)
        item.regulators = [spec.obj for spec in regulators]
        item.jurisdiction = regulator.obj.jurisdiction
        for _ in range(count):
            obj = EnforcementAction(
                action_type=action_type,
                decided_on=decided_on,
                decided_on_precision=precision,
                jurisdiction=regulator.obj.jurisdiction,
            )
            org_zh = self._fill_target(rng, obj, regulator, action_type, noun if batch else None, foreign, currency)
            self.actions.append(ActionPlan(obj, item, item.regulators, legal_basis, violations, org_zh))
            item.actions.append(self.actions[-1])

    def _legal_basis(self, rng, regulator, action_type, decided_on):
        if regulator.country != "CN":
            keys = FOREIGN_LEGAL_BASIS.get(regulator.obj.jurisdiction) or FOREIGN_LEGAL_BASIS.get(
                "EU" if regulator.country in EU_COUNTRIES else regulator.country, []
            )
        else:
            keys = LEGAL_BASIS_BY_TYPE.get(action_type, DEFAULT_LEGAL_BASIS)
        keys = [
            key
            for key in keys
            if key in self.instruments.core
            and self.instruments.entries[self.instruments.core[key]][0].published_on <= decided_on
        ]
        if not keys or rng.random() < 0.25:
            return []
        cum = zipf_cum_weights(len(keys), 1.3)
        chosen = []
        for _ in range(rng.choice([1, 1, 2])):
            key = rng.choices(keys, cum_weights=cum)[0]
            if key not in chosen:
                chosen.append(key)
        return [self.instruments.entries[self.instruments.core[key]][0] for key in chosen]

    def _fill_target(self, rng, obj, regulator, action_type, batch_noun, foreign, currency):
        """Say whom the action was aimed at and what it cost; returns the target's Chinese name."""
        org_zh = ""
        if batch_noun:
            noun, noun_zh, _weight = batch_noun
            count = max(2, int(round(math.exp(rng.uniform(math.log(2), math.log(400))))))
            obj.target, obj.target_count = f"{count} {noun}", count
            obj.sector = Sector.APPS if noun in ("apps", "mini programs", "SDKs") else Sector.INTERNET
            org_zh = f"{count}{noun_zh}"
        elif action_type in ("administrative_detention", "criminal_sentence"):
            surname, surname_zh = rng.choice(SURNAMES)
            org = self.organisations.pick(rng, regulator, foreign) if rng.random() < 0.6 else None
            defendants = (
                1 if action_type == "administrative_detention" else rng.choices([1, 2, 3, 5], [60, 20, 12, 8])[0]
            )
            if org:
                obj.target = f"{surname}, a former employee of {org.obj.name}"
                org_zh = f"{org.name_zh}前员工{surname_zh}某"
                obj.organisation, obj.sector = org.obj, org.sector
            else:
                workplace, workplace_zh = rng.choice(WORKPLACES)
                obj.target = f"{surname}, a staff member of a {workplace}"
                org_zh = f"某{workplace_zh}工作人员{surname_zh}某"
                obj.sector = Sector.PUBLIC_SECTOR if workplace == "community health office" else Sector.OTHER
            if defendants > 1:
                obj.target += f" and {defendants - 1} other defendant{'s' if defendants > 2 else ''}"
                org_zh += f"等{defendants}人"
                obj.target_count = defendants
            if action_type == "administrative_detention":
                obj.sentence = f"{rng.randint(3, 15)} days' administrative detention"
                if rng.random() < 0.25:
                    obj.fine_amount, obj.currency = log_uniform_amount(rng, 2.7, 3.7), currency
            else:
                roll = rng.random()
                if roll < 0.6:
                    obj.sentence = f"{rng.randint(1, 7)} years' imprisonment"
                elif roll < 0.8:
                    obj.sentence = f"{rng.randint(6, 11)} months' imprisonment"
                else:
                    obj.sentence = f"a suspended sentence of {rng.randint(1, 3)} years"
                if rng.random() < 0.35:
                    obj.fine_amount, obj.currency = log_uniform_amount(rng, 3.7, 6.0), currency
        else:
            org = self.organisations.pick(rng, regulator, foreign) if rng.random() < 0.95 else None
            if org:
                obj.target, obj.organisation, obj.sector = org.obj.name, org.obj, org.sector
                org_zh = org.name_zh
            else:
                sector = weighted(rng, SECTOR_WEIGHTS)
                label = Sector(sector).label
                obj.target, obj.sector = f"A company in {label} (not named)", sector
                org_zh = "某企业"
        if action_type in ("fine", "settlement"):
            low, high = FINE_RANGE[currency]
            obj.fine_amount, obj.currency = log_uniform_amount(rng, low, high), currency
        elif action_type == "civil_judgment":
            obj.damages_amount, obj.currency = log_uniform_amount(rng, 3.0, 6.5), currency
        return org_zh


def _currency(regulator):
    country = regulator.country
    if country in EU_COUNTRIES:
        return "EUR"
    return CURRENCY_BY_COUNTRY.get(country, "USD" if country != "CN" else "CNY")


def number_public_ids(actions):
    """EA-<year>-NNNN in decision-date order within each year, after every id already used.

    Returns each year's last number given out, for `write_public_id_counters`.
    """
    highest = Counter()
    for model in (EnforcementAction, EnforcementAction.history.model):
        for public_id in model.objects.values_list("public_id", flat=True).distinct().iterator():
            match = PUBLIC_ID_PATTERN.match(public_id or "")
            if match:
                year, number = int(match.group(1)), int(match.group(2))
                highest[year] = max(highest[year], number)
    for year, last_number in PublicIdCounter.objects.values_list("year", "last_number"):
        highest[year] = max(highest[year], last_number)
    order = sorted(range(len(actions)), key=lambda i: (actions[i].obj.decided_on, i))
    counters = {}
    for index in order:
        obj = actions[index].obj
        year = obj.decided_on.year
        highest[year] += 1
        obj.public_id = f"EA-{year}-{highest[year]:04d}"
        counters[year] = highest[year]
    return counters


def write_actions(writer, actions, vocabulary):
    """Actions batch by batch, each batch with its links and history."""
    violations = vocabulary[Violation]
    for start in range(0, len(actions), writer.batch_size):
        plans = actions[start : start + writer.batch_size]
        for plan in plans:
            plan.obj.news_item_id = plan.item.pk
        # bulk_create skips save() and its signals: the amounts in yuan are worked out here.
        convert_actions(plan.obj for plan in plans)
        writer.bulk(EnforcementAction, [plan.obj for plan in plans])
        writer.link(EnforcementAction.regulators, [(p.obj.pk, r.pk) for p in plans for r in p.regulators])
        writer.link(EnforcementAction.legal_basis, [(p.obj.pk, i.pk) for p in plans for i in p.legal_basis])
        writer.link(EnforcementAction.violations, [(p.obj.pk, violations[v]) for p in plans for v in p.violations])
        writer.history(EnforcementAction, [plan.obj for plan in plans])
        writer.advance("enforcement actions", len(plans))


def write_public_id_counters(counters):
    """Move each year's counter past the ids given out here, so later saves continue after them."""
    existing = dict(PublicIdCounter.objects.values_list("year", "last_number"))
    for year, last_number in counters.items():
        if year in existing:
            if last_number > existing[year]:
                PublicIdCounter.objects.filter(year=year).update(last_number=last_number)
        else:
            PublicIdCounter.objects.create(year=year, last_number=last_number)
