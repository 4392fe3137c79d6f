"""Lifang & Partners' bilingual weekly review (立方网络安全与数据合规周报).

The same shape as the English weekly, but every headline and paragraph comes first in
Simplified Chinese and then in English, under headings such as "国内要闻 Domestic News".
Each Chinese unit is paired with the English unit next to it to make one item.
"""

from items.importers.base import finish_items, read_masthead
from items.importers.headlines import headline_from_body
from items.importers.lifang_weekly import LifangWeekly, TableOfContents, read_units, split_contents
from items.importers.paragraphs import CJK, has_more_marker, is_chinese, strip_markup
from items.importers.parsed import ParsedItem


class LifangBilingualWeekly(LifangWeekly):
    name = "lifang-bilingual-weekly"
    label = "Lifang & Partners bilingual weekly review"

    def score(self, newsletter):
        paragraphs = newsletter.paragraphs
        headings = [p for p in paragraphs if newsletter.vocabulary.match(p)]
        bilingual_headings = sum(bool(CJK.search(p)) and any(c.isascii() and c.isalpha() for c in p) for p in headings)
        chinese = sum(is_chinese(p) for p in paragraphs)
        english = len(paragraphs) - chinese
        if chinese < 3 or english < 3:
            return 0
        more = sum(has_more_marker(p) for p in paragraphs)
        return 3 * bilingual_headings + more + min(chinese, english) / 2

    def parse(self, newsletter):
        issue = self.new_issue()
        head, contents, body = split_contents(newsletter.paragraphs, newsletter.vocabulary)
        masthead = read_masthead(head or newsletter.paragraphs[:12])
        issue.number, issue.edition_number, issue.issued_on = (
            masthead.number,
            masthead.edition_number,
            masthead.issued_on,
        )
        issue.title = masthead.title
        listed = [p for p in contents if not newsletter.vocabulary.match(p)]
        units = read_units(body, newsletter.vocabulary, TableOfContents(listed), "domestic-news", issue.warnings)
        for chinese, english in pair_units(units, issue.warnings):
            item = ParsedItem(section=(english or chinese).section)
            if english:
                item.headline, item.body = strip_markup(english.headline), english.body
            if chinese:
                item.headline_zh, item.body_zh = strip_markup(chinese.headline), chinese.body
            if not item.headline:
                if item.body:
                    item.headline = headline_from_body(item.body, newsletter.short_names)
                    item.headline_generated = True
                else:
                    item.headline = item.headline_zh
                    item.warnings.append("No English text: the Chinese headline stands in for the English one.")
            issue.items.append(item)
        if listed and len(listed) != 2 * len(issue.items):
            issue.warnings.append(
                f"The table of contents lists {len(listed)} headlines (both languages) "
                f"but {len(issue.items)} items were read."
            )
        return finish_items(issue, newsletter)


def pair_units(units, warnings):
    """(Chinese unit, English unit) pairs: neighbours in the same section, in either order."""
    pairs = []
    index = 0
    while index < len(units):
        unit = units[index]
        following = units[index + 1] if index + 1 < len(units) else None
        if following and following.section == unit.section and following.chinese != unit.chinese:
            pairs.append((unit, following) if unit.chinese else (following, unit))
            index += 2
            continue
        language = "Chinese" if unit.chinese else "English"
        warnings.append(f"“{strip_markup(unit.headline)[:50]}” has no counterpart: imported in {language} only.")
        pairs.append((unit, None) if unit.chinese else (None, unit))
        index += 1
    return pairs
