"""Section headings: which paragraph opens a section, and which Section it files items under.

The names of the Section rows (English and Chinese) are headings too, so a section that
editors add in the admin is recognised without a deploy; the aliases cover the wordings the
newsletters use ("Courts Litigation", "海外动态 Overseas News", "Key highlights").
"""

import re

from items.importers.paragraphs import CJK

KEY_HIGHLIGHTS = "key-highlights"

ALIASES = {
    "domestic-news": ["Domestic News", "China News", "Domestic Developments", "国内要闻", "国内动态", "国内新闻"],
    "overseas-news": [
        "Overseas News",
        "International News",
        "Global News",
        "Overseas Developments",
        "International Developments",
        "海外动态",
        "海外要闻",
        "国际动态",
    ],
    "our-views": ["Our Views", "Our View", "Our Insights", "Insights", "我们的观点"],
    "regulatory-developments": [
        "Regulatory Developments",
        "Regulatory Development",
        "Regulatory Updates",
        "Legislative and Regulatory Developments",
        "Legislative Developments",
        "监管动态",
        "立法动态",
    ],
    "enforcement-developments": [
        "Enforcement Developments",
        "Enforcement Development",
        "Enforcement Updates",
        "Enforcement Actions",
        "执法动态",
    ],
    "industry-developments": ["Industry Developments", "Industry Development", "Industry Updates", "行业动态"],
    "courts-and-litigation": [
        "Courts and Litigation",
        "Courts Litigation",
        "Court and Litigation",
        "Litigation",
        "Judicial Developments",
        "Judicial Cases",
        "Court Cases",
        "司法诉讼",
        "司法动态",
        "司法案例",
    ],
    KEY_HIGHLIGHTS: ["Key Highlights", "Key Highlight", "Highlights", "要点速览", "本期要点"],
}

LEADING_NUMBER = re.compile(
    r"^(?:[IVXLC]+[.、)]|\d{1,2}[.、)]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）])\s*"
)


def heading_key(text):
    text = LEADING_NUMBER.sub("", text.strip().replace("**", ""))
    text = text.replace("&", " and ").casefold()
    text = re.sub(r"[^\w\u4e00-\u9fff]+", " ", text)
    return " ".join(text.split())


class SectionVocabulary:
    """Maps heading wordings to Section slugs."""

    def __init__(self, sections=()):
        """`sections`: (slug, name, name_zh) of the Section rows, added to the built-in aliases."""
        self.by_key = {}
        for slug, names in ALIASES.items():
            for name in names:
                self.by_key.setdefault(heading_key(name), slug)
        for slug, name, name_zh in sections:
            for name_variant in (name, name_zh):
                if name_variant:
                    self.by_key.setdefault(heading_key(name_variant), slug)

    def match(self, paragraph):
        """The slug of the section this paragraph opens, or None if it is not a heading."""
        text = paragraph.strip()
        if not text or len(text) > 80 or text.endswith((".", "。")):
            return None
        key = heading_key(text.rstrip(":："))
        if key in self.by_key:
            return self.by_key[key]
        # A bilingual heading: "国内要闻 Domestic News" — both halves must name the same section.
        chinese = "".join(CJK.findall(text))
        latin = heading_key(CJK.sub(" ", text))
        slugs = {self.by_key.get(heading_key(chinese)), self.by_key.get(latin)}
        slugs.discard(None)
        if len(slugs) == 1 and chinese and latin:
            return slugs.pop()
        return None
