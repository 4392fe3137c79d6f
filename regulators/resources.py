"""Spreadsheet import and export (django-import-export): the landscape, and the rules every resource keeps.

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
  return gets a leading apostrophe (digest_site.spreadsheets.neutralise_cell, shared with the CSV
  views). Numbers stay numbers: an amount is never text, and no amount can be negative. Import
  removes that apostrophe again, so an exported file re-imports unchanged. JSON, which no
  spreadsheet opens, is exported as the data stands (see `SpreadsheetImportExportMixin`).
"""

import contextlib
import csv
import datetime
import io
import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, MultipleObjectsReturned, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Result
from import_export.signals import post_import

from digest_site.spreadsheets import FORMULA_TRIGGERS, neutralise_cell, xlsx_data_rows
from import_jobs import jobs
from import_jobs.models import ImportJob
from import_jobs.pending_uploads import discard_stale_uploads
from regulators.models import Instrument, Regulator

# The import form refuses larger files before the importer reads or stores them (settings.IMPORT_MAX_UPLOAD_SIZE).
DEFAULT_IMPORT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# An import holds at most this many rows (settings.IMPORT_MAX_ROWS): within the size limit a file
# of short rows can hold a million, which would run for hours row by row. The admin form counts
# the rows before anything is parsed into records; the resource checks again for other callers.
DEFAULT_IMPORT_MAX_ROWS = 50_000


def import_max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_IMPORT_MAX_ROWS)


def import_background_rows():
    """Files with more rows are previewed and imported by a background job (see import_jobs)."""
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


def find_regulators(keys):
    """{key: regulator} for each key that is a regulator's slug or, failing that, its abbreviation."""
    found = {regulator.slug: regulator for regulator in Regulator.objects.filter(slug__in=keys)}
    rest = [key for key in keys if key not in found]
    if rest:
        abbreviated = Regulator.objects.filter(abbreviation__in=rest)
        by_abbreviation = {regulator.abbreviation: regulator for regulator in abbreviated}
        found.update({key: by_abbreviation[key] for key in rest if key in by_abbreviation})
    return found


class RegulatorWidget(SlugWidget):
    """A regulator by slug ("cac") or, where no slug matches, by abbreviation ("CAC", "Ningbo AMR")."""

    key_name = _("slug or abbreviation")

    def __init__(self, **kwargs):
        super().__init__(Regulator, **kwargs)

    def lookup(self, key):
        regulator = find_regulators([key]).get(key)
        if regulator is None:
            return super().lookup(key)  # raises the "no regulator has…" error
        return regulator


class RegulatorsWidget(SlugsWidget):
    """Regulators by slug or abbreviation, separated by "|"; exported as slugs."""

    key_name = _("slug or abbreviation")

    def __init__(self, **kwargs):
        super().__init__(Regulator, **kwargs)

    def lookup(self, keys):
        return find_regulators(keys)


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
        progress = kwargs.get("progress")  # a background job's report (import_jobs.jobs)
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
        if errors:
            raise ValidationError(errors)

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


# The admin side: formats, who may import, upload size, and all-or-nothing at the confirm step.


