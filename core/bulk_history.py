"""History (django-simple-history) for rows written in bulk.

`bulk_create` and raw multi-row INSERTs skip `save()` and the signals simple-history listens
to, so such rows would have no "created" entry. `record_created()` writes that entry for a
batch of primary keys in one `INSERT … SELECT` per history table: the historical row copies the
live row's columns as they are in the database, and each many-to-many field the model's history
tracks gets the links' historical rows the same way, tied to the new historical row. The
result is what simple-history writes for a `save()` followed by the links being set: a "+"
record per row with its links, here with `history_user` empty and a change reason saying where
the rows came from.

Measured on the 100,000-item demo database, this costs seconds where building historical
instances in Python (`bulk_create_with_history`) more than doubled the generator's time.

`purge_history()` removes the history of rows that are being removed for good without trace
(the generator's `--clear`), so that a cleared demo database leaves no deleted rows in the
recycle bin.
"""

from django.db import connections, router
from django.utils import timezone

HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def _history_model(model):
    try:
        return model.history.model
    except AttributeError as error:
        raise TypeError(f"{model._meta.label} keeps no history.") from error


def _m2m_history_models(history_model):
    """(many-to-many field, its historical through model) for each link the history tracks."""
    models = []
    for field in getattr(history_model, "_history_m2m_fields", ()):
        for relation in history_model._meta.related_objects:
            related = relation.related_model
            if related._meta.db_table.endswith(f"_{field.name}") and any(
                f.name == "m2m_history_id" for f in related._meta.concrete_fields
            ):
                models.append((field, related))
                break
        else:
            raise LookupError(f"No historical model for {history_model._meta.label}.{field.name}.")
    return models


def in_chunks(values, size=500):
    """`values` in consecutive lists of at most `size` (bounded IN (…) lists)."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def record_created(model, pks, reason="", when=None, chunk_size=2000):
    """Write a "+" history record, with its many-to-many links, for each row of `model` in `pks`.

    Call it after the rows and their links are written, inside the same transaction.
    """
    history_model = _history_model(model)
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    when = when or timezone.now()
    tracked = [f.column for f in history_model._meta.concrete_fields if f.attname not in HISTORY_FIELDS]
    table, history_table = quote(model._meta.db_table), quote(history_model._meta.db_table)
    pk_column = quote(model._meta.pk.column)
    columns = ", ".join(map(quote, tracked))
    history_columns = ", ".join(
        map(quote, ["history_date", "history_change_reason", "history_type", "history_user_id"])
    )
    m2m = _m2m_history_models(history_model)
    with connection.cursor() as cursor:
        for chunk in in_chunks(pks, chunk_size):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT MAX(history_id) FROM {history_table}")  # noqa: S608
            (before,) = cursor.fetchone()
            before = before or 0
            # Identifiers come from the models' metadata, quoted; values go as parameters.
            cursor.execute(
                f"INSERT INTO {history_table} ({columns}, {history_columns}) "  # noqa: S608
                f"SELECT {columns}, %s, %s, '+', NULL FROM {table} WHERE {pk_column} IN ({placeholders})",
                [when, reason, *chunk],
            )
            cursor.execute(f"SELECT MAX(history_id) FROM {history_table}")  # noqa: S608
            (after,) = cursor.fetchone()
            for field, m2m_history in m2m:
                through = field.remote_field.through
                source = quote(field.m2m_column_name())
                own = {"history_id", "m2m_history_id"}
                link_columns = [f.column for f in m2m_history._meta.concrete_fields if f.attname not in own]
                links = ", ".join(f"t.{quote(c)}" for c in link_columns)
                cursor.execute(
                    f"INSERT INTO {quote(m2m_history._meta.db_table)} "  # noqa: S608
                    f"({', '.join(map(quote, link_columns))}, {quote('history_id')}) "
                    f"SELECT {links}, h.history_id FROM {quote(through._meta.db_table)} t "
                    f"JOIN {history_table} h ON h.{quote('id')} = t.{source} "
                    f"WHERE h.history_id > %s AND h.history_id <= %s AND t.{source} IN ({placeholders})",
                    [before, after, *chunk],
                )


def purge_history(model, pks, chunk_size=500):
    """Delete every history record (and its links' records) of the rows of `model` in `pks`."""
    history_model = _history_model(model)
    using = router.db_for_write(model)
    m2m = [m2m_history for _field, m2m_history in _m2m_history_models(history_model)]
    for chunk in in_chunks(pks, chunk_size):
        history_ids = list(history_model.objects.using(using).filter(id__in=chunk).values_list("history_id", flat=True))
        for ids in in_chunks(history_ids, chunk_size):
            for m2m_history in m2m:
                queryset = m2m_history.objects.using(using).filter(history_id__in=ids)
                queryset._raw_delete(using)
            queryset = history_model.objects.using(using).filter(history_id__in=ids)
            queryset._raw_delete(using)
