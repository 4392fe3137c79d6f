"""Dump everything the site holds (database and uploaded files) into one .tar.gz archive.

The data is written with natural keys where models have them, so the archive restores into any
empty database of this project (SQLite or PostgreSQL) with `restore_site`. History, users and
the admin log are included; sessions and caches are not.
"""

import io
import json
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"


class Command(BaseCommand):
    help = "Write the whole site (data and uploaded files) to a .tar.gz archive that restore_site reads."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the .tar.gz archive to write.")

    def handle(self, *args, archive, **options):
        data = io.StringIO()
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            indent=None,
            stdout=data,
        )
        payload = data.getvalue().encode("utf-8")
        media_root = Path(settings.MEDIA_ROOT)
        media_files = sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.exists() else []
        manifest = {
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "objects": len(json.loads(payload)),
            "media_files": len(media_files),
        }
        with tarfile.open(archive, "w:gz") as tar:
            for name, content in ((MANIFEST_NAME, json.dumps(manifest).encode()), (DATA_NAME, payload)):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                info.mtime = int(time.time())
                tar.addfile(info, io.BytesIO(content))
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {archive}: {manifest['objects']} records, {manifest['media_files']} uploaded files."
                )
            )
