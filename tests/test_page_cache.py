"""Whole pages kept for anonymous readers: the same bytes for a repeat, fresh after any change,
never a reader's own page (session, staff links, messages, cookies) and never a draft."""

import datetime

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from core import page_cache
from core.content_cache import ContentQuerySet, content_changed
from core.signals import content_models
from items.models import EnforcementAction, Issue
from items.services import publish_issue
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["/", "/issues/", "/enforcement/?regulator=cac", "/search/?q=Real", "/regulators/cac/", "/instruments/"]


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_repeat_gets_the_same_page_for_one_query(client, newsroom, django_assert_num_queries, url):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the content version
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in again


def test_a_new_issue_shows_on_the_next_request(client, newsroom):
    assert "Weekly Review No.230" not in client.get("/issues/").content.decode()
    draft = factories.IssueFactory(
        series=newsroom.issue.series, number=230, title="Weekly Review No.230", status=Issue.Status.DRAFT
    )
    factories.NewsItemFactory(issue=draft)
    assert "Weekly Review No.230" not in client.get("/issues/").content.decode()
    publish_issue(draft.pk)
    assert "Weekly Review No.230" in client.get("/issues/").content.decode()


def test_a_queryset_update_without_signals_retires_the_cached_pages(client, newsroom):
    url = newsroom.action.get_absolute_url()
    assert url in client.get("/enforcement/").content.decode()
    Issue.objects.filter(pk=newsroom.issue.pk).update(status=Issue.Status.WITHDRAWN)
    assert url not in client.get("/enforcement/").content.decode()


def test_every_editorial_model_retires_the_cache_on_bulk_writes():
    plain = [
        model.__name__ for model in content_models() if not isinstance(model._default_manager.all(), ContentQuerySet)
    ]
    assert plain == []
    # Editorial models declare themselves by their queryset: one that lost it would drop out.
    editorial = {model._meta.label for model in content_models()}
    assert editorial == {
        "items.Series", "items.Section", "items.Topic", "items.Violation", "items.Organisation", "items.Issue",
        "items.NewsItem", "items.Source", "items.EnforcementAction",
        "regulators.Regulator", "regulators.Instrument",
    }  # fmt: skip


def test_bulk_create_and_bulk_update_replace_the_content_version(newsroom):
    from core.content_cache import current_version

    before = current_version()
    factories.TopicFactory._meta.model.objects.bulk_create([factories.TopicFactory.build(slug="bulk", name="Bulk")])
    after_create = current_version()
    assert after_create != before
    action = EnforcementAction.objects.get(pk=newsroom.action.pk)
    action.target = "Renamed Co"
    EnforcementAction.objects.bulk_update([action], ["target"])
    assert current_version() != after_create


def test_a_staff_page_is_never_served_to_anonymous_readers(client, editor, newsroom):
    staff = Client()
    staff.force_login(editor)
    issue_url = newsroom.issue.get_absolute_url()
    assert "export.csv" in staff.get(issue_url).content.decode()  # staff-only link, rendered first
    anonymous = client.get(issue_url).content.decode()
    assert "export.csv" not in anonymous
    assert "export.csv" in staff.get(issue_url).content.decode()  # and staff are not given the cached page


def test_a_draft_preview_for_staff_is_not_kept_for_anyone(client, editor, newsroom):
    staff = Client()
    staff.force_login(editor)
    draft_url = newsroom.draft_issue.get_absolute_url()
    assert staff.get(draft_url).status_code == 200
    assert client.get(draft_url).status_code == 404


def test_readers_of_each_language_get_their_own_page(client, newsroom):
    english = client.get("/enforcement/").content.decode()
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/enforcement/").content.decode()
    assert 'lang="en"' in english and 'lang="zh-hans"' in chinese
    assert 'lang="zh-hans"' in Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/enforcement/").content.decode()
    assert 'lang="en"' in client.get("/enforcement/").content.decode()


def test_a_new_day_renders_the_page_again(client, newsroom, monkeypatch, django_assert_num_queries):
    """ "Open for comment" and deadlines depend on today: a page is kept for the day it was made."""
    client.get("/instruments/")
    with django_assert_num_queries(1):
        client.get("/instruments/")
    tomorrow = page_cache.timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/instruments/").status_code == 200
    assert len(captured) > 1


def test_the_header_has_no_token_and_switching_language_needs_none(newsroom):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get("/enforcement/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = reader.post("/i18n/setlang/", {"language": "zh-hans", "next": "/enforcement/"})
    assert response.status_code == 302 and response["Location"] == "/enforcement/"
    assert 'lang="zh-hans"' in reader.get("/enforcement/").content.decode()


def test_readers_with_a_session_get_a_page_rendered_for_them(client, newsroom):
    client.get("/enforcement/")
    client.cookies["sessionid"] = "no-such-session"
    response = client.get("/enforcement/")
    assert response.status_code == 200
    # Rendered by the view (its cached parts may all be kept: then it reads only the version).
    assert "items/enforcementaction_list.html" in [template.name for template in response.templates]


def request_for(url):
    request = RequestFactory().get(url)
    request.resolver_match = resolve(request.path)
    return request


def test_a_response_that_sets_a_cookie_is_not_kept():
    response = HttpResponse("<p>page</p>")
    assert page_cache.is_cacheable(request_for("/issues/"), response)
    response.set_cookie("csrftoken", "secret")
    assert not page_cache.is_cacheable(request_for("/issues/"), response)


def test_a_page_showing_a_message_is_not_kept():
    request = request_for("/issues/")
    request.session = {}
    request._messages = FallbackStorage(request)
    request._messages.add(20, "Thanks: check your inbox.")
    assert not page_cache.is_cacheable(request, HttpResponse("<p>page</p>"))


def test_only_public_html_pages_are_kept():
    assert not page_cache.is_cacheable(request_for("/admin/"), HttpResponse("<p>admin</p>"))
    assert not page_cache.is_cacheable(request_for("/issues/"), HttpResponse("{}", content_type="application/json"))
    assert not page_cache.is_cacheable(request_for("/issues/"), HttpResponse("<p>x</p>", status=404))
    private = HttpResponse("<p>x</p>")
    private["Cache-Control"] = "private"
    assert not page_cache.is_cacheable(request_for("/issues/"), private)


def test_requests_with_a_session_or_messages_cookie_or_not_get_are_rendered(settings):
    assert page_cache.page_key(RequestFactory().get("/issues/")) is not None
    assert page_cache.page_key(RequestFactory().post("/issues/")) is None
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        request = RequestFactory().get("/issues/")
        request.COOKIES[cookie] = "x"
        assert page_cache.page_key(request) is None
    settings.PAGE_CACHE_SECONDS = 0
    assert page_cache.page_key(RequestFactory().get("/issues/")) is None


def test_content_changed_retires_every_kept_page(client, newsroom):
    client.get("/issues/")
    content_changed()
    with CaptureQueriesContext(connection) as captured:
        client.get("/issues/")
    assert len(captured) > 1  # the version, then the archive read afresh


def test_only_views_that_declare_it_have_their_whole_page_kept():
    # Declared on the view (KeptPageMixin), never guessed from where its URL lives.
    assert not page_cache.view_keeps_whole_page(resolve("/sitemap.xml"))
    assert not page_cache.view_keeps_whole_page(resolve("/alerts/follow/"))
    assert page_cache.view_keeps_whole_page(resolve("/enforcement/"))
    assert page_cache.view_keeps_whole_page(resolve("/regulators/"))
