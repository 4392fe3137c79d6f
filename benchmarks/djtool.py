"""Benchmark helpers that need Django loaded, run by run.py as subprocesses (one per database).

    python benchmarks/djtool.py stamp-get
    python benchmarks/djtool.py stamp-set JSON
    python benchmarks/djtool.py analyze
    python benchmarks/djtool.py probe               -> JSON: the pages' parameters, read from the data
    python benchmarks/djtool.py capture PAGES.json STATEMENTS.pickle
                                                    -> JSON: per page, in-process time split; saves the SQL
    python benchmarks/djtool.py replay STATEMENTS.pickle N SECONDS
                                                    -> JSON: per page, the raw time of that SQL (median)

The environment (DATABASE_URL, DJANGO_ENV=production, DJANGO_SETTINGS_MODULE=benchmarks.settings_floor,
...) is set by run.py, so this process runs with the same settings as the served site.
"""

import json
import math
import os
import pickle
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_floor")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

STAMP_TABLE = "bench_stamp"


def out(value):
    json.dump(value, sys.stdout, default=str)
    sys.stdout.write("\n")


# -- stamp: which generator arguments built this database -------------------------------------


def stamp_get():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if STAMP_TABLE not in tables:
            return out(None)
        cursor.execute(f"SELECT value FROM {STAMP_TABLE} WHERE key = %s", ["stamp"])  # noqa: S608
        row = cursor.fetchone()
    out(json.loads(row[0]) if row else None)


def stamp_set(value):
    json.loads(value)  # must be JSON
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (key varchar(20) PRIMARY KEY, value text NOT NULL)")
        cursor.execute(f"DELETE FROM {STAMP_TABLE} WHERE key = %s", ["stamp"])  # noqa: S608
        cursor.execute(f"INSERT INTO {STAMP_TABLE} (key, value) VALUES (%s, %s)", ["stamp", value])  # noqa: S608
    out({"ok": True})


