"""Cached public reads follow every change at once, and never show what is not published.

The pages below are each asked for once (filling the cache), then something changes, and the
page asked again must show the change: publishing, withdrawing, editing a row, changing its
links, deleting it. A broken cache serves the pages uncached.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from core.content_cache import (
    cached,
    cached_each,
    content_changed,
    current_version,
    in_order,
    one_change_for_all,
)
from digest_site.settings import redis_cache
from items.models import EnforcementAction, Issue
from items.services import publish_issue, withdraw_issue
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/enforcement/",
    "/enforcement/?regulator=cac",
    "/enforcement/stats/",
    "/items/",
    "/search/?q=Sixty",
    "/regulators/miit/",
    "/regulators/cac/",
]


def texts(client):
    return {url: client.get(url).content.decode() for url in PAGES}


def test_publishing_shows_the_issue_on_every_cached_page_at_once(client, newsroom):
    before = texts(client)
    assert all("MIIT Names Sixty Apps" not in html for html in before.values())
    publish_issue(newsroom.draft_issue.pk)
    after = texts(client)
    for url in ("/", "/items/", "/search/?q=Sixty", "/regulators/miit/"):
        assert "MIIT Names Sixty Apps" in after[url], url
    assert "60 apps" in after["/enforcement/"]


def test_withdrawing_removes_the_issue_from_every_cached_page_at_once(client, newsroom):
    before = texts(client)
    assert "CAC Fines a Real Estate Company" in before["/"]
    assert "Example Real Estate" in before["/enforcement/?regulator=cac"]
    withdraw_issue(newsroom.issue.pk)
    after = texts(client)
    for url, html in after.items():
        assert "CAC Fines a Real Estate Company" not in html, url
        assert "Example Real Estate" not in html, url


def test_editing_a_row_or_its_links_changes_the_cached_counts(client, newsroom):
    assert 'name="regulator" value="miit"' not in client.get("/enforcement/").content.decode()
    newsroom.action.regulators.add(newsroom.miit)  # a link: m2m_changed
    assert 'name="regulator" value="miit"' in client.get("/enforcement/").content.decode()
    EnforcementAction.objects.filter(pk=newsroom.action.pk).get().delete()
    assert "Example Real Estate" not in client.get("/enforcement/").content.decode()


def test_a_second_reader_gets_the_cached_answer_until_content_changes(newsroom):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached("probe", ("x",), compute) == 1
    assert cached("probe", ("x",), compute) == 1
    assert cached("probe", ("y",), compute) == 2  # other parts, other key
    factories.TopicFactory(slug="new-topic")  # any editorial save
    assert cached("probe", ("x",), compute) == 3


def test_several_cached_values_compute_only_the_missing_ones_together(newsroom):
    batches = []

    def compute(keys):
        batches.append(sorted(keys))
        return {key: f"{key}{len(batches)}" for key in keys}

    assert cached_each("probe", {"a": ("a",)}, compute) == {"a": "a1"}
    assert cached_each("probe", {"a": ("a",), "b": ("b",), "c": ("c",)}, compute) == {"a": "a1", "b": "b2", "c": "c2"}
    assert batches == [["a"], ["b", "c"]]
    assert cached_each("probe", {"c": ("c",), "a": ("a",)}, compute) == {"c": "c2", "a": "a1"}
    assert len(batches) == 2
    factories.TopicFactory(slug="new-topic")  # any editorial save retires them all
    assert cached_each("probe", {"a": ("a",)}, compute) == {"a": "a3"}


def test_changes_in_a_batch_replace_the_version_once_at_the_end(newsroom):
    before = current_version()
    with one_change_for_all():
        factories.TopicFactory(slug="one")
        factories.TopicFactory(slug="two")
        assert current_version() == before
    assert current_version() != before


def test_the_generator_and_its_clear_replace_the_version(newsroom):
    before = current_version()
    call_command("generate_demo_data", items=30, actions=10, instruments=5, regulators=5, verbosity=0)
    generated = current_version()
    assert generated != before
    call_command("generate_demo_data", "--clear-only", verbosity=0)
    assert current_version() != generated


def test_the_generator_replaces_the_version_once_not_per_bulk_insert(newsroom):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call_command("generate_demo_data", items=30, actions=10, instruments=5, regulators=5, verbosity=0)
    replaced = [q for q in queries if q["sql"].startswith("UPDATE") and "core_contentversion" in q["sql"]]
    assert len(replaced) == 1


def test_cached_ids_are_read_back_through_published_only(newsroom):
    ids = [newsroom.draft_action.pk, newsroom.action.pk]
    assert in_order(EnforcementAction.objects.published(), ids) == [newsroom.action]
    assert in_order(EnforcementAction.objects.all(), ids) == [newsroom.draft_action, newsroom.action]


def test_a_stale_cached_page_of_ids_cannot_show_a_withdrawn_issue(client, newsroom):
    """Even if the version were not replaced, rows are re-read through published()."""
    client.get("/enforcement/")  # caches the ids of the page
    assert newsroom.action.get_absolute_url() in client.get("/enforcement/").content.decode()
    Issue.objects.filter(pk=newsroom.issue.pk).update(status=Issue.Status.WITHDRAWN)  # no signal
    assert newsroom.action.get_absolute_url() not in client.get("/enforcement/").content.decode()


@override_settings(CACHES={"default": redis_cache("redis://127.0.0.1:9/0")})
def test_pages_are_served_uncached_when_the_cache_is_down(client, newsroom):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "CAC Fines a Real Estate Company" in client.get("/").content.decode()


def test_content_changed_outside_a_request_is_seen_by_the_next_request(client, newsroom):
    client.get("/enforcement/")
    cache_keys_before = current_version()
    content_changed()
    assert current_version() != cache_keys_before
    assert client.get("/enforcement/").status_code == 200
    cache.clear()


def test_a_database_without_the_version_row_gets_one_at_the_first_read(client, newsroom):
    from core.models import ContentVersion

    ContentVersion.objects.all().delete()  # as a flush leaves it
    assert client.get("/enforcement/").status_code == 200
    token = ContentVersion.objects.get(pk=1).token
    assert current_version() == token
    content_changed()
    assert ContentVersion.objects.get(pk=1).token != token
