"""Import a newsletter's text as one draft Issue, atomically.

Called by the `import_newsletter` command and the admin's import page alike.
"""

import calendar
import datetime
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from items.importers import UnrecognisedNewsletter, parse_newsletter
from items.importers.base import date_reference
from items.importers.enforcement import find_item_actions
from items.importers.landscape import Landscape
from items.importers.parsed import PreciseDate
from items.importers.report import ImportReport, ItemReport, NewInstrument, ProposedRegulator
from items.models import EnforcementAction, Issue, NewsItem, Organisation, Section, Series, Source
from regulators.models import Instrument, Regulator

# The series each format belongs to, created with these names when a database lacks it.
SERIES_DEFAULTS = {
    "weekly-review": {
        "name": "Weekly Cybersecurity and Data Protection Review",
        "name_zh": "立方网络安全与数据合规周报",
        "publisher": "Lifang & Partners",
    },
    "monthly-roundup": {"name": "Cybersecurity and Data Protection Monthly Round-up", "publisher": "Lifang & Partners"},
    "bird-bird-monthly": {
        "name": "China Cybersecurity and Data Protection: Monthly Update",
        "publisher": "Bird & Bird",
    },
}
COUNTRY_WORDS = [
    (r"\b(?:EU|European)\b", "EU"),
    (r"\b(?:Irish|Ireland)\b", "IE"),
    (r"\b(?:Spanish|Spain)\b", "ES"),
    (r"\b(?:French|France|CNIL)\b", "FR"),
    (r"\b(?:German|Germany)\b", "DE"),
    (r"\b(?:Dutch|Netherlands)\b", "NL"),
    (r"\b(?:Italian|Italy)\b", "IT"),
    (r"\b(?:UK|British|United Kingdom|ICO)\b", "GB"),
    (r"\b(?:US|U\.S\.|United States|American|California)\b", "US"),
    (r"\b(?:Singapore)\b", "SG"),
    (r"\b(?:Japan|Japanese)\b", "JP"),
    (r"\b(?:Korea|Korean)\b", "KR"),
]
CHINESE_HOSTS = re.compile(r"(?:\.cn|qq\.com|weixin|xinhuanet\.com|sina\.com|sohu\.com|163\.com|infzm\.com)$|\.cn/")
OFFICIAL_HOSTS = re.compile(r"(?:\.gov(?:\.[a-z]{2})?|\.gov\.cn|europa\.eu|\.gouv\.fr|\.court\.gov\.cn)$")
SECTOR_WORDS = [
    (r"\bbank", "banking"),
    (r"\binsur", "insurance"),
    (r"\breal estate|property developer", "real_estate"),
    (r"\be-commerce|online shopping", "ecommerce"),
    (r"\bapps?\b|\bAPPs?\b|mini[- ]programs?|applications", "apps"),
    (r"\bairline|e-ticket|railway|passenger", "travel"),
    (r"\bvehicle|automo", "automotive"),
    (r"\bhospital|medical|health", "healthcare"),
    (r"\bschool|education", "education"),
    (r"\brestaurant|hot pot|retail", "retail"),
    (r"\bsocial media|video and audio|websites", "internet"),
]


MONTHLY = {"month", "previous-month"}  # issues numbered by their month (202204), not by a printed number


class NewsletterImportError(ValueError):
    """The newsletter cannot be imported; the message tells the editor why and what to do."""


def parse_issue_date(value):
    """'2021-12' (month) or '2021-12-01' (day) as a PreciseDate; NewsletterImportError otherwise."""
    if not value:
        return None
    if isinstance(value, PreciseDate):
        return value
    value = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}", value):
            year, month = map(int, value.split("-"))
            return PreciseDate(datetime.date(year, month, 1), "month", value)
        return PreciseDate(datetime.date.fromisoformat(value), "day", value)
    except ValueError as error:
        raise NewsletterImportError(
            f"“{value}” is not a date: give the issue date as YYYY-MM or YYYY-MM-DD."
        ) from error


