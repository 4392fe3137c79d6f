"""Writes with side effects: publishing and withdrawing issues.

Called by the admin actions (and later by commands and views) so that the rule lives in one place.
"""

from django.db import transaction
from django.utils import timezone

from items.models import Issue


class PublishingError(Exception):
    pass


def publish_issue(issue_id, user=None):
    """Make an issue and everything in it public, atomically. Returns the issue."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        if not issue.items.exists():
            raise PublishingError(f"“{issue}” has no news items; add at least one before publishing.")
        issue.status = Issue.Status.PUBLISHED
        if issue.published_at is None:
            issue.published_at = timezone.now()
        issue._history_user = user
        issue.save(update_fields=["status", "published_at", "updated_at"])
    return issue


def withdraw_issue(issue_id, user=None):
    """Take a published issue, and everything in it, off the public site. Returns the issue."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        issue.status = Issue.Status.WITHDRAWN
        issue._history_user = user
        issue.save(update_fields=["status", "updated_at"])
    return issue
