"""Newsletter importers: one module per newsletter format, behind one entry point.

`parse_newsletter(text)` recognises the format (the caller never says which) and returns a
ParsedIssue; `items.importers.service.import_newsletter` turns that into a draft Issue.
`read_newsletter_file(name, data)` turns an uploaded .txt, .docx or .pdf into text.
"""

from items.importers.base import Newsletter
from items.importers.bird_bird import BirdBirdMonthly
from items.importers.files import NewsletterFileError, read_newsletter_file
from items.importers.lifang_bilingual import LifangBilingualWeekly
from items.importers.lifang_monthly import LifangMonthly
from items.importers.lifang_weekly import LifangWeekly
from items.importers.sections import SectionVocabulary

FORMATS = [LifangBilingualWeekly(), LifangWeekly(), LifangMonthly(), BirdBirdMonthly()]

__all__ = [
    "FORMATS",
    "NewsletterFileError",
    "UnrecognisedNewsletter",
    "detect_format",
    "parse_newsletter",
    "read_newsletter_file",
]


class UnrecognisedNewsletter(ValueError):
    """The text is none of the newsletter formats the importer knows."""


def detect_format(newsletter):
    """The format that scores highest on this text, or raise UnrecognisedNewsletter."""
    best_score, _order, best = max((fmt.score(newsletter), -index, fmt) for index, fmt in enumerate(FORMATS))
    if not best_score:
        names = ", ".join(fmt.label for fmt in FORMATS)
        raise UnrecognisedNewsletter(
            "This text does not look like any newsletter format the importer knows "
            f"({names}): no section headings, “(More)” links or numbered sources were found."
        )
    return best


def parse_newsletter(text, sections=(), short_names=None, issued_on=None):
    """Read a newsletter's text into a ParsedIssue (no database writes).

    `sections`: (slug, name, name_zh) of Section rows, recognised as headings besides the
    built-in wordings; `short_names`: {long name (casefolded): abbreviation} for headlines;
    `issued_on`: a PreciseDate that overrides the date the text prints (or does not).
    """
    newsletter = Newsletter(
        text=text, vocabulary=SectionVocabulary(sections), short_names=short_names or {}, issued_on=issued_on
    )
    if not newsletter.paragraphs:
        raise UnrecognisedNewsletter("The text is empty.")
    return detect_format(newsletter).parse(newsletter)
