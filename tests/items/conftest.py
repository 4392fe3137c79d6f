"""Fixtures of the items app's tests."""

import pytest
from django.core.management import call_command


@pytest.fixture
def landscape(db):
    """The series and the regulatory landscape (regulators, instruments), as the fixtures hold them."""
    call_command("loaddata", "series", "landscape", verbosity=0)