class BoundedImportForm(ImportForm):
    """The import form, refusing files larger than settings.IMPORT_MAX_UPLOAD_SIZE."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = getattr(settings, "IMPORT_MAX_UPLOAD_SIZE", DEFAULT_IMPORT_MAX_UPLOAD_SIZE)
        if upload.size > limit:
            raise ValidationError(
                _("This file is %(size)s; import files may be at most %(limit)s. Split it and import the parts.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats
        #: The file's data rows, once clean() has counted them (None if it could not).
        self.row_count = None

    def clean(self):
        """Refuse, before the library parses it, a text file that is not UTF-8 or a file with too many rows."""
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or not chosen:
            return cleaned
        file_format = self.import_formats[int(chosen)]
        content = upload.read()
        upload.seek(0)
        rows = None
        if not file_format().is_binary():
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                self.add_error("import_file", not_utf8(error))
                return cleaned
            if issubclass(file_format, CSV):
                rows = sum(1 for row in csv.reader(io.StringIO(text)) if row) - 1
            elif issubclass(file_format, JSON):
                rows = json_rows(text)
        elif issubclass(file_format, XLSX):
            rows = xlsx_data_rows(content)
        if rows is not None and rows > import_max_rows():
            self.add_error("import_file", too_many_rows(rows, import_max_rows()))
        self.row_count = rows
        return cleaned


def not_utf8(error):
    return _(
        "This file is not UTF-8: byte 0x%(byte)02X at position %(position)d cannot be read. Save it from your "
        "spreadsheet as “CSV UTF-8” (Excel: Save As, then CSV UTF-8 (Comma delimited)) and import that file."
    ) % {"byte": error.object[error.start], "position": error.start}


def json_rows(text):
    """The records of a JSON file (a list of objects), or None if it is not one: the import says why."""
    try:
        records = json.loads(text)
    except ValueError:
        return None
    return len(records) if isinstance(records, list) else None


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Import and export for an admin class (put it before SimpleHistoryAdmin in the bases).

    Formats come from IMPORT_EXPORT_FORMATS (CSV, XLSX, JSON). Import shows the library's preview
    (a dry run) and saves only after "Confirm import". It is offered to users who may both add and
    change the model, since an import does both; export to those who may view it.
    """

    import_form_class = BoundedImportForm

    def has_import_permission(self, request):
        codename = get_permission_codename("change", self.opts)
        return super().has_import_permission(request) and request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # Formulas are neutralised in files a spreadsheet opens; JSON keeps the data as it stands.
        kwargs.setdefault("neutralise_formulae", not isinstance(file_format, JSON))
        return super().get_export_data(file_format, request, queryset, **kwargs)

    import_job_template_name = "admin/import_export/import_job.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        job_url = path(
            "import/job/<int:job_id>/",
            self.admin_site.admin_view(self.import_job_view),
            name=f"{info[0]}_{info[1]}_import_job",
        )
        return [job_url, *super().get_urls()]

    def create_import_form(self, request):
        # import_action() builds the form again after the size check below: validate it once.
        if getattr(request, "_import_form", None) is None:
            request._import_form = super().create_import_form(request)
        return request._import_form

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and (form.row_count or 0) > import_background_rows():
                return self.start_import_job(request, form)
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and not context.get("confirm_form"):
            # No confirm step follows (bad rows, unreadable file): drop the stored upload now.
            self.discard_upload(request.FILES.get("import_file"))
        return response

    def write_to_tmp_storage(self, import_file, input_format):
        discard_stale_uploads()
        return super().write_to_tmp_storage(import_file, input_format)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # Confirmed twice, or after the pending upload was discarded.
            messages.error(request, UPLOAD_GONE)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")

    # Big files: a background job (import_jobs) previews them, then imports them once confirmed.

    def start_import_job(self, request, form):
        """Keep the upload in the shared storage and check its rows in the background."""
        file_format = int(form.cleaned_data["format"])
        upload = form.cleaned_data["import_file"]
        pending = self.write_to_tmp_storage(upload, self.get_import_formats()[file_format]())
        job = ImportJob.objects.create(
            user=request.user,
            content_type=ContentType.objects.get_for_model(self.model, for_concrete_model=False),
            resource=self.get_resource_index(form),
            file_format=file_format,
            upload_name=pending.name,
            file_name=upload.name,
            rows_total=form.row_count,
        )
        transaction.on_commit(lambda: jobs.start(job))
        return redirect(self.import_job_url(job))

    def import_job_url(self, job):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_job", args=[job.pk])

    def import_job_view(self, request, job_id):
        """The job's state and progress (the page refreshes while it runs); POST confirms a clean preview."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = ImportJob.objects.filter(pk=job_id, user=request.user).first()
        if job is None or job.content_type.model_class() is not self.model:
            raise Http404
        if request.method == "POST":
            # Only one confirmation starts the import, however often the button is pressed.
            if ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.READY).update(
                state=ImportJob.State.IMPORTING, rows_done=0
            ):
                transaction.on_commit(lambda: jobs.start(job, confirm=True))
            return redirect(self.import_job_url(job))
        interrupted = jobs.is_interrupted(job)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.opts,
            "job": job,
            "interrupted": interrupted,
            "refresh": job.state in ImportJob.RUNNING and not interrupted,
        }
        return TemplateResponse(request, self.import_job_template_name, context)

    def run_import_job(self, job, request, confirm, progress):
        """Preview (or, with confirm, import) the job's file; called by import_jobs.jobs in its thread."""
        input_format = self.get_import_formats()[job.file_format](encoding=self.from_encoding)
        pending = self.get_tmp_storage_class()(
            name=job.upload_name,
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            dataset = input_format.create_dataset(pending.read())
        except FileNotFoundError:
            job.state, job.outcome = ImportJob.State.FAILED, {"errors": [force_str(UPLOAD_GONE)]}
            job.save()
            return
        resource_class = self.get_import_resource_classes(request)[job.resource]
        resource = resource_class(**self.get_import_resource_kwargs(request))
        result = resource.import_data(
            dataset,
            dry_run=not confirm,
            raise_errors=False,
            file_name=job.file_name,
            user=request.user,
            progress=progress,
            retain_instance_in_row_result=confirm,
            **self.get_import_data_kwargs(request=request),
        )
        job.rows_done = len(dataset)
        job.outcome = job_outcome(result, dataset, sample=not confirm)
        if result.has_errors() or result.has_validation_errors():
            job.state = ImportJob.State.FAILED if confirm else ImportJob.State.REJECTED
        elif confirm:
            job.state = ImportJob.State.DONE
            self.generate_log_entries(result, request)
            post_import.send(sender=None, model=self.model)
        else:
            job.state = ImportJob.State.READY
        if job.state != ImportJob.State.READY:
            with contextlib.suppress(OSError):
                pending.remove()
        job.save()

    def discard_upload(self, upload):
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
            with contextlib.suppress(OSError):
                storage.remove()

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between preview and confirmation: the import was rolled back.
            problems = [force_str(error.error) for error in result.base_errors] + [
                _("line %(line)d: %(reasons)s") % {"line": line, "reasons": " ".join(reasons)}
                for line, reasons in result.bad_rows()
            ]
            messages.error(request, _("Nothing was imported. %(problems)s") % {"problems": "; ".join(problems)})
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)