def import_newsletter(text, *, series=None, number=None, issued_on=None, dry_run=False, user=None, progress=None):
    """Create (or replace) one draft Issue from a newsletter's text, and report what was read.

    The issue is found by (series, number): a draft with that number has its items replaced, a
    published or withdrawn one is left alone and the import refused. Everything is written in
    one transaction; `dry_run` rolls it back and returns the same report. `progress`, if
    given, is called as progress(done, total) after each item.
    """
    issued_on = parse_issue_date(issued_on)
    landscape = Landscape(
        Regulator.objects.all(), Instrument.objects.all(), Organisation.objects.only("pk", "name", "name_zh")
    )
    sections = {section.slug: section for section in Section.objects.all()}
    try:
        parsed = parse_newsletter(
            text,
            sections=[(s.slug, s.name, s.name_zh) for s in sections.values()],
            short_names=landscape.short_names(),
            issued_on=issued_on,
        )
    except UnrecognisedNewsletter as error:
        raise NewsletterImportError(str(error)) from error
    if not parsed.items:
        raise NewsletterImportError(
            f"The text looks like the {parsed.format_label} but no items could be read from it."
        )
    if parsed.issued_on is None:
        raise NewsletterImportError("The text gives no issue date: give one (YYYY-MM) with the import.")
    number = number or parsed.number
    if number is None and parsed.period in MONTHLY:
        number = parsed.issued_on.value.year * 100 + parsed.issued_on.value.month
    if not number:
        raise NewsletterImportError("The text gives no issue number: give one with the import.")
    missing = sorted({item.section for item in parsed.items} - set(sections))
    if missing:
        raise NewsletterImportError(f"Sections missing from the database: {', '.join(missing)}. Add them in the admin.")

    report = ImportReport(dry_run=dry_run, format_label=parsed.format_label, number=number)
    report.edition_number = parsed.edition_number
    report.issued_on = str(parsed.issued_on)
    report.warnings.extend(parsed.warnings)
    with transaction.atomic():
        series_row = get_series(series or parsed.series, explicit=bool(series), report=report)
        report.title = issue_title(parsed, series_row, number)
        issue = save_issue(parsed, series_row, number, report, user)
        reference = date_reference(parsed.issued_on)
        total = len(parsed.items)
        for position, parsed_item in enumerate(parsed.items, 1):
            report.items.append(save_item(issue, position, parsed_item, sections, landscape, reference, report, user))
            report.items_done = position
            if progress:
                progress(position, total)
        fill_period(issue, parsed)
        if dry_run:
            transaction.set_rollback(True)
    return report


def get_series(slug, explicit, report):
    found = Series.objects.filter(slug=slug).first()
    if found:
        report.series = found.slug
        return found
    if explicit and slug not in SERIES_DEFAULTS:
        known = ", ".join(Series.objects.values_list("slug", flat=True)) or "none yet"
        raise NewsletterImportError(f"There is no series “{slug}” (known series: {known}).")
    defaults = SERIES_DEFAULTS.get(slug, {"name": slug.replace("-", " ").title()})
    report.series, report.series_created = slug, True
    return Series.objects.create(slug=slug, **defaults)


def issue_title(parsed, series, number):
    if (
        parsed.period in MONTHLY
        and parsed.issued_on
        and number == parsed.issued_on.value.year * 100 + parsed.issued_on.value.month
    ):
        return f"{series.name}, {parsed.issued_on.value:%B %Y}"
    return f"{parsed.title or series.name} No.{number}"


def unique_slug(base, issue_pk=None):
    slug, suffix = base[:140], 2
    while Issue.objects.filter(slug=slug).exclude(pk=issue_pk).exists():
        slug = f"{base[:136]}-{suffix}"
        suffix += 1
    return slug


def save_issue(parsed, series, number, report, user):
    issue = Issue.objects.select_for_update().filter(series=series, number=number).first()
    if issue and issue.status != Issue.Status.DRAFT:
        raise NewsletterImportError(
            f"“{issue}” ({series.slug} No.{number}) is {issue.get_status_display()}: the importer only replaces "
            "drafts. Withdraw and edit it in the admin, or import under another number."
        )
    if issue:
        report.outcome = "replaced"
        report.replaced_items = issue.items.count()
        EnforcementAction.objects.filter(news_item__issue=issue).delete()
        issue.items.all().delete()
    else:
        report.outcome = "created"
        issue = Issue(series=series, number=number, status=Issue.Status.DRAFT)
    month = parsed.issued_on.value
    base_slug = f"{series.slug}-{month:%Y-%m}" if parsed.period in MONTHLY else f"{series.slug}-{number}"
    issue.slug = unique_slug(slugify(base_slug), issue.pk)
    issue.title = report.title[:255]
    issue.edition_number = parsed.edition_number or issue.edition_number
    issue.issued_on, issue.issued_on_precision = parsed.issued_on.value, parsed.issued_on.precision
    issue.summary = parsed.summary
    report.summary_paragraphs = len([p for p in parsed.summary.split("\n\n") if p.strip()])
    issue._history_user = user
    validate(issue)
    issue.save()
    report.issue_id = issue.pk
    return issue


