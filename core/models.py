"""The site's own records, shared by every app: the content version and spreadsheet import jobs."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row whose token changes whenever public content may have changed.

    Cached public reads (facet counts, pages of results, charts) are keyed by the token
    (`core.content_cache`), so a change, committed in the same transaction as the data,
    retires every cached answer at once, on every server, whatever the cache backend.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class ImportJob(models.Model):
    """A spreadsheet import too big to preview or save within one request, run outside it.

    The row is the job's whole state, so any app server can show it: the editor's browser polls
    whichever server the load balancer picks, and the confirm step may land on another machine
    than the preview did. The uploaded file itself waits in the shared pending-upload storage
    (settings.STORAGES["import_export"]), named by `upload_name`.
    """

    class State(models.TextChoices):
        PREVIEWING = "previewing", _("checking the file")
        READY = "ready", _("checked, waiting for confirmation")
        REJECTED = "rejected", _("refused: bad rows")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("nothing imported")

    RUNNING = (State.PREVIEWING, State.IMPORTING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    content_type = models.ForeignKey(ContentType, verbose_name=_("imported model"), on_delete=models.CASCADE)
    resource = models.PositiveSmallIntegerField(_("resource"), default=0)
    file_format = models.PositiveSmallIntegerField(_("file format"))
    upload_name = models.CharField(_("pending upload"), max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PREVIEWING)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The editor's language, for the reasons shown.")
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    #: What the editor is shown: {"totals": {...}, "bad_rows": [[line, [reason, …]], …],
    #: "errors": [message, …], "sample": [[line, import type, [cell, …]], …], "headers": […]}.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: Written with every progress report too: a running job whose heartbeat stopped was killed.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def percent_done(self):
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
