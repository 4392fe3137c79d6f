"""Admin imports that outgrow one request: the pending upload every app server can read, and the
background job that previews and imports a big file while the editor watches its progress."""

import os
import tempfile
import time
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

from core.models import ImportJob
from core.spreadsheets.pending_uploads import discard_stale_uploads
from items.models import EnforcementAction
from regulators.models import Regulator
from tests.admin_pages import admin_url
from tests.factories import RegulatorFactory
from tests.regulators.test_import_export import confirm_import, csv_text, post_import

REGULATOR_HEADER = ["slug", "name", "kind", "level", "jurisdiction"]
ACTION_HEADER = ["public_id", "action_type", "decided_on", "target", "regulators", "fine_amount", "currency"]


def regulator_rows(count, start=0):
    return [[f"bureau-{n}", f"Bureau {n}", "agency", "national", "CN"] for n in range(start, start + count)]


def action_csv(count, bad_lines=()):
    RegulatorFactory(slug="cac", abbreviation="CAC")
    rows = [["", "fine", "2021-04-09", f"Company {n} Ltd", "cac", str(1000 + n), "CNY"] for n in range(count)]
    for line in bad_lines:  # line 2 is the first row
        rows[line - 2][5] = "1,000"
    return csv_text(ACTION_HEADER, *rows)


def pending_upload_names():
    storage = storages["import_export"]
    return storage.listdir("django-import-export")[1] if storage.exists("django-import-export") else []


# The pending upload is on storage every app server shares.


@pytest.mark.django_db
def test_the_confirm_step_does_not_need_the_temp_folder_of_the_server_that_showed_the_preview(
    editor_client, tmp_path, monkeypatch
):
    this_servers_tmp = tmp_path / "tmp"
    this_servers_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(this_servers_tmp))
    preview = post_import(editor_client, Regulator, csv_text(REGULATOR_HEADER, *regulator_rows(2)))
    assert "confirm_form" in preview.context
    for name in os.listdir(this_servers_tmp):  # the confirm step reaches another machine
        os.remove(this_servers_tmp / name)
    response = confirm_import(editor_client, Regulator, preview)
    assert response.status_code == 302
    assert Regulator.objects.filter(slug__in=["bureau-0", "bureau-1"]).count() == 2
    assert pending_upload_names() == []  # removed once imported


@pytest.mark.django_db
def test_confirming_an_upload_that_is_no_longer_pending_says_so_and_imports_nothing(editor_client):
    preview = post_import(editor_client, Regulator, csv_text(REGULATOR_HEADER, *regulator_rows(2)))
    [name] = pending_upload_names()
    storages["import_export"].delete(f"django-import-export/{name}")
    response = confirm_import(editor_client, Regulator, preview)
    assert response.status_code == 302
    page = editor_client.get(response.url).content.decode()
    assert "This upload is no longer waiting to be imported" in page
    assert not Regulator.objects.filter(slug="bureau-0").exists()


@pytest.mark.django_db
def test_uploads_left_unconfirmed_for_a_day_are_discarded(editor_client):
    post_import(editor_client, Regulator, csv_text(REGULATOR_HEADER, *regulator_rows(1)))
    assert len(pending_upload_names()) == 1
    assert discard_stale_uploads(now=timezone.now() + timedelta(hours=1)) == 0
    assert discard_stale_uploads(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert pending_upload_names() == []


# Big files: a background job previews, then imports once confirmed.


def wait_for_job(client, url, timeout=120):
    """GET the job page until the job stops running (a guard against hanging, not a speed test)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(url)
        assert response.status_code == 200
        state = ImportJob.objects.get().state
        if state not in ImportJob.RUNNING:
            return client.get(url)
        assert time.monotonic() < deadline, f"the job is still {state}"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_file_over_the_background_threshold_is_previewed_then_imported_by_a_job(editor_client, editor, settings):
    settings.IMPORT_BACKGROUND_ROWS = 3
    response = post_import(editor_client, EnforcementAction, action_csv(5))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response.url == admin_url(EnforcementAction, "import_job", job.pk)

    preview = wait_for_job(editor_client, response.url).content.decode()
    assert 'data-state="ready"' in preview
    assert "Confirm import" in preview and "Company 4 Ltd" in preview
    assert not EnforcementAction.objects.exists()  # the preview saved nothing

    confirmed = editor_client.post(response.url)
    assert confirmed.status_code == 302
    done = wait_for_job(editor_client, response.url).content.decode()
    assert 'data-state="done"' in done
    assert EnforcementAction.objects.count() == 5
    action = EnforcementAction.objects.get(target="Company 4 Ltd")
    assert {record.history_user for record in action.history.all()} == {editor}
    assert LogEntry.objects.filter(user=editor, object_id=str(action.pk)).exists()
    assert pending_upload_names() == []
    editor_client.post(response.url)  # a second confirmation imports nothing more
    assert EnforcementAction.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_big_file_with_bad_rows_is_refused_by_its_job_listing_each_line_and_saving_nothing(editor_client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 3
    response = post_import(editor_client, EnforcementAction, action_csv(6, bad_lines=[3, 6]))
    page = wait_for_job(editor_client, response.url).content.decode()
    assert 'data-state="rejected"' in page
    assert "Nothing was imported." in page and "Confirm import" not in page
    assert "<td>3</td>" in page and "<td>6</td>" in page and "<td>4</td>" not in page
    assert "Enter an amount as digits" in page
    assert not EnforcementAction.objects.exists()
    assert pending_upload_names() == []
    assert editor_client.post(response.url).status_code == 302  # confirming a refused file does nothing
    assert not EnforcementAction.objects.exists()


@pytest.mark.django_db
def test_an_import_job_is_shown_only_to_the_editor_who_uploaded_it(client, editor, django_user_model):
    job = ImportJob.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Regulator),
        file_format=0,
        upload_name="x",
        file_name="x.csv",
        state=ImportJob.State.READY,
    )
    other = django_user_model.objects.create_superuser("other", password="pw")
    client.force_login(other)
    url = admin_url(Regulator, "import_job", job.pk)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "sqlite", reason="only PostgreSQL jobs report a heartbeat")
def test_a_job_whose_worker_stopped_reporting_is_shown_as_interrupted(editor_client, editor):
    job = ImportJob.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Regulator),
        file_format=0,
        upload_name="x",
        file_name="x.csv",
        rows_total=5000,
    )
    url = admin_url(Regulator, "import_job", job.pk)
    assert 'http-equiv="refresh"' in editor_client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    page = editor_client.get(url).content.decode()
    assert "stopped before it finished" in page and "Nothing was imported" in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.django_db(transaction=True)
def test_a_job_gives_the_reasons_in_the_editors_language(editor_client, settings):
    # The job runs outside the editor's request; its stored reasons must still be in their language.
    settings.IMPORT_BACKGROUND_ROWS = 3
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = post_import(editor_client, EnforcementAction, action_csv(6, bad_lines=[3]))
    page = wait_for_job(editor_client, response.url).content.decode()
    assert "金额只能由数字和小数点" in page
    assert "Enter an amount as digits" not in page
