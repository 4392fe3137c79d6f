"""A legal text split into its articles, so that two versions can be compared article by article.

Editors paste a version's whole text (Instrument.text_zh, Instrument.text_en). An article starts
on a line of its own with its heading: 第一条 … 第一百二十条 or 第13条 in Chinese, "Article 13" in
English; it runs, with all its paragraphs, to the next article's heading. What comes before the
first article (the title, the preamble, a table of contents) is the preamble. Headings of the
parts a text is divided into (第一章 / "Chapter I", 第二节 / "Section 2", 第一编 / "Part One")
are not articles: they are kept apart, and each article notes the chapter it falls under.

A heading is recognised only at the start of a line, so a cross-reference in running text
("依照本法第十条的规定", "under Article 10") never starts an article; nor does a line that merely
begins with one ("第十条规定的…", "Article 10 of the Law…").
"""

import re
import unicodedata
from dataclasses import dataclass, field

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = "[零〇一二两三四五六七八九十百千]+"

# Spaces a pasted Chinese text uses between heading and text: ASCII, the ideographic space, NBSP.
SPACE = r"[ \t\u3000\u00a0]"
# After 第十条 a reference goes on with one of these (第十条规定的, 第十条、第十一条, 第十条第二款);
# an article's own text starts with anything else (为了…, 本法…, 国家…).
REFERENCE_CONTINUATIONS = "规的所之、，,和或及至中第款项内（("

CHINESE_ARTICLE = re.compile(rf"^{SPACE}*第{SPACE}*({CHINESE_NUMERAL}|[0-9０-９]+){SPACE}*条(?P<rest>.*)$")
CHINESE_DIVISION = re.compile(
    rf"^{SPACE}*第{SPACE}*({CHINESE_NUMERAL}|[0-9０-９]+){SPACE}*(编|分编|章|节)(?![{REFERENCE_CONTINUATIONS}])"
)
ENGLISH_ARTICLE = re.compile(r"^\s*Article\s+([0-9]+)\b(?P<sep>\s*[.:：\-–—]?)(?P<rest>.*)$", re.IGNORECASE)
ENGLISH_DIVISION = re.compile(
    r"^\s*(Part|Chapter|Section)\s+([0-9]+|[IVXLC]+|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b",
    re.IGNORECASE,
)
# "Article 10 of the Law…", "Article 10 and 11…": a reference at a line's start, not a heading.
ENGLISH_REFERENCE_WORDS = re.compile(
    r"^\s*(of|and|or|to|through|shall|in|under|above|below|hereof|applies|apply)\b", re.IGNORECASE
)
MAX_DIVISION_HEADING = 80  # characters: a longer line starting "Chapter 2…" is a sentence, not a heading


@dataclass
class Article:
    number: int  # 10 for 第十条 and for "Article 10"
    label: str  # the heading as the text writes it: 第十条, 第10条, Article 10
    text: str  # its words after the heading, paragraphs separated by newlines
    chapter: str = ""  # the heading of the chapter (or section) it falls under, if any

    @property
    def anchor(self):
        return f"article-{self.number}"


@dataclass
class ArticleText:
    preamble: str = ""
    articles: list = field(default_factory=list)
    divisions: list = field(default_factory=list)  # chapter, section and part headings, in order

    def __bool__(self):
        return bool(self.preamble or self.articles)


def chinese_number(numeral):
    """The value of a Chinese numeral as article numbers write it: 十 10, 十二 12, 一百一十 110,
    一百零五 105, 二百 200, 一千零一 1001. Arabic digits are read as they are."""
    numeral = unicodedata.normalize("NFKC", numeral)
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, None
    for character in numeral:
        if character in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[character]
        else:
            # 十 alone, or at the start (十二), counts one ten.
            total += (1 if digit is None else digit) * CHINESE_UNITS[character]
            digit = None
    return total + (digit or 0)


def clean_lines(text):
    """The text's lines, without trailing spaces, blank lines dropped (its punctuation as written)."""
    return [line.rstrip() for line in (text or "").splitlines() if line.strip()]


def is_division(line):
    if len(line.strip()) > MAX_DIVISION_HEADING:
        return False
    return bool(CHINESE_DIVISION.match(line) or ENGLISH_DIVISION.match(line))


def article_heading(line):
    """(number, label, rest of the line) when the line starts an article, else None."""
    match = CHINESE_ARTICLE.match(line)
    if match:
        rest = match.group("rest")
        if rest and rest[0] in REFERENCE_CONTINUATIONS:
            return None
        label = re.sub(SPACE, "", line[: match.start("rest")])
        return chinese_number(match.group(1)), label, rest.strip(" \t\u3000\u00a0")
    match = ENGLISH_ARTICLE.match(line)
    if match:
        rest = match.group("rest")
        if not match.group("sep").strip() and ENGLISH_REFERENCE_WORDS.match(rest):
            return None
        return int(match.group(1)), f"Article {int(match.group(1))}", rest.strip()
    return None


def split_articles(text):
    """The text's preamble, its articles in order and its chapter headings (see the module)."""
    result = ArticleText()
    preamble, bodies, chapter = [], [], ""
    body = preamble  # where the next line of text goes: the preamble, an article, or a heading
    for line in clean_lines(text):
        heading = article_heading(line)
        if heading:
            number, label, rest = heading
            body = [rest] if rest else []
            bodies.append(body)
            result.articles.append(Article(number=number, label=label, text="", chapter=chapter))
        elif is_division(line):
            chapter = line.strip()
            result.divisions.append(chapter)
            body = None
        elif body is None:
            # A line between a chapter's heading and its first article is the chapter's title
            # ("CHAPTER I" / "GENERAL PROVISIONS").
            chapter = result.divisions[-1] = f"{chapter} {line.strip()}"
        else:
            body.append(line.strip())
    for article, lines in zip(result.articles, bodies, strict=True):
        article.text = "\n".join(lines)
    result.preamble = "\n".join(preamble)
    return result
