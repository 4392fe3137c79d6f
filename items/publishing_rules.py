"""Four eyes: only a publisher changes what the public sees of a published issue, beyond corrections.

The rule (the README's "Who does what"): in a published issue, an editor corrects the rows that
are there (the issue's fields, its items' and their enforcement actions' fields, their sources).
Adding an item or an action to a published issue, moving one into or out of it, deleting one from
it, restoring one into it from the recycle bin, or reverting the issue to an older version are
a publisher's acts. An issue's status and publication time change only through the services
(items/services.py), whoever saves it and by whatever path.

Every admin path asks these functions (the change forms, the inlines, the history revert, the
recycle bin, the spreadsheet imports), and each reads the record's state in the database, not the
state a form or a file claims it has.
"""

from django.utils.translation import gettext as _

from items.models import EnforcementAction, Issue, NewsItem

PUBLISH_PERMISSION = "items.publish_issue"


def may_publish(user):
    return user is not None and user.has_perm(PUBLISH_PERMISSION)


def published_among(issue_ids):
    """The published issues among `issue_ids` (None ignored)."""
    ids = {pk for pk in issue_ids if pk is not None}
    return list(Issue.objects.published().filter(pk__in=ids)) if ids else []


def stored_issue_of_item(item_pk):
    if item_pk is None:
        return None
    return NewsItem._base_manager.filter(pk=item_pk).values_list("issue_id", flat=True).first()


def stored_issue_of_action(action_pk):
    if action_pk is None:
        return None
    return EnforcementAction._base_manager.filter(pk=action_pk).values_list("news_item__issue_id", flat=True).first()


def locked_message(issue):
    return _(
        "“%(issue)s” is published: only a publisher may add, move or remove its news items and "
        "enforcement actions. Correct the existing ones, or ask a publisher."
    ) % {"issue": issue}


def move_error(user, stored_issue_id, new_issue_id):
    """Why `user` may not take a row from the issue it is stored in to `new_issue_id`, or None.

    A new row has no stored issue; a row that stays in its issue is a correction."""
    if stored_issue_id == new_issue_id or may_publish(user):
        return None
    published = published_among([stored_issue_id, new_issue_id])
    return locked_message(published[0]) if published else None


def item_placement_error(user, item_pk, new_issue_id):
    """Why `user` may not save the news item `item_pk` (None: a new one) in `new_issue_id`, or None."""
    return move_error(user, stored_issue_of_item(item_pk), new_issue_id)


def action_placement_error(user, action_pk, new_item_id):
    """Why `user` may not save the action `action_pk` (None: a new one) under `new_item_id`, or None."""
    new_issue_id = stored_issue_of_item(new_item_id)
    return move_error(user, stored_issue_of_action(action_pk), new_issue_id)


def may_change_rows_of(user, issue_id):
    """Whether `user` may add rows to, or remove rows from, the issue `issue_id` as it is stored."""
    return may_publish(user) or not published_among([issue_id])


def may_revert(user, issue_pk):
    """Reverting a published issue to an older version changes what the public sees of it."""
    return may_change_rows_of(user, issue_pk)


def keep_stored_publication(issue):
    """Give `issue` its stored status and publication time, whatever a form or a revert set."""
    stored = Issue._base_manager.filter(pk=issue.pk).values("status", "published_at").first()
    if stored is None:
        issue.status, issue.published_at = Issue.Status.DRAFT, None
    else:
        issue.status, issue.published_at = stored["status"], stored["published_at"]
