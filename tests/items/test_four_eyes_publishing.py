"""Only a publisher changes what the public sees of a published issue, beyond corrections.

Every admin path an editor has is walked: the change forms, their inlines, deletion (the page and
the "delete selected" action), history revert, the recycle bin, every spreadsheet import of
issue content, and the admin actions. After each, an anonymous reader sees exactly what they saw
before. The rule itself is in items/publishing_rules.py and the README's "Who does what".
"""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from items.models import EnforcementAction, Issue, NewsItem
from items.resources import EnforcementActionResource, IssueResource, NewsItemResource
from items.services import publish_issue, withdraw_issue
from tests.admin_pages import admin_url, change_form_data
from tests.factories import EnforcementActionFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


def public_view(client):
    """What an anonymous reader sees of the archive: issues, items and actions, by the API and pages."""
    client.logout()
    issues = sorted(
        (row["series"], row["number"], row["title"]) for row in client.get("/api/issues/").json()["results"]
    )
    items = sorted(row["headline"] for row in client.get("/api/items/").json()["results"])
    actions = sorted(row["public_id"] for row in client.get("/api/enforcement/").json()["results"])
    page = client.get("/issues/weekly-review/229/")
    return {"issues": issues, "items": items, "actions": actions, "issue page": page.status_code}


@pytest.fixture
def watched(client, newsroom, editor):
    """The public view before the editor acts, and a client signed in as the editor."""
    before = public_view(client)
    assert before["items"] == ["CAC Fines a Real Estate Company"]
    client.force_login(editor)
    return before