UPLOAD_GONE = _(
    "This upload is no longer waiting to be imported: it was imported already, or discarded. "
    "Nothing was imported now; upload the file again if it is still needed."
)
#: The preview of a background job shows its totals, every bad row, and this many rows of the file.
JOB_SAMPLE_ROWS = 20


def job_outcome(result, dataset, sample):
    """What the job's page shows of `result`: totals, bad rows and errors, the first rows (JSON)."""
    outcome = {
        "totals": {force_str(kind): count for kind, count in result.totals.items()},
        "bad_rows": result.bad_rows(),
        "errors": [force_str(error.error) for error in result.base_errors],
    }
    if sample:
        outcome["headers"] = [force_str(header) for header in dataset.headers or []]
        outcome["sample"] = [
            [number + 2, force_str(row_result.import_type), [None if v is None else force_str(v) for v in values]]
            for number, (row_result, values) in enumerate(zip(result.rows[:JOB_SAMPLE_ROWS], dataset, strict=False))
        ]
    return outcome


# The landscape's resources.


class RegulatorResource(NaturalKeyResource):
    """Regulators, one per row, keyed by `slug`.

    `parent` is the parent's slug (an abbreviation is accepted on import). Parents are exported
    above their children; in a file of your own, put a parent above the regulators under it.
    """

    parent = fields.Field(attribute="parent", column_name="parent", widget=RegulatorWidget())
    self_references = ("parent",)
    export_select_related = ("parent",)

    class Meta(NaturalKeyResource.Meta):
        model = Regulator
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "name_zh",
            "abbreviation",
            "kind",
            "level",
            "jurisdiction",
            "parent",
            "website",
            "description",
        ]


class InstrumentResource(NaturalKeyResource):
    """Laws, regulations, standards and other texts, one per row, keyed by `slug`.

    `issuers` lists regulators by slug (abbreviations accepted on import) and `implements` lists
    instruments by slug, each separated by "|". Every date has its precision column (day, month
    or year); a month- or year-precise date is the first day of its period. An instrument is
    exported below the instruments it implements.
    """

    issuers = fields.Field(attribute="issuers", column_name="issuers", widget=RegulatorsWidget())
    implements = fields.Field(attribute="implements", column_name="implements", widget=SlugsWidget(Instrument))
    self_references = ("implements",)
    export_prefetch_related = ("issuers", "implements")

    class Meta(NaturalKeyResource.Meta):
        model = Instrument
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "title_zh",
            "short_title",
            "kind",
            "status",
            "jurisdiction",
            "issuers",
            "implements",
            "published_on",
            "published_on_precision",
            "comment_deadline",
            "comment_deadline_precision",
            "adopted_on",
            "adopted_on_precision",
            "effective_on",
            "effective_on_precision",
            "official_url",
            "description",
        ]
