"""The news that a followed instrument moved to another stage, once per reader and stage;
editors and publishers read the log as they read deliveries, and publishers may queue a send again."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make the app's now so groups can hold them.
    app_config = apps.get_app_config("alerts")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(content_type__app_label="alerts", codename="view_stagenotice")
    change = Permission.objects.filter(content_type__app_label="alerts", codename="change_stagenotice")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*view)
    for group in Group.objects.filter(name="Publishers"):
        group.permissions.add(*view, *change)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_subscriber_language"),
        ("regulators", "0004_instrument_versions_and_stage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="StageNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("claimed", "claimed: being sent"),
                            ("sent", "sent"),
                            ("failed", "failed: the mail server refused it"),
                            ("interrupted", "interrupted: the run stopped before it was sent"),
                            ("retry", "queued to be sent again"),
                            ("skipped", "skipped"),
                        ],
                        db_index=True,
                        default="claimed",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "claim_token",
                    models.CharField(
                        db_index=True,
                        help_text="The run of send_alerts that claimed it.",
                        max_length=32,
                        verbose_name="claimed by run",
                    ),
                ),
                ("claimed_at", models.DateTimeField(verbose_name="claimed at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("attempts", models.PositiveSmallIntegerField(default=1, verbose_name="attempts")),
                ("error", models.TextField(blank=True, verbose_name="error")),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("draft", "draft"),
                            ("open", "open for comment"),
                            ("closed", "consultation closed"),
                            ("adopted", "adopted"),
                            ("in_force", "in force"),
                            ("amended", "amended"),
                            ("superseded", "superseded"),
                            ("repealed", "repealed"),
                            ("withdrawn", "withdrawn"),
                        ],
                        max_length=20,
                        verbose_name="stage",
                    ),
                ),
                (
                    "stage_key",
                    models.CharField(
                        help_text="The stage, with the text it names where it names one (superseded:12).",
                        max_length=40,
                        verbose_name="stage and the text behind it",
                    ),
                ),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="regulators.instrument",
                        verbose_name="instrument",
                    ),
                ),
                (
                    "subscriber",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_notices",
                        to="alerts.subscriber",
                        verbose_name="subscriber",
                    ),
                ),
                (
                    "subscription",
                    models.ForeignKey(
                        blank=True,
                        help_text="The alert that led to it.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="stage_notices",
                        to="alerts.subscription",
                        verbose_name="alert",
                    ),
                ),
            ],
            options={
                "verbose_name": "stage notice",
                "verbose_name_plural": "stage notices",
                "ordering": ["-claimed_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subscriber", "instrument", "stage_key"),
                        name="stage_notice_once_per_reader_and_stage",
                        violation_error_message="This reader was already told of this stage.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
