"""What `migrate` puts in a new database besides the schema, for tests that flush it.

A transactional test's flush (or an explicit `flush`) removes the rows data migrations created:
the sections and editorial groups (items 0002). `restore_migration_rows()` puts them back with
the very functions that migration runs. (The content version's row, items 0007, needs no
restoring: `content_cache.current_version()` makes it when it is missing.)
"""

import importlib

from django.apps import apps


def restore_migration_rows():
    editorial_setup = importlib.import_module("items.migrations.0002_sections_and_editorial_groups")
    editorial_setup.create_sections(apps, None)
    editorial_setup.create_groups(apps, None)
