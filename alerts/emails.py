"""The alert emails, each a plain-text part and an HTML part: the confirmation and the digest.

Every digest carries a one-click unsubscribe link, also in the List-Unsubscribe and
List-Unsubscribe-Post headers (RFC 8058), and a link to manage all of the reader's alerts.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alerts import links
from alerts.models import Rhythm
from items.models import EnforcementAction, Issue, NewsItem
from regulators.models import Instrument


def site_url():
    """The public address of the site, for links in emails sent outside a request (cron)."""
    return (getattr(settings, "ALERT_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def from_email():
    return getattr(settings, "ALERT_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def record_entry(record, base_url):
    """Title, link and one line of context for a matched record, as the email shows it."""
    if isinstance(record, Issue):
        meta = f"{record.series.display_name} · {record.issued_on_display}"
        title = record.display_title
    elif isinstance(record, NewsItem):
        title = record.display_headline
        meta = " · ".join(part for part in (record.event_date_display, record.issue.display_title) if part)
    elif isinstance(record, EnforcementAction):
        label = f"{record.public_id}: {record.get_action_type_display()}"
        title = f"{label} – {record.display_target}" if record.display_target else label
        meta = " · ".join(part for part in (record.decided_on_display, record.fine_display) if part)
    elif isinstance(record, Instrument):
        title = record.display_title
        meta = str(record.current_stage.label).capitalize()
        if record.comment_deadline and record.status == Instrument.Status.DRAFT:
            meta += " · " + _("comments until %(date)s") % {"date": record.display_date("comment_deadline")}
    else:
        title, meta = str(record), ""
    return {"title": title, "url": base_url + record.get_absolute_url(), "meta": meta}


def record_label(record):
    """What the delivery log shows editors about a sent record."""
    return record_entry(record, "")["title"][:500]


def confirmation_email(subscription, rhythm, base_url):
    subscriber = subscription.subscriber
    context = {
        "following": subscription.describe(),
        "followed_url": base_url + subscription.followed_url(),
        "rhythm": Rhythm(rhythm).label,
        "confirm_url": base_url + links.confirm_url(subscription, rhythm),
        "valid_days": links.confirmation_max_age().days,
        # Only the inbox's owner reads this, so it may say the address already has alerts.
        "manage_url": base_url + links.manage_url(subscriber) if subscriber.confirmed_at else "",
    }
    message = EmailMultiAlternatives(
        subject=_("Confirm your alert: %(following)s") % {"following": " ".join(str(context["following"]).split())},
        body=render_to_string("alerts/email/confirmation.txt", context),
        from_email=from_email(),
        to=[subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("alerts/email/confirmation.html", context), "text/html")
    return message


def digest_email(subscriber, sections, reminders, base_url, stage_changes=()):
    """One email for one reader and one run: every alert's new records, closing deadlines, and
    the stages followed instruments moved to.

    `sections` is a list of {"alert": Subscription, "entries": [record_entry…]};
    `reminders` a list of {"entry": record_entry, "deadline": date text, "days_left": int};
    `stage_changes` a list of {"entry": record_entry, "stage": its new stage, "by": a title or ""}.
    """
    unsubscribe_url = base_url + links.unsubscribe_url(subscriber)
    context = {
        "sections": sections,
        "reminders": reminders,
        "stage_changes": stage_changes,
        "manage_url": base_url + links.manage_url(subscriber),
        "unsubscribe_url": unsubscribe_url,
        "site_url": base_url + "/",
    }
    count = sum(len(section["entries"]) for section in sections)
    if stage_changes and not count:
        subject = ngettext(
            "Review alerts: a followed instrument moved to a new stage",
            "Review alerts: %(count)s followed instruments moved to a new stage",
            len(stage_changes),
        ) % {"count": len(stage_changes)}
    elif count:
        subject = ngettext("Review alerts: %(count)s new match", "Review alerts: %(count)s new matches", count) % {
            "count": count
        }
        if reminders:
            subject += " · " + _("a comment deadline is near")
    else:
        subject = ngettext(
            "Review alerts: %(count)s comment deadline is near",
            "Review alerts: %(count)s comment deadlines are near",
            len(reminders),
        ) % {"count": len(reminders)}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("alerts/email/digest.txt", context),
        from_email=from_email(),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return message
