"""The admin side of spreadsheets: the import form's limits, who may import, previews and jobs.

See core/spreadsheets/resources.py for the rules every resource keeps."""

import contextlib
import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm
from import_export.signals import post_import

from core.models import ImportJob
from core.spreadsheets import jobs
from core.spreadsheets.formats import xlsx_data_rows
from core.spreadsheets.pending_uploads import discard_stale_uploads
from core.spreadsheets.resources import (
    DEFAULT_IMPORT_MAX_UPLOAD_SIZE,
    import_background_rows,
    import_max_rows,
    too_many_rows,
)

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

    # Big files: a background job (core/spreadsheets/jobs.py) previews them, then imports them once confirmed.

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
            language=get_language() or "",
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
        """Preview (or, with confirm, import) the job's file; called by core.spreadsheets.jobs in its thread."""
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
