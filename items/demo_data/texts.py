"""The words of news items, their sources and the summaries of the actions they report.

Headline and body, in English and, for bilingual items, Chinese, filled from the item's plan
and the phrase templates of phrases.py.
"""

import re

from items.models import NewsItem, Source, format_amount

from .phrases import (
    ACTION_OUTCOMES,
    ACTION_VERBS,
    BASIS,
    CAMPAIGN,
    DEADLINE,
    EFFECTIVE,
    ENFORCEMENT_HEADLINES,
    FILLERS,
    FILLERS_ZH,
    GROUP_LEAD,
    GROUP_REST,
    IMPLEMENTS,
    INDUSTRY,
    REGULATION_TEXTS,
    VIEWS,
    Body,
    chinese_amount,
    chinese_date,
    english_date,
    lower_phrase,
    when_phrases,
)
from .vocabulary import DEFAULT_VIOLATION, SUBJECTS, VIOLATION_BY_SLUG

PRESS = [
    ("Xinhua News Agency", "http://www.xinhuanet.com/tech/", "zh"),
    ("People's Daily Online", "http://it.people.com.cn/n1/", "zh"),
    ("The Paper", "https://www.thepaper.cn/newsDetail_forward_", "zh"),
    ("Caixin", "https://www.caixin.com/", "zh"),
    ("21st Century Business Herald (21jingji.com)", "https://m.21jingji.com/article/", "zh"),
    ("Sina Finance", "https://finance.sina.com.cn/tech/", "zh"),
    ("Legal Daily", "http://www.legaldaily.com.cn/", "zh"),
    ("China Daily", "https://www.chinadaily.com.cn/a/", "en"),
    ("South China Morning Post", "https://www.scmp.com/tech/", "en"),
    ("Reuters", "https://www.reuters.com/technology/", "en"),
    ("Lexology", "https://www.lexology.com/library/detail.aspx?g=", "en"),
    ("IAPP", "https://iapp.org/news/a/", "en"),
]
VIEW_SERIES = [("Employee Data Protection Series", "员工数据保护系列"),
               ("Cross-border Transfer Series", "数据出境系列"), ("PIPL Compliance Series", "个人信息保护法合规系列"),
               ("Data Security Law Series", "数据安全法系列"),
               ("AI Governance Series", "人工智能治理系列")]  # fmt: skip
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def build_source(rng, plan, item, footnote, official_allowed):
    official = plan.regulators[0] if plan.regulators and official_allowed else None
    when = plan.event_date or plan.issue.issued_on
    if official and official.website and rng.random() < 0.6:
        base = official.website.rstrip("/")
        language = "zh" if official.jurisdiction.startswith("CN") else "en"
        return Source(
            news_item=item,
            url=f"{base}/{when:%Y%m}/t{when:%Y%m%d}_{rng.getrandbits(32)}.html",
            label=official.name,
            footnote=footnote,
            language=language,
            is_official=True,
        )
    label, base, language = rng.choice(PRESS)
    return Source(
        news_item=item,
        url=f"{base}{when:%Y%m%d}/{rng.getrandbits(48):012x}.html",
        label=label,
        footnote=footnote,
        language=language,
        is_official=False,
    )


def item_slots(plan):
    when, when_zh = when_phrases(plan.event_date, plan.precision)
    slots = {"when": when, "when_zh": when_zh}
    if plan.regulators:
        regulator = plan.regulators[0]
        short = regulator.abbreviation or regulator.name
        intro = f'{regulator.name} ("{regulator.abbreviation}")' if regulator.abbreviation else regulator.name
        slots.update(reg=short, reg_intro=intro, reg_zh=regulator.name_zh or regulator.name)
    if plan.subject is not None:
        subject, subject_zh, _topics = SUBJECTS[plan.subject]
        slots.update(subject=subject, subject_lower=lower_phrase(subject), subject_zh=subject_zh)
    return slots


