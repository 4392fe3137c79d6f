from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItemsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "items"
    verbose_name = _("Newsletter")

    def ready(self):
        from items import signals  # noqa: F401  (connects the receivers)
