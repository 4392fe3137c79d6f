"""Editors shape issues; only publishers make them public or take them down."""

import pytest
from django.contrib.auth.models import Group

from items.models import Issue
from tests.admin_pages import admin_url, assert_saved, management_form
from tests.factories import IssueFactory, NewsItemFactory

pytestmark = pytest.mark.django_db

PUBLISH_LABEL = "Publish selected issues"
WITHDRAW_LABEL = "Withdraw selected issues from the public site"


def run_action(client, action, issue, confirmed=True):
    """Run an issue action; `confirmed` is the second post, from the publish confirmation page."""
    data = {"action": action, "_selected_action": [issue.pk], "index": "0", "select_across": "0"}
    if confirmed:
        data["post"] = "yes"
    return client.post(admin_url(Issue, "changelist"), data, follow=True)


@pytest.fixture
def draft_issue():
    issue = IssueFactory(status=Issue.Status.DRAFT, title="Weekly Review No.240")
    NewsItemFactory(issue=issue)
    return issue


def test_editor_does_not_see_publish_or_withdraw_actions(editor_client, draft_issue):
    page = editor_client.get(admin_url(Issue, "changelist")).content.decode()
    assert draft_issue.title in page
    assert PUBLISH_LABEL not in page
    assert WITHDRAW_LABEL not in page


def test_publisher_sees_publish_and_withdraw_actions(publisher_client, draft_issue):
    page = publisher_client.get(admin_url(Issue, "changelist")).content.decode()
    assert PUBLISH_LABEL in page
    assert WITHDRAW_LABEL in page


def test_editor_posting_the_publish_action_leaves_the_issue_a_draft(editor_client, draft_issue):
    response = run_action(editor_client, "publish_selected", draft_issue)
    assert response.status_code == 200
    draft_issue.refresh_from_db()
    assert draft_issue.status == Issue.Status.DRAFT
    assert draft_issue.published_at is None
    assert "issue published" not in response.content.decode()


def test_editor_posting_the_withdraw_action_leaves_a_published_issue_public(editor_client):
    issue = NewsItemFactory().issue
    run_action(editor_client, "withdraw_selected", issue)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED


def test_publisher_publishing_makes_the_issue_public_with_a_timestamp(publisher_client, client, draft_issue):
    response = run_action(publisher_client, "publish_selected", draft_issue)
    assert "1 issue published." in response.content.decode()
    draft_issue.refresh_from_db()
    assert draft_issue.status == Issue.Status.PUBLISHED
    assert draft_issue.published_at is not None
    assert draft_issue.history.latest().history_user.username == "publisher"
    client.logout()
    assert client.get(draft_issue.get_absolute_url()).status_code == 200


def test_publisher_withdrawing_takes_the_issue_off_the_site(publisher_client, client):
    issue = NewsItemFactory().issue
    response = run_action(publisher_client, "withdraw_selected", issue)
    assert "1 issue withdrawn." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.WITHDRAWN
    client.logout()
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_republishing_a_withdrawn_issue_keeps_its_first_publication_time(publisher_client):
    issue = NewsItemFactory().issue
    run_action(publisher_client, "publish_selected", issue)
    issue.refresh_from_db()
    first_published_at = issue.published_at
    run_action(publisher_client, "withdraw_selected", issue)
    run_action(publisher_client, "publish_selected", issue)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    assert issue.published_at == first_published_at


def test_publishing_an_issue_without_items_shows_an_error_and_leaves_it_a_draft(publisher_client):
    empty = IssueFactory(status=Issue.Status.DRAFT, title="Empty Issue")
    response = run_action(publisher_client, "publish_selected", empty)
    page = response.content.decode()
    assert "“Empty Issue” has no news items; add at least one before publishing." in page
    assert "issue published" not in page
    empty.refresh_from_db()
    assert empty.status == Issue.Status.DRAFT
    assert empty.published_at is None


def test_editor_cannot_publish_through_the_change_form(editor_client):
    issue = IssueFactory(status=Issue.Status.DRAFT)
    data = {
        "series": issue.series.pk,
        "number": issue.number,
        "edition_number": "",
        "title": issue.title,
        "slug": issue.slug,
        "issued_on": "2021-04-01",
        "issued_on_precision": "day",
        "period_start": "",
        "period_end": "",
        "summary": "Changed summary.",
        "status": "published",
        "published_at": "2021-04-01 10:00:00",
        **management_form("items"),
    }
    change_page = editor_client.get(admin_url(Issue, "change", issue.pk))
    assert 'name="status"' not in change_page.content.decode()

    assert_saved(editor_client.post(admin_url(Issue, "change", issue.pk), data))
    issue.refresh_from_db()
    assert issue.summary == "Changed summary."
    assert issue.status == Issue.Status.DRAFT
    assert issue.published_at is None


def test_editor_cannot_delete_an_issue(editor_client, draft_issue):
    response = editor_client.get(admin_url(Issue, "delete", draft_issue.pk))
    assert response.status_code == 403


def test_editors_and_publishers_groups_exist_after_migrations():
    editors = Group.objects.get(name="Editors")
    publishers = Group.objects.get(name="Publishers")
    editor_perms = {f"{p.content_type.app_label}.{p.codename}" for p in editors.permissions.all()}
    publisher_perms = {f"{p.content_type.app_label}.{p.codename}" for p in publishers.permissions.all()}

    assert "items.publish_issue" in publisher_perms
    assert "items.publish_issue" not in editor_perms
    assert {"items.add_issue", "items.change_issue", "items.view_issue"} <= editor_perms
    assert "items.delete_issue" not in editor_perms
    assert "items.delete_issue" in publisher_perms
    assert {"items.delete_newsitem", "items.delete_source", "items.delete_enforcementaction"} <= editor_perms
    for model in ["regulator", "instrument"]:
        assert {f"regulators.{action}_{model}" for action in ["add", "change", "view"]} <= editor_perms
    assert editor_perms < publisher_perms


def test_user_permission_checks_follow_the_groups(editor, publisher):
    assert not editor.has_perm("items.publish_issue")
    assert editor.has_perm("items.change_issue")
    assert publisher.has_perm("items.publish_issue")


@pytest.mark.parametrize("url", ["/admin/", "/admin/items/issue/", "/admin/regulators/regulator/add/"])
def test_anonymous_users_are_redirected_from_the_admin_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_non_staff_user_cannot_enter_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="reader", password="pw"))
    response = client.get("/admin/items/issue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
