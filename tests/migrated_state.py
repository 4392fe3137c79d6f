"""What `migrate` puts in a new database besides the schema, for tests that flush it.

A transactional test's flush (or an explicit `flush`) removes the rows data migrations created:
the sections and editorial groups (items 0002) and the content version row (items 0007).
`restore_migration_rows()` puts them back with the very functions those migrations run.
"""

import importlib

from django.apps import apps


def restore_migration_rows():
    editorial_setup = importlib.import_module("items.migrations.0002_sections_and_editorial_groups")
    editorial_setup.create_sections(apps, None)
    editorial_setup.create_groups(apps, None)
    content_version = importlib.import_module("items.migrations.0007_content_version_row")
    content_version.create_row(apps, _SchemaEditor())


class _SchemaEditor:
    """The one attribute 0007's function reads: which database it writes to."""

    class connection:  # noqa: N801
        alias = "default"