def analyze():
    """PostgreSQL only: statistics and visibility map as autovacuum would leave them."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        old = raw.autocommit
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        raw.autocommit = old
    out({"ok": True, "vendor": connection.vendor})


# -- probe: the parameters of each page, chosen from the data -----------------------------------

STOP_WORDS = frozenset(
    (
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "itself",
        "just",
        "more",
        "most",
        "must",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "year",
        "years",
        "shall",
        "said",
        "says",
        "upon",
        "within",
        "without",
    )
)


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    import calendar

    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def probe():
    from items.filters import NewsItemFilter
    from items.models import EnforcementAction, Issue, NewsItem
    from regulators.models import Instrument, Regulator

    result = {"vendor": connection.vendor}
    published_actions = EnforcementAction.objects.published()
    result["counts"] = {
        "news_items": NewsItem.objects.count(),
        "published_items": NewsItem.objects.published().count(),
        "issues": Issue.objects.count(),
        "published_issues": Issue.objects.published().count(),
        "actions": EnforcementAction.objects.count(),
        "published_actions": published_actions.count(),
        "instruments": Instrument.objects.count(),
        "regulators": Regulator.objects.count(),
    }

    # The busiest regulator (most published actions), its commonest action type, and a date range
    # holding the middle ~80% of those actions, widened to whole months.
    through = EnforcementAction.regulators.through
    busiest = (
        through.objects.filter(enforcementaction__in=published_actions.values("pk"))
        .values("regulator")
        .annotate(n=Count("pk"))
        .order_by("-n", "regulator")
        .first()
    )
    regulator = Regulator.objects.get(pk=busiest["regulator"])
    by_type = (
        published_actions.filter(regulators=regulator)
        .order_by()
        .values("action_type")
        .annotate(n=Count("pk"))
        .order_by("-n", "action_type")
        .first()
    )
    action_type = by_type["action_type"]
    dates = list(
        published_actions.filter(regulators=regulator, action_type=action_type)
        .exclude(decided_on=None)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
    )
    low = month_start(dates[int(len(dates) * 0.1)])
    high = month_end(dates[min(len(dates) - 1, int(len(dates) * 0.9))])
    filtered = published_actions.filter(
        regulators=regulator, action_type=action_type, decided_on__gte=low, decided_on__lte=high
    ).distinct()
    rows = filtered.count()
    result["enforcement"] = {
        "regulator_id": regulator.pk,
        "regulator_slug": regulator.slug,
        "regulator_name": str(regulator),
        "regulator_actions": busiest["n"],
        "regulator_items": NewsItem.objects.published().filter(regulators=regulator).count(),
        "action_type": action_type,
        "after": low.isoformat(),
        "before": high.isoformat(),
        "rows": rows,
        "last_page": max(1, math.ceil(rows / 50)),
        "all_published_rows": result["counts"]["published_actions"],
    }

    # The published issue with the most items (the heaviest "one issue" page).
    issue = (
        Issue.objects.published()
        .annotate(n=Count("items"))
        .order_by("-n", "-issued_on", "pk")
        .select_related("series")
        .first()
    )
    first_item = issue.items.order_by("position", "pk").first()
    first_action = published_actions.order_by("-decided_on", "public_id").first()
    result["issue"] = {
        "id": issue.pk,
        "series": issue.series.slug,
        "number": issue.number,
        "items": issue.n,
        "item_id": first_item.pk if first_item else None,
        "action_public_id": first_action.public_id if first_action else None,
    }

    # Search words: document frequency over a sample of published items; the commonest
    # non-stop word, and a word that the whole table has in only a handful of items.
    sample = NewsItem.objects.published().order_by("pk").values_list("headline", "body")[:3000]
    frequency = Counter()
    for headline, body in sample:
        frequency.update(set(re.findall(r"[a-z]{5,}", f"{headline} {body}".lower())))
    candidates = [word for word, _ in frequency.most_common(50) if word not in STOP_WORDS]
    common = candidates[0] if candidates else "data"

    def hits(word):
        return NewsItemFilter({"q": word}, queryset=NewsItem.objects.published()).qs.count()

    rare, rare_hits = None, 0
    rare_candidates = sorted(word for word, n in frequency.items() if n == 1 and word not in STOP_WORDS)
    # Spread the tries over the alphabet, deterministically.
    step = max(1, len(rare_candidates) // 15)
    for word in rare_candidates[::step][:15]:
        n = hits(word)
        if 1 <= n <= 20:
            rare, rare_hits = word, n
            break
    if rare is None and rare_candidates:
        rare = rare_candidates[0]
        rare_hits = hits(rare)
    result["search"] = {"common": common, "common_hits": hits(common), "rare": rare, "rare_hits": rare_hits}

    # A day inside as many comment periods as possible (drafts: published_on <= day <= deadline).
    events = []
    for published_on, deadline in Instrument.objects.filter(
        status=Instrument.Status.DRAFT, comment_deadline__isnull=False
    ).values_list("published_on", "comment_deadline"):
        start = published_on or deadline.replace(year=1900)
        events.append((start.toordinal(), 0))  # opens (sorted before a close on the same day)
        events.append((deadline.toordinal() + 1, -1))  # closes the day after the deadline
    events.sort(key=lambda event: (event[0], event[1]))
    best_day, best_open, current = None, -1, 0
    for day, kind in events:
        current += 1 if kind == 0 else -1
        if kind == 0 and current > best_open:
            best_open, best_day = current, day
    import datetime

    open_on = datetime.date.fromordinal(best_day) if best_day else datetime.date.today()
    result["instruments"] = {
        "open_on": open_on.isoformat(),
        "open": Instrument.objects.filter(status=Instrument.Status.DRAFT, comment_deadline__gte=open_on)
        .filter(Q(published_on__isnull=True) | Q(published_on__lte=open_on))
        .count(),
    }
    out(result)


# -- sqlfloor: capture each page's SQL, then time it on the bare DB-API cursor ------------------


class Breakdown:
    """Splits in-process request time: outermost template rendering (less the SQL run while
    rendering, e.g. querysets evaluated by the template) and SQL statement execution."""

    depth = 0
    template = 0.0
    sql = 0.0
    sql_in_template = 0.0

    @classmethod
    def reset(cls):
        cls.depth, cls.template, cls.sql, cls.sql_in_template = 0, 0.0, 0.0, 0.0

    @classmethod
    def install(cls):
        from django.template import base

        original = base.Template.render

        def render(template, context):
            if cls.depth:
                return original(template, context)
            cls.depth += 1
            started = time.perf_counter()
            try:
                return original(template, context)
            finally:
                cls.template += time.perf_counter() - started
                cls.depth -= 1

        base.Template.render = render

    @classmethod
    def sql_wrapper(cls, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            cls.sql += elapsed
            if cls.depth:
                cls.sql_in_template += elapsed


def client_request(client, url):
    """One request through the whole Django stack (middleware, view, template), body consumed.
    Returns the status, the size and the time split (Breakdown)."""
    Breakdown.reset()
    started = time.perf_counter()
    with connection.execute_wrapper(Breakdown.sql_wrapper):
        response = client.get(url)
        size = 0
        if response.streaming:
            for chunk in response.streaming_content:
                size += len(chunk)
        else:
            size = len(response.content)
    split = {
        "total": time.perf_counter() - started,
        "template": Breakdown.template - Breakdown.sql_in_template,
        "sql_executed": Breakdown.sql,
    }
    return response.status_code, size, split


class NullSink:
    """Where a replayed COPY ... TO STDOUT writes: every row read, none kept."""

    def write(self, data):
        return len(data)


def run_statements(raw, statements, timings=None):
    """Executes the statements on the bare DB-API connection and fetches every row (a COPY's
    rows are read to the end, as the export reads them)."""
    cursor = raw.cursor()
    for index, (sql, params) in enumerate(statements):
        started = time.perf_counter()
        if sql.startswith("COPY ("):
            cursor.copy_expert(sql, NullSink())
        elif params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, params)
        if cursor.description is not None:
            cursor.fetchall()
        if timings is not None:
            timings[index].append(time.perf_counter() - started)
    cursor.close()


TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def capture_page(client, url):
    """Requests the page in-process (production settings): its status, size, time split, and
    the exact statements Django ran for it (SQL text and parameters)."""
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
    from django.test.utils import CaptureQueriesContext

    captured = []

    def wrapper(execute, sql, params, many, context):
        captured.append((sql, params, many))
        return execute(sql, params, many, context)

    from core.content_cache import content_changed

    # Cold: the page asked for the first time since the content changed (nothing of it cached),
    # after one request that warmed imports and template caches; the median of up to three.
    client_request(client, url)
    cold, cold_queries = [], []
    for _ in range(3):
        content_changed()
        with CaptureQueriesContext(connection) as cold_context:
            cold.append(client_request(client, url)[2]["total"])
        cold_queries.append(len(cold_context.captured_queries))
        if cold[-1] > 1.0:
            break

    splits = []
    with CaptureQueriesContext(connection) as context, connection.execute_wrapper(wrapper):
        status, size, split = client_request(client, url)
    if split["total"] > 1.0:
        # A slow page (a big export): its first request is representative; it is not repeated.
        splits.append(split)
    else:
        # The first request warmed template caches, imports and the connection; measure again.
        for _ in range(3):
            splits.append(client_request(client, url)[2])
        captured.clear()
        with CaptureQueriesContext(connection) as context, connection.execute_wrapper(wrapper):
            status, size, _split = client_request(client, url)
    logged = context.captured_queries
    statements = []
    for sql, params, many in captured:
        if many or TRANSACTION_CONTROL.match(sql):
            continue  # the bare cursor keeps its own transactions (an export opens one)
        if connection.vendor == "sqlite":
            # What Django's SQLite cursor wrapper does before handing the query to sqlite3.
            sql = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
        statements.append((sql, params))
    summary = {
        "url": url,
        "status": status,
        "bytes": size,
        "queries": len(captured),
        "django_sql_s": sum(float(query["time"]) for query in logged),
        "inprocess_median_s": statistics.median(split["total"] for split in splits),
        "inprocess_cold_median_s": statistics.median(cold),
        "cold_queries": cold_queries[0],
        "template_median_s": statistics.median(split["template"] for split in splits),
        "sql_executed_median_s": statistics.median(split["sql_executed"] for split in splits),
        "logged_sql": [query["sql"] for query in logged],
    }
    return summary, statements


def capture(pages_file, statements_file):
    """Captures every page's statements once; `replay` times them (in every run)."""
    from django.test import Client

    Breakdown.install()
    client = Client(HTTP_HOST="127.0.0.1")
    pages = json.loads(Path(pages_file).read_text())
    summaries, statements = {}, {}
    for page in pages:
        summaries[page["key"]], statements[page["key"]] = capture_page(client, page["url"])
    Path(statements_file).write_bytes(pickle.dumps(statements))
    out(summaries)


