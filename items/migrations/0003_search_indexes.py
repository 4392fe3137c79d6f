"""Search indexes, on PostgreSQL only (SQLite searches by substring and needs none).

The English index is on exactly the expression items.search.ENGLISH_VECTOR produces, so that
full-text queries use it. The trigram indexes serve substring search in Chinese text.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

ENGLISH_INDEX = (
    "CREATE INDEX IF NOT EXISTS newsitem_search_en_idx ON items_newsitem USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(headline, '') || ' ' || COALESCE(body, '')))"
)
CHINESE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS newsitem_headline_zh_trgm_idx ON items_newsitem USING gin (headline_zh gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS newsitem_body_zh_trgm_idx ON items_newsitem USING gin (body_zh gin_trgm_ops)",
]
INDEX_NAMES = ["newsitem_search_en_idx", "newsitem_headline_zh_trgm_idx", "newsitem_body_zh_trgm_idx"]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [ENGLISH_INDEX, *CHINESE_INDEXES]:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEX_NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("items", "0002_sections_and_editorial_groups")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
