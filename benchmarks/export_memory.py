"""Stream the archive CSV (one row per published item) in-process and report rows/s and peak memory.

    DATABASE_URL=sqlite:////path/to/100k.sqlite3 .venv/bin/python benchmarks/export_memory.py

Prints the number of rows, the time, rows per second, and the process's peak resident memory
before and after the export: a streamed export keeps the growth small however many rows it has.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else "/issues/export.csv"
    user, _ = get_user_model().objects.get_or_create(username="export-benchmark", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    client.get("/")  # warm up imports and the URLconf
    before = peak_rss_mb()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    rows, size = -1, 0  # the header line is not a row
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    after = peak_rss_mb()
    user.delete()
    print(f"url: {url}")
    print(f"rows: {rows:,}  bytes: {size:,}  streamed: {response.streaming}")
    print(f"time: {elapsed:.1f} s  rows/s: {rows / elapsed:,.0f}")
    print(f"peak RSS before: {before:.0f} MB  after: {after:.0f} MB  growth: {after - before:.0f} MB")


if __name__ == "__main__":
    main()