def validate(instance, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        messages = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items())
        raise NewsletterImportError(
            f"{instance.__class__._meta.verbose_name} “{instance}” is not valid: {messages}"
        ) from error


def item_jurisdiction(regulators, headline_regulators, text):
    for regulator in headline_regulators or regulators:
        return regulator.jurisdiction
    for pattern, code in COUNTRY_WORDS:
        if re.search(pattern, text):
            return code
    return "CN"


def save_item(issue, position, parsed_item, sections, landscape, reference, report, user):
    findings = landscape.read_item(parsed_item.headline, parsed_item.body, parsed_item.body_zh, parsed_item.event_date)
    headline_regulators = landscape.regulators_in(parsed_item.headline)
    item = NewsItem(
        issue=issue,
        section=sections[parsed_item.section],
        position=position,
        headline=parsed_item.headline[:500] or f"Item {position}",
        headline_zh=parsed_item.headline_zh[:500],
        body=parsed_item.body,
        body_zh=parsed_item.body_zh,
        jurisdiction=item_jurisdiction(
            findings.regulators, headline_regulators, parsed_item.headline + parsed_item.body
        ),
    )
    if parsed_item.event_date:
        item.event_date, item.event_date_precision = parsed_item.event_date.value, parsed_item.event_date.precision
    item._history_user = user
    validate(item)
    item.save()
    item.regulators.set(findings.regulators)
    item.instruments.set(findings.instruments)
    item_report = ItemReport(
        position=position,
        section=item.section.name,
        headline=item.headline,
        headline_generated=parsed_item.headline_generated,
        headline_zh=item.headline_zh,
        event_date=str(parsed_item.event_date) if parsed_item.event_date else "",
        regulators=[regulator.short_name for regulator in findings.regulators],
        instruments=[instrument.short_title or instrument.title for instrument in findings.instruments],
        warnings=list(parsed_item.warnings) + [f"Item {position}: {note}" for note in findings.notes],
    )
    for regulator in findings.regulators:
        report.regulators_matched[regulator.short_name] += 1
    for instrument in findings.instruments:
        report.instruments_matched[instrument.title] += 1
        record_stated_dates(instrument, findings.stated_dates(instrument), position, report, user)
    for name, abbreviation in findings.proposed:
        propose(report.regulators_proposed, name, abbreviation, position)
    for mention in findings.new_instruments:
        item_report.new_instruments.append(mention.title)
        add_new_instrument(report.instruments_new, mention, position)
    for parsed_source in parsed_item.sources:
        source = Source(
            news_item=item,
            url=parsed_source.url,
            footnote=parsed_source.footnote,
            label=urlsplit(parsed_source.url).hostname or "",
            language=Source.Language.CHINESE
            if CHINESE_HOSTS.search(urlsplit(parsed_source.url).hostname or "")
            else Source.Language.ENGLISH,
            is_official=bool(OFFICIAL_HOSTS.search(urlsplit(parsed_source.url).hostname or "")),
        )
        try:
            validate(source, exclude=["news_item"])
        except NewsletterImportError:
            item_report.warnings.append(
                f"Item {position}: source “{parsed_source.url[:80]}” is not a valid URL; skipped."
            )
            continue
        source._history_user = user
        source.save()
        item_report.sources.append(f"[{source.footnote}] {source.url}" if source.footnote else source.url)
    parsed_item.actions = find_item_actions(parsed_item, reference)
    for parsed_action in parsed_item.actions:
        item_report.actions.append(save_action(item, parsed_action, findings, landscape, user))
    return item_report


