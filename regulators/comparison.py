"""Two versions of a text compared article by article: which articles were added, removed,
changed (with the words that changed marked) or only renumbered.

Articles are matched by content first, so an article that moved or was renumbered without a word
changed is reported as renumbered ("Article 12 → Article 13"), never as changed. The articles
left are paired by how alike they are (an article under its old number, or moved and
reworded), and what still has no partner was added or removed.

Words are compared with diff-match-patch (Google's diff algorithm, with its semantic clean-up so
that a change reads as whole phrases, not scattered letters): Chinese character by character,
English word by word.
"""

import re
from collections import Counter
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join

from regulators.articles import split_articles

ADDED, REMOVED, CHANGED, RENUMBERED, UNCHANGED = "added", "removed", "changed", "renumbered", "unchanged"
# How alike two articles must be (the share of their words or characters in common) to count as
# one article reworded rather than one removed and another added; less under the same number.
SAME_ARTICLE_MOVED = 0.5
SAME_ARTICLE_IN_PLACE = 0.3
DIFF_TIMEOUT = 2.0  # seconds diff-match-patch may spend on one article before settling for a coarser diff

ENGLISH_WORDS = re.compile(r"\s+|\d+(?:[.,]\d+)*|\w+|[^\w\s]")  # 10,000 and 1.5 are one word
SPACES = re.compile(r"\s+")


def tokens(text, language):
    """What a difference is counted in: characters in Chinese, words (and the spaces and
    punctuation between them) in English."""
    return list(text) if language == "zh" else ENGLISH_WORDS.findall(text)


def same_words(text):
    """The text as compared for sameness: a line break or a run of spaces counts as one space."""
    return SPACES.sub(" ", text).strip()


def likeness(old_counts, new_counts):
    """The share of two token multisets they have in common (1.0 alike, 0.0 nothing shared)."""
    total = sum(old_counts.values()) + sum(new_counts.values())
    return 2 * sum((old_counts & new_counts).values()) / total if total else 1.0


def marked_difference(old, new, language):
    """HTML of the new text with what was removed in <del> and what was added in <ins>."""
    old_tokens, new_tokens = tokens(old, language), tokens(new, language)
    # diff-match-patch compares strings: each distinct token becomes one character, so that an
    # English diff moves whole words (the library's own lines-to-characters trick).
    alphabet = {}
    for token in old_tokens + new_tokens:
        alphabet.setdefault(token, chr(0xE000 + len(alphabet)) if len(alphabet) < 0x1900 else None)
    if None in alphabet.values():  # more distinct tokens than private-use characters: compare characters
        old_tokens, new_tokens = list(old), list(new)
        alphabet = {token: token for token in old_tokens + new_tokens}
    by_code = {code: token for token, code in alphabet.items()}
    differ = diff_match_patch()
    differ.Diff_Timeout = DIFF_TIMEOUT
    diffs = differ.diff_main("".join(alphabet[t] for t in old_tokens), "".join(alphabet[t] for t in new_tokens))
    differ.diff_cleanupSemantic(diffs)
    tags = {differ.DIFF_INSERT: "ins", differ.DIFF_DELETE: "del"}
    parts = []
    for operation, coded in diffs:
        words = as_html("".join(by_code[code] for code in coded))
        parts.append(
            format_html("<{}>{}</{}>", tags[operation], words, tags[operation]) if operation in tags else words
        )
    return format_html_join("", "{}", ((part,) for part in parts))


def as_html(text):
    """The text escaped, its line breaks kept (<br>)."""
    return linebreaksbr(text, autoescape=True)


@dataclass
class ArticleChange:
    """One article of either version and what became of it."""

    kind: str
    old: object = None  # regulators.articles.Article, or None for an added article
    new: object = None  # None for a removed article
    marked: str = ""  # the HTML shown: the changed text with <ins>/<del>, or the article's text

    @property
    def is_renumbered(self):
        return self.old is not None and self.new is not None and self.old.number != self.new.number

    @property
    def anchor(self):
        return f"new-{self.new.anchor}" if self.new else f"old-{self.old.anchor}"

    @property
    def label(self):
        return (self.new or self.old).label

    @property
    def chapter(self):
        return (self.new or self.old).chapter


