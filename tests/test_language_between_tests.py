"""A page read in Chinese leaves the next test in the site's default language.

Django's LocaleMiddleware activates the reader's language in the test's own thread and nothing
deactivates it, so without the `default_language` fixture in conftest a test that formats a
date ("July 2022") failed whenever it ran after a Chinese page on the same worker.
"""

import pytest
from django.utils import translation


@pytest.mark.django_db
def test_a_page_read_in_chinese_activates_chinese_in_the_tests_thread(client):
    client.cookies["django_language"] = "zh-hans"
    client.get("/")
    assert translation.get_language() == "zh-hans"


def test_the_next_test_starts_in_english():
    # Runs right after the test above in one process (`make test PYTEST_ARGS=`), which is where it
    # failed before the fixture; under xdist it may land on another worker and pass either way.
    assert translation.get_language() == "en"
