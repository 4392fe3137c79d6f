"""Send the email alerts that are due: run it from cron, every few minutes.

Each reader gets at most one email per run, with the new matches of every alert whose rhythm
is due (immediate: every run; daily: once per calendar day; weekly: every 7 days) and a
reminder for each followed draft whose comment deadline is ALERT_REMINDER_DAYS days away or
less. Running it twice, twice at once, or again after it was killed never sends a match twice
(alerts/services.py explains how). Example crontab line:

    */10 * * * *  cd /srv/review && .venv/bin/python manage.py send_alerts --verbosity 0
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from alerts.services import MailServerUnavailable, send_alerts


def parse_now(value):
    """An ISO date or date-time; a naive one is read in the site's time zone."""
    try:
        moment = parse_datetime(value) or datetime.datetime.combine(
            datetime.date.fromisoformat(value), datetime.time(8, 0)
        )
    except ValueError as error:
        raise CommandError(f"--now takes an ISO date or date-time such as 2024-05-01T08:00, not “{value}”.") from error
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Email every reader what is new for their due alerts, and closing comment deadlines (cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing and write nothing."
        )
        parser.add_argument(
            "--now", metavar="ISO", help="Run as if it were this moment (e.g. to test reminders): 2024-05-01T08:00."
        )
        parser.add_argument("--site-url", help="The site's public address for links (default: ALERT_SITE_URL).")

    def handle(self, *args, dry_run=False, now=None, site_url=None, verbosity=1, **options):
        moment = parse_now(now) if now else None
        try:
            report = send_alerts(now=moment, dry_run=dry_run, base_url=site_url)
        except MailServerUnavailable as error:
            raise CommandError(str(error)) from error
        if verbosity >= 2:
            for line in report.lines:
                self.stdout.write(line)
        if verbosity >= 1:
            verb = "Would send" if dry_run else "Sent"
            summary = (
                f"{verb} {report.emails} emails: {report.matches} new matches, {report.reminders} deadline reminders,"
                f" {report.stage_changes} stage changes."
            )
            if not dry_run:
                summary += (
                    f" Failed: {report.failed}. Skipped (no longer public): {report.skipped}."
                    f" Marked interrupted: {report.interrupted}. Expired requests forgotten: {report.purged}."
                )
            style = self.style.WARNING if report.failed else self.style.SUCCESS
            self.stdout.write(style(summary))
        if report.failed:
            # Cron mails a failing command's output to its owner; the rows wait in the admin.
            raise CommandError(f"{report.failed} sends failed; see Alerts › Deliveries in the admin.")