def build_item(rng, plan, section_id, instruments):
    slots = item_slots(plan)
    body, body_zh = Body(), Body()
    if plan.actions:
        headline, headline_zh = _enforcement_text(rng, plan, slots, body, body_zh)
        filler = "enforcement"
    elif plan.instrument is not None:
        headline, headline_zh = _regulation_text(instruments, plan, slots, body, body_zh)
        filler = "regulation"
    elif plan.kind == "industry" and plan.org:
        org = plan.org
        slots.update(org=org.obj.name, org_zh=org.name_zh, count=str(plan.count))
        (title, title_zh), lead, lead_zh = rng.choice(INDUSTRY)
        headline, headline_zh = title.format(**slots), title_zh.format(**slots)
        body.paragraph(body.fill(lead, slots))
        body_zh.paragraph(body_zh.fill(lead_zh, slots))
        filler = "general"
    elif plan.kind == "campaign" and plan.regulators:
        (title, title_zh), lead, lead_zh = CAMPAIGN
        headline, headline_zh = title.format(**slots), title_zh.format(**slots)
        body.paragraph(body.fill(lead, slots))
        body_zh.paragraph(body_zh.fill(lead_zh, slots))
        filler = "enforcement"
    else:
        series, series_zh = VIEW_SERIES[plan.subject % len(VIEW_SERIES)]
        number = rng.randrange(len(ROMAN))
        slots.update(series=series, series_zh=series_zh, number=ROMAN[number], reg="the regulator", reg_zh="监管部门")
        (title, title_zh), lead, lead_zh = VIEWS
        headline, headline_zh = title.format(**slots), title_zh.replace("{number}", str(number + 1)).format(**slots)
        body.paragraph(body.fill(lead, slots))
        body_zh.paragraph(body_zh.fill(lead_zh, slots))
        filler = "views"
    slots.setdefault("reg", "the regulator")
    slots.setdefault("reg_zh", "监管部门")
    slots.setdefault("subject_lower", "personal information protection")
    slots.setdefault("subject_zh", "个人信息保护")
    fillers = FILLERS[filler] + FILLERS["general"]
    body.paragraph(*(body.fill(p, slots) for p in rng.sample(fillers, rng.randint(1, 3))))
    item = NewsItem(
        issue_id=plan.issue.pk,
        section_id=section_id,
        position=plan.position,
        headline=headline[:500],
        event_date=plan.event_date,
        event_date_precision=plan.precision,
        jurisdiction=plan.jurisdiction,
        body=body.markdown(),
        body_html=body.html(),
    )
    if plan.bilingual:
        body_zh.paragraph(*(body_zh.fill(p, slots) for p in rng.sample(FILLERS_ZH[filler], 1)))
        item.headline_zh = headline_zh[:500]
        item.body_zh = body_zh.markdown()
        item.body_zh_html = body_zh.html()
    return item


def _action_slots(plan, slots):
    obj = plan.obj
    violation = VIOLATION_BY_SLUG[plan.violations[0]] if plan.violations else None
    title, lower, zh = (violation[3], violation[4], violation[5]) if violation else DEFAULT_VIOLATION
    amount = format_amount(obj.fine_amount, obj.currency)
    damages = format_amount(obj.damages_amount, obj.currency)
    sentence_zh = ""
    if obj.sentence:
        numbers = re.findall(r"\d+", obj.sentence)
        if "days" in obj.sentence:
            sentence_zh = f"行政拘留{numbers[0]}日"
        elif "months" in obj.sentence:
            sentence_zh = f"有期徒刑{numbers[0]}个月"
        elif "suspended" in obj.sentence:
            sentence_zh = f"缓刑{numbers[0]}年"
        else:
            sentence_zh = f"有期徒刑{numbers[0]}年"
    return dict(
        slots,
        target=obj.target,
        target_zh=plan.org_name_zh or obj.target,
        violation=lower,
        violation_title=title,
        violation_zh=zh,
        amount=amount,
        amount_zh=chinese_amount(obj.fine_amount, obj.currency),
        damages=damages,
        damages_zh=chinese_amount(obj.damages_amount, obj.currency),
        sentence=obj.sentence,
        sentence_zh=sentence_zh,
    )


