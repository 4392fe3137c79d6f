"""Names in the reader's language: a record's Chinese name for a Chinese reader where it has one,
its English name otherwise, and a way for pages to say which of the two they show.

A record's `display_*` properties return a `ReaderText`: a string that knows whether it is the
English fallback shown to a Chinese reader (`is_fallback`). Templates print it with the
`{{ text|in_reader_language }}` filter (core/templatetags/bilingual.py), which marks such a
fallback `lang="en"` with a quiet "EN" marker (static/css/site.css), so an English name inside a
Chinese page is never passed off as Chinese.
"""

from django.utils.translation import get_language


def reader_wants_chinese():
    return (get_language() or "").lower().startswith("zh")


class ReaderText(str):
    """A name as shown to this reader; `is_fallback` when it is English shown in place of Chinese."""

    is_fallback = False

    @property
    def lang(self):
        """The `lang` a page gives this text when it differs from the page's own: "en" or ""."""
        return "en" if self.is_fallback else ""


class EnglishFallback(ReaderText):
    is_fallback = True


def in_reader_language(english, chinese):
    """`chinese` for a Chinese reader when there is any, else `english` (marked as a fallback
    for a Chinese reader)."""
    if not reader_wants_chinese():
        return ReaderText(english or "")
    if chinese:
        return ReaderText(chinese)
    return EnglishFallback(english or "") if english else ReaderText("")
