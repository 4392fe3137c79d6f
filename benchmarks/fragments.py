"""What each cached template fragment saves, and what it costs the first reader.

    python benchmarks/fragments.py [--items 5000] [--requests 15] [--database PATH]

A fragment (`{% cached_fragment %}`, core/fragments.py) sits inside pages that are themselves
kept whole for anonymous readers (core/page_cache.py), on data (counts, row ids, facets,
charts) that is itself cached. It can only help a reader the whole page is not kept for: one
with a session (staff, a signed-in reader). For each fragment and each page that holds it, this
prints, with Redis as the cache when it answers (as in production), median milliseconds of:

- warm: a reader with a session, every cache warm; "off" is the same with this one fragment
  rendered every time instead of read from the cache;
- cold: the first reader after an edit (the content version replaced before each request), with
  and without the fragment's cache (its lookup and store are then pure cost).

The data is the demo generator's (`generate_demo_data --items N`), built once in a SQLite file
under benchmarks/.data/. Figures from the cache are labelled so; the cold columns are uncached.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS_DB = "redis://127.0.0.1:6379/3"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=15, help="requests per figure (the median is printed)")
    parser.add_argument("--database", type=Path, default=None, help="SQLite file (default: under benchmarks/.data)")
    return parser.parse_args()


def build(database, items):
    """The demo data in `database`, generated once for these arguments."""
    stamp = database.with_suffix(".stamp")
    wanted = f"items={items}"
    if database.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "digest_site.settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    generate = ["generate_demo_data", "--items", str(items), "--actions", str(items // 2)]
    generate += ["--instruments", str(max(items // 20, 10)), "--seed", "1"]
    for command in (["migrate", "--verbosity", "0"], generate):
        subprocess.run([*manage, *command], check=True, env=env)  # noqa: S603 - our own manage.py
    stamp.write_text(wanted)


def setup_django(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "digest_site.settings"
    os.environ.setdefault("REDIS_URL", REDIS_DB)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    return settings


class Switch:
    """Renders the named fragment without its cache while `off` holds that name."""

    off = None

    def install(self):
        from core.fragments import CachedFragmentNode

        original = CachedFragmentNode.render
        switch = self

        def render(node, context):
            if switch.off is not None and node.name.resolve(context) == switch.off:
                return node.nodelist.render(context)
            return original(node, context)

        CachedFragmentNode.render = render


def median_ms(client, url, count, before=None):
    timings = []
    for _ in range(count):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def pages():
    from django.db.models import Count
    from django.urls import reverse

    from items.models import EnforcementAction, Issue
    from regulators.models import Regulator

    issue = Issue.objects.published().first()
    busiest = (
        Regulator.objects.filter(enforcement_actions__in=EnforcementAction.objects.published())
        .annotate(actions=Count("enforcement_actions"))
        .order_by("-actions", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    return {
        "item-cards": ["/items/", "/search/?q=data"],
        "enforcement-rows": ["/enforcement/", "/enforcement/?action_type=fine"],
        "instrument-rows": ["/instruments/"],
        "filters": ["/items/", "/enforcement/", "/instruments/"],
        "issue-body": [issue.get_absolute_url()],
        "regulator-body": [reverse("regulators:regulator-detail", kwargs={"slug": busiest})],
        "charts": ["/enforcement/stats/"],
    }


def main():
    args = parse_args()
    database = args.database or ROOT / "benchmarks" / ".data" / f"fragments-{args.items}.sqlite3"
    build(database, args.items)
    settings = setup_django(database)
    from django.core.cache import cache
    from django.test import Client

    from core.content_cache import content_changed

    try:
        cache.set("benchmark-probe", 1, 5)
        cache_name = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        if cache.get("benchmark-probe") != 1:
            cache_name += " (not answering)"
    except Exception:  # noqa: BLE001 - any cache failure: say so and measure the local one
        cache_name = "none answering"
    switch = Switch()
    switch.install()
    # A session cookie: the whole page is never kept for this reader (core/page_cache.py).
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["sessionid"] = "benchmark-reader-with-a-session"
    print(f"{args.items} items on SQLite, cache: {cache_name}")
    print(f"median ms of {args.requests} requests warm, {args.requests * 2} cold")
    print("| fragment | page | warm, kept (cache) | warm, off | saves | cold, kept | cold, off | cold cost |")
    print("|---|---|---|---|---|---|---|---|")
    for name, urls in pages().items():
        for url in urls:
            switch.off = None
            client.get(url)
            warm_kept = median_ms(client, url, args.requests)
            switch.off = name
            warm_off = median_ms(client, url, args.requests)
            switch.off = None
            cold_kept = median_ms(client, url, args.requests * 2, before=content_changed)
            switch.off = name
            cold_off = median_ms(client, url, args.requests * 2, before=content_changed)
            switch.off = None
            print(
                f"| {name} | {url} | {warm_kept:.1f} | {warm_off:.1f} | {warm_off - warm_kept:+.1f} "
                f"| {cold_kept:.1f} | {cold_off:.1f} | {cold_kept - cold_off:+.1f} |"
            )
    print(f"What a fragment adds to a cold page, measured alone: {miss_cost_ms(cache):.2f} ms")
    print("(one lookup that misses and one store of 20 kB; the cold columns differ by more than")
    print("this only through noise: each cold request recomputes everything the page shows).")


def miss_cost_ms(cache, size=20_000, count=200):
    """Median milliseconds of a cache lookup that misses followed by a store of `size` bytes."""
    value, timings = "x" * size, []
    for index in range(count):
        key = f"benchmark-fragment-{index}"
        started = time.perf_counter()
        cache.get(key)
        cache.set(key, value, 30)
        timings.append((time.perf_counter() - started) * 1000)
    cache.delete_many([f"benchmark-fragment-{index}" for index in range(count)])
    return statistics.median(timings)


if __name__ == "__main__":
    main()
