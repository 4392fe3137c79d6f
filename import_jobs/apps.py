from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportJobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "import_jobs"
    verbose_name = _("Spreadsheet import jobs")
