"""The sections every issue is filed under, and the Editors and Publishers groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECTIONS = [
    ("key-highlights", "Key Highlights", "要点速览", 10),
    ("domestic-news", "Domestic News", "国内要闻", 20),
    ("overseas-news", "Overseas News", "海外动态", 30),
    ("our-views", "Our Views", "我们的观点", 40),
    ("regulatory-developments", "Regulatory Developments", "监管动态", 50),
    ("enforcement-developments", "Enforcement Developments", "执法动态", 60),
    ("industry-developments", "Industry Developments", "行业动态", 70),
    ("courts-and-litigation", "Courts and Litigation", "司法诉讼", 80),
]

EDITORIAL_MODELS = {
    "regulators": ["regulator", "instrument"],
    "items": ["series", "section", "topic", "violation", "organisation", "issue", "newsitem", "source", "enforcementaction"],
}
# Editors add, change and view everything, and delete the parts of an issue (items, sources,
# actions) while they shape it; they cannot publish, withdraw or delete whole issues.
EDITOR_DELETABLE = {"newsitem", "source", "enforcementaction"}


def create_sections(apps, schema_editor):
    Section = apps.get_model("items", "Section")
    for slug, name, name_zh, order in SECTIONS:
        Section.objects.update_or_create(slug=slug, defaults={"name": name, "name_zh": name_zh, "order": order})


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so groups can hold them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app_label, model, actions):
        return Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
        )

    editor_perms, publisher_perms = [], []
    for app_label, models in EDITORIAL_MODELS.items():
        for model in models:
            actions = ["add", "change", "view"] + (["delete"] if model in EDITOR_DELETABLE else [])
            editor_perms += perms(app_label, model, actions)
            publisher_perms += perms(app_label, model, ["add", "change", "view", "delete"])
    publisher_perms += Permission.objects.filter(content_type__app_label="items", codename="publish_issue")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(editor_perms)
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(publisher_perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("items", "0001_initial"),
        ("regulators", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_sections, migrations.RunPython.noop),
        migrations.RunPython(create_groups, remove_groups),
    ]
