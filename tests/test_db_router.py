"""Public anonymous reads may use a replica; editors, the admin and every write use the primary."""

from django.http import HttpResponse
from django.test import RequestFactory

from core.db_router import PrimaryReplicaRouter, ReplicaReadsMiddleware, use_replica
from items.models import Issue


def database_seen(request):
    seen = {}

    def view(request):
        seen["read"] = PrimaryReplicaRouter().db_for_read(Issue)
        seen["write"] = PrimaryReplicaRouter().db_for_write(Issue)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen


def test_anonymous_public_page_reads_from_the_replica_and_writes_to_the_primary():
    assert database_seen(RequestFactory().get("/enforcement/")) == {"read": "replica", "write": "default"}


def test_admin_logged_in_users_and_posts_read_from_the_primary():
    factory = RequestFactory()
    logged_in = factory.get("/enforcement/")
    logged_in.COOKIES["sessionid"] = "abc"
    for request in (factory.get("/admin/items/issue/"), logged_in, factory.post("/alerts/follow/")):
        assert database_seen(request)["read"] == "default"


def test_outside_a_request_everything_uses_the_primary():
    assert use_replica.get() is False
    assert PrimaryReplicaRouter().db_for_read(Issue) == "default"
    assert PrimaryReplicaRouter().allow_migrate("replica", "items") is False


def test_a_renamed_session_cookie_still_keeps_its_visitor_on_the_primary_and_off_kept_pages(settings):
    from core.page_cache import page_key

    settings.SESSION_COOKIE_NAME = "review_session"
    request = RequestFactory().get("/enforcement/")
    request.COOKIES["review_session"] = "abc"
    assert database_seen(request)["read"] == "default"
    assert page_key(request) is None
