"""How the demo texts are worded: sentence templates in two languages, dates and amounts.

A template is Markdown with {slots} (`Phrase`), rendered to HTML once and then filled; `Body`
gathers filled phrases into paragraphs and gives the Markdown and its HTML together.
"""

import functools
import re
from string import Formatter

from items.models import format_amount
from items.rendering import render_markdown

from .vocabulary import DAY, MONTH, YEAR

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip

# A slot value that Markdown would read as syntax; bodies using one are rendered in full.
MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]<>&\n\r\t\u00a0]|^\s|\s$|\s\s|^\d+[.)]|^[-+#=>]")


class Phrase:
    """One sentence of Markdown with {slots}: its HTML is rendered once, then filled per use.

    Filling the HTML with escaped values gives what `render_markdown` gives for the filled
    Markdown, as long as no value carries Markdown syntax (`Body` checks, and renders in full
    when one does); tests compare the two on every generated item.
    """

    def __init__(self, text):
        self.text = text
        self.slots = [name for _lit, name, _spec, _conv in Formatter().parse(text) if name]
        self._html = None

    @property
    def html(self):
        if self._html is None:
            tokens = {name: f"Zqx{index}xqZ" for index, name in enumerate(dict.fromkeys(self.slots))}
            html = render_markdown(self.text.format(**tokens))
            if not (html.startswith("<p>") and html.endswith("</p>\n")):
                raise ValueError(f"Not a single paragraph: {self.text!r}")
            html = html[3:-5].replace("{", "{{").replace("}", "}}")
            for name, token in tokens.items():
                html = html.replace(token, "{" + name + "}")
            self._html = html
        return self._html


def _phrases(*texts):
    return [Phrase(text) for text in texts]


@functools.lru_cache(maxsize=65536)
def _escape(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=65536)
def _is_plain(value):
    return not MARKDOWN_ACTIVE.search(value)


class Body:
    """Paragraphs of filled phrases, giving the Markdown and its HTML together."""

    def __init__(self):
        self.paragraphs = []
        self.plain = True

    def paragraph(self, *filled):
        if filled:
            self.paragraphs.append(list(filled))

    def fill(self, phrase, slots):
        values = {name: slots[name] for name in phrase.slots}
        if self.plain and not all(map(_is_plain, values.values())):
            self.plain = False
        return phrase.text.format(**values), (phrase, values)

    def markdown(self):
        return "\n\n".join(" ".join(text for text, _ in paragraph) for paragraph in self.paragraphs)

    def html(self):
        if not self.plain:
            return render_markdown(self.markdown())
        return "".join(
            "<p>"
            + " ".join(phrase.html.format(**{k: _escape(v) for k, v in values.items()}) for _, (phrase, values) in p)
            + "</p>\n"
            for p in self.paragraphs
        )


# What each action type did, for bodies and summaries: English, Chinese.
ACTION_VERBS = {
    "fine": (Phrase("{when}, the {reg_intro} imposed a fine of {amount} on {target} for {violation}."),
             Phrase("{when_zh}，{reg_zh}因{target_zh}{violation_zh}，对其处以{amount_zh}罚款。")),
    "rectification_order": (Phrase("{when}, the {reg_intro} ordered {target} to rectify within a time limit "
                                   "for {violation}."),
                            Phrase("{when_zh}，{reg_zh}责令{target_zh}限期整改{violation_zh}问题。")),
    "app_removal": (Phrase("{when}, the {reg_intro} ordered app stores to remove {target} for {violation}."),
                    Phrase("{when_zh}，{reg_zh}因{violation_zh}，要求应用商店下架{target_zh}。")),
    "public_naming": (Phrase("{when}, the {reg_intro} publicly named {target} for {violation}."),
                      Phrase("{when_zh}，{reg_zh}通报{target_zh}存在{violation_zh}问题。")),
    "suspension": (Phrase("{when}, the {reg_intro} suspended {target} for {violation}."),
                   Phrase("{when_zh}，{reg_zh}因{violation_zh}暂停{target_zh}相关业务。")),
    "warning": (Phrase("{when}, the {reg_intro} issued a warning to {target} for {violation}."),
                Phrase("{when_zh}，{reg_zh}因{violation_zh}对{target_zh}予以警告。")),
    "regulatory_talk": (Phrase("{when}, the {reg_intro} summoned the managers of {target} for a regulatory talk "
                               "over {violation}."),
                        Phrase("{when_zh}，{reg_zh}就{violation_zh}问题约谈{target_zh}负责人。")),
    "administrative_detention": (Phrase("{when}, the {reg_intro} placed {target} under {sentence} for {violation}."),
                                 Phrase("{when_zh}，{reg_zh}因{violation_zh}对{target_zh}处以{sentence_zh}。")),
    "criminal_sentence": (Phrase("{when}, the {reg_intro} sentenced {target} to {sentence} for {violation}."),
                          Phrase("{when_zh}，{reg_zh}以侵犯公民个人信息罪判处{target_zh}{sentence_zh}。")),
    "civil_judgment": (Phrase("{when}, the {reg_intro} ordered {target} to pay {damages} in damages for {violation}."),
                       Phrase("{when_zh}，{reg_zh}判令{target_zh}赔偿{damages_zh}。")),
    "settlement": (Phrase("{when}, the {reg_intro} announced that {target} had agreed to pay {amount} to settle "
                          "allegations of {violation}."),
                   Phrase("{when_zh}，{reg_zh}宣布{target_zh}同意支付{amount_zh}，就{violation_zh}指控达成和解。")),
    "complaint_filed": (Phrase("{when}, the {reg_intro} brought proceedings against {target} over {violation}."),
                        Phrase("{when_zh}，{reg_zh}就{violation_zh}对{target_zh}提起诉讼。")),
    "other": (Phrase("{when}, the {reg_intro} reported the results of its investigation of {target} for {violation}."),
              Phrase("{when_zh}，{reg_zh}通报了对{target_zh}{violation_zh}问题的调查结果。")),
}  # fmt: skip
# One line per action when an item reports several.
ACTION_OUTCOMES = {
    "fine": Phrase("{target}: a fine of {amount}."),
    "rectification_order": Phrase("{target}: ordered to rectify."),
    "app_removal": Phrase("{target}: removed from app stores."),
    "public_naming": Phrase("{target}: publicly named."),
    "suspension": Phrase("{target}: suspended."),
    "warning": Phrase("{target}: a warning."),
    "regulatory_talk": Phrase("{target}: summoned for a regulatory talk."),
    "administrative_detention": Phrase("{target}: {sentence}."),
    "criminal_sentence": Phrase("{target}: {sentence}."),
    "civil_judgment": Phrase("{target}: damages of {damages}."),
    "settlement": Phrase("{target}: a settlement of {amount}."),
    "complaint_filed": Phrase("{target}: proceedings brought."),
    "other": Phrase("{target}: investigated."),
}
ENFORCEMENT_HEADLINES = {
    "fine": ("{reg} Fines {target} {amount} for {violation_title}", "{reg_zh}对{target_zh}处以{amount_zh}罚款"),
    "rectification_order": ("{reg} Orders {target} to Rectify {violation_title}", "{reg_zh}责令{target_zh}限期整改"),
    "app_removal": ("{reg} Removes {target} from App Stores for {violation_title}", "{reg_zh}下架{target_zh}"),
    "public_naming": ("{reg} Names {target} for {violation_title}", "{reg_zh}通报{target_zh}{violation_zh}"),
    "suspension": ("{reg} Suspends {target} over {violation_title}", "{reg_zh}暂停{target_zh}相关业务"),
    "warning": ("{reg} Warns {target} over {violation_title}", "{reg_zh}对{target_zh}予以警告"),
    "regulatory_talk": ("{reg} Holds Regulatory Talk with {target} over {violation_title}", "{reg_zh}约谈{target_zh}"),
    "administrative_detention": ("{reg} Detains {target} for {violation_title}", "{reg_zh}对{target_zh}处以行政拘留"),
    "criminal_sentence": ("{reg} Sentences {target} for {violation_title}", "{reg_zh}判处{target_zh}{sentence_zh}"),
    "civil_judgment": ("{reg} Orders {target} to Pay {damages} in Damages", "{reg_zh}判令{target_zh}赔偿{damages_zh}"),
    "settlement": ("{target} Settles {reg} Allegations of {violation_title} for {amount}",
                   "{target_zh}与{reg_zh}达成和解"),
    "complaint_filed": ("{reg} Brings Proceedings against {target} over {violation_title}",
                        "{reg_zh}对{target_zh}提起诉讼"),
    "other": ("{reg} Reports on Investigation of {target}", "{reg_zh}通报对{target_zh}的调查结果"),
}  # fmt: skip
GROUP_LEAD = (Phrase("{when}, the {reg_intro} announced {count} cases of {violation}."),
              Phrase("{when_zh}，{reg_zh}通报{count}起{violation_zh}案件。"))  # fmt: skip
GROUP_REST = (Phrase("The other {rest} cases were handled in the same way."), Phrase("其余{rest}起案件已依法处理。"))
BASIS = (
    Phrase("The {reg} found that this violated the *{basis}*."),
    Phrase("{reg_zh}认定，上述行为违反了《{basis_zh}》。"),
)

REGULATION_TEXTS = {
    "draft": (("{reg} Seeks Public Comments on the {title}", "{reg_zh}就《{title_zh}》公开征求意见"),
              Phrase("{when}, the {reg_intro} released the *{title}* for public comment."),
              Phrase("{when_zh}，{reg_zh}发布《{title_zh}》（征求意见稿），公开征求意见。")),
    "adopted": (("{reg} Issues the {title}", "{reg_zh}发布《{title_zh}》"),
                Phrase("{when}, the {reg_intro} issued the *{title}*."),
                Phrase("{when_zh}，{reg_zh}正式发布《{title_zh}》。")),
    "in_force": (("The {title} Takes Effect", "《{title_zh}》正式施行"),
                 Phrase("{when}, the *{title}* issued by the {reg_intro} took effect."),
                 Phrase("{when_zh}，{reg_zh}发布的《{title_zh}》正式施行。")),
    "amended": (("{reg} Amends the {title}", "{reg_zh}修订《{title_zh}》"),
                Phrase("{when}, the {reg_intro} published an amended version of the *{title}*."),
                Phrase("{when_zh}，{reg_zh}公布修订后的《{title_zh}》。")),
    "repealed": (("{reg} Repeals the {title}", "{reg_zh}废止《{title_zh}》"),
                 Phrase("{when}, the {reg_intro} announced that the *{title}* would be repealed."),
                 Phrase("{when_zh}，{reg_zh}宣布废止《{title_zh}》。")),
    "withdrawn": (("{reg} Withdraws the Draft {title}", "{reg_zh}撤回《{title_zh}》草案"),
                  Phrase("{when}, the {reg_intro} withdrew the draft *{title}*."),
                  Phrase("{when_zh}，{reg_zh}撤回《{title_zh}》草案。")),
}  # fmt: skip
DEADLINE = (Phrase("Comments may be submitted until {deadline}."), Phrase("意见反馈截止日期为{deadline_zh}。"))
EFFECTIVE = (Phrase("It takes effect on {effective}."), Phrase("该文件自{effective_zh}起施行。"))
IMPLEMENTS = (Phrase("It implements the *{law}*."), Phrase("该文件旨在落实《{law_zh}》。"))

CAMPAIGN = (("{reg} Launches Special Campaign on {subject}", "{reg_zh}开展{subject_zh}专项行动"),
            Phrase("{when}, the {reg_intro} launched a special campaign on {subject_lower}."),
            Phrase("{when_zh}，{reg_zh}部署开展{subject_zh}专项行动。"))  # fmt: skip
INDUSTRY = [
    (("{org} Publishes White Paper on {subject}", "{org_zh}发布{subject_zh}白皮书"),
     Phrase("{when}, {org} published a white paper on {subject_lower}."),
     Phrase("{when_zh}，{org_zh}发布{subject_zh}白皮书。")),
    (("{count} Companies Sign Self-regulatory Convention on {subject}", "{count}家企业签署{subject_zh}自律公约"),
     Phrase("{when}, {count} companies signed a self-regulatory convention on {subject_lower}."),
     Phrase("{when_zh}，{count}家企业签署{subject_zh}自律公约。")),
    (("{org} Obtains Certification for {subject}", "{org_zh}通过{subject_zh}认证"),
     Phrase("{when}, {org} announced that it had obtained certification for {subject_lower}."),
     Phrase("{when_zh}，{org_zh}宣布通过{subject_zh}认证。")),
]  # fmt: skip
VIEWS = (("{series} ({number}): {subject}", "{series_zh}（{number}）：{subject_zh}"),
         Phrase("In this article we look at {subject_lower} and what it means for companies doing business in "
                "China."),
         Phrase("本文分析{subject_zh}相关要求及其对在华企业的影响。"))  # fmt: skip

FILLERS = {
    "enforcement": _phrases(
        "The {reg} said it would keep up its campaign against apps and platforms that infringe users' rights.",
        "The companies concerned must complete rectification within the time limit or face further measures.",
        "According to the {reg}, the problems were found through technical testing and user complaints.",
        "The {reg} reminded operators that personal information may be collected only as far as their services need.",
        "This is one of a series of actions the {reg} has taken this year.",
        "Users whose rights were infringed were encouraged to complain through the official channels.",
    ),
    "regulation": _phrases(
        "The text covers {subject_lower} and sets out the obligations of personal information handlers.",
        "It clarifies the procedures for {subject_lower} and the legal liability for violations.",
        "The text was drafted to implement higher-level laws and to respond to problems seen in practice.",
        "It provides for a transition period so that companies can adjust their compliance programmes.",
        "Industry associations are expected to help companies understand the new requirements.",
    ),
    "general": _phrases(
        "The move is part of a wider effort to protect personal information in the digital economy.",
        "Observers expect further guidance on implementation in the coming months.",
        "Companies are advised to review their data processing practices in light of these developments.",
        "Regulators have repeatedly said that protecting users' rights and interests remains a priority.",
        "Platform operators bear primary responsibility for the security of the data they process.",
    ),
    "views": _phrases(
        "We set out the key obligations, the open questions and practical steps towards compliance.",
        "Employers and service providers alike will need to revisit their internal policies.",
        "We will follow the implementation closely and report on further developments.",
        "In our experience, regulators look first at notices, consent flows and data maps.",
    ),
}
FILLERS_ZH = {
    "enforcement": _phrases("{reg_zh}表示，将持续开展APP侵害用户权益专项整治行动。",
                            "相关企业须在规定期限内完成整改，逾期未整改的将依法处置。",
                            "据{reg_zh}介绍，上述问题系通过技术检测和用户举报发现。"),
    "regulation": _phrases("该文件明确了{subject_zh}的具体要求和法律责任。",
                           "该文件设置了过渡期，便于企业调整合规安排。"),
    "general": _phrases("此举是加强数字经济领域个人信息保护的重要举措。", "业内人士预计，相关配套细则将陆续出台。"),
    "views": _phrases("我们梳理了主要义务、待明确的问题以及合规建议。", "我们将持续关注相关进展。"),
}  # fmt: skip


def lower_phrase(text):
    """'Mobile Application SDK Security' -> 'mobile application SDK security'."""
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in text.split(" "))


def english_date(value, precision):
    if value is None:
        return ""
    if precision == YEAR:
        return str(value.year)
    if precision == MONTH:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def chinese_date(value, precision):
    if value is None:
        return ""
    if precision == YEAR:
        return f"{value.year}年"
    if precision == MONTH:
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def when_phrases(value, precision):
    """The opening of a sentence: 'On April 9, 2021' / 'In April 2021' / 'Recently', and in Chinese."""
    if value is None:
        return "Recently", "近日"
    prefix = "On" if precision == DAY else "In"
    return f"{prefix} {english_date(value, precision)}", chinese_date(value, precision)


def chinese_amount(amount, currency):
    if amount is None:
        return ""
    if currency == "CNY":
        return f"人民币{format_amount(amount, '')}元"
    return format_amount(amount, currency)
