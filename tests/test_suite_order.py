"""The suite's own order: tests that flush the database run after every test that uses it.

pytest regroups tests by their parameters after pytest-django has put the transactional tests
last; tests/conftest.py sorts them again. Seen on a real collection: the browser tests (which
flush) and the permission matrix (parametrized, on the rolled-back database) together.
"""

import subprocess
import sys

from django.conf import settings

FILES = ["tests/test_permission_matrix.py", "tests/browser/test_reading_the_site.py"]


def test_browser_tests_run_after_the_tests_in_a_rolled_back_transaction():
    collected = subprocess.run(  # noqa: S603 (our own interpreter and test files)
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *FILES],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    files = [line.split("::")[0] for line in collected if "::" in line]
    first_browser = files.index(FILES[1])
    assert FILES[0] in files
    assert FILES[0] not in files[first_browser:]
