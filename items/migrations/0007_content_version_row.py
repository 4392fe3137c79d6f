"""The content version's single row, so that the first change only has to update it."""

import uuid

from django.db import migrations
from django.utils import timezone


def create_row(apps, schema_editor):
    ContentVersion = apps.get_model("items", "ContentVersion")
    ContentVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [("items", "0006_content_version")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
