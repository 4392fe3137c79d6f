"""One command backs the site up (data and uploads), another restores it; the restored site is the same."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from items.models import EnforcementAction, Issue, NewsItem
from items.seed_fixtures import SEED_FIXTURES
from tests.migrated_state import restore_migration_rows

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def read_pages(client):
    """The pages' HTML, without the per-response CSRF token of the language switcher."""
    return {url: CSRF_TOKEN.sub(b"", client.get(url).content) for url in PAGES}


PAGES = [
    "/",
    "/issues/",
    "/issues/weekly-review/51/",
    "/enforcement/?regulator=miit",
    "/regulators/miit/",
    "/items/?page=2",
]


def empty_migrated_database():
    """What `migrate` leaves in a new database: no content, but the sections and groups it creates."""
    call_command("flush", interactive=False, verbosity=0)
    restore_migration_rows()


@pytest.mark.django_db(transaction=True)
def test_restored_site_serves_the_same_pages_and_files(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    empty_migrated_database()
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    issue = Issue.objects.get(series__slug="weekly-review", number=51)
    issue.source_file.save("no229.pdf", ContentFile(b"%PDF-1.4 original newsletter"))
    before = read_pages(client)
    counts = (Issue.objects.count(), NewsItem.objects.count(), EnforcementAction.objects.count())
    public_ids = set(EnforcementAction.objects.values_list("public_id", flat=True))

    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), verbosity=0)
    empty_migrated_database()
    (tmp_path / "media" / "issues" / "no229.pdf").unlink()
    assert not Issue.objects.exists()

    call_command("restore_site", str(archive), verbosity=0)
    assert (Issue.objects.count(), NewsItem.objects.count(), EnforcementAction.objects.count()) == counts
    assert set(EnforcementAction.objects.values_list("public_id", flat=True)) == public_ids
    assert read_pages(client) == before
    restored = Issue.objects.get(series__slug="weekly-review", number=51)
    assert restored.source_file.read() == b"%PDF-1.4 original newsletter"
    assert restored.history.exists()


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_issues(tmp_path):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="already holds issues"):
        call_command("restore_site", str(archive), verbosity=0)


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore_site", str(bogus), verbosity=0)
