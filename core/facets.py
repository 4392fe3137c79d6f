"""Facets of a public list: for each value of a filter, how many rows choosing it would list.

Counts follow the other active filters; several facets are counted in one statement over the
list's matching rows (`shared_facet_rows`). The list pages (core/listing.py) show them.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Count, F

from core.bilingual import EnglishFallback, ReaderText, reader_wants_chinese


class Facet:
    """One facet of a list: the filter it drives and how to read its values and labels.

    `path` is the ORM path of the value the filter takes (e.g. "regulators__slug");
    `label_paths` are read in the same query to label each value (e.g. abbreviation, name);
    `zh_label_paths` (e.g. name_zh) are read with them and label it for a Chinese reader, the
    English labels standing in, marked as English (core/bilingual.py), where a record has none;
    `choices` (for choice fields) gives labels without a join; `label` is a function from a value
    to its label (a jurisdiction code to its name), called in the reader's language.
    `rollup` names the parent field of the records a value names, when its filter matches a
    record and every record under it (`SubtreeMultipleChoiceFilter`): each value is then
    counted with the rows of its whole subtree, as many rows as clicking it lists.
    `annotate`, for a value computed in SQL that the list's rows do not carry (an instrument's
    stage today), adds it as the annotation `path` to the rows counted, for this facet only.
    """

    def __init__(
        self,
        name,
        path,
        label_paths=(),
        choices=None,
        limit=None,
        label=None,
        rollup=None,
        annotate=None,
        zh_label_paths=(),
    ):
        self.name = name
        self.annotate = annotate
        self.path = path
        self.english_label_paths = tuple(label_paths)
        self.zh_label_paths = tuple(zh_label_paths)
        self.label_paths = self.zh_label_paths + self.english_label_paths  # all read in one query
        self.choices = dict(choices) if choices else None
        self.limit = limit
        self.label = label
        self.rollup = rollup

    def rows_to_count(self, queryset):
        """The rows this facet counts over `queryset`'s: with its annotation, if it has one."""
        return self.annotate(queryset) if self.annotate else queryset

    def label_of_value(self, value):
        """The label of a value no row was read for (a chosen value with no rows left)."""
        if self.label is not None:
            return self.label(value)
        return self.choices.get(value, value) if self.choices else value

    def label_for(self, row):
        if self.label is not None:
            return self.label(row[self.path])
        if self.choices is not None:
            return str(self.choices.get(row[self.path], row[self.path]))
        english = next((row[path] for path in self.english_label_paths if row.get(path)), row[self.path])
        if not (self.zh_label_paths and reader_wants_chinese()):
            return english
        chinese = next((row[path] for path in self.zh_label_paths if row.get(path)), None)
        return ReaderText(chinese) if chinese else EnglishFallback(english)


def queryset_without(filterset, excluded_name):
    """The filterset's queryset with every valid filter applied except `excluded_name`."""
    queryset = filterset.queryset
    if not filterset.is_bound:
        return queryset
    if excluded_name is None and filterset.is_valid():
        return filterset.qs  # every filter: the rows the list shows, filtered once already
    for name, value in filterset.form.cleaned_data.items():
        if name == excluded_name or name not in filterset.filters or name == "o":
            continue
        queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def facet_options(filterset, facet):
    """Counts for each value of `facet`, computed in one query over the other active filters.

    Several values of one facet combine with OR, so a facet's own selection does not narrow its
    counts; every other active filter does.
    """
    if facet.rollup:
        rows = shared_facet_rows(queryset_without(filterset, facet.name), [facet])[facet.name]
        return options_from_rows(filterset, facet, rows)
    rows = (
        facet.rows_to_count(queryset_without(filterset, facet.name))
        .order_by()
        .values(facet.path, *facet.label_paths)
        .annotate(total=Count("pk", distinct=True))
        .order_by("-total", facet.path)
    )
    return options_from_rows(filterset, facet, rows)


def options_from_rows(filterset, facet, rows):
    """A facet's options from its count rows (most frequent first): labelled, ticked, trimmed."""
    selected = {str(value) for value in filterset.data.getlist(facet.name)} if filterset.is_bound else set()
    options, seen = [], set()
    for row in rows:
        value = row[facet.path]
        if value in (None, "") or value in seen:
            continue
        seen.add(value)
        options.append(
            {"value": value, "label": facet.label_for(row), "count": row["total"], "selected": str(value) in selected}
        )
    if facet.limit:
        options = [o for i, o in enumerate(options) if i < facet.limit or o["selected"]]
    # A chosen value with no rows left under the other filters stays visible (and ticked).
    missing = sorted(selected - {str(value) for value in seen})
    labels = record_labels(filterset.queryset.model, facet, missing)
    for value in missing:
        options.append(
            {
                "value": value,
                "label": labels.get(value) or facet.label_of_value(value),
                "count": 0,
                "selected": True,
            }
        )
    return options


