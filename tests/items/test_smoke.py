import pytest

from tests.factories import EnforcementActionFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


def test_issue_page_shows_published_item(client):
    item = NewsItemFactory()
    response = client.get(item.issue.get_absolute_url())
    assert response.status_code == 200
    assert item.headline in response.content.decode()


def test_admin_issue_change_page_renders_for_editor(editor_client):
    action = EnforcementActionFactory()
    for url in [
        f"/admin/items/issue/{action.news_item.issue.pk}/change/",
        f"/admin/items/newsitem/{action.news_item.pk}/change/",
        f"/admin/items/enforcementaction/{action.pk}/change/",
    ]:
        assert editor_client.get(url).status_code == 200
