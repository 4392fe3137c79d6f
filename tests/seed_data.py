"""The five seed newsletters, loaded once per test session and put back cheaply for each test.

`loaddata` of the seeds deserialises ~280 records, resolves their natural keys and sends a signal
per save: about a second a time, once for every test that asks for the `seeds` fixture. Instead
the session loads them once inside a transaction it rolls back, keeping what the load changed,
table by table (`SeedSnapshot.capture`); `restore()` writes those rows back with a few multi-row
INSERTs inside the test's own transaction, which the test's rollback then removes as before.
Tests that don't ask for the seeds still start on an empty database.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from core.content_cache import content_changed
from items.seed_fixtures import SEED_FIXTURES


def load_seeds():
    """The plain way, as `make load-fixtures` does (for tests that flush or compare against it)."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


class _Rollback(Exception):
    pass


@dataclass
class TableChange:
    """What the seed load did to one table: rows it removed or changed (by primary key), rows it wrote."""

    model: type
    columns: list
    removed: list = field(default_factory=list)
    written: list = field(default_factory=list)


def seed_models():
    """Every concrete table: models, their many-to-many tables and the history tables."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _columns(model):
    return [f.column for f in model._meta.concrete_fields]


def _rows(model):
    """Every row of the model's table, keyed by primary key, as the database driver returns it."""
    quote = connection.ops.quote_name
    columns = _columns(model)
    pk_index = columns.index(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)}")  # noqa: S608
        return {row[pk_index]: row for row in cursor.fetchall()}


class SeedSnapshot:
    def __init__(self, changes):
        self.changes = changes

    @classmethod
    def capture(cls):
        """Load the seeds in a transaction, note what changed, and roll the load back."""
        changes = []
        try:
            with transaction.atomic():
                before = {model: _rows(model) for model in seed_models()}
                load_seeds()
                for model, old in before.items():
                    new = _rows(model)
                    removed = [pk for pk, row in old.items() if new.get(pk) != row]
                    written = [row for pk, row in new.items() if old.get(pk) != row]
                    if removed or written:
                        changes.append(TableChange(model, _columns(model), removed, written))
                raise _Rollback
        except _Rollback:
            pass
        return cls(changes)

    def restore(self):
        """Write the seed rows into the current transaction, as the load left them."""
        quote = connection.ops.quote_name
        # Enough rows per INSERT to keep statements few, under the backend's parameter limit.
        max_params = connection.features.max_query_params or 30000
        with connection.cursor() as cursor:
            for change in self.changes:
                table = quote(change.model._meta.db_table)
                pk = quote(change.model._meta.pk.column)
                if change.removed:
                    marks = ", ".join(["%s"] * len(change.removed))
                    cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({marks})", change.removed)  # noqa: S608
                row_marks = "(" + ", ".join(["%s"] * len(change.columns)) + ")"
                per_statement = max(1, max_params // len(change.columns))
                for start in range(0, len(change.written), per_statement):
                    rows = change.written[start : start + per_statement]
                    cursor.execute(
                        f"INSERT INTO {table} ({', '.join(map(quote, change.columns))}) "  # noqa: S608
                        f"VALUES {', '.join([row_marks] * len(rows))}",
                        [value for row in rows for value in row],
                    )
            # PostgreSQL's sequences don't follow explicit keys: set them past the rows written.
            for statement in connection.ops.sequence_reset_sql(no_style(), [c.model for c in self.changes]):
                cursor.execute(statement)
        # A load is a change of content: retire cached reads as loaddata's signals would.
        content_changed()