@dataclass
class Comparison:
    language: str
    preamble: str  # HTML of the preambles' difference, "" when they read the same
    changes: list  # ArticleChange, in the newer version's order, removed articles where they stood

    def of_kind(self, *kinds):
        return [change for change in self.changes if change.kind in kinds]

    @property
    def changed(self):
        """What a reader looks for first: every article added, removed or reworded."""
        return self.of_kind(ADDED, REMOVED, CHANGED)

    @property
    def renumbered(self):
        return self.of_kind(RENUMBERED)

    @property
    def unchanged(self):
        return self.of_kind(UNCHANGED)


def match_articles(old_articles, new_articles, language):
    """{index of a new article: index of its old self}: identical texts first (the same number
    preferred), then the most alike remaining pairs."""
    pairs = {}
    old_free = set(range(len(old_articles)))
    by_words = {}
    for index, article in enumerate(old_articles):
        by_words.setdefault(same_words(article.text), []).append(index)
    for new_index, article in enumerate(new_articles):
        candidates = [index for index in by_words.get(same_words(article.text), []) if index in old_free]
        if candidates:
            old_index = min(candidates, key=lambda index: old_articles[index].number != article.number)
            pairs[new_index] = old_index
            old_free.discard(old_index)
    new_free = [index for index in range(len(new_articles)) if index not in pairs]
    if new_free and old_free:
        counts = {}

        def counted(article):
            words = (token for token in tokens(same_words(article.text), language) if not token.isspace())
            return counts.setdefault(id(article), Counter(words))

        scored = []
        for new_index in new_free:
            new = new_articles[new_index]
            for old_index in old_free:
                old = old_articles[old_index]
                in_place = old.number == new.number
                score = likeness(counted(old), counted(new))
                if score >= (SAME_ARTICLE_IN_PLACE if in_place else SAME_ARTICLE_MOVED):
                    scored.append((score + (0.1 if in_place else 0), -abs(old_index - new_index), new_index, old_index))
        for _score, _distance, new_index, old_index in sorted(scored, reverse=True):
            if new_index not in pairs and old_index in old_free:
                pairs[new_index] = old_index
                old_free.discard(old_index)
    return pairs


def compare_texts(old_text, new_text, language):
    """The articles of `new_text` set against those of `old_text` (see the module)."""
    old, new = split_articles(old_text), split_articles(new_text)
    pairs = match_articles(old.articles, new.articles, language)
    matched_old = set(pairs.values())
    removed = [index for index in range(len(old.articles)) if index not in matched_old]
    changes = []

    def removed_before(limit):
        while removed and removed[0] < limit:
            article = old.articles[removed.pop(0)]
            changes.append(ArticleChange(REMOVED, old=article, marked=as_html(article.text)))

    for new_index, article in enumerate(new.articles):
        if new_index not in pairs:
            changes.append(ArticleChange(ADDED, new=article, marked=as_html(article.text)))
            continue
        previous = old.articles[pairs[new_index]]
        removed_before(pairs[new_index])
        if same_words(previous.text) != same_words(article.text):
            marked = marked_difference(previous.text, article.text, language)
            changes.append(ArticleChange(CHANGED, old=previous, new=article, marked=marked))
        else:
            kind = RENUMBERED if previous.number != article.number else UNCHANGED
            changes.append(ArticleChange(kind, old=previous, new=article, marked=as_html(article.text)))
        # The articles removed right after this one in the older version stood here.
        removed_before(min((index for index in matched_old if index > pairs[new_index]), default=len(old.articles)))
    removed_before(len(old.articles))
    preamble = ""
    if same_words(old.preamble) != same_words(new.preamble):
        preamble = marked_difference(old.preamble, new.preamble, language)
    return Comparison(language=language, preamble=preamble, changes=changes)
