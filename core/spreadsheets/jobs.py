"""Run an import job in a thread of the app server that received it, outside the request.

No broker and no extra process: the request that starts a job returns at once with a page the
editor watches, and the work goes on in a thread. Everything the editor needs is in the job's
database row, so any app server can show it. The import itself keeps its transaction: a job
killed half-way (a worker restarted, a machine gone) has saved nothing, and its stopped
heartbeat (`updated_at`) shows it as interrupted after STALE_SECONDS.

Progress is written on a connection of its own (`connections.create_connection`, a documented
but little-used part of Django's connection handler): on the import's connection it would be
inside the import's transaction, invisible until the end and, for a preview, rolled back. SQLite
lets one connection write at a time, so there progress is reported only at the end.
"""

import logging
import threading
import time
from datetime import timedelta

from django.contrib import admin
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from core.models import ImportJob

logger = logging.getLogger(__name__)

#: A running job whose heartbeat is older than this was killed with its worker.
STALE_SECONDS = 120
PROGRESS_EVERY_SECONDS = 1.0


def start(job, confirm=False):
    """Run `job`'s preview (or, with confirm, its import) in a new thread; return the thread."""
    thread = threading.Thread(target=run, args=(job.pk, confirm), name=f"import-job-{job.pk}")
    thread.start()
    return thread


def run(job_id, confirm):
    job = ImportJob.objects.select_related("user", "content_type").get(pk=job_id)
    request = HttpRequest()
    request.user = job.user
    # simple-history reads the acting user from the request of the current thread.
    HistoricalRecords.context.request = request
    progress = ProgressReport(job)
    try:
        model_admin = admin.site._registry[job.content_type.model_class()]
        # The reasons a row is refused are stored as text: in the editor's language.
        with translation.override(job.language or None):
            model_admin.run_import_job(job, request, confirm=confirm, progress=progress)
    except Exception as error:  # the editor sees the job failed; the traceback goes to the log
        logger.exception("Import job %s failed", job_id)
        job.state = ImportJob.State.FAILED
        job.outcome = {**job.outcome, "errors": [f"{type(error).__name__}: {error}"]}
        job.save(update_fields=["state", "outcome", "updated_at"])
    finally:
        del HistoricalRecords.context.request
        progress.close()
        connections.close_all()


class ProgressReport:
    """Called once per imported row; writes how far the job is, at most once a second."""

    def __init__(self, job):
        self.job = job
        self.connection = None
        self.written_at = 0.0
        if connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, rows_done):
        now = time.monotonic()
        if self.connection is None or now - self.written_at < PROGRESS_EVERY_SECONDS:
            return
        self.written_at = now
        table = ImportJob._meta.db_table
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s, updated_at = %s WHERE id = %s",  # noqa: S608 (our own table)
                    [rows_done, timezone.now(), self.job.pk],
                )
        except DatabaseError:  # progress is a courtesy: the import goes on without it
            logger.warning("Could not report the progress of import job %s", self.job.pk, exc_info=True)

    def close(self):
        if self.connection is not None:
            self.connection.close()


def is_interrupted(job):
    """True if `job` says it is running but its worker stopped reporting (it saved nothing)."""
    if job.state not in ImportJob.RUNNING:
        return False
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":  # no heartbeat there (see the module)
        return False
    return job.updated_at < timezone.now() - timedelta(seconds=STALE_SECONDS)
