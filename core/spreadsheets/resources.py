"""Spreadsheet import and export (django-import-export): the rules every resource of the site keeps.

Every resource of the site derives from `NaturalKeyResource`, so that these hold for every model:

- Records refer to each other by natural key, never by database id: a regulator by its slug
  (an abbreviation is accepted on import), an instrument, series, section, topic, violation or
  organisation by its slug. Many-to-many columns list those keys separated by "|". A key that
  matches nothing is an error of that row, never silently dropped.
- `import_id_fields` is the model's natural key, so a file travels between databases; a row whose
  key exists updates that record, otherwise it creates one. Rows that would change nothing are
  skipped (`skip_unchanged`) and shown as skipped (`report_skipped`), so re-importing an unchanged
  file writes nothing, not even a history record. Imports never delete.
- Every row is validated like an admin form (`full_clean()`: field validators, choices and the
  model's constraints). A file with any bad row saves nothing: the import runs in one transaction
  that is rolled back on any error, validation errors included. Bad rows are numbered by their line
  in the file as a spreadsheet shows it (the header is line 1).
- Rows are saved one by one through `save()` (never `use_bulk`), so signals run and every change
  is kept in the history, with the importing user when the import comes through the admin.
- Dates are ISO 8601 (2021-04-26). A date known only to the month or year is stored, and exported,
  as the first day of its period, with its `<date>_precision` column beside it.
- Export neutralises spreadsheet formulas: a text cell starting with =, +, -, @, a tab or a carriage
  return gets a leading apostrophe (core.spreadsheets.formats.neutralise_cell, shared with the CSV
  views). Numbers stay numbers: an amount is never text, and no amount can be negative. Import
  removes that apostrophe again, so an exported file re-imports unchanged. JSON, which no
  spreadsheet opens, is exported as the data stands (see `SpreadsheetImportExportMixin`).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, MultipleObjectsReturned, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Result

from core.spreadsheets.formats import FORMULA_TRIGGERS, neutralise_cell

# The import form refuses larger files before the importer reads or stores them (settings.IMPORT_MAX_UPLOAD_SIZE).
DEFAULT_IMPORT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# An import holds at most this many rows (settings.IMPORT_MAX_ROWS): within the size limit a file
# of short rows can hold a million, which would run for hours row by row. The admin form counts
# the rows before anything is parsed into records; the resource checks again for other callers.
DEFAULT_IMPORT_MAX_ROWS = 50_000


def import_max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_IMPORT_MAX_ROWS)


def import_background_rows():
    """Files with more rows are previewed and imported by a background job (see core/spreadsheets/jobs.py)."""
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 200)


def too_many_rows(rows, limit):
    return _("This file has %(rows)s rows; an import may have at most %(limit)s. Split it and import the parts.") % {
        "rows": f"{rows:,}",
        "limit": f"{limit:,}",
    }


def restore_cell(value):
    """Undo `neutralise_cell`: "'=SUM(A1)" read back from an exported file is "=SUM(A1)" again."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def split_keys(value, separator="|"):
    """The keys of a many-to-many cell, in order, without blanks or repeats."""
    if value is None:
        return []
    keys = [key.strip() for key in force_str(value).split(separator)]
    return list(dict.fromkeys(key for key in keys if key))


# Widgets: how one cell is read and written.


def refuse_nul(value):
    """A NUL byte is refused here as the admin's forms refuse it (PostgreSQL cannot store one)."""
    if value is not None and "\x00" in force_str(value):
        raise ValueError(_("Null characters are not allowed."))
    return value


class TextWidget(widgets.CharWidget):
    """Text, with the apostrophe that neutralised a formula on export removed on import."""

    def clean(self, value, row=None, **kwargs):
        return restore_cell(super().clean(refuse_nul(value), row, **kwargs))


class KeyWidget(TextWidget):
    """A key (slug, public id): surrounding spaces, which no key has, are dropped."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return value.strip() if isinstance(value, str) else value


class ISODateWidget(widgets.DateWidget):
    """A date as YYYY-MM-DD; a spreadsheet's date cell is accepted as it is."""

    def __init__(self, format="%Y-%m-%d", coerce_to_string=True):
        super().__init__(format=format, coerce_to_string=coerce_to_string)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            # XLSX has no date type: a date cell comes back as midnight of that day.
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD, e.g. 2021-04-26 (got “%s”).") % value) from None


