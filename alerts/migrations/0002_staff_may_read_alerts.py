"""Editors and publishers may read the alert log; publishers may also queue a failed send again.

Subscribers' addresses are personal data: no group may add or change them; only a superuser
deletes (a reader who asks to be forgotten does it from the manage page).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["subscriber", "subscription", "delivery", "deadlinereminder"]
RESENDABLE = ["delivery", "deadlinereminder"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make the app's now so groups can hold them.
    app_config = apps.get_app_config("alerts")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(content_type__app_label="alerts", codename__in=[f"view_{m}" for m in MODELS])
    change = Permission.objects.filter(
        content_type__app_label="alerts", codename__in=[f"change_{m}" for m in RESENDABLE]
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*view)
    for group in Group.objects.filter(name="Publishers"):
        group.permissions.add(*view, *change)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    alerts_permissions = Permission.objects.filter(content_type__app_label="alerts")
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.remove(*alerts_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("items", "0002_sections_and_editorial_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
