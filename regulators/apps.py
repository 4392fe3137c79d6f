from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "regulators"
    verbose_name = _("Regulatory landscape")