def _enforcement_text(rng, plan, slots, body, body_zh):
    first = plan.actions[0]
    action_type = first.obj.action_type
    first_slots = _action_slots(first, slots)
    headline_template, headline_zh_template = ENFORCEMENT_HEADLINES[action_type]
    if len(plan.actions) == 1:
        headline = headline_template.format(**first_slots)
        headline_zh = headline_zh_template.format(**first_slots)
        verb, verb_zh = ACTION_VERBS[action_type]
        body.paragraph(body.fill(verb, first_slots))
        body_zh.paragraph(body_zh.fill(verb_zh, first_slots))
    else:
        count = len(plan.actions)
        fines = [p.obj.fine_amount for p in plan.actions if p.obj.fine_amount is not None]
        if (
            first.obj.target_count
            and first.obj.organisation is None
            and first.obj.action_type
            not in (
                "administrative_detention",
                "criminal_sentence",
            )
        ):
            total_targets = sum(p.obj.target_count or 0 for p in plan.actions)
            noun = first.obj.target.split(" ", 1)[1]
            target, target_zh = (
                f"{total_targets} {noun.title() if noun != 'SDKs' else noun}",
                f"{total_targets}个对象",
            )
        elif first.obj.action_type in ("administrative_detention", "criminal_sentence"):
            target, target_zh = f"{count} Defendants", f"{count}名被告人"
        else:
            target, target_zh = f"{count} Companies", f"{count}家企业"
        group = dict(first_slots, target=target, target_zh=target_zh, count=str(count))
        if fines:
            total = sum(fines)
            group.update(
                amount=f"a Total of {format_amount(total, first.obj.currency)}",
                amount_zh=f"合计{chinese_amount(total, first.obj.currency)}",
            )
        headline = headline_template.format(**group)
        headline_zh = headline_zh_template.format(**group)
        lead, lead_zh = GROUP_LEAD
        lines = [body.fill(lead, group)]
        for action in plan.actions[:6]:
            lines.append(body.fill(ACTION_OUTCOMES[action_type], _action_slots(action, slots)))
        if count > 6:
            lines.append(body.fill(GROUP_REST[0], {"rest": str(count - 6)}))
        body.paragraph(*lines)
        body_zh.paragraph(body_zh.fill(lead_zh, group))
    if first.legal_basis:
        law = first.legal_basis[0]
        basis = dict(first_slots, basis=law.title, basis_zh=law.title_zh or law.title)
        body.paragraphs[0].append(body.fill(BASIS[0], basis))
        body_zh.paragraphs[0].append(body_zh.fill(BASIS[1], basis))
    first.obj.summary = (
        ACTION_VERBS[action_type][0]
        .text.format(**dict(first_slots, when="On that day"))
        .replace("On that day, the ", "The ", 1)
    )
    for action in plan.actions[1:]:
        action_slots = _action_slots(action, dict(slots, when="On that day"))
        action.obj.summary = (
            ACTION_VERBS[action_type][0].text.format(**action_slots).replace("On that day, the ", "The ", 1)
        )
    return headline, headline_zh


def _regulation_text(instruments, plan, slots, body, body_zh):
    obj, _subject, issuers, implements = instruments.entries[plan.instrument]
    if not plan.regulators:
        slots.update(reg="The regulator", reg_intro="competent regulator", reg_zh="主管部门")
    status = obj.demo_stage
    values = dict(slots, title=obj.title, title_zh=obj.title_zh or obj.title)
    (title, title_zh), lead, lead_zh = REGULATION_TEXTS[status]
    headline, headline_zh = title.format(**values), title_zh.format(**values)
    lines, lines_zh = [body.fill(lead, values)], [body_zh.fill(lead_zh, values)]
    if obj.comment_deadline and status == "draft":
        deadline = dict(
            values,
            deadline=english_date(obj.comment_deadline, obj.comment_deadline_precision),
            deadline_zh=chinese_date(obj.comment_deadline, obj.comment_deadline_precision),
        )
        lines.append(body.fill(DEADLINE[0], deadline))
        lines_zh.append(body_zh.fill(DEADLINE[1], deadline))
    if obj.effective_on and status == "adopted":
        effective = dict(
            values,
            effective=english_date(obj.effective_on, obj.effective_on_precision),
            effective_zh=chinese_date(obj.effective_on, obj.effective_on_precision),
        )
        lines.append(body.fill(EFFECTIVE[0], effective))
        lines_zh.append(body_zh.fill(EFFECTIVE[1], effective))
    if implements:
        law = instruments.entries[implements[0]][0]
        implemented = dict(values, law=law.title, law_zh=law.title_zh or law.title)
        lines.append(body.fill(IMPLEMENTS[0], implemented))
        lines_zh.append(body_zh.fill(IMPLEMENTS[1], implemented))
    body.paragraph(*lines)
    body_zh.paragraph(*lines_zh)
    return headline, headline_zh
