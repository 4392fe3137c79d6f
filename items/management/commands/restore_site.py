"""Restore an archive written by `backup_site` into an empty, migrated database.

Run `manage.py migrate` first. The restore is one transaction: it succeeds whole or leaves the
database as it was. It refuses a database that already holds issues unless --force is given.
"""

import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from core.content_cache import one_change_for_all
from items.management.commands.backup_site import DATA_NAME
from items.models import Issue


class Command(BaseCommand):
    help = "Restore the data and uploaded files of a backup_site archive into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the .tar.gz archive written by backup_site.")
        parser.add_argument("--force", action="store_true", help="Restore even if the database holds issues.")

    def handle(self, *args, archive, force=False, **options):
        if Issue.objects.exists() and not force:
            raise CommandError("The database already holds issues; restore into an empty database or use --force.")
        try:
            tar = tarfile.open(archive, "r:gz")  # noqa: SIM115  (closed by the with-block below)
        except (OSError, tarfile.TarError) as error:
            raise CommandError(f"{archive} is not a backup archive: {error}") from error
        with tar, tempfile.TemporaryDirectory() as workdir:
            names = tar.getnames()
            if DATA_NAME not in names:
                raise CommandError(f"{archive} holds no {DATA_NAME}: it was not written by backup_site.")
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            tar.extractall(workdir, filter="data")
            # The archive holds the history itself: loading must not write new history rows (their
            # ids would collide with the restored ones before loaddata resets the sequences).
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False), one_change_for_all():
                call_command("loaddata", str(Path(workdir) / DATA_NAME), verbosity=0)
            media_dir = Path(workdir) / "media"
            restored_files = 0
            if media_dir.exists():
                for path in media_dir.rglob("*"):
                    if path.is_file():
                        target = Path(settings.MEDIA_ROOT) / path.relative_to(media_dir)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(path.read_bytes())
                        restored_files += 1
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Restored {archive} ({restored_files} uploaded files)."))