def save_action(item, parsed, findings, landscape, user):
    regulators = landscape.regulators_in(parsed.sentence) or findings.regulators[:1]
    legal_basis = [i for i in findings.instruments if i.title.casefold() in parsed.sentence.casefold()]
    sector = next((code for pattern, code in SECTOR_WORDS if re.search(pattern, parsed.sentence, re.I)), "")
    action = EnforcementAction(
        news_item=item,
        action_type=parsed.action_type,
        target=parsed.target,
        organisation=landscape.organisation_in(parsed.target) if parsed.target else None,
        target_count=parsed.target_count,
        sector=sector,
        jurisdiction=regulators[0].jurisdiction if regulators else item.jurisdiction,
        fine_amount=parsed.fine_amount,
        damages_amount=parsed.damages_amount,
        currency=parsed.currency,
        sentence=parsed.prison_sentence,
        summary=parsed.sentence,
    )
    if parsed.decided_on:
        action.decided_on, action.decided_on_precision = parsed.decided_on.value, parsed.decided_on.precision
    action._history_user = user
    validate(action, exclude=["public_id"])
    action.save()  # the model hands out the public id
    action.regulators.set(regulators)
    action.legal_basis.set(legal_basis)
    amount = action.fine_display or (f"damages {action.damages_display}" if action.damages_amount else "")
    parts = [
        action.get_action_type_display(),
        ", ".join(regulator.short_name for regulator in regulators),
        action.target,
        f"{action.target_count} targets" if action.target_count else "",
        amount,
        action.sentence,
        action.decided_on_display,
    ]
    return " · ".join(part for part in parts if part)


def record_stated_dates(instrument, stated, position, report, user):
    """Fill an instrument's empty comment deadline or effective date from what the text states."""
    changed = []
    for field, value in stated.items():
        current = getattr(instrument, field)
        if current is None:
            setattr(instrument, field, value.value)
            setattr(instrument, f"{field}_precision", value.precision)
            changed.append(field)
            report.instrument_updates.append(f"{instrument.title}: {field.replace('_', ' ')} {value} (item {position})")
        elif current != value.value:
            report.warnings.append(
                f"Item {position}: the text gives {instrument.title} a {field.replace('_', ' ')} of {value}, "
                f"but the record says {instrument.display_date(field)}; the record was kept."
            )
    if changed:
        instrument._history_user = user
        try:
            instrument.full_clean(validate_unique=False)
        except ValidationError:
            for field in changed:
                setattr(instrument, field, None)
            report.warnings.append(f"Item {position}: dates stated for {instrument.title} are inconsistent; not saved.")
            return
        instrument.save(update_fields=[name for field in changed for name in (field, f"{field}_precision")])


def propose(proposed, name, abbreviation, position):
    for entry in proposed:
        if entry.name.casefold() == name.casefold():
            if position not in entry.items:
                entry.items.append(position)
            entry.abbreviation = entry.abbreviation or abbreviation
            return
    proposed.append(ProposedRegulator(name=name, abbreviation=abbreviation, items=[position]))


def add_new_instrument(new, mention, position):
    for entry in new:
        if entry.title.casefold() == mention.title.casefold():
            if position not in entry.items:
                entry.items.append(position)
            return
    new.append(
        NewInstrument(
            title=mention.title,
            how=mention.how,
            items=[position],
            comment_deadline=str(mention.comment_deadline) if mention.comment_deadline else "",
            effective_on=str(mention.effective_on) if mention.effective_on else "",
        )
    )


def fill_period(issue, parsed):
    """The weeks or month the issue covers: the items' first to last day, or the issue's month."""
    if parsed.period in MONTHLY:
        start = parsed.issued_on.value.replace(day=1)
        if parsed.period == "previous-month" and start > datetime.date.min:
            start = (start - datetime.timedelta(days=1)).replace(day=1)
        # The month's last day, by the calendar: adding days would overflow in December 9999.
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        days = [
            item.event_date.value for item in parsed.items if item.event_date and item.event_date.precision == "day"
        ]
        if not days:
            return
        start, end = min(days), max(days)
    issue.period_start, issue.period_end = start, end
    issue.save(update_fields=["period_start", "period_end", "updated_at"])