def replay(statements_file, repeat, budget):
    """Times each page's captured statements on the bare DB-API cursor, every row fetched: the
    median of up to `repeat` passes within `budget` seconds (at least 3, or 1 for a pass slower
    than a second), after one warm pass."""
    pages = pickle.loads(Path(statements_file).read_bytes())  # noqa: S301 (our own file)
    connection.ensure_connection()
    raw = connection.connection
    results = {}
    for key, statements in pages.items():
        started = time.perf_counter()
        run_statements(raw, statements)  # warm
        minimum = 1 if time.perf_counter() - started > 1.0 else 3
        totals, per_statement = [], [[] for _ in statements]
        deadline = time.perf_counter() + budget
        while len(totals) < repeat and (len(totals) < minimum or time.perf_counter() < deadline):
            started = time.perf_counter()
            run_statements(raw, statements, per_statement)
            totals.append(time.perf_counter() - started)
        results[key] = {
            "sql_median_s": statistics.median(totals),
            "passes": len(totals),
            "statement_ms": [round(statistics.median(times) * 1000, 3) for times in per_statement],
        }
    out(results)


def main(argv):
    command = argv[1]
    if command == "stamp-get":
        stamp_get()
    elif command == "stamp-set":
        stamp_set(argv[2])
    elif command == "analyze":
        analyze()
    elif command == "probe":
        probe()
    elif command == "capture":
        capture(argv[2], argv[3])
    elif command == "replay":
        replay(argv[2], int(argv[3]), float(argv[4]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv)
