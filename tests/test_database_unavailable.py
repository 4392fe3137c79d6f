"""A database outage answers a plain 503 page, without a traceback, and the site recovers by itself.

The outage is simulated deterministically: every attempt to use a database connection raises
django.db.OperationalError (as psycopg2's "connection refused" does, once Django wraps it) while
`database_down()` is active. The real outage, with PostgreSQL stopped under load, is
benchmarks/load_and_faults.py (`make load-faults`).
"""

import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings

from items.models import EnforcementAction, Issue, NewsItem

PROJECT = Path(__file__).resolve().parents[1]
PLAIN_TEXT = "Temporarily unavailable"
LEAKS = ("Traceback", "OperationalError", "InterfaceError", "could not connect", "psycopg", "django.db")

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(error=OperationalError, message="could not connect to server: Connection refused"):
    """While active, opening or using any database connection raises `error`."""

    def refuse(self, *args, **kwargs):
        raise error(message)

    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refuse):
        yield


def public_urls():
    issue = Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("-issued_on").first()
    item = NewsItem.objects.filter(issue=issue).first()
    action = EnforcementAction.objects.filter(news_item__issue__status=Issue.Status.PUBLISHED).first()
    return [
        "/",
        "/issues/",
        issue.get_absolute_url(),
        "/items/",
        item.get_absolute_url(),
        "/enforcement/?action_type=fine",
        action.get_absolute_url(),
        "/instruments/",
        "/regulators/",
        "/search/?q=data",
        "/feeds/issues/rss/",
        "/items/feed/atom/",
    ]


def assert_plain_503(response, url):
    assert response.status_code == 503, url
    assert response["Retry-After"] == "10", url
    assert response["Content-Type"].startswith("text/html"), url
    html = response.content.decode()
    assert PLAIN_TEXT in html, url
    for leak in LEAKS:
        assert leak not in html, f"{url}: {leak!r} in the 503 page"


@pytest.mark.usefixtures("seeds")
def test_public_pages_answer_a_plain_503_during_an_outage_and_recover_after(client):
    urls = public_urls()
    with database_down():
        for url in urls:
            assert_plain_503(client.get(url), url)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_an_interface_error_a_closed_connection_is_an_outage_too(client):
    with database_down(InterfaceError, "connection already closed"):
        assert_plain_503(client.get("/issues/"), "/issues/")
    assert client.get("/issues/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/items/issue/", "/admin/items/newsitem/"])
def test_the_admin_answers_the_503_too_for_a_logged_in_editor(admin_client, path):
    with database_down():
        assert_plain_503(admin_client.get(path), path)
    assert admin_client.get(path).status_code == 200


def test_the_503_page_keeps_the_security_headers(client):
    with database_down():
        response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_the_outage_is_logged_in_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.WARNING), database_down():
        client.get("/items/")
    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(records) == 1, [record.getMessage() for record in records]
    record = records[0]
    assert record.name == "core.database"
    assert record.exc_info is None
    assert "503 for GET /items/" in record.getMessage()
    assert "OperationalError" in record.getMessage()


class QueryingMiddleware:
    """A middleware that uses the database before the view (as a session or auth lookup can)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        Issue.objects.exists()
        return self.get_response(request)


def test_an_outage_met_inside_a_middleware_answers_the_503_too():
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, __name__ + ".QueryingMiddleware"
    )
    client = Client(raise_request_exception=False)
    with override_settings(MIDDLEWARE=middleware):
        with database_down():
            assert_plain_503(client.get("/regulators/"), "/regulators/")
        assert client.get("/regulators/").status_code == 200


def test_with_debug_on_the_developer_still_sees_the_debug_page():
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=True), database_down():
        response = client.get("/issues/")
    assert response.status_code == 500
    assert "OperationalError" in response.content.decode()


def test_the_middleware_comes_before_anything_that_may_use_the_database():
    middleware = settings.MIDDLEWARE
    ours = middleware.index("core.middleware.DatabaseUnavailableMiddleware")
    assert ours < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert ours < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


def test_connections_are_health_checked_and_postgresql_fails_fast():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything"}
    env.pop("DJANGO_ENV", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['OPTIONS'].get('connect_timeout'), d['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "digest_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    timeout, health_checks = result.stdout.split()
    assert 1 <= int(timeout) <= 5
    assert health_checks == "True"
