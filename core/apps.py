from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery every app shares; it knows no domain app (dependencies point down to it)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Site machinery")

    def ready(self):
        from core import signals  # noqa: F401  (connects the receivers)