def record_labels(model, facet, values):
    """{value: label} for values of a facet on related records (a regulator's slug → "MIIT"), read
    in one query; used only for chosen values that no row shows any more."""
    source = FacetSource.of(model, facet) if values else None
    if source is None or source.kind == "column" or not source.labels:
        return {}
    value_name, label_names = source.value.name, [label.name for label in source.labels]
    rows = source.field.related_model._default_manager.filter(**{f"{value_name}__in": values})
    return {
        str(row[value_name]): facet.label_for(
            {
                facet.path: row[value_name],
                **{path: row[name] for path, name in zip(facet.label_paths, label_names, strict=True)},
            }
        )
        for row in rows.values(value_name, *label_names)
    }


def in_use(filterset, name):
    """Whether the filter `name` narrows the list: a value was given (django-filter's own test:
    its filters pass the queryset through on a falsy value; a chosen records' queryset was
    already read when the list was filtered)."""
    return filterset.is_bound and bool(filterset.form.cleaned_data.get(name))


def facets_options(filterset, facets):
    """{facet name: options} for `facets`, as `facet_options` gives them, in fewer statements.

    Every facet whose own filter is not in use counts over the same rows: the list with all its
    filters. Those are counted in one statement (`shared_facet_rows`), which finds the rows once.
    A facet whose own filter is in use counts over other rows (its own selection left out) and
    keeps a query of its own, as does a facet whose path `FacetSource` cannot read.
    """
    queryset = filterset.queryset
    annotations = queryset.query.annotations
    shared = [
        facet
        for facet in facets
        if not in_use(filterset, facet.name) and FacetSource.of(queryset.model, facet, annotations) is not None
    ]
    rows = {}
    if len(shared) > 1 and connections[queryset.db].vendor in ("postgresql", "sqlite"):
        rows = shared_facet_rows(queryset_without(filterset, None), shared)
    return {
        facet.name: (
            options_from_rows(filterset, facet, rows[facet.name])
            if facet.name in rows
            else facet_options(filterset, facet)
        )
        for facet in facets
    }


class FacetSource:
    """Where a facet's values are, for counting them over a set of matched rows.

    - `column`: on the row itself (`jurisdiction`);
    - `foreign`: on the record a foreign key of the row points to (`section__slug`);
    - `links`: on the records a many-to-many field links the row to (`topics__slug`), read from
      the link table, which holds each pair once.

    A value the rows carry as an annotation is a `column` too, when `annotations` (the
    queryset's) names it or the facet adds it (`Facet.annotate`: an instrument's stage today).

    The labels must be read where the value is. Other paths (deeper ones) get None.
    """

    def __init__(self, kind, field, value, labels, parent=None):
        self.kind, self.field, self.value, self.labels = kind, field, value, labels
        self.parent = parent  # a rolled-up facet's parent field on the records it names

    @classmethod
    def of(cls, model, facet, annotations=()):
        try:
            source = cls._of(model, facet, annotations)
        except FieldDoesNotExist:
            source = None
        if facet.rollup:
            if source is None or source.kind == "column":
                raise ValueError(f"The rolled-up facet {facet.name} must name a related record's field.")
            source.parent = source.field.related_model._meta.get_field(facet.rollup)
        return source

    @classmethod
    def _of(cls, model, facet, annotations):
        first, *rest = facet.path.split("__")
        if not rest and not facet.label_paths and (first in annotations or facet.annotate):
            return cls("column", None, AnnotatedValue(first), [])
        field = model._meta.get_field(first)
        labels = [path.split("__") for path in facet.label_paths]
        if not rest and not field.is_relation and all(len(label) == 1 for label in labels):
            label_fields = [model._meta.get_field(label[0]) for label in labels]
            kind, value = "column", field
        elif len(rest) == 1 and all(len(label) == 2 and label[0] == first for label in labels):
            if not (field.many_to_one or field.many_to_many) or field.auto_created:
                return None
            target = field.related_model._meta
            label_fields = [target.get_field(label[1]) for label in labels]
            kind, value = ("foreign" if field.many_to_one else "links"), target.get_field(rest[0])
        else:
            return None
        if value.is_relation or any(label.is_relation for label in label_fields):
            return None
        return cls(kind, field, value, label_fields)

    @property
    def row_fields(self):
        """The fields of the row itself this facet reads (its columns in facet_matches)."""
        return {"column": (self.value, *self.labels), "foreign": (self.field,), "links": ()}[self.kind]


