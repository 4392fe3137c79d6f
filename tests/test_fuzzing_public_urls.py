"""Arbitrary query strings at every public list, feed, search and export: never a 500, never a leak.

Hypothesis throws random keys and values (including allow-listed keys with hostile values, ORM
lookups that must not reach the database, NUL bytes, very long and non-ASCII text) at each URL.
"""

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzzing import DRAFT_MARK, query_strings

URLS = [
    "/enforcement/",
    "/enforcement/export.csv",
    "/enforcement/feed/rss/",
    "/enforcement/feed/atom/",
    "/items/",
    "/items/feed/rss/",
    "/search/",
    "/instruments/",
    "/instruments/calendar.ics",
    "/issues/",
]


@pytest.mark.parametrize("url", URLS)
def test_any_query_string_gives_an_answer_and_no_draft(client, archive, url):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(query=query_strings)
    def check(query):
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 400), (url, query, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert DRAFT_MARK.encode() not in body, (url, query)

    check()


def test_non_utf8_bytes_in_the_query_string_are_not_a_500(client, archive):
    for url in URLS:
        response = client.get(url, QUERY_STRING="regulator=%ff%fe&q=%c3%28")
        assert response.status_code in (200, 400), url
