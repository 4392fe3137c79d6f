"""A sick Redis costs speed, never a page: the site and the API answer uncached while Redis refuses
connections or accepts them and never answers, and use it again when it is back. And one client
cannot make the cache hold much: only valid, declared query parameters are kept, sorted, briefly.

Real parts: a redis-server of the test's own on a free port (stopped: the port refuses), and a
socket that accepts and stays silent (a hung Redis). The shared Redis at 6379 is never touched.
"""

import pytest

from digest_site.settings import redis_cache
from tests.fault_servers import OwnRedis, SilentServer, bounded

pytestmark = pytest.mark.django_db

PAGES = ["/", "/issues/", "/enforcement/", "/enforcement/?action_type=fine", "/items/", "/search/?q=fines"]
API = ["/api/", "/api/regulators/", "/api/enforcement/", "/api/items/"]


@pytest.fixture
def own_redis(settings):
    redis = OwnRedis().start()
    settings.CACHES = {"default": redis_cache(redis.url)}
    yield redis
    redis.stop()


@pytest.fixture
def hung_redis(settings):
    server = SilentServer()
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{server.port}/0")}
    yield server
    server.close()


def test_pages_and_the_api_answer_while_redis_refuses_connections(client, newsroom, own_redis):
    own_redis.stop()
    for url in PAGES + API:
        with bounded():
            assert client.get(url).status_code == 200, url


def test_pages_and_the_api_answer_while_redis_accepts_and_never_answers(client, newsroom, hung_redis):
    for url in PAGES + API:
        with bounded():
            assert client.get(url).status_code == 200, url


def test_a_hung_redis_is_waited_for_once_not_once_per_cache_read(client, newsroom, hung_redis):
    # A filtered list reads the page, its count, its rows, its facets and fragments from the cache.
    with bounded():
        assert client.get("/enforcement/?action_type=fine").status_code == 200
        assert client.get("/items/").status_code == 200
    assert len(hung_redis.accepted) == 1


def test_the_cache_is_used_again_once_redis_is_back(client, newsroom, own_redis, settings):
    settings.CACHES["default"]["OPTIONS"]["RETRY_AFTER"] = 0
    settings.CACHES = dict(settings.CACHES)  # the backends are made afresh with the new option
    own_redis.stop()
    assert client.get("/enforcement/").status_code == 200
    own_redis.start()
    assert client.get("/enforcement/").status_code == 200
    assert own_redis.client().dbsize() > 0


def kept(redis):
    return set(redis.client().keys("*"))


def test_urls_with_unknown_or_invalid_parameters_keep_nothing(client, newsroom, own_redis):
    issue = newsroom.issue.get_absolute_url()
    for url in ("/enforcement/", issue):
        assert client.get(url).status_code == 200
    before = kept(own_redis)
    for number in range(20):
        assert client.get(f"/enforcement/?utm_source={number}").status_code == 200
        assert client.get(f"/enforcement/?fine_min=not-a-number-{number}").status_code == 200
        assert client.get(f"/enforcement/?page=0{number + 1}").status_code == 200
        assert client.get(f"{issue}?ref={number}").status_code == 200
    assert kept(own_redis) == before


def test_the_same_parameters_in_another_order_share_one_kept_page(client, newsroom, own_redis):
    assert client.get("/enforcement/?action_type=fine&regulator=cac&o=-fine").status_code == 200
    before = kept(own_redis)
    assert len(before) > 0
    assert client.get("/enforcement/?o=-fine&regulator=cac&action_type=fine").status_code == 200
    assert kept(own_redis) == before


def test_pages_of_filtered_urls_are_kept_for_a_shorter_time(client, newsroom, own_redis, settings):
    redis = own_redis.client()
    assert client.get("/enforcement/").status_code == 200
    bare = kept(own_redis)
    assert client.get("/enforcement/?action_type=fine").status_code == 200
    filtered = kept(own_redis) - bare
    assert filtered
    assert all(0 < redis.ttl(key) <= settings.FILTERED_CACHE_SECONDS for key in filtered)
    assert any(redis.ttl(key) > settings.FILTERED_CACHE_SECONDS for key in bare)
