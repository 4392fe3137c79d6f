"""Which tests may run after which: tests that flush the database go after those that use it."""

from pytest_django.plugin import validate_django_db


def database_order(item):
    """0 for tests in a rolled-back transaction, 1 for transactional ones (they flush), 2 for the rest."""
    marker = item.get_closest_marker("django_db")
    transactional = bool({"transactional_db", "live_server"} & set(item.fixturenames))
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    if transactional:
        return 1
    return 0 if marker or "db" in item.fixturenames else 2
