import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.test_fixtures import SEED_FIXTURES


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The API's throttle counts requests in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeds(db):
    """The five seed newsletters, as `make load-fixtures` loads them."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
