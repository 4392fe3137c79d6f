"""The private Django APIs the export fast path leans on (items/exports/postgres_copy.py).

Each is checked on the installed Django: an upgrade that renames one or changes its signature
fails here, naming the API, rather than as a failed or wrong export. When one fails, check the
fast path against the new Django (tests/items/test_exports.py compares it with the simple path
on PostgreSQL), then update the list here and in postgres_copy.py's docstring.
"""

import inspect

import django
import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Expression
from django.db.models.sql import constants
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import Query

from items.exports.postgres_copy import LabelsJoin

# name, owner, attribute, the parameters the fast path calls it with (in order)
SIGNATURES = [
    (
        "CursorWrapper._execute_with_wrappers",
        CursorWrapper,
        "_execute_with_wrappers",
        ["self", "sql", "params", "many", "executor"],
    ),
    (
        "CursorDebugWrapper.debug_sql",
        CursorDebugWrapper,
        "debug_sql",
        ["self", "sql", "params", "use_last_executed_query", "many"],
    ),
    (
        "Join.__init__",
        Join,
        "__init__",
        [
            "self",
            "table_name",
            "parent_alias",
            "table_alias",
            "join_type",
            "join_field",
            "nullable",
            "filtered_relation",
        ],
    ),
    ("Join.as_sql", Join, "as_sql", ["self", "compiler", "connection"]),
    ("Join.relabeled_clone", Join, "relabeled_clone", ["self", "change_map"]),
    ("Query.join", Query, "join", ["self", "join", "reuse"]),
    ("Query.get_initial_alias", Query, "get_initial_alias", ["self"]),
    ("SQLCompiler.quote_name_unless_alias", SQLCompiler, "quote_name_unless_alias", ["self", "name"]),
    ("SQLCompiler.execute_sql", SQLCompiler, "execute_sql", ["self", "result_type", "chunked_fetch", "chunk_size"]),
    ("Expression.get_group_by_cols", Expression, "get_group_by_cols", ["self"]),
    (
        "Expression.resolve_expression",
        Expression,
        "resolve_expression",
        ["self", "query", "allow_joins", "reuse", "summarize", "for_save"],
    ),
]


def changed(name, detail):
    return (
        f"Django {django.get_version()} changed {name}, a private API that the PostgreSQL export fast "
        f"path (items/exports/postgres_copy.py) leans on: {detail}"
    )


@pytest.mark.parametrize(
    ("name", "owner", "attribute", "expected"), SIGNATURES, ids=[signature[0] for signature in SIGNATURES]
)
def test_a_private_django_api_of_the_export_fast_path_keeps_its_signature(name, owner, attribute, expected):
    function = inspect.getattr_static(owner, attribute, None)
    if function is None:
        pytest.fail(changed(name, "it is gone."))
    function = getattr(owner, attribute)
    # debug_sql is a @contextmanager: its signature is the generator function's.
    found = list(inspect.signature(inspect.unwrap(function)).parameters)
    assert found == expected, changed(name, f"its parameters were {expected}, they are now {found}.")


def test_the_database_wrapper_still_wraps_database_errors_for_the_copy_reader_thread():
    wrap = inspect.getattr_static(BaseDatabaseWrapper, "wrap_database_errors", None)
    assert wrap is not None, changed("BaseDatabaseWrapper.wrap_database_errors", "it is gone.")


def test_the_sql_constants_of_the_fast_path_are_still_there():
    for constant in ("MULTI", "LOUTER"):
        assert hasattr(constants, constant), changed(f"django.db.models.sql.constants.{constant}", "it is gone.")


def test_a_labels_join_sets_every_attribute_a_django_join_sets():
    """Query.join() and the compiler read a join's attributes; LabelsJoin sets them itself."""
    from items.models import EnforcementAction

    foreign_key = EnforcementAction._meta.get_field("news_item")
    django_join = Join("table", "parent", "alias", constants.LOUTER, foreign_key, True)
    labels_join = LabelsJoin(EnforcementAction._meta.get_field("regulators"), ("name",), "parent", "alias")
    # Attributes Join derives from a real foreign key (its ON columns) are never read for ours:
    # LabelsJoin writes its own ON clause in as_sql().
    derived = {"join_fields", "join_cols"}
    missing = set(vars(django_join)) - derived - set(vars(labels_join))
    assert not missing, changed("sql.datastructures.Join", f"a Join now also sets {sorted(missing)}.")
    assert isinstance(inspect.getattr_static(Join, "identity", None), property), changed(
        "Join.identity", "it is no longer a property (Query.join compares joins by it)."
    )