def test_an_editor_cannot_move_a_draft_item_into_a_published_issue(client, newsroom, watched):
    url = admin_url(NewsItem, "change", newsroom.draft_item.pk)
    data = change_form_data(client.get(url))
    data["issue"] = str(newsroom.issue.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "only a publisher may add, move or remove" in response.content.decode()
    assert public_view(client) == watched


def test_an_editor_cannot_add_an_item_to_a_published_issue_from_the_item_form(client, newsroom, watched):
    url = admin_url(NewsItem, "change", newsroom.item.pk)
    data = change_form_data(client.get(url))
    data.update(headline="Smuggled In", position="9")
    data = {key: value for key, value in data.items() if not key.endswith("-TOTAL_FORMS")}
    for prefix in ("sources", "enforcement_actions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(admin_url(NewsItem, "add"), data)
    assert response.status_code == 200
    assert not NewsItem.objects.filter(headline="Smuggled In").exists()
    assert public_view(client) == watched


def test_an_editor_cannot_move_an_item_out_of_a_published_issue(client, newsroom, watched):
    url = admin_url(NewsItem, "change", newsroom.item.pk)
    data = change_form_data(client.get(url))
    data["issue"] = str(newsroom.draft_issue.pk)
    client.post(url, data)
    newsroom.item.refresh_from_db()
    assert newsroom.item.issue == newsroom.issue
    assert public_view(client) == watched


def inline_add_and_delete(client, url, prefix, new_row):
    """POST the change page with its first inline row deleted and `new_row` added."""
    page = client.get(url)
    data = change_form_data(page)
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data.update({f"{prefix}-1-{name}": value for name, value in new_row.items()})
    return data


NEW_ITEM_ROW = {"position": "5", "headline": "Added Inline", "body": "Text", "event_date_precision": "day"}
NEW_ACTION_ROW = {"action_type": "warning", "target": "Inline Target", "decided_on_precision": "day"}


def test_an_editor_cannot_add_or_delete_items_through_the_issue_inline(client, newsroom, publisher, watched):
    url = admin_url(Issue, "change", newsroom.issue.pk)
    row = {**NEW_ITEM_ROW, "section": str(newsroom.item.section_id), "jurisdiction": "CN"}
    data = inline_add_and_delete(client, url, "items", row)
    data["status"] = Issue.Status.WITHDRAWN
    client.post(url, data)
    assert list(newsroom.issue.items.values_list("headline", flat=True)) == ["CAC Fines a Real Estate Company"]
    assert Issue.objects.get(pk=newsroom.issue.pk).status == Issue.Status.PUBLISHED
    assert public_view(client) == watched
    # The same POST from a publisher adds and deletes: the editor's was refused by the rule alone.
    client.force_login(publisher)
    assert client.post(url, data).status_code == 302
    assert list(newsroom.issue.items.values_list("headline", flat=True)) == ["Added Inline"]
    assert Issue.objects.get(pk=newsroom.issue.pk).status == Issue.Status.PUBLISHED


def test_an_editor_cannot_add_or_delete_actions_of_a_published_item_through_its_inline(
    client, newsroom, publisher, watched
):
    url = admin_url(NewsItem, "change", newsroom.item.pk)
    data = inline_add_and_delete(client, url, "enforcement_actions", {**NEW_ACTION_ROW, "jurisdiction": "CN"})
    client.post(url, data)
    assert list(newsroom.item.enforcement_actions.all()) == [newsroom.action]
    assert public_view(client) == watched
    client.force_login(publisher)
    assert client.post(url, data).status_code == 302
    assert list(newsroom.item.enforcement_actions.values_list("target", flat=True)) == ["Inline Target"]


def test_an_editor_cannot_move_actions_into_or_out_of_a_published_issue(client, newsroom, watched):
    for action, item in [(newsroom.draft_action, newsroom.item), (newsroom.action, newsroom.draft_item)]:
        url = admin_url(EnforcementAction, "change", action.pk)
        data = change_form_data(client.get(url))
        data["news_item"] = str(item.pk)
        response = client.post(url, data)
        assert response.status_code == 200, "the form should refuse the move"
    data = change_form_data(client.get(admin_url(EnforcementAction, "change", newsroom.draft_action.pk)))
    data["news_item"] = str(newsroom.item.pk)
    client.post(admin_url(EnforcementAction, "add"), data)
    assert newsroom.item.enforcement_actions.count() == 1
    assert public_view(client) == watched


def test_an_editor_cannot_delete_an_item_or_action_of_a_published_issue(client, newsroom, watched):
    for record in (newsroom.item, newsroom.action):
        model = type(record)
        response = client.post(admin_url(model, "delete", record.pk), {"post": "yes"}, follow=True)
        assert "only a publisher may add, move or remove" in response.content.decode()
        changelist = admin_url(model, "changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})
        assert model.objects.filter(pk=record.pk).exists()
    assert public_view(client) == watched


def test_an_editor_still_deletes_rows_of_a_draft(client, newsroom, watched):
    client.post(admin_url(NewsItem, "delete", newsroom.draft_item.pk), {"post": "yes"})
    assert not NewsItem.objects.filter(pk=newsroom.draft_item.pk).exists()


def test_an_editor_corrects_a_published_item_in_place(client, newsroom, watched):
    url = admin_url(NewsItem, "change", newsroom.item.pk)
    page = client.get(url)
    assert "You may correct what is in it" in page.content.decode()
    data = change_form_data(page)
    data["headline"] = "CAC Fines a Real Estate Company (corrected)"
    assert client.post(url, data).status_code == 302
    assert public_view(client)["items"] == ["CAC Fines a Real Estate Company (corrected)"]


def test_a_publisher_may_move_an_item_into_a_published_issue(client, newsroom, publisher):
    client.force_login(publisher)
    url = admin_url(NewsItem, "change", newsroom.draft_item.pk)
    data = change_form_data(client.get(url))
    data["issue"] = str(newsroom.issue.pk)
    assert client.post(url, data).status_code == 302
    assert "MIIT Names Sixty Apps" in public_view(client)["items"]


def revert(client, issue, record):
    url = admin_url(Issue, "simple_history", issue.pk, record.history_id)
    return client.post(url, change_form_data(client.get(url)))


def test_an_editor_cannot_revert_a_published_issue(client, newsroom, editor, watched):
    issue = newsroom.issue
    old = issue.history.earliest()
    issue.title = "Weekly Review No.229 (corrected)"
    issue.save()
    watched = public_view(client)
    client.force_login(editor)
    page = client.get(admin_url(Issue, "simple_history", issue.pk, old.history_id)).content.decode()
    assert "only a publisher may revert it" in page
    revert(client, issue, old)
    issue.refresh_from_db()
    assert issue.title == "Weekly Review No.229 (corrected)"
    assert public_view(client) == watched


def test_a_revert_never_changes_status_or_publication_time(client, newsroom, editor, publisher):
    issue = newsroom.draft_issue
    publish_issue(issue.pk, user=publisher)
    published_version = issue.history.latest()
    withdraw_issue(issue.pk, user=publisher)
    client.force_login(editor)
    revert(client, issue, published_version)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.WITHDRAWN
    # A publisher's revert restores the words, not the status, either.
    client.force_login(publisher)
    draft_version = issue.history.earliest()
    publish_issue(issue.pk, user=publisher)
    published_at = Issue.objects.get(pk=issue.pk).published_at
    revert(client, issue, draft_version)
    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (Issue.Status.PUBLISHED, published_at)


def test_an_editor_cannot_revert_an_item_into_or_out_of_a_published_issue(client, newsroom, editor, publisher, watched):
    item = newsroom.draft_item
    draft_version = item.history.latest()
    item.issue = newsroom.issue
    item._history_user = publisher
    item.save()
    watched = public_view(client)
    client.force_login(editor)
    url = admin_url(NewsItem, "simple_history", item.pk, draft_version.history_id)
    client.post(url, change_form_data(client.get(url)))
    item.refresh_from_db()
    assert item.issue == newsroom.issue
    assert public_view(client) == watched


def restore(client, model, pk):
    return client.post(admin_url(Issue, "recycle_bin"), {"model": model._meta.model_name, "pk": str(pk)}, follow=True)


def test_a_deleted_published_issue_comes_back_from_the_recycle_bin_as_a_draft(client, newsroom, publisher, editor):
    before_deletion = public_view(client)
    pk = newsroom.issue.pk
    newsroom.issue.delete()
    watched = public_view(client)
    assert watched != before_deletion
    client.force_login(editor)
    restore(client, Issue, pk)
    assert Issue.objects.get(pk=pk).status == Issue.Status.DRAFT
    assert public_view(client) == watched


def test_an_editor_cannot_restore_an_item_or_action_into_a_published_issue(client, newsroom, editor):
    extra = NewsItemFactory(issue=newsroom.issue, headline="Deleted Later")
    extra_action = EnforcementActionFactory(news_item=newsroom.item, target="Deleted Target")
    extra_pk, action_pk = extra.pk, extra_action.pk
    extra.delete()
    extra_action.delete()
    watched = public_view(client)
    client.force_login(editor)
    for model, pk in ((NewsItem, extra_pk), (EnforcementAction, action_pk)):
        response = restore(client, model, pk)
        assert "only a publisher may add, move or remove" in response.content.decode()
        assert not model.objects.filter(pk=pk).exists()
    assert public_view(client) == watched


def import_rows(resource, headers, *rows, user):
    dataset = tablib.Dataset(*rows, headers=headers)
    return resource.import_data(dataset, dry_run=False, user=user)


def test_an_editors_file_cannot_add_items_or_actions_to_a_published_issue(client, newsroom, editor, watched):
    result = import_rows(
        NewsItemResource(),
        ["issue", "position", "section", "headline", "body"],
        ["weekly-review/229", "77", "domestic-news", "Imported Into Published", "Text"],
        user=editor,
    )
    assert result.has_validation_errors()
    item_key = f"weekly-review/229/{newsroom.item.position}"
    draft_item_key = f"monthly-update/7/{newsroom.draft_item.position}"
    for rows in (
        [["", item_key, "warning", "2021-05-01", "New Target"]],
        [[newsroom.draft_action.public_id, item_key, "public_naming", "2021-05-01", "60 apps"]],
        [[newsroom.action.public_id, draft_item_key, "fine", "2021-04-09", "Moved Out"]],
    ):
        result = import_rows(
            EnforcementActionResource(),
            ["public_id", "news_item", "action_type", "decided_on", "target"],
            *rows,
            user=editor,
        )
        assert result.has_validation_errors()
        messages = [str(error) for row in result.invalid_rows for error in row.error_dict.values()]
        assert any("only a publisher may add, move or remove" in message for message in messages), messages
    assert public_view(client) == watched


def test_an_editors_file_corrects_a_published_issue_but_never_its_status(client, newsroom, editor, watched):
    result = import_rows(
        IssueResource(),
        ["series", "number", "title", "slug", "issued_on", "status"],
        ["weekly-review", "229", "Weekly Review No.229 (corrected)", "weekly-review-229", "2021-04-01", "withdrawn"],
        user=editor,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    newsroom.issue.refresh_from_db()
    assert (newsroom.issue.title, newsroom.issue.status) == ("Weekly Review No.229 (corrected)", "published")


def test_an_editors_file_is_refused_in_the_admin_preview_with_the_rule_in_words(client, newsroom, watched):
    header = "public_id,news_item,action_type,decided_on,target\n"
    content = f"{header},weekly-review/229/{newsroom.item.position},warning,2021-05-01,X\n"
    upload = SimpleUploadedFile("actions.csv", content.encode())
    response = client.post(
        admin_url(EnforcementAction, "import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert "only a publisher may add, move or remove" in response.content.decode()
    assert public_view(client) == watched


def test_an_editor_has_no_publish_or_withdraw_action(client, newsroom, watched):
    changelist = admin_url(Issue, "changelist")
    for action, issue in (("publish_selected", newsroom.draft_issue), ("withdraw_selected", newsroom.issue)):
        client.post(changelist, {"action": action, "_selected_action": [issue.pk], "post": "yes"})
    assert public_view(client) == watched
    assert Issue.objects.get(pk=newsroom.draft_issue.pk).status == Issue.Status.DRAFT


def test_the_item_form_says_why_a_move_is_refused_on_the_field(client, newsroom, watched):
    url = admin_url(NewsItem, "change", newsroom.draft_item.pk)
    data = change_form_data(client.get(url))
    data["issue"] = str(newsroom.issue.pk)
    response = client.post(url, data)
    assert "issue" in response.context["adminform"].form.errors
    assert NewsItem.objects.get(pk=newsroom.draft_item.pk).issue == newsroom.draft_issue
