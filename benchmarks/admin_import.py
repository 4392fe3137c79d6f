"""Time the admin's spreadsheet import: the preview (dry run) and the confirm step, in rows/s.

    .venv/bin/python benchmarks/admin_import.py [--rows 2800 50000] [--models actions items] [--profile FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python benchmarks/admin_import.py

Builds a scratch database (a temporary SQLite file, or the PostgreSQL database named in
DATABASE_URL, which it drops and creates: never point it at real data), loads the seed landscape,
writes a CSV of new EnforcementAction rows and one of new NewsItem rows (each row with its
regulators, instruments, topics or violations by natural key, as an export has them), and sends
each through the admin as an editor would: POST the file to the import page (the preview), then
POST its confirm form. Prints rows/s of each step; --profile writes cProfile stats of the preview. A file of more than
IMPORT_BACKGROUND_ROWS rows is previewed and imported by a background job: the time is then from
the upload to the job's end, as the editor waits for it.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")


def scratch_database():
    """Point DATABASE_URL at an empty database of its own before Django reads it."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='import-bench-')}/bench.sqlite3"
        return
    import psycopg2

    base, name = url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


scratch_database()
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="import-bench-media-"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from core.models import ImportJob  # noqa: E402
from items.models import EnforcementAction, Issue, NewsItem, Organisation, Section, Series, Topic, Violation  # noqa: E402
from regulators.models import Instrument, Regulator  # noqa: E402

ISSUES = 60  # NewsItem rows are spread over this many draft issues, positions 1…


def prepare():
    call_command("migrate", verbosity=0)
    call_command("loaddata", "series", "landscape", verbosity=0)
    series = Series.objects.get(slug="weekly-review")
    for number in range(1, ISSUES + 1):
        Issue.objects.create(
            series=series, number=1000 + number, title=f"Bench {number}", slug=f"bench-{number}", issued_on="2021-04-01"
        )
    user = get_user_model().objects.create_user("import-benchmark", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    setup_test_environment()  # the test client then records each response's template context
    client = Client()
    client.force_login(user)
    return client


def slugs(model, field="slug"):
    return list(model.objects.order_by(field).values_list(field, flat=True))


def action_rows(count):
    regulators, instruments = slugs(Regulator), slugs(Instrument)
    violations, organisations = slugs(Violation), slugs(Organisation)
    header = ["public_id", "decided_on", "action_type", "regulators", "target", "organisation", "target_count"]
    header += ["sector", "jurisdiction", "fine_amount", "currency", "legal_basis", "violations", "summary"]
    rows = []
    for n in range(count):
        rows.append(
            [
                "",
                f"2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                ["fine", "warning", "rectification_order"][n % 3],
                f"{regulators[n % len(regulators)]}|{regulators[(n * 7) % len(regulators)]}",
                f"Example Company {n} Ltd",
                organisations[n % len(organisations)] if n % 2 else "",
                "",
                "finance",
                "CN",
                str(10_000 + n),
                "CNY",
                instruments[n % len(instruments)],
                f"{violations[n % len(violations)]}|{violations[(n * 3) % len(violations)]}",
                f"The company was fined for case {n}.",
            ]
        )
    return header, rows


def item_rows(count):
    regulators, instruments, topics = slugs(Regulator), slugs(Instrument), slugs(Topic)
    sections = slugs(Section)
    header = ["issue", "position", "section", "headline", "body", "event_date", "jurisdiction"]
    header += ["regulators", "instruments", "topics"]
    per_issue = -(-count // ISSUES)
    rows = []
    for n in range(count):
        rows.append(
            [
                f"weekly-review/{1001 + n // per_issue}",
                str(n % per_issue + 1),
                sections[n % len(sections)],
                f"Regulator acts on matter {n}",
                f"The regulator published **rules** on matter {n}.\n\nA second paragraph.",
                f"2021-{n % 12 + 1:02d}-01",
                "CN",
                regulators[n % len(regulators)],
                f"{instruments[n % len(instruments)]}|{instruments[(n * 5) % len(instruments)]}",
                topics[n % len(topics)],
            ]
        )
    return header, rows


MODELS = {"actions": (EnforcementAction, action_rows), "items": (NewsItem, item_rows)}


def csv_bytes(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def preview(client, model, content):
    """The preview: in the request, or (a big file) by a background job, waited for."""
    upload = SimpleUploadedFile("bench.csv", content)
    response = client.post(admin_url(model, "import"), {"import_file": upload, "format": "0", "resource": "0"})
    if response.status_code == 302:
        wait_for_job()
        assert ImportJob.objects.get().state == ImportJob.State.READY, ImportJob.objects.get().outcome
    else:
        assert "confirm_form" in response.context, response.content.decode()[-3000:]
    return response


def confirm(client, model, response):
    if response.status_code == 302:  # a job's page: confirm there and wait for it
        client.post(response.url)
        wait_for_job()
        job = ImportJob.objects.get()
        assert job.state == ImportJob.State.DONE, job.outcome
        job.delete()
        return response
    form = response.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), {name: form.initial[name] for name in form.fields})


def wait_for_job():
    while ImportJob.objects.get().state in ImportJob.RUNNING:
        time.sleep(0.2)


def run(client, name, rows, profile):
    model, make_rows = MODELS[name]
    content = csv_bytes(*make_rows(rows))
    before = model.objects.count()
    started = time.perf_counter()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        response = profiler.runcall(preview, client, model, content)
        profiler.dump_stats(f"{profile}-{name}-{rows}.prof")
    else:
        response = preview(client, model, content)
    previewed = time.perf_counter() - started
    started = time.perf_counter()
    response = confirm(client, model, response)
    confirmed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    assert model.objects.count() - before == rows, model.objects.count() - before
    vendor = django.db.connection.vendor
    print(
        f"{vendor:10} {model.__name__:18} {rows:>7,} rows  preview {previewed:7.1f} s {rows / previewed:7,.0f} rows/s"
        f"  confirm {confirmed:7.1f} s {rows / confirmed:7,.0f} rows/s",
        flush=True,
    )
    model.objects.all().delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2800, 50_000])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS), default=["actions", "items"])
    parser.add_argument("--profile", help="write cProfile stats of each preview to PROFILE-<model>-<rows>.prof")
    options = parser.parse_args()
    client = prepare()
    for rows in options.rows:
        for name in options.models:
            run(client, name, rows, options.profile)


if __name__ == "__main__":
    main()
