"""The record a lawyer cites: decision number, official decision, status, appeal and related
actions, and the articles applied; editors and publishers may list articles as they list sources."""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make the app's now so groups can hold them.
    app_config = apps.get_app_config("items")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_legalbasisarticle" for action in ("add", "change", "delete", "view")]
    permissions = Permission.objects.filter(content_type__app_label="items", codename__in=codenames)
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("items", "0011_chinese_names"),
        ("regulators", "0004_instrument_versions_and_stage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="enforcementaction",
            name="appeal_of",
            field=models.ForeignKey(
                blank=True,
                help_text="The first-instance decision this one decides on appeal or review.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="appeals",
                to="items.enforcementaction",
                verbose_name="appeal of",
            ),
        ),
        migrations.AddField(
            model_name="enforcementaction",
            name="decision_number",
            field=models.CharField(
                blank=True,
                help_text="The authority's own document or case number, e.g. 京网信罚〔2021〕1号.",
                max_length=200,
                verbose_name="decision number",
            ),
        ),
        migrations.AddField(
            model_name="enforcementaction",
            name="decision_status",
            field=models.CharField(
                blank=True,
                choices=[("final", "final"), ("under_appeal", "under appeal"), ("overturned", "overturned")],
                help_text="Where known: final, under appeal, or overturned on appeal or review.",
                max_length=20,
                verbose_name="status of the decision",
            ),
        ),
        migrations.AddField(
            model_name="enforcementaction",
            name="decision_url",
            field=models.URLField(
                blank=True,
                help_text="The authority's own decision or notice, on its website (not a report of it).",
                max_length=1000,
                verbose_name="official decision",
            ),
        ),
        migrations.AddField(
            model_name="enforcementaction",
            name="related_actions",
            field=models.ManyToManyField(
                blank=True,
                help_text="Other decisions of the same case: its other targets, or other authorities' parallel decisions.",
                to="items.enforcementaction",
                verbose_name="related actions",
            ),
        ),
        migrations.AddField(
            model_name="historicalenforcementaction",
            name="appeal_of",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The first-instance decision this one decides on appeal or review.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="items.enforcementaction",
                verbose_name="appeal of",
            ),
        ),
        migrations.AddField(
            model_name="historicalenforcementaction",
            name="decision_number",
            field=models.CharField(
                blank=True,
                help_text="The authority's own document or case number, e.g. 京网信罚〔2021〕1号.",
                max_length=200,
                verbose_name="decision number",
            ),
        ),
        migrations.AddField(
            model_name="historicalenforcementaction",
            name="decision_status",
            field=models.CharField(
                blank=True,
                choices=[("final", "final"), ("under_appeal", "under appeal"), ("overturned", "overturned")],
                help_text="Where known: final, under appeal, or overturned on appeal or review.",
                max_length=20,
                verbose_name="status of the decision",
            ),
        ),
        migrations.AddField(
            model_name="historicalenforcementaction",
            name="decision_url",
            field=models.URLField(
                blank=True,
                help_text="The authority's own decision or notice, on its website (not a report of it).",
                max_length=1000,
                verbose_name="official decision",
            ),
        ),
        migrations.CreateModel(
            name="LegalBasisArticle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "article",
                    models.CharField(
                        help_text="13, 13(1), 66(2)…",
                        max_length=30,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9]+[0-9A-Za-z().\\-]{0,29}$",
                                "Give the article as a number, with its paragraph if any: 13, 13(1), 66(2) or 3.1.2.",
                            )
                        ],
                        verbose_name="article",
                    ),
                ),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="legal_basis_articles",
                        to="items.enforcementaction",
                        verbose_name="enforcement action",
                    ),
                ),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cited_articles",
                        to="regulators.instrument",
                        verbose_name="instrument",
                    ),
                ),
            ],
            options={
                "verbose_name": "article applied",
                "verbose_name_plural": "articles applied",
                "ordering": ["action", "instrument", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("action", "instrument", "article"),
                        name="legal_basis_article_once",
                        violation_error_message="This article is already listed for this action.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
