"""The text of a newsletter as a list of paragraphs, and the marks every format shares.

Extraction from PDF, Word or HTML leaves the same kinds of damage whatever the newsletter:
lines wrapped inside a paragraph, page breaks in the middle of a sentence, "(More)" links,
footer boilerplate. These helpers undo it, so the format modules only read structure.
"""

import re
import unicodedata

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")

# "(More)", "([More](#))", "[\(More\)](#)", "(<u>More</u>)", "（[查看更多](#)）": the link to the full article.
MORE_WORDS = r"(?:read\s+more|more|full\s+text|查看更多|更多|阅读全文|阅读原文|详情)"
MORE_MARKER = re.compile(
    rf"""\s*(?:
        [\(（\[]?\s*\[\s*\\?[\(（]?\s*(?:<u>)?\s*{MORE_WORDS}\s*(?:</u>)?\s*\\?[\)）]?\s*\]\([^)\s]*\)\s*[\)）]?
      | [\(（]\s*(?:<u>)?\s*{MORE_WORDS}\s*(?:</u>)?\s*[\)）]
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
SENTENCE_END = re.compile(r"[.!?。！？；;][\"'”’)）\]]*$")

# Paragraphs that end a newsletter's content: disclaimers, subscription blurbs, addresses.
BOILERPLATE = re.compile(
    r"""^(?:this\s+newsletter\s+has\s+been\s+prepared
        |the\s+content\s+of\s+this\s+(?:article|newsletter)
        |this\s+(?:article|newsletter)\s+is\s+(?:for|intended)
        |subscribe\s+to\b
        |disclaimer\b
        |立方律师事务所编写
        |扫码关注
        |本(?:文|期|刊)(?:仅|内容)
        )""",
    re.IGNORECASE | re.VERBOSE,
)
CONTACT_LINE = re.compile(r"^(?:www\.|email:|e-mail:|tel:|fax:|https?://\S+$)|(?:\s\|\s.*){2,}", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$", re.IGNORECASE)


def normalise_text(text):
    """One kind of newline, no byte-order mark, no invisible characters, no non-breaking spaces."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    text = text.replace("\xa0", " ").replace("\u3000", " ").replace("\t", " ")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def join_lines(first, second):
    """Join two pieces of one paragraph: no space between Chinese characters or after a hyphen."""
    first, second = first.rstrip(), second.lstrip()
    if not first:
        return second
    if not second:
        return first
    if (CJK.match(first[-1]) and CJK.match(second[0])) or first.endswith("-"):
        return first + second
    return f"{first} {second}"


def split_paragraphs(text):
    """Paragraphs of the text, whichever way the extraction separated them.

    Most extractions put a blank line between paragraphs and may wrap long ones over several
    lines (PDF); some put one paragraph per line with no blank lines at all. A text without
    blank lines between its lines is read one line per paragraph.
    """
    text = normalise_text(text)
    lines = text.strip("\n").split("\n")
    non_blank = [line for line in lines if line.strip()]
    blank_separated = len(non_blank) < 0.8 * len(lines) or len(non_blank) < 3
    if not blank_separated:
        return [" ".join(line.split()) for line in non_blank]
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        block_lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not block_lines:
            continue
        if len(block_lines) > 1 and all(CONTACT_LINE.search(line) for line in block_lines):
            # Lines stacked on purpose (addresses, city lists): keep them apart.
            paragraphs.extend(block_lines)
            continue
        joined = block_lines[0]
        for line in block_lines[1:]:
            joined = join_lines(joined, line)
        paragraphs.append(joined.strip())
    return [re.sub(r"[ ]{2,}", " ", paragraph) for paragraph in paragraphs]


def strip_more_marker(paragraph):
    """The paragraph without its trailing "(More)" link, and whether it had one."""
    stripped = MORE_MARKER.sub("", paragraph)
    return stripped.rstrip(), stripped != paragraph


def has_more_marker(paragraph):
    return bool(MORE_MARKER.search(paragraph))


def ends_sentence(paragraph):
    text, had_marker = strip_more_marker(paragraph)
    return had_marker or bool(SENTENCE_END.search(text))


def is_chinese(text):
    """Mostly Chinese: more Chinese characters than Latin letters."""
    plain = strip_markup(text)
    cjk, latin = len(CJK.findall(plain)), len(LATIN.findall(plain))
    return cjk > 0 and cjk >= latin / 2


def strip_markup(text):
    """Plain text for matching: no Markdown emphasis or links, straight quotes."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("<u>", "").replace("</u>", "")
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")")
    return text


def is_boilerplate(paragraph):
    return bool(BOILERPLATE.match(paragraph.strip()))


def is_noise(paragraph):
    """Page numbers, contact lines and city lists: not content."""
    text = paragraph.strip()
    return bool(PAGE_NUMBER.match(text) or CONTACT_LINE.search(text))


def word_count(text):
    return len(strip_markup(text).split()) + len(CJK.findall(text)) // 2


def looks_like_headline(paragraph, max_words=40):
    """Short, no closing full stop, no "(More)": a title rather than a paragraph of prose."""
    text = paragraph.strip()
    if not text or has_more_marker(text) or len(text) > 300 or word_count(text) > max_words:
        return False
    if re.search(r"[.。;；:：,，]$", text):
        return False
    first = strip_markup(text).lstrip("\"“'‘(《")[:1]
    return bool(first) and (first.isupper() or first.isdigit() or bool(CJK.match(first)))


SENTENCE_SPLIT = re.compile(r"(?<=[.!?。！？])[\"'”’)）]*\s+(?=[\"“'‘(（*]*[A-Z0-9\u4e00-\u9fff])|(?<=[。！？])(?=\S)")
# Full stops that do not end a sentence: company suffixes, titles, common abbreviations.
ABBREVIATION_BEFORE = re.compile(
    r"(?:\b(?:Co|Ltd|Inc|Corp|No|Nos|Art|Arts|St|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|vs|etc|e\.g|i\.e|U\.S|U\.K|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|para|Para|Sec|sec|cf)|\b[A-Z])\.$"
)


COMPANY_END = re.compile(r"\b(?:Co|Ltd|Inc|Corp)\.$")
SENTENCE_OPENER = re.compile(
    r"^(?:The|This|These|That|Those|It|Its|In|On|At|After|Before|According|Among|Meanwhile|However|Previously|"
    r"Furthermore|Moreover|Besides|As|Once|Although|Since|Both|Its|They|Their)\b"
)


def split_sentences(text):
    """Sentences of a paragraph, keeping "Co., Ltd." and "No. 5" inside their sentence."""
    pieces = SENTENCE_SPLIT.split(text)
    sentences = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        company_then_sentence = sentences and COMPANY_END.search(sentences[-1]) and SENTENCE_OPENER.match(piece)
        if sentences and ABBREVIATION_BEFORE.search(sentences[-1]) and not company_then_sentence:
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def first_sentence(text):
    sentences = split_sentences(strip_markup(text))
    return sentences[0] if sentences else ""
