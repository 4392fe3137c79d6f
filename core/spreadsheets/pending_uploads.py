"""Uploads waiting between an import's preview and its confirmation.

They are kept by django-import-export's MediaStorage in STORAGES["import_export"] (under the
shared MEDIA_ROOT), named by a random uuid. An editor who previews a file and walks away leaves
it there; each new upload removes those older than MAX_AGE.
"""

import contextlib
from datetime import timedelta

from django.core.files.storage import storages
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

MAX_AGE = timedelta(days=1)


def discard_stale_uploads(now=None):
    """Remove pending uploads older than MAX_AGE; return how many were removed."""
    storage = storages["import_export"] if "import_export" in storages.backends else storages["default"]
    folder = MediaStorage().MEDIA_FOLDER
    if not storage.exists(folder):
        return 0
    limit = (now or timezone.now()) - MAX_AGE
    removed = 0
    for name in storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        with contextlib.suppress(OSError):  # another server may be removing it too
            if storage.get_modified_time(path) < limit:
                storage.delete(path)
                removed += 1
    return removed
