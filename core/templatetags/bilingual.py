"""`{{ record.display_name|in_reader_language }}`: a name in the reader's language, with an English
fallback inside a Chinese page marked as English (core/bilingual.py).

`{{ …|in_reader_language:48 }}` also shortens it to 48 characters, as `truncatechars` would.
"""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape, format_html

from core.bilingual import reader_wants_chinese

register = template.Library()


@register.filter
def in_reader_language(text, length=None):
    shown = truncatechars(text, length) if length else text
    if getattr(text, "is_fallback", False):
        return format_html('<span lang="en" class="untranslated">{}</span>', shown)
    return conditional_escape(shown)


@register.simple_tag
def other_language(english, chinese, element="span", css_class=""):
    """The name in the language the page is not in, when the record has both: its Chinese name
    beside the English one, its English name beside the Chinese one (lawyers cite both)."""
    if not (english and chinese):
        return ""
    lang, text = ("en", english) if reader_wants_chinese() else ("zh-Hans", chinese)
    if css_class:
        return format_html('<{} lang="{}" class="{}">{}</{}>', element, lang, css_class, text, element)
    return format_html('<{} lang="{}">{}</{}>', element, lang, text, element)