class AnnotatedValue:
    """An annotation read like a column of the row (its name stands for the column's)."""

    is_relation = False

    def __init__(self, name):
        self.attname = name


MATCHES = "facet_matches"


def shared_facet_rows(queryset, facets):
    """{facet name: count rows, most frequent first} for facets counted over the same `queryset`.

    One statement. `WITH facet_matches AS MATERIALIZED (...)` holds each matching row once: its
    id, and the columns the single-valued facets read. Each facet's counts are then read from it
    alone (`column`), from it joined to the record its foreign key names (`foreign`), or from
    the facet's link table joined to it (`links`), and the counts are joined by UNION ALL.
    Finding the rows (a full-text match over 70,000 items, a substring scan on SQLite) is done
    once, and no facet goes back to the list's own wide table. Values and labels are read as
    text (every facet's values are slugs or choice keys).

    A rolled-up facet (`Facet.rollup`) counts each record with every record under it: a
    recursive `facet_tree_<n>(member, ancestor)` pairs each record with itself and with each
    record above it (UNION, not UNION ALL, so a cycle an editor made ends the walk, and a record
    of a cycle is under the others, as core.trees.ParentTree walks it). The rows of each
    ancestor are counted once, however many of its offices a row names.
    """
    for facet in facets:
        queryset = facet.rows_to_count(queryset)
    using = queryset.db
    connection = connections[using]
    quote = connection.ops.quote_name
    sources = [FacetSource.of(queryset.model, facet, queryset.query.annotations) for facet in facets]
    columns = {}  # attname on the row -> its name in facet_matches
    for source in sources:
        for field in source.row_fields:
            columns.setdefault(field.attname, f"facet_c{len(columns)}")
    matches = queryset.order_by().values(facet_id=F("pk"), **{name: F(attname) for attname, name in columns.items()})
    matches_sql, params = matches.distinct().query.get_compiler(using).as_sql()
    params = list(params)
    label_count = max(len(source.labels) for source in sources)
    branches, trees = [], []
    for index, source in enumerate(sources):
        counted = "COUNT(*)"
        if source.parent is not None:
            target = source.field.related_model._meta
            tree, table, pk = f"facet_tree_{index}", quote(target.db_table), quote(target.pk.column)
            parent = quote(source.parent.column)
            trees.append(
                f"{tree}(member, ancestor) AS (SELECT {pk}, {pk} FROM {table} "  # noqa: S608
                f"UNION SELECT {tree}.member, up.{parent} FROM {tree} "
                f"JOIN {table} up ON up.{pk} = {tree}.ancestor WHERE up.{parent} IS NOT NULL)"
            )
            counted = "COUNT(DISTINCT m.facet_id)"
        if source.kind == "column":
            read, joins = [f"m.{columns[field.attname]}" for field in source.row_fields], ""
        else:
            target = source.field.related_model._meta
            read = [f"t.{quote(field.column)}" for field in (source.value, *source.labels)]
            if source.kind == "foreign":
                named, joins = f"m.{columns[source.field.attname]}", ""
                target_key = quote(source.field.target_field.column)
            else:
                links = source.field.remote_field.through._meta.db_table
                named = f"l.{quote(source.field.m2m_reverse_name())}"
                target_key = quote(target.pk.column)
                joins = f"JOIN {quote(links)} l ON l.{quote(source.field.m2m_column_name())} = m.facet_id "
            if source.parent is not None:
                joins += f"JOIN facet_tree_{index} c ON c.member = {named} "
                named = "c.ancestor"
            joins += f"JOIN {quote(target.db_table)} t ON t.{target_key} = {named}"
        selected = [f"CAST({column} AS TEXT)" for column in read]
        selected += ["CAST(NULL AS TEXT)"] * (label_count - len(source.labels))
        branches.append(
            f"SELECT {index}, {', '.join(selected)}, {counted} FROM {MATCHES} m {joins} GROUP BY {', '.join(read)}"  # noqa: S608
        )
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" or sqlite_has_materialized(connection) else ""
    statement = (
        f"WITH {'RECURSIVE ' if trees else ''}{MATCHES} AS {materialized}({matches_sql})"
        f"{''.join(f', {tree}' for tree in trees)} "
        f"{' UNION ALL '.join(branches)} ORDER BY 1, {label_count + 3} DESC, 2"
    )
    rows = {facet.name: [] for facet in facets}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for index, value, *labels, total in cursor.fetchall():
            facet = facets[index]
            rows[facet.name].append(
                {facet.path: value, **dict(zip(facet.label_paths, labels, strict=False)), "total": total}
            )
    return rows


def sqlite_has_materialized(connection):
    return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)