class PlainNumberMixin:
    """Numbers written the same in every language: 1250.50, never "1 250,50"."""

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type") or not self.coerce_to_string:
            return value
        return "" if value is None else str(value)


class AmountWidget(PlainNumberMixin, widgets.DecimalWidget):
    """An amount such as 250000 or 1250.50: digits and a decimal point, no thousands separators."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, float):
            # A spreadsheet's number cell: its shortest repr is the number the cell shows.
            return Decimal(repr(value))
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
        text = force_str(value).strip()
        try:
            if "," in text:
                raise InvalidOperation
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("Enter an amount as digits with an optional decimal point, e.g. 250000 or 1250.50 (got “%s”).") % text
            ) from None
        if not amount.is_finite():
            raise ValueError(_("Enter a finite amount (got “%s”).") % text)
        return amount


class WholeNumberWidget(PlainNumberMixin, widgets.IntegerWidget):
    """A whole number such as 53; 53.0 from a spreadsheet cell is accepted."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, int):
            return value
        try:
            number = Decimal(force_str(value).strip())
            if not number.is_finite() or number != number.to_integral_value():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError(_("Enter a whole number (got “%s”).") % value) from None
        return int(number)


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug."""

    key_name = _("slug")

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        key = force_str(refuse_nul(value)).strip() if value is not None else ""
        if not key:
            return None
        return self.lookup(key)

    def lookup(self, key):
        try:
            return self.model.objects.get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s has the %(key_name)s “%(key)s”.")
                % {"model": self.model._meta.verbose_name, "key_name": self.key_name, "key": key}
            ) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Related records named by their slugs, separated by "|". Unknown slugs are an error, not ignored."""

    key_name = _("slug")

    def __init__(self, model, field="slug", separator="|", **kwargs):
        super().__init__(model, separator=separator, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        keys = split_keys(refuse_nul(value), self.separator)
        found = self.lookup(keys)
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise ValueError(
                _("No %(model)s has the %(key_name)s %(keys)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "key_name": self.key_name,
                    "keys": ", ".join(f"“{key}”" for key in unknown),
                }
            )
        return list(dict.fromkeys(found[key] for key in keys))

    def lookup(self, keys):
        """{key: record} for the keys that name a record."""
        records = self.model.objects.filter(**{f"{self.field}__in": keys})
        return {getattr(record, self.field): record for record in records}


# The import machinery: which record a row is, how bad rows are numbered.


class NaturalKeyInstanceLoader(ModelInstanceLoader):
    """Finds the record a row names by its natural key.

    A key that cannot be read (an unknown issue, a malformed number) makes the row a new record,
    whose import then fails on that column with the widget's message, as any other bad cell does.
    """

    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            return None
        except MultipleObjectsReturned:
            model = self.resource._meta.model._meta
            columns = ", ".join(self.resource.fields[name].column_name for name in self.resource.get_import_id_fields())
            raise ValidationError(
                _("Several %(plural)s share this %(columns)s; make them distinct in the admin first.")
                % {"plural": model.verbose_name_plural, "columns": columns}
            ) from None


class FileLineResult(Result):
    """An import result whose bad rows carry their line in the file, as a spreadsheet numbers it."""

    # The library counts data rows from 1; the header is line 1 of the file.
    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        return [(error_row.number, error_row.errors) for error_row in self.error_rows]

    def bad_rows(self):
        """[(line, [reason, …]), …] for every row that failed, in file order."""
        bad = [(row.number, [force_str(error.error) for error in row.errors]) for row in self.error_rows]
        for row in self.invalid_rows:
            reasons = []
            for field_name, errors in row.error_dict.items():
                label = "" if field_name == NON_FIELD_ERRORS else f"{field_name}: "
                reasons += [f"{label}{error}" for error in errors]
            bad.append((row.number, reasons))
        return sorted(bad, key=lambda line_and_reasons: line_and_reasons[0])


NUMBER_FIELDS = [
    "IntegerField",
    "PositiveIntegerField",
    "BigIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
]


class NaturalKeyResource(resources.ModelResource):
    """The base of every resource: natural keys, all-or-nothing imports, inert formulas (see the module)."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
        "SlugField": KeyWidget,
        "DateField": ISODateWidget,
        "DecimalField": AmountWidget,
        **dict.fromkeys(NUMBER_FIELDS, WholeNumberWidget),
    }

    #: Relations to the same model (a parent, `implements`): an export lists the rows they point
    #: to first, so that the file imports top to bottom into an empty database.
    self_references = ()
    #: Relations every exported row shows, read once per export rather than once per row.
    export_select_related = ()
    export_prefetch_related = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False  # bulk writes skip save(), signals and history
        instance_loader_class = NaturalKeyInstanceLoader

    @classmethod
    def get_result_class(cls):
        return FileLineResult

    def import_data(self, dataset, rollback_on_validation_errors=True, **kwargs):
        """Import `dataset`; any bad row, validation errors included, rolls the whole file back."""
        return super().import_data(dataset, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        if len(dataset) > import_max_rows():
            raise ValueError(too_many_rows(len(dataset), import_max_rows()))
        super().before_import(dataset, **kwargs)
        self.lines_by_key = {}

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        progress = kwargs.get("progress")  # a background job's report (core.spreadsheets.jobs)
        if progress is not None:
            progress(kwargs["row_number"])

    def get_import_fields(self):
        # Read-only columns (an issue's status) are exported for information and never imported.
        return [field for field in super().get_import_fields() if not field.readonly]

    def import_instance(self, instance, row, **kwargs):
        """Read every cell of the row, many-to-many ones too, and report all that are bad at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            # The library reads many-to-many cells only after saving; read them now so an unknown
            # key is a validation error of this row, reported with the others.
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(force_str(error), code="invalid")
        self.check_key_is_new_in_file(row, errors, kwargs.get("row_number"))
        self.check_row(instance, errors, **kwargs)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, errors, **kwargs):
        """Add this resource's own errors of the row, read into `instance`, to `errors` ({field: error})."""

    def check_key_is_new_in_file(self, row, errors, row_number):
        """Two rows with the same key would silently overwrite each other: the second is an error."""
        columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        key = tuple(force_str(row.get(column) if row.get(column) is not None else "").strip() for column in columns)
        if not any(key) or row_number is None:
            return
        line = row_number + 1
        first_line = getattr(self, "lines_by_key", {}).setdefault(key, line)
        if first_line != line:
            errors[NON_FIELD_ERRORS] = ValidationError(
                _("Line %(line)d already has this %(columns)s; give each record one row.")
                % {"line": first_line, "columns": ", ".join(columns)},
                code="duplicate",
            )

    def validation_exclusions(self, instance):
        """Model fields `full_clean()` should not check for this instance (the model fills them in)."""
        return []

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self.validation_exclusions(instance)], validate_unique=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        if self.export_prefetch_related:
            queryset = queryset.prefetch_related(*self.export_prefetch_related)
        return queryset

    def iter_queryset(self, queryset):
        records = super().iter_queryset(queryset)
        if self.self_references:
            records = self.referenced_first(list(records))
        yield from records

    def referenced_first(self, records):
        """`records` in their order, except that a record comes after those it refers to."""
        by_pk = {record.pk: record for record in records}
        ordered, placed = [], set()

        def place(record, path):
            if record.pk in placed or record.pk in path:  # placed already, or a cycle
                return
            path.add(record.pk)
            for pk in self.referenced_pks(record):
                if pk in by_pk:
                    place(by_pk[pk], path)
            placed.add(record.pk)
            ordered.append(record)

        for record in records:
            place(record, set())
        return ordered

    def referenced_pks(self, record):
        pks = []
        for name in self.self_references:
            field = record._meta.get_field(name)
            if field.many_to_many:
                pks += [related.pk for related in getattr(record, name).all()]
            elif getattr(record, field.attname) is not None:
                pks.append(getattr(record, field.attname))
        return pks

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if not kwargs.get("neutralise_formulae", True) or isinstance(field.widget, widgets.NumberWidget):
            return value
        return neutralise_cell(value)
