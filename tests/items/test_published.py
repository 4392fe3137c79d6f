"""published() is the one door to public content: drafts and withdrawn issues never leak."""

import pytest

from items.models import EnforcementAction, Issue, NewsItem
from tests.factories import EnforcementActionFactory, IssueFactory, NewsItemFactory

pytestmark = pytest.mark.django_db

HIDDEN = [Issue.Status.DRAFT, Issue.Status.WITHDRAWN]


@pytest.fixture
def public_and_hidden():
    """A published issue with an item and an action, and a hidden issue of each hidden status."""
    public_action = EnforcementActionFactory(target="Public Target Ltd")
    hidden = {}
    for status in HIDDEN:
        issue = IssueFactory(status=status, title=f"Hidden {status} issue")
        item = NewsItemFactory(issue=issue, headline=f"Hidden {status} headline")
        hidden[status] = EnforcementActionFactory(news_item=item, target=f"Hidden {status} target")
    unreported = EnforcementActionFactory(news_item=None, target="Unreported target")
    return public_action, hidden, unreported


def test_issue_published_excludes_draft_and_withdrawn(public_and_hidden):
    public_action, hidden, _unreported = public_and_hidden
    assert list(Issue.objects.published()) == [public_action.news_item.issue]


def test_news_item_published_excludes_items_of_draft_and_withdrawn_issues(public_and_hidden):
    public_action, _hidden, _unreported = public_and_hidden
    assert list(NewsItem.objects.published()) == [public_action.news_item]


def test_enforcement_published_excludes_hidden_issues_and_actions_no_item_reports(public_and_hidden):
    public_action, _hidden, _unreported = public_and_hidden
    assert list(EnforcementAction.objects.published()) == [public_action]


@pytest.mark.parametrize("url", ["/", "/issues/", "/items/", "/enforcement/"])
def test_public_lists_omit_draft_and_withdrawn_content(client, public_and_hidden, url):
    public_action, hidden, unreported = public_and_hidden
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for status, action in hidden.items():
        assert f"Hidden {status}" not in page
        assert action.public_id not in page
    assert "Unreported target" not in page
    assert unreported.public_id not in page
    assert "Draft preview" not in page


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/", "Weekly Review No."),
        ("/issues/", "Weekly Review No."),
        ("/items/", "Regulator Acts on Matter"),
        ("/enforcement/", "Public Target Ltd"),
    ],
)
def test_public_lists_show_published_content(client, public_and_hidden, url, shown):
    public_action, _hidden, _unreported = public_and_hidden
    page = client.get(url).content.decode()
    assert shown in page
    if url == "/enforcement/":
        assert public_action.public_id in page


def test_home_page_latest_issue_is_the_newest_published_not_a_newer_draft(client):
    published = NewsItemFactory(issue__title="Older Published Issue").issue
    IssueFactory(status=Issue.Status.DRAFT, title="Newer Draft Issue", issued_on="2021-05-01")
    page = client.get("/").content.decode()
    assert "Older Published Issue" in page
    assert published.get_absolute_url() in page
    assert "Newer Draft Issue" not in page


@pytest.mark.parametrize("status", HIDDEN)
@pytest.mark.parametrize("page", ["issue", "item", "action"])
def test_hidden_issue_pages_are_not_found_for_anonymous_readers(client, public_and_hidden, status, page):
    _public, hidden, _unreported = public_and_hidden
    action = hidden[status]
    url = {
        "issue": action.news_item.issue.get_absolute_url(),
        "item": action.news_item.get_absolute_url(),
        "action": action.get_absolute_url(),
    }[page]
    assert client.get(url).status_code == 404


def test_action_no_item_reports_is_not_found_for_anonymous_readers(client, public_and_hidden):
    _public, _hidden, unreported = public_and_hidden
    assert client.get(f"/enforcement/{unreported.public_id}/").status_code == 404


def test_published_pages_are_found_by_anonymous_readers_without_preview_banner(client, public_and_hidden):
    public_action, _hidden, _unreported = public_and_hidden
    for url in [
        public_action.news_item.issue.get_absolute_url(),
        public_action.news_item.get_absolute_url(),
        f"/enforcement/{public_action.public_id}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Public Target Ltd" in page or public_action.news_item.headline in page
        assert "Draft preview" not in page


def test_logged_in_reader_who_is_not_staff_cannot_preview_drafts(client, django_user_model, public_and_hidden):
    _public, hidden, _unreported = public_and_hidden
    client.force_login(django_user_model.objects.create_user(username="client-reader", password="pw"))
    assert client.get(hidden[Issue.Status.DRAFT].news_item.issue.get_absolute_url()).status_code == 404


def test_editor_previews_a_draft_issue_with_a_draft_banner(editor_client, public_and_hidden):
    _public, hidden, _unreported = public_and_hidden
    draft_action = hidden[Issue.Status.DRAFT]
    response = editor_client.get(draft_action.news_item.issue.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Draft preview" in page
    assert "Hidden draft headline" in page


def test_editor_previews_draft_item_and_action_with_a_draft_banner(editor_client, public_and_hidden):
    _public, hidden, unreported = public_and_hidden
    draft_action = hidden[Issue.Status.DRAFT]
    for url in [
        draft_action.news_item.get_absolute_url(),
        draft_action.get_absolute_url(),
        unreported.get_absolute_url(),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert "Draft preview" in response.content.decode(), url


def test_editor_sees_a_published_issue_without_the_draft_banner(editor_client, public_and_hidden):
    public_action, _hidden, _unreported = public_and_hidden
    response = editor_client.get(public_action.news_item.issue.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" not in response.content.decode()


def test_public_lists_do_not_show_drafts_even_to_an_editor(editor_client, public_and_hidden):
    # The lists are the public view; previews are reached issue by issue from the admin.
    page = editor_client.get("/items/").content.decode()
    assert "Hidden draft headline" not in page
