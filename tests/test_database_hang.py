"""A PostgreSQL that accepts connections and never answers costs a request one short connection
attempt, not one per query (nor one per queued request): the 503 comes within `connect_timeout`.

The hung server is a real socket that accepts and stays silent; it is the database of a replica
(the production router sends anonymous reads there), made with the settings' own PostgreSQL
configuration, so this runs on SQLite and PostgreSQL alike.
"""

import dj_database_url
import pytest
from django.db import connections
from django.db.utils import load_backend

from digest_site.settings import postgresql_database
from tests.fault_servers import SilentServer, bounded
from tests.test_database_unavailable import assert_plain_503

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_replica(settings):
    server = SilentServer()
    url = f"postgres://postgres@127.0.0.1:{server.port}/hung"
    config = postgresql_database(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    config = connections.configure_settings({"default": config})["default"]
    # Made by hand, outside settings.DATABASES, so that the test database machinery leaves it alone.
    connections._connections.replica = load_backend(config["ENGINE"]).DatabaseWrapper(config, "replica")
    settings.DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
    yield server
    connections["replica"].close()
    delattr(connections._connections, "replica")
    server.close()


def test_a_hung_database_is_tried_once_per_request(client, newsroom, hung_replica):
    with bounded():
        assert_plain_503(client.get("/issues/"), "/issues/")
    assert len(hung_replica.accepted) == 1


def test_requests_right_after_a_failed_attempt_answer_503_without_waiting_again(
    client, newsroom, hung_replica, settings
):
    settings.DB_CONNECT_RETRY_SECONDS = 600  # "right after", however slow this machine is today
    with bounded():
        for url in ("/issues/", "/enforcement/", "/api/enforcement/", "/"):
            assert_plain_503(client.get(url), url)
    assert len(hung_replica.accepted) == 1


def test_the_database_is_tried_again_after_the_retry_interval(client, newsroom, hung_replica, settings):
    settings.DB_CONNECT_RETRY_SECONDS = 0
    attempts = []
    with bounded():
        for url in ("/issues/", "/enforcement/"):
            assert_plain_503(client.get(url), url)
            attempts.append(len(hung_replica.accepted))
    assert 0 < attempts[0] < attempts[1]
