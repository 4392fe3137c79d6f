"""`warm_pages` keeps the busiest pages ready for the first reader after a change of content."""

import io

import pytest
from django.core.management import call_command

from core.content_cache import content_changed
from items.management.commands.warm_pages import busiest_pages

pytestmark = pytest.mark.django_db


def warm_pages():
    out = io.StringIO()
    call_command("warm_pages", base_url="http://testserver", stdout=out)
    return out.getvalue()


def test_the_busiest_pages_are_the_lists_the_latest_issue_and_regulators_with_published_actions(newsroom):
    urls = busiest_pages(regulators=5)
    assert {"/", "/issues/", "/items/", "/enforcement/", "/regulators/", "/instruments/"} <= set(urls)
    assert newsroom.issue.get_absolute_url() in urls
    assert "/regulators/cac/" in urls
    assert "/regulators/miit/" not in urls  # its only action is in a draft issue
    assert newsroom.draft_issue.get_absolute_url() not in urls


def test_warmed_pages_are_served_to_the_next_reader_in_each_language(client, newsroom, django_assert_num_queries):
    pages = len(busiest_pages(regulators=5)) * 2
    assert f"Warmed {pages} of {pages} pages" in warm_pages()
    with django_assert_num_queries(1):  # the content version; the page itself is kept
        assert client.get("/enforcement/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/regulators/cac/", HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200


def test_nothing_is_done_until_the_content_changes(newsroom):
    warm_pages()
    assert "nothing to do" in warm_pages()
    content_changed()
    assert "Warmed" in warm_pages()
