"""The performance benchmark of the public site (issue 5): `make bench`, or

    .venv/bin/python benchmarks/run.py [--items N] [--databases sqlite,postgresql] [--runs 3] [--quick]

For each database it builds (or reuses) the benchmark database, serves the site with gunicorn in
production mode pinned to core 0, and measures from core 1, for every page: our p50/p95, the peer
(Datasette on the same SQLite file), the SQL floor (the page's own SQL on a bare DB-API cursor)
and the static floor (prepared bytes of the same size through the same gunicorn and middleware).
On PostgreSQL it also measures one app server against two sharing PostgreSQL and Redis.
It writes benchmarks/RESULTS.md and prints the same tables. See benchmarks/README.md.
"""

import argparse
import contextlib
import csv
import datetime
import hashlib
import http.client
import io
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / ".data"
LOGS = DATA / "logs"
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent
# The code that is served and measured: a snapshot of the work tree taken when the run starts
# (see take_snapshot), so that edits made during a run do not mix two versions in one report.
RUN_ROOT = ROOT
SNAPSHOT = DATA / "snapshot"
SNAPSHOT_IGNORE = (
    ".venv", ".git", ".data", "__pycache__", "*.pyc", "db.sqlite3*", "media", "staticfiles",
    "test-results", ".ruff_cache", ".pytest_cache", "node_modules",
)  # fmt: skip
GENERATOR_PATH = Path("items") / "management" / "commands" / "generate_demo_data.py"
# A change to any of these rebuilds the benchmark databases.
GENERATOR_PACKAGE = Path("items") / "demo_data"
FIXTURES = (
    "series landscape issue_weekly_41 issue_weekly_51 issue_weekly_53 issue_bird_bird_2021_12 issue_monthly_2022_04"
)
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/1"
SECRET_KEY = "benchmark-only-secret-key-not-used-anywhere-else-7d1c5e"  # noqa: S105
PAGE_SIZE = 50
# Exports shorter than this are reported but not judged on rows/s (fixed costs dominate them).
JUDGED_ROWS = 10_000
# gunicorn's default (30 s) kills a sync worker that streams longer than that; the benchmark
# allows slow exports to finish so that they can be measured (RESULTS.md says when one needs it).
GUNICORN_TIMEOUT = 300
# An export slower than this is measured once, not --runs times (the time box of the full run).
EXPORT_REPEAT_LIMIT_S = 30
ERROR_KINDS = ("status", "connect", "read", "timeout")
# A 1-minute load average above this (on 2 cores) means other work shares the machine.
BUSY_LOAD = 3.0

SERVER_CORE = 0
CLIENT_CORE = 1
# A reader with a session is not given the kept page (digest_site/page_cache.py): the page is
# rendered for them, from the cached counts, facets and fragments. A session cookie that matches
# no session is enough to measure that path (one more query: the session lookup).
SESSION_READER = {"Cookie": "sessionid=benchmark-reader-with-a-session"}


class BenchError(Exception):
    """A clear, expected failure (busy port, server that does not start, time box exceeded)."""


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class LoadMonitor:
    """Samples the 1-minute load average while the benchmark runs. Its own processes (server,
    client, database) account for about 2; much more means other work shared the cores and the
    figures are noisy, which the report then says."""

    def __init__(self):
        self.samples = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def now():
        return float(Path("/proc/loadavg").read_text().split()[0])

    def run(self):
        while not self.stop.wait(5):
            self.samples.append(self.now())

    def summary(self):
        if not self.samples:
            return None
        return {"mean": statistics.mean(self.samples), "max": max(self.samples)}


# ----------------------------------------------------------------------------------------------
# Processes: every server is started in its own process group and killed with it.
# ----------------------------------------------------------------------------------------------

CHILDREN = []
MONITOR = LoadMonitor()


def all_cpus():
    return set(range(os.cpu_count() or 1))


def can_pin():
    return (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


def pinned(command, core):
    return ["taskset", "-c", str(core), *command] if core is not None and can_pin() else command


def django_env(database_url, redis=False, extra=None):
    env = dict(os.environ)
    for name in ("DEBUG", "REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="benchmarks.settings_floor",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(RUN_ROOT),
    )
    if redis:
        env["REDIS_URL"] = REDIS_URL
    env.update(extra or {})
    return env


def run_command(command, env, timeout, what, log_name, unpin=True, capture=True):
    """Runs a command to completion within `timeout` seconds; stderr (and stdout unless captured)
    goes to benchmarks/.data/logs/<log_name>.log."""
    log_path = LOGS / f"{log_name}.log"

    def preexec():
        os.setsid()
        if unpin:
            os.sched_setaffinity(0, all_cpus())

    started = time.perf_counter()
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command,
            cwd=RUN_ROOT,
            env=env,
            stdout=subprocess.PIPE if capture else log_file,
            stderr=log_file,
            preexec_fn=preexec,
        )
        CHILDREN.append(process)
        try:
            out, _err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            raise BenchError(f"{what} did not finish within {timeout:.0f} s (time box); see {log_path}") from None
        finally:
            CHILDREN.remove(process)
    if process.returncode != 0:
        tail = log_path.read_text(errors="replace")[-1500:]
        raise BenchError(f"{what} failed (exit {process.returncode}); see {log_path}\n{tail}")
    return (out or b"").decode(), time.perf_counter() - started


def kill_group(process, grace=5.0):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Server:
    """A server process (gunicorn or datasette) in its own process group, on a checked port."""

    def __init__(self, name, command, port, env, core, ready_path):
        self.name, self.command, self.port, self.env = name, command, port, env
        self.core, self.ready_path = core, ready_path
        self.process = None
        self.log_path = LOGS / f"{name}.log"

    def start(self, timeout=60):
        if not port_free(self.port):
            raise BenchError(
                f"port {self.port} on 127.0.0.1 is busy (needed for {self.name}); stop what uses it or pass --port-base"
            )
        with open(self.log_path, "ab") as handle:
            self.process = subprocess.Popen(  # noqa: S603 (our own commands)
                pinned(self.command, self.core),
                cwd=RUN_ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        CHILDREN.append(self.process)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited at start (code {self.process.returncode}); see {self.log_path}")
            try:
                status, _body, _elapsed, _headers = fetch(self.port, self.ready_path, timeout=5)
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError(f"{self.name} did not answer on port {self.port} within {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process is not None:
            kill_group(self.process)
            if self.process in CHILDREN:
                CHILDREN.remove(self.process)
            self.process = None

    def worker_pids(self):
        """gunicorn's workers are the children of its master (taskset execs, so pid is the master)."""
        if self.process is None:
            return []
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children] or [self.process.pid]


def gunicorn_server(name, port, env, core, workers):
    command = [
        str(VENV_BIN / "gunicorn"),
        "digest_site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        str(GUNICORN_TIMEOUT),
        "--graceful-timeout",
        "5",
        "--error-logfile",
        "-",
    ]
    return Server(name, command, port, env, core, "/__floor__/1/")


def datasette_server(port, sqlite_file):
    settings = {
        "default_page_size": str(PAGE_SIZE),
        "suggest_facets": "off",
        "sql_time_limit_ms": "20000",
        "facet_time_limit_ms": "20000",
        "max_returned_rows": "1000",
        "allow_csv_stream": "on",
    }
    command = [str(VENV_BIN / "datasette"), "serve", str(sqlite_file), "--host", "127.0.0.1", "--port", str(port)]
    for name, value in settings.items():
        command += ["--setting", name, value]
    return Server("datasette", command, port, dict(os.environ), SERVER_CORE, "/-/versions.json")


# ----------------------------------------------------------------------------------------------
# HTTP: one new connection per request (gunicorn's sync workers close every connection anyway).
# ----------------------------------------------------------------------------------------------


def fetch(port, path, timeout=120, headers=None):
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started, response.getheaders()


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def warm(port, path, profile):
    """Warm-up requests, not recorded: up to `warmup` of them or 3 s (at least one)."""
    deadline = time.perf_counter() + 3.0
    for _ in range(profile["warmup"]):
        status, body, elapsed, _headers = fetch(port, path)
        if time.perf_counter() > deadline:
            break
    return status, body, elapsed


def measure_latency(port, path, profile, slow=False, headers=None):
    """Sequential requests: up to `max_n` (at least `min_n`, 3 for pages slower than 1 s) within
    `max_s` seconds."""
    samples, statuses, size = [], set(), 0
    minimum = 3 if slow else profile["min_n"]
    deadline = time.perf_counter() + profile["max_s"]
    while len(samples) < profile["max_n"] and (len(samples) < minimum or time.perf_counter() < deadline):
        status, body, elapsed, _headers = fetch(port, path, headers=headers)
        statuses.add(status)
        size = len(body)
        samples.append(elapsed)
    return {
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "n": len(samples),
        "status": sorted(statuses),
        "bytes": size,
    }


def read_status_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak(pid):
    """Linux ≥ 4.0: writing 5 to clear_refs resets VmHWM to the current RSS."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure_export(port, path, pids):
    """Downloads a CSV as it streams; rows/s, time to first byte, and the peak RSS growth of the
    serving processes over their idle RSS (VmHWM after a reset, with sampling as a cross-check)."""
    idle = {pid: read_status_kb(pid, "VmRSS") for pid in pids}
    hwm_reset = all(reset_peak(pid) for pid in pids)
    sampled = {pid: idle[pid] or 0 for pid in pids}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in pids:
                rss = read_status_kb(pid, "VmRSS")
                if rss:
                    sampled[pid] = max(sampled[pid], rss)
            stop.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    first = None
    chunks = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=GUNICORN_TIMEOUT + 30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        while True:
            chunk = response.read1(65536)
            if not chunk:
                break
            if first is None:
                first = time.perf_counter() - started
            chunks.append(chunk)
        headers = {name.lower(): value for name, value in response.getheaders()}
        status = response.status
    finally:
        connection.close()
        total = time.perf_counter() - started
        stop.set()
        sampler.join()
    body = b"".join(chunks).decode("utf-8-sig", errors="replace")
    rows = max(0, sum(1 for _ in csv.reader(io.StringIO(body))) - 1)
    growth = {}
    for pid in pids:
        peak = read_status_kb(pid, "VmHWM") if hwm_reset else None
        peak = max(peak or 0, sampled[pid])
        if idle[pid] is not None:
            growth[pid] = (peak - idle[pid]) / 1024
    return {
        "status": status,
        "rows": rows,
        "bytes": len(body),
        "seconds": total,
        "ttfb": first or total,
        "rows_per_s": rows / total if total else 0.0,
        "rss_growth_mb": max(growth.values()) if growth else None,
        "idle_rss_mb": max((value or 0) for value in idle.values()) / 1024 if idle else None,
        "streamed": "content-length" not in headers,
        "transfer_encoding": headers.get("transfer-encoding"),
        "peak_method": "VmHWM reset + 10 ms sampling" if hwm_reset else "10 ms sampling of VmRSS",
    }


# ----------------------------------------------------------------------------------------------
# Databases: build once per set of generator arguments, reuse while the stamp matches.
# ----------------------------------------------------------------------------------------------


def generator_args(options):
    return [
        "--items",
        str(options.items),
        "--actions",
        str(options.actions),
        "--instruments",
        str(options.instruments),
        "--regulators",
        str(options.regulators),
        "--seed",
        str(options.seed),
    ]


def wanted_stamp(options):
    if (RUN_ROOT / GENERATOR_PATH).exists():
        digest = hashlib.sha256()
        for path in [RUN_ROOT / GENERATOR_PATH, *sorted((RUN_ROOT / GENERATOR_PACKAGE).glob("*.py"))]:
            digest.update(path.read_bytes())
        return {"source": "generator", "args": generator_args(options), "generator_sha": digest.hexdigest()[:16]}
    return {"source": "fixtures", "args": FIXTURES.split(), "generator_sha": None}


def djtool(env, *arguments, timeout=600, what=None, core=None):
    command = pinned([PYTHON, str(RUN_ROOT / "benchmarks" / "djtool.py"), *arguments], core)
    output, _seconds = run_command(
        command, env, timeout, what or f"djtool {arguments[0]}", log_name="djtool", unpin=core is None
    )
    lines = [line for line in output.splitlines() if line.startswith(("{", "null", "["))]
    if not lines:
        raise BenchError(f"{what or arguments[0]} printed no result; see {LOGS / 'djtool.log'}")
    return json.loads(lines[-1])


def pg_connect(database="postgres"):
    import psycopg2

    return psycopg2.connect(PG_ADMIN.rsplit("/", 1)[0] + "/" + database, connect_timeout=5)


def postgres_available():
    try:
        pg_connect().close()
        return True
    except Exception:  # noqa: BLE001
        return False


def pg_recreate(name):
    connection = pg_connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def pg_query(sql, params=()):
    connection = pg_connect()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    connection.close()
    return row


def prepare_database(database, options):
    """Returns (DATABASE_URL, sqlite file or None, stamp)."""
    want = wanted_stamp(options)
    tag = "quick" if options.quick else str(options.items)
    if database == "sqlite":
        folder = DATA / f"sqlite-{tag}"
        folder.mkdir(parents=True, exist_ok=True)
        sqlite_file = folder / "digest.db"
        url = f"sqlite:///{sqlite_file}"
        exists = sqlite_file.exists()
    else:
        name = options.pg_name or ("digest_bench_quick" if options.quick else "digest_bench")
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        sqlite_file = None
        exists = pg_query("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is not None
    env = django_env(url)
    stamp = djtool(env, "stamp-get", timeout=120) if exists else None
    reuse = (
        not options.rebuild
        and stamp is not None
        and all(stamp.get(key) == want[key] for key in ("source", "args", "generator_sha"))
    )
    log_name = f"build-{database}"
    if reuse:
        log(f"{database}: reusing the database built {stamp.get('built_at')} ({' '.join(want['args'])})")
        output, _seconds = run_command(
            [PYTHON, "manage.py", "migrate", "--no-input"], env, 600, "migrate", log_name=log_name
        )
        if database == "postgresql" and "Applying" in output:
            djtool(env, "analyze", timeout=900)
        return url, sqlite_file, stamp
    log(f"{database}: building the database ({want['source']}: {' '.join(want['args'])})")
    if database == "sqlite":
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    else:
        pg_recreate(url.rsplit("/", 1)[1])
    _out, migrate_seconds = run_command(
        [PYTHON, "manage.py", "migrate", "--no-input"], env, 600, "migrate", log_name=log_name
    )
    if want["source"] == "generator":
        _out, fill_seconds = run_command(
            [PYTHON, "manage.py", "generate_demo_data", *want["args"]],
            env,
            options.build_timeout,
            "generate_demo_data",
            log_name=log_name,
            capture=False,
        )
    else:
        _out, fill_seconds = run_command(
            [PYTHON, "manage.py", "loaddata", *want["args"]], env, 600, "loaddata", log_name=log_name
        )
    analyze_seconds = 0.0
    if database == "postgresql":
        started = time.perf_counter()
        djtool(env, "analyze", timeout=900)
        analyze_seconds = time.perf_counter() - started
    stamp = {
        **want,
        "built_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "migrate_seconds": round(migrate_seconds, 1),
        "fill_seconds": round(fill_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
    }
    djtool(env, "stamp-set", json.dumps(stamp), timeout=120)
    log(f"{database}: built in {migrate_seconds:.1f} s (migrate) + {fill_seconds:.1f} s ({want['source']})")
    return url, sqlite_file, stamp


def sources_digest(root):
    """A short hash of the code that serves pages (Python, templates, static files, messages)."""
    skip = {".venv", ".git", ".data", "benchmarks", "node_modules", "staticfiles", "test-results", "__pycache__"}
    skip |= {".ruff_cache", ".pytest_cache", "media"}
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root, onerror=lambda _error: None):
        folders[:] = sorted(name for name in folders if name not in skip)
        for name in sorted(files):
            if Path(name).suffix in (".py", ".html", ".css", ".js", ".txt", ".po"):
                path = Path(folder) / name
                with contextlib.suppress(OSError):
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def take_snapshot():
    """Copies the work tree (without .venv, .git, data) to benchmarks/.data/snapshot and serves
    from there, so that the whole run measures one version of the code."""
    global RUN_ROOT
    if SNAPSHOT.exists():
        shutil.rmtree(SNAPSHOT)
    try:
        shutil.copytree(ROOT, SNAPSHOT, ignore=shutil.ignore_patterns(*SNAPSHOT_IGNORE), symlinks=True)
    except shutil.Error as error:  # files that vanished while being copied (others' temporary files)
        log(f"! {len(error.args[0])} file(s) could not be copied into the snapshot (they changed meanwhile)")
    RUN_ROOT = SNAPSHOT
    return sources_digest(SNAPSHOT)


def collectstatic():
    env = django_env(f"sqlite:///{DATA / 'collectstatic.db'}")
    run_command(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "--clear", "-v", "0"],
        env,
        300,
        "collectstatic",
        log_name="collectstatic",
    )


# ----------------------------------------------------------------------------------------------
# Pages: our URL, the Datasette equivalent, and how to check that both show the same rows.
# ----------------------------------------------------------------------------------------------

PUBLISHED_ISSUES = "select id from items_issue where status = 'published'"
PUBLISHED_ACTIONS = (
    "news_item_id in (select n.id from items_newsitem n join items_issue i on i.id = n.issue_id "
    "where i.status = 'published')"
)


def q(pairs):
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)


def build_pages(params):
    e, issue, search, inst = params["enforcement"], params["issue"], params["search"], params["instruments"]
    ours_filter = [
        ("regulator", e["regulator_slug"]),
        ("action_type", e["action_type"]),
        ("decided_after", e["after"]),
        ("decided_before", e["before"]),
    ]
    regulator_id = int(e["regulator_id"])
    ds_filter = [
        ("action_type__exact", e["action_type"]),
        ("decided_on__gte", e["after"]),
        ("decided_on__lte", e["before"]),
        (
            "_where",
            "id in (select enforcementaction_id from items_enforcementaction_regulators "  # noqa: S608 (an int)
            f"where regulator_id = {regulator_id})",
        ),
        ("_where", PUBLISHED_ACTIONS),
    ]
    ds_enforcement_facets = [("_facet", name) for name in ("action_type", "jurisdiction", "sector", "organisation_id")]
    home_sql = (
        "select n.id, n.headline, n.event_date, s.name as section, i.title as issue "
        "from items_newsitem n join items_issue i on i.id = n.issue_id join items_section s on s.id = n.section_id "
        "where i.status = 'published' order by i.issued_on desc, i.number desc, n.position limit 8"
    )

    def search_ds(word):
        pattern = "%" + word.replace("'", "''") + "%"
        return [
            ("_where", f"issue_id in ({PUBLISHED_ISSUES})"),
            ("_where", f"(headline like '{pattern}' or body like '{pattern}')"),
            ("_sort_desc", "event_date"),
            ("_size", "25"),
            ("_facet", "section_id"),
            ("_facet", "jurisdiction"),
        ]

    last = e["last_page"]
    enforcement_check = ("actions", r'href="/enforcement/(EA-\d{4}-\d+)/"', "public_id")
    item_check = ("items", r'<h3><a href="/items/(\d+)/"', "id")
    pages = [
        {
            "key": "home",
            "label": "home",
            "kind": "page",
            "url": "/",
            "ds_path": "/digest",
            "ds_query": [("sql", home_sql)],
            "ds_note": "canned SQL: the home page's main list (8 newest items); our page also shows the "
            "latest issue, consultations, action counts by type and the largest fines",
        },
        {
            "key": "archive",
            "label": "issue archive",
            "kind": "list",
            "url": "/issues/",
            "ds_path": "/digest/items_issue",
            "ds_query": [("status__exact", "published"), ("_sort_desc", "issued_on"), ("_size", str(PAGE_SIZE))],
            "check": ("issues", r'href="/issues/[\w-]+/(\d+)/"', "number"),
            "ds_note": "table view, published issues newest first, 50 a page (series shown by label)",
        },
        {
            "key": "issue",
            "label": f"one issue ({issue['items']} items)",
            "kind": "page",
            "url": f"/issues/{issue['series']}/{issue['number']}/",
            "ds_path": "/digest/items_newsitem",
            "ds_query": [
                ("issue_id__exact", str(issue["id"])),
                ("_sort", "position"),
                ("_size", str(min(1000, max(1, issue["items"])))),
            ],
            "check": item_check,
            "ds_note": "table view of the issue's items in order, all on one page (section and issue by label)",
        },
        {
            "key": "enf_first",
            "label": f"enforcement filtered, page 1 of {last}",
            "kind": "list",
            "url": "/enforcement/?" + q(ours_filter),
            "ds_path": "/digest/items_enforcementaction",
            "ds_query": [*ds_filter, ("_sort_desc", "decided_on"), ("_size", str(PAGE_SIZE)), *ds_enforcement_facets],
            "check": enforcement_check,
            "ds_note": "table view: action_type__exact, decided_on__gte/__lte, the regulator and published() "
            "as _where subqueries, newest first, 50 a page, facets on the 4 facetable columns",
        },
        {
            "key": "enf_last",
            "label": f"enforcement filtered, last page ({last})",
            "kind": "list",
            "url": "/enforcement/?" + q([*ours_filter, ("page", str(last))]),
            "ds_path": "/digest/items_enforcementaction",
            "ds_query": [*ds_filter, ("_sort_desc", "decided_on"), ("_size", str(PAGE_SIZE)), *ds_enforcement_facets],
            "ds_offset": (last - 1) * PAGE_SIZE,
            "check": enforcement_check,
            "ds_note": "the same, at the same row offset, reached with Datasette's own keyset token (_next=)",
        },
        {
            "key": "search_common",
            "label": f"search, common word “{search['common']}” ({search['common_hits']} hits)",
            "kind": "list",
            "url": "/search/?" + q([("q", search["common"])]),
            "ds_path": "/digest/items_newsitem",
            "ds_query": search_ds(search["common"]),
            "check": item_check,
            "ds_note": "table view: published items whose headline or body contains the word (LIKE, as our "
            "SQLite search), newest first, 25 a page, facets on section and jurisdiction",
        },
        {
            "key": "search_rare",
            "label": f"search, rare word “{search['rare']}” ({search['rare_hits']} hits)",
            "kind": "list",
            "url": "/search/?" + q([("q", search["rare"])]),
            "ds_path": "/digest/items_newsitem",
            "ds_query": search_ds(search["rare"]),
            "check": item_check,
            "ds_note": "as above",
        },
        {
            "key": "instruments_open",
            "label": f"instruments open for comment on {inst['open_on']} ({inst['open']})",
            "kind": "list",
            "url": "/instruments/?" + q([("open_on", inst["open_on"])]),
            "ds_path": "/digest/regulators_instrument",
            "ds_query": [
                ("status__exact", "draft"),
                ("comment_deadline__gte", inst["open_on"]),
                ("_where", f"(published_on is null or published_on <= '{inst['open_on']}')"),
                ("_sort_desc", "published_on"),
                ("_size", str(PAGE_SIZE)),
                ("_facet", "kind"),
                ("_facet", "status"),
            ],
            "check": ("instruments", r'href="/instruments/([\w-]+)/"', "slug"),
            "ds_note": "table view: drafts whose comment period includes the day, newest first, 50 a page, "
            "facets on kind and status",
        },
        {
            "key": "regulator",
            "label": f"regulator detail ({e['regulator_slug']}, the busiest)",
            "kind": "page",
            "url": f"/regulators/{e['regulator_slug']}/",
            "ds_path": f"/digest/regulators_regulator/{regulator_id}",
            "ds_query": [],
            "ds_note": "row page: the record and the counts of every table pointing at it",
        },
    ]
    csv_options = [("_sort_desc", "decided_on"), ("_stream", "on"), ("_size", "max"), ("_labels", "on")]
    exports = [
        {
            "key": "csv_filtered",
            "label": f"enforcement CSV, filtered ({e['rows']} rows)",
            "url": "/enforcement/export.csv?" + q(ours_filter),
            "ds_path": "/digest/items_enforcementaction.csv",
            "ds_query": [*ds_filter, *csv_options],
        },
        {
            "key": "csv_all",
            "label": f"enforcement CSV, all published ({e['all_published_rows']} rows)",
            "url": "/enforcement/export.csv",
            "ds_path": "/digest/items_enforcementaction.csv",
            "ds_query": [("_where", PUBLISHED_ACTIONS), *csv_options],
        },
    ]
    by_key = {page["key"]: page["url"] for page in pages}
    mixed = ["/", "/issues/", *(by_key[key] for key in ("issue", "enf_first", "search_rare", "instruments_open"))]
    mixed.append(by_key["regulator"])
    if issue.get("item_id"):
        mixed.append(f"/items/{issue['item_id']}/")
    if issue.get("action_public_id"):
        mixed.append(f"/enforcement/{issue['action_public_id']}/")
    return pages, exports, mixed


def ds_url(page):
    return page["ds_path"] + ("?" + q(page["ds_query"]) if page["ds_query"] else "")


def resolve_datasette_offsets(port, pages):
    """Deep pages: walk Datasette's JSON with its keyset tokens to the row offset of our page."""
    for page in pages:
        offset = page.get("ds_offset")
        if not offset:
            continue
        base = [(k, v) for k, v in page["ds_query"] if k not in ("_facet", "_size")]
        token, remaining = None, offset
        while remaining > 0:
            size = min(1000, remaining)
            query = [*base, ("_size", str(size))] + ([("_next", token)] if token else [])
            status, body, _elapsed, _headers = fetch(port, page["ds_path"] + ".json?" + q(query))
            if status != 200:
                raise BenchError(f"Datasette answered {status} while paging to offset {offset}: {body[:300]!r}")
            token = json.loads(body).get("next")
            remaining -= size
            if token is None:
                break
        if token:
            page["ds_query"] = [*page["ds_query"], ("_next", token)]


def check_rows(ours_port, ds_port, page):
    """Do our page and Datasette's show the same rows? Compares the record keys on both pages."""
    if "check" not in page:
        return None
    _what, pattern, column = page["check"]
    _status, body, _elapsed, _headers = fetch(ours_port, page["url"])
    ours = re.findall(pattern, body.decode(errors="replace"))
    query = [(k, v) for k, v in page["ds_query"] if k != "_facet"] + [("_shape", "objects")]
    ds_status, ds_body, _elapsed, _headers = fetch(ds_port, page["ds_path"] + ".json?" + q(query))
    if ds_status != 200:
        return {"ok": False, "text": f"Datasette JSON answered {ds_status}"}
    theirs = [str(row[column]) for row in json.loads(ds_body).get("rows", [])]
    ours, theirs = set(ours), set(theirs)
    if ours == theirs:
        return {"ok": True, "text": f"same {len(ours)} rows"}
    if theirs < ours:
        extra = len(ours - theirs)
        return {"ok": True, "text": f"same {len(theirs)} rows (our page links {extra} more such record(s) elsewhere)"}
    return {
        "ok": False,
        "text": f"ours {len(ours)}, Datasette {len(theirs)}, in common {len(ours & theirs)} "
        "(rows tied on the sort date are ordered by id the other way round)",
    }


# ----------------------------------------------------------------------------------------------
# One database: serve, measure, compare.
# ----------------------------------------------------------------------------------------------


def combine_sql(result):
    """The SQL floor of each page: the median over the runs' replays; per statement likewise."""
    for key, figure in result.get("sql", {}).items():
        runs = [replay[key] for replay in result.get("replays", []) if key in replay]
        figure["sql_median_s"] = med([run["sql_median_s"] for run in runs]) or 0.0
        statement_ms = [med(times) or 0.0 for times in zip(*(run["statement_ms"] for run in runs), strict=True)]
        logged = figure.pop("logged_sql", [])
        figure["statements"] = [
            {"ms": ms_value, "sql": logged[i] if i < len(logged) else ""} for i, ms_value in enumerate(statement_ms)
        ]
        figure["slowest"] = sorted(figure["statements"], key=lambda statement: -statement["ms"])[:3]
    (DATA / f"queries-{result['database']}.json").write_text(json.dumps(result.get("sql", {}), indent=1))


def bench_database(database, options, deadline):
    result = {"database": database}
    url, sqlite_file, stamp = prepare_database(database, options)
    result["stamp"] = stamp
    # As in production: the cache in Redis, shared by the workers (each worker's own memory
    # otherwise, where Redis does not answer).
    result["cache"] = "Redis" if redis_answers() else "local memory"
    env = django_env(url, redis=result["cache"] == "Redis")
    log(f"{database}: choosing the pages' parameters from the data")
    params = djtool(env, "probe", timeout=600)
    result["params"] = params
    pages, exports, mixed = build_pages(params)
    result["mixed"] = mixed
    if sqlite_file:
        result["db_size_mb"] = sqlite_file.stat().st_size / 1e6
    else:
        result["db_size_mb"] = pg_query("SELECT pg_database_size(%s)", [url.rsplit("/", 1)[1]])[0] / 1e6

    # The SQL floor: each page's SQL, captured in-process with the production settings, then timed
    # on the bare DB-API cursor, pinned to the server's core.
    # The SQL floor: each page's SQL, captured once in-process with the production settings, then
    # timed on the bare DB-API cursor in every run (pinned to the server's core), so that the floor
    # and the page are measured side by side.
    log(f"{database}: capturing each page's SQL in-process (for the SQL floor)")
    floor_file = DATA / f"pages-{database}.json"
    floor_file.write_text(json.dumps([{"key": p["key"], "url": p["url"]} for p in pages + exports]))
    statements_file = DATA / f"statements-{database}.pickle"
    result["sql"] = djtool(
        env, "capture", str(floor_file), str(statements_file), timeout=1200, what="the SQL capture", core=SERVER_CORE
    )
    replays = result["replays"] = []

    def replay():
        replays.append(
            djtool(
                env,
                "replay",
                str(statements_file),
                str(options.profile["sql_n"]),
                str(options.profile["sql_s"]),
                timeout=900,
                what="the SQL replay",
                core=SERVER_CORE,
            )
        )

    ours = gunicorn_server(f"gunicorn-{database}", options.port_base, env, SERVER_CORE, options.workers)
    peer = datasette_server(options.port_base + 1, sqlite_file) if sqlite_file and not options.no_datasette else None
    servers = [server for server in (ours, peer) if server]
    try:
        for server in servers:
            log(f"{database}: starting {server.name} on 127.0.0.1:{server.port}")
            server.start()
        log(f"{database}: warming up")
        for page in pages:
            status, body, elapsed = warm(ours.port, page["url"], options.profile)
            page["status"] = status
            page["bytes"] = len(body)
            page["slow"] = elapsed > 1.0
            if status != 200:
                log(f"  ! {page['url']} answered {status}; see {ours.log_path}")
            warm(ours.port, f"/__floor__/{page['bytes']}/", options.profile)
        if peer:
            resolve_datasette_offsets(peer.port, pages)
            for page in pages:
                status, body, elapsed = warm(peer.port, ds_url(page), options.profile)
                page["ds_status"] = status
                page["ds_slow"] = elapsed > 1.0
                if status != 200:
                    log(f"  ! Datasette {ds_url(page)[:120]} answered {status}: {body[:200]!r}")
                page["rows_check"] = check_rows(ours.port, peer.port, page)

        latency = {page["key"]: {"ours": [], "peer": [], "static": [], "rendered": []} for page in pages}
        for run in range(options.runs):
            if time.monotonic() > deadline:
                log("! overall time box reached: stopping the latency runs early")
                result["cut"] = True
                break
            log(f"{database}: latency run {run + 1}/{options.runs}")
            replay()
            for page in pages:
                figures = latency[page["key"]]
                figures["ours"].append(measure_latency(ours.port, page["url"], options.profile, page["slow"]))
                if peer and page.get("ds_status") == 200:
                    figures["peer"].append(measure_latency(peer.port, ds_url(page), options.profile, page["ds_slow"]))
                figures["static"].append(measure_latency(ours.port, f"/__floor__/{page['bytes']}/", options.profile))
                figures["rendered"].append(
                    measure_latency(ours.port, page["url"], options.profile, page["slow"], headers=SESSION_READER)
                )
        result["pages"] = pages
        result["latency"] = latency

        export_results = {export["key"]: {"ours": [], "peer": []} for export in exports}
        for run in range(options.runs):
            if time.monotonic() > deadline:
                log("! overall time box reached: stopping the export runs early")
                result["cut"] = True
                break
            log(f"{database}: CSV export run {run + 1}/{options.runs}")
            for export in exports:
                figures = export_results[export["key"]]
                if figures["ours"] and figures["ours"][0]["seconds"] > EXPORT_REPEAT_LIMIT_S:
                    continue  # measured once: too slow to repeat within the time box
                figures["ours"].append(measure_export(ours.port, export["url"], ours.worker_pids()))
                if peer:
                    figures["peer"].append(measure_export(peer.port, ds_url(export), [peer.process.pid]))
        result["exports"] = exports
        result["export_results"] = export_results
    finally:
        for server in servers:
            server.stop()
        if not replays:
            replay()
        combine_sql(result)

    if database == "postgresql" and not options.no_two_servers:
        result["two_servers"] = two_servers(url, mixed, options, deadline)
    return result


# ----------------------------------------------------------------------------------------------
# Two app servers on one PostgreSQL and Redis.
# ----------------------------------------------------------------------------------------------


def cpu_snapshot(app_pids):
    """CPU time (s) used so far, grouped: our app servers, PostgreSQL, the load generator, Redis,
    everything else (read from /proc; nothing is touched)."""
    tick = os.sysconf("SC_CLK_TCK")
    groups = dict.fromkeys(("app servers", "PostgreSQL", "load generator", "Redis", "other"), 0.0)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == os.getpid():
            # This process, and wrk, which ran as its child and was waited for (cutime, cstime).
            groups["load generator"] += seconds + (int(fields[13]) + int(fields[14])) / tick
            continue
        if int(entry.name) in app_pids:
            groups["app servers"] += seconds
        elif comm.startswith("postgres"):
            groups["PostgreSQL"] += seconds
        elif comm == "wrk":
            groups["load generator"] += seconds
        elif comm.startswith("redis"):
            groups["Redis"] += seconds
        else:
            groups["other"] += seconds
    return groups


def with_cpu_shares(load, servers, *arguments):
    """Runs a load and adds each group's share of the machine's cores during it."""
    pids = set()
    for server in servers:
        pids |= {server.process.pid, *server.worker_pids()}
    before, busy_before, started = cpu_snapshot(pids), busy_seconds(), time.monotonic()
    figures = load(*arguments)
    after, busy_after, elapsed = cpu_snapshot(pids), busy_seconds(), time.monotonic() - started
    capacity = elapsed * (os.cpu_count() or 1)
    shares = {name: max(0.0, after[name] - before[name]) / capacity for name in before}
    # Processes that started and ended within the run (PostgreSQL's parallel query workers, for
    # one) are in neither snapshot: the machine's busy time counts them.
    shares["processes that came and went (e.g. PostgreSQL parallel workers)"] = max(
        0.0, (busy_after - busy_before) / capacity - sum(shares.values())
    )
    shares["idle"] = max(0.0, 1.0 - (busy_after - busy_before) / capacity)
    figures["cpu_share"] = shares
    return figures


def busy_seconds():
    """CPU time (s) the whole machine has spent busy (all cores), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def normalise(body, port):
    """Values that differ by design: the CSRF token of the language switcher (per request) and
    the server's own port in absolute URLs (canonical links); behind a load balancer both
    servers see the same Host."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b'name="csrfmiddlewaretoken" value=""', body)
    return body.replace(f"127.0.0.1:{port}".encode(), b"127.0.0.1:PORT")


def wrk_run(ports, paths, seconds, connections):
    """Load on each port at once (a load balancer's even split); returns the summed requests/s."""
    per = max(1, connections // len(ports))
    processes = []
    for port in ports:
        command = ["wrk", "-t", "1" if len(ports) > 1 else "2", "-c", str(per), "-d", f"{seconds}s"]
        command += ["--timeout", "30s", "-s", str(BENCH / "mixed.lua"), f"http://127.0.0.1:{port}", "--", *paths]
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=RUN_ROOT, start_new_session=True
        )
        processes.append(process)
        CHILDREN.append(process)
    total_rps, p50s = 0.0, []
    errors = dict.fromkeys(ERROR_KINDS, 0)
    for process in processes:
        try:
            out, err = process.communicate(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            kill_group(process)
            raise BenchError("wrk did not finish in time") from None
        finally:
            CHILDREN.remove(process)
        lines = [line for line in out.decode().splitlines() if line.startswith("JSON ")]
        if not lines:
            raise BenchError(f"wrk printed no summary: {out.decode()[-500:]} {err.decode()[-500:]}")
        summary = json.loads(lines[-1][5:])
        total_rps += summary["requests"] / (summary["duration_us"] / 1e6)
        for kind in ERROR_KINDS:
            errors[kind] += summary[f"errors_{kind}"]
        p50s.append(summary["p50_us"] / 1000)
    return {"rps": total_rps, "errors": errors, "p50_ms": statistics.median(p50s)}


def python_load(ports, paths, seconds, connections):
    """Fallback when wrk is missing: threads with blocking clients (weaker: it uses CPU itself)."""
    stop = time.perf_counter() + seconds
    counts = [0] * connections
    failures = [0] * connections

    def worker(index):
        port = ports[index % len(ports)]
        i = index
        while time.perf_counter() < stop:
            try:
                status, _body, _elapsed, _headers = fetch(port, paths[i % len(paths)], timeout=30)
                counts[index] += 1
                failures[index] += status >= 400
            except OSError:
                failures[index] += 1
            i += 1

    threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    errors = dict.fromkeys(ERROR_KINDS, 0)
    errors["status"] = sum(failures)
    return {"rps": sum(counts) / (time.perf_counter() - started), "errors": errors, "p50_ms": None}


def two_servers(url, paths, options, deadline):
    result = {"paths": paths, "workers": options.workers}
    if not redis_answers():
        log("! Redis does not answer at 127.0.0.1:6379: skipping the two-server measurement")
        result["skipped"] = "Redis does not answer at 127.0.0.1:6379"
        return result
    if time.monotonic() > deadline:
        result["skipped"] = "overall time box reached"
        return result
    env = django_env(url, redis=True)
    first = gunicorn_server("gunicorn-a", options.port_base + 2, env, SERVER_CORE, options.workers)
    second = gunicorn_server("gunicorn-b", options.port_base + 3, env, CLIENT_CORE, options.workers)
    load = wrk_run if shutil.which("wrk") else python_load
    result["load_generator"] = "wrk" if load is wrk_run else "Python threads (wrk not installed)"
    try:
        log("postgresql: two app servers (A on core 0, B on core 1) with REDIS_URL")
        first.start()
        second.start()
        # The same pages: identical bodies for the same URLs.
        same, differing = 0, []
        for path in paths:
            a = fetch(first.port, path)
            b = fetch(second.port, path)
            if a[0] == b[0] == 200 and normalise(a[1], first.port) == normalise(b[1], second.port):
                same += 1
            else:
                differing.append(f"{path} (HTTP {a[0]}/{b[0]})")
        result["same_pages"] = {"same": same, "total": len(paths), "differing": differing}
        # Shared state: a session and a cache entry written through A are read through B.
        token = hashlib.sha256(str(time.time()).encode()).hexdigest()[:12]
        _status, _body, _elapsed, headers = fetch(first.port, f"/__bench__/state/?set={token}")
        cookie = "; ".join(
            value.split(";", 1)[0] for name, value in headers if name.lower() == "set-cookie" and "sessionid" in value
        )
        status, body, _elapsed, _headers = fetch(second.port, "/__bench__/state/", headers={"Cookie": cookie})
        seen = json.loads(body) if status == 200 else {}
        result["shared_state"] = {
            "session": seen.get("session") == token,
            "cache": seen.get("cache") == token,
            "backend": seen.get("cache_backend"),
        }
        # Throughput at saturation: 16 connections on one server, then 8 + 8 on two.
        seconds = result["seconds"] = options.profile["wrk_s"]
        load([first.port], paths, min(3, seconds), 16)  # warm-up
        load([first.port, second.port], paths, min(3, seconds), 16)
        one, two = [], []
        for run in range(options.runs):
            if time.monotonic() > deadline:
                result["cut"] = True
                break
            log(f"postgresql: throughput run {run + 1}/{options.runs}")
            one.append(with_cpu_shares(load, [first], [first.port], paths, seconds, 16))
            two.append(with_cpu_shares(load, [first, second], [first.port, second.port], paths, seconds, 16))
        result["one"] = one
        result["two"] = two
    finally:
        second.stop()
        first.stop()
    return result


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------


def med(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ms(seconds):
    return "—" if seconds is None else f"{seconds * 1000:.1f}"


def ratio(a, b):
    return "—" if a is None or not b else f"{a / b:.2f}"


def fmt(value):
    return "—" if value is None else f"{value:.1f}"


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = int(line.split()[1]) / 1024 / 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": memory, "kernel": platform.release()}


def versions():
    found = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    for name in ("Django", "gunicorn", "datasette", "psycopg2-binary", "django-filter", "whitenoise"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    try:
        found["PostgreSQL"] = pg_query("SHOW server_version")[0]
    except Exception:  # noqa: BLE001
        found["PostgreSQL"] = "not reachable"
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout  # noqa: S603, S607
        found["wrk"] = out.split("[")[0].replace("wrk", "").strip()
    return found


def page_rows(result):
    """One row per page, with the targets judged."""
    rows = []
    sql = result.get("sql", {})
    latency = result.get("latency", {})
    first_p50 = None
    for page in result.get("pages", []):
        figures = latency.get(page["key"], {})
        ours_p50 = med([m["p50"] for m in figures.get("ours", [])])
        ours_p95 = med([m["p95"] for m in figures.get("ours", [])])
        rendered_p50 = med([m["p50"] for m in figures.get("rendered", [])])
        rendered_p95 = med([m["p95"] for m in figures.get("rendered", [])])
        peer_p50 = med([m["p50"] for m in figures.get("peer", [])])
        static_p50 = med([m["p50"] for m in figures.get("static", [])])
        sql_s = sql.get(page["key"], {}).get("sql_median_s")
        floor = static_p50 + (sql_s or 0) if static_p50 is not None else None
        if page["key"] == "enf_first":
            first_p50 = ours_p50
        misses = []
        if ours_p50 is None:
            misses.append("not measured")
        else:
            if page.get("status") != 200:
                misses.append(f"HTTP {page.get('status')}")
            if ours_p95 is not None and ours_p95 >= 0.100:
                misses.append("p95 ≥ 100 ms")
            if page["kind"] == "list":
                if peer_p50 is not None and ours_p50 > peer_p50:
                    misses.append("slower than Datasette")
                if floor and ours_p50 > 2 * floor:
                    misses.append("> 2× floor")
            if page["key"] == "enf_last" and first_p50 and ours_p50 > 1.5 * first_p50:
                misses.append("last page > 1.5× first")
            if page["key"].startswith("search") and result["database"] == "postgresql" and ours_p50 >= 0.100:
                misses.append("search p50 ≥ 100 ms")
        rows.append(
            {
                "label": page["label"],
                "kind": page["kind"],
                "ours_p50": ours_p50,
                "ours_p95": ours_p95,
                "rendered_p50": rendered_p50,
                "rendered_p95": rendered_p95,
                "peer_p50": peer_p50,
                "sql_s": sql_s,
                "queries": sql.get(page["key"], {}).get("queries"),
                "static_p50": static_p50,
                "floor": floor,
                "met": "yes" if not misses else "no: " + ", ".join(misses),
            }
        )
    return rows


def latency_table(result):
    lines = [
        "| page | ours p50 ms | ours p95 ms | Datasette p50 ms | ratio ours/Datasette | SQL floor ms (queries) "
        "| static floor ms | ours/(static+SQL) | target met? | rendered p50 / p95 ms |",
        "|" + "---|" * 10,
    ]
    for row in page_rows(result):
        queries = row["queries"] if row["queries"] is not None else "—"
        lines.append(
            f"| {row['label']}{' (list)' if row['kind'] == 'list' else ''} "
            f"| {ms(row['ours_p50'])} | {ms(row['ours_p95'])} | {ms(row['peer_p50'])} "
            f"| {ratio(row['ours_p50'], row['peer_p50'])} | {ms(row['sql_s'])} ({queries}) | {ms(row['static_p50'])} "
            f"| {ratio(row['ours_p50'], row['floor'])} | {row['met']} "
            f"| {ms(row['rendered_p50'])} / {ms(row['rendered_p95'])} |"
        )
    return "\n".join(lines)


def export_table(result):
    lines = [
        "| export | server | rows | runs | time s | rows/s | first byte ms | streamed | peak RSS growth MB "
        "| target met? |",
        "|" + "---|" * 10,
    ]
    sql = result.get("sql", {})
    for export in result.get("exports", []):
        figures = result["export_results"][export["key"]]
        for who in ("ours", "peer"):
            runs = figures.get(who, [])
            if not runs:
                continue
            rows = runs[-1]["rows"]
            seconds = med([r["seconds"] for r in runs])
            rate = med([r["rows_per_s"] for r in runs])
            ttfb = med([r["ttfb"] for r in runs])
            growth = med([r["rss_growth_mb"] for r in runs])
            streamed = all(r["streamed"] for r in runs)
            met = "—"
            label = export["label"]
            if who == "ours":
                misses = []
                if not streamed:
                    misses.append("not streamed")
                if any(r["status"] != 200 for r in runs):
                    misses.append("HTTP error")
                if growth is not None and growth >= 50:
                    misses.append("RSS growth ≥ 50 MB")
                if rows >= JUDGED_ROWS and rate < 50_000:
                    misses.append("< 50,000 rows/s")
                if misses:
                    met = "no: " + ", ".join(misses)
                elif rows < JUDGED_ROWS:
                    met = f"(rows/s not judged under {JUDGED_ROWS:,} rows)"
                else:
                    met = "yes"
                floor = sql.get(export["key"])
                if floor:
                    label += f"; SQL floor {floor['sql_median_s']:.2f} s in {floor['queries']} queries"
                if seconds > 30:
                    label += "; longer than gunicorn's default 30 s worker timeout"
            lines.append(
                f"| {label} | {'ours' if who == 'ours' else 'Datasette'} | {rows} | {len(runs)} | {seconds:.2f} "
                f"| {rate:,.0f} | {ttfb * 1000:.0f} | {'yes' if streamed else 'no'} "
                f"| {'—' if growth is None else f'{growth:.1f}'} | {met} |"
            )
    return "\n".join(lines)


def two_server_text(result):
    two = result.get("two_servers")
    if not two:
        return ""
    if two.get("skipped"):
        return f"Two app servers: skipped ({two['skipped']})."
    one_rps = med([r["rps"] for r in two.get("one", [])])
    two_rps = med([r["rps"] for r in two.get("two", [])])
    runs = two.get("one", []) + two.get("two", [])
    errors = {kind: sum(r["errors"][kind] for r in runs) for kind in ERROR_KINDS}
    same = two["same_pages"]
    state = two["shared_state"]
    workers = two.get("workers")
    lines = [
        "| set-up | requests/s (median) | p50 latency ms under load |",
        "|---|---|---|",
        f"| one server ({workers} workers, core 0) | {fmt(one_rps)} | {fmt(med([r['p50_ms'] for r in two['one']]))} |",
        f"| two servers ({workers} workers each, cores 0 and 1) | {fmt(two_rps)} "
        f"| {fmt(med([r['p50_ms'] for r in two['two']]))} |",
        "",
    ]
    if one_rps and two_rps:
        lines.append(f"Gain: ×{two_rps / one_rps:.2f} with the second server.")
    lines += [
        f"Load generator: {two['load_generator']}, 16 connections in all, {len(two['paths'])} mixed pages in turn "
        f"({options_seconds(two)}); errors: " + ", ".join(f"{count} {kind}" for kind, count in errors.items()) + ".",
        f"Same pages: {same['same']}/{same['total']} URLs gave identical bodies from both servers (CSRF token and "
        "the server's own port aside)" + (f"; differing: {', '.join(same['differing'])}" if same["differing"] else "."),
        f"Shared state: a session written through A read through B: {'yes' if state['session'] else 'NO'}; "
        f"a cache entry: {'yes' if state['cache'] else 'NO'} (cache backend {state['backend']}).",
        "Mixed pages: " + ", ".join(f"`{path}`" for path in two["paths"]) + ".",
    ]
    for name, runs in (("one server", two.get("one", [])), ("two servers", two.get("two", []))):
        shares = [run["cpu_share"] for run in runs if "cpu_share" in run]
        if shares:
            parts = [f"{group} {med([share[group] for share in shares]) * 100:.0f} %" for group in shares[0]]
            lines.append(f"Share of the 2 cores during the load, {name}: " + ", ".join(parts) + ".")
    return "\n".join(lines)


def options_seconds(two):
    return f"{two['seconds']} s a run" if "seconds" in two else "per run"


def mapping_text(result):
    lines = ["| page | our URL | Datasette URL | same rows? |", "|---|---|---|---|"]
    for page in result.get("pages", []):
        check = page.get("rows_check")
        lines.append(
            f"| {page['label']} | `{page['url']}` | `{urllib.parse.unquote(ds_url(page))}` — {page.get('ds_note', '')} "
            f"| {check['text'] if check else '—'} |"
        )
    for export in result.get("exports", []):
        lines.append(f"| {export['label']} | `{export['url']}` | `{urllib.parse.unquote(ds_url(export))}` | — |")
    return "\n".join(lines)


def breakdown_text(result):
    """Where the time goes in one in-process request: the raw SQL floor, template rendering
    (less the SQL run while rendering), and the rest (view, ORM object building, middleware)."""
    lines = [
        "| page | queries | in-process request ms | raw SQL ms | template ms | rest ms (view, ORM, middleware) "
        "| slowest statement ms | requests a run (ours) | cold: queries | cold: in-process ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    latency = result.get("latency", {})
    for key, figure in result.get("sql", {}).items():
        total = figure["inprocess_median_s"] * 1000
        sql_ms = figure["sql_median_s"] * 1000
        template_ms = figure.get("template_median_s", 0) * 1000
        rest_ms = max(0.0, total - sql_ms - template_ms)  # the SQL replay can exceed it by noise
        slowest = figure["slowest"][0]["ms"] if figure["slowest"] else 0
        counts = [m["n"] for m in latency.get(key, {}).get("ours", [])]
        lines.append(
            f"| {key} | {figure['queries']} | {total:.1f} | {sql_ms:.1f} | {template_ms:.1f} | {rest_ms:.1f} "
            f"| {slowest:.1f} | {'/'.join(str(c) for c in counts) or '—'} "
            f"| {figure.get('cold_queries', '—')} | {figure.get('inprocess_cold_median_s', 0) * 1000:.1f} |"
        )
    lines.append(
        "\nThe page figures above are of a site whose cache holds the page's counts, facets, charts and "
        "row ids, as it does after the first reader: cached reads are keyed by the content version, which "
        "every change replaces (`digest_site/content_cache.py`). The two **cold** columns are the page asked "
        "for the first time after a change: every count, facet and chart computed afresh."
    )
    return "\n".join(lines)


def data_text(result):
    stamp = result.get("stamp") or {}
    counts = result.get("params", {}).get("counts", {})
    parts = [
        f"Data: {stamp.get('source')} ({' '.join(stamp.get('args', []))}), built {stamp.get('built_at')}; "
        f"{counts.get('news_items')} items ({counts.get('published_items')} published), "
        f"{counts.get('issues')} issues, {counts.get('actions')} enforcement actions "
        f"({counts.get('published_actions')} published), {counts.get('instruments')} instruments, "
        f"{counts.get('regulators')} regulators; database size {result.get('db_size_mb', 0):.0f} MB."
    ]
    if stamp.get("source") == "generator":
        fill = stamp.get("fill_seconds")
        verdict = "met" if fill is not None and fill < 120 else "MISSED"
        extra = f", VACUUM ANALYZE {stamp.get('analyze_seconds')} s" if result["database"] == "postgresql" else ""
        parts.append(
            f"Generator: {fill} s to fill (target < 120 s: {verdict}), migrate {stamp.get('migrate_seconds')} s{extra}."
        )
    elif stamp:
        parts.append("The generator (items/management/commands/generate_demo_data.py) was absent: seed fixtures only.")
    if result.get("cut"):
        parts.append("**The overall time box was reached: some runs were skipped.**")
    return "\n".join(parts)


def write_results(results, options, started, code):
    now = datetime.datetime.now().astimezone()
    info = machine()
    found = versions()
    profile = options.profile
    lines = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run.py` on {now:%Y-%m-%d %H:%M %Z} in {time.monotonic() - started:.0f} s. "
        f"Command: `{options.command_line}`. How to read it: [README.md](README.md).",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']:.1f} GiB RAM, Linux {info['kernel']}.",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in found.items()) + ".",
        f"Code: {code}.",
        "",
        f"Method: gunicorn ({options.workers} sync workers, DJANGO_ENV=production, DEBUG off) and Datasette pinned "
        f"to core {SERVER_CORE}; the client on core {CLIENT_CORE}; sequential requests, a new connection each; per "
        f"page and server up to {profile['max_n']} requests or {profile['max_s']} s (at least {profile['min_n']}, or "
        f"3 for pages slower than 1 s) after up to {profile['warmup']} warm-up requests; every figure is the median "
        f"over {options.runs} run(s). Cache: Redis when it answers (it did: "
        f"{', '.join(r['database'] + ' ' + r.get('cache', '?') for r in results)}), as in production. "
        '"ours" is an anonymous reader, who is given the page kept for this content version '
        '(digest_site/page_cache.py); "rendered" is the same page asked with a session cookie, '
        "rendered for that reader from the cached counts, facets and fragments.",
        "",
    ]
    for result in results:
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
        lines += [f"## {name}", "", data_text(result), ""]
        if result.get("error"):
            lines += [f"**Not measured:** {result['error']}", ""]
            continue
        lines += ["### Pages", "", latency_table(result), ""]
        lines += ["### Enforcement CSV", "", export_table(result), ""]
        if result.get("two_servers"):
            lines += ["### Two app servers on one PostgreSQL and Redis", "", two_server_text(result), ""]
        lines += [
            "### Where the time goes (in-process, one request, production settings)",
            "",
            breakdown_text(result),
            "",
            f"Every statement with its time: `benchmarks/.data/queries-{result['database']}.json`.",
            "",
        ]
        if result["database"] == "sqlite" and result.get("pages"):
            lines += ["### Datasette equivalents", "", mapping_text(result), ""]
        elif result.get("pages"):
            lines += ["### Pages measured", ""] + [f"- {p['label']}: `{p['url']}`" for p in result["pages"]] + [""]
    text = "\n".join(lines)
    (BENCH / options.results).write_text(text)
    return text


# ----------------------------------------------------------------------------------------------


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=None, help="news items to generate (default 100000)")
    parser.add_argument("--actions", type=int, default=None, help="enforcement actions (default items/2)")
    parser.add_argument("--instruments", type=int, default=None, help="instruments (default items/20)")
    parser.add_argument("--regulators", type=int, default=None, help="regulators (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--quick", action="store_true", help="small data, 1 run, short measurements")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--port-base", type=int, default=8741, help="first of 4 ports used (default 8741)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if their stamp matches")
    parser.add_argument("--pg-name", default=None, help="PostgreSQL database (default digest_bench)")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--no-two-servers", action="store_true")
    parser.add_argument("--no-snapshot", action="store_true", help="serve the live work tree, not a snapshot of it")
    parser.add_argument("--max-minutes", type=float, default=None, help="overall time box (default 45, quick 6)")
    parser.add_argument("--build-timeout", type=float, default=900, help="seconds for the generator (default 900)")
    parser.add_argument("--results", default="RESULTS.md", help="file under benchmarks/ to write")
    options = parser.parse_args(argv)
    options.command_line = "benchmarks/run.py " + " ".join(argv) if argv else "make bench"
    if options.quick:
        options.items = options.items or 5000
        options.runs = options.runs or 1
        options.profile = {"warmup": 4, "max_n": 15, "min_n": 5, "max_s": 1.0, "sql_n": 5, "sql_s": 0.5, "wrk_s": 3}
        options.max_minutes = options.max_minutes or 6
    else:
        options.items = options.items or 100_000
        options.runs = options.runs or 3
        options.profile = {"warmup": 6, "max_n": 40, "min_n": 5, "max_s": 4.0, "sql_n": 15, "sql_s": 3.0, "wrk_s": 10}
        options.max_minutes = options.max_minutes or 45
    options.actions = options.actions or options.items // 2
    options.instruments = options.instruments or max(50, options.items // 20)
    options.regulators = options.regulators or (300 if options.items >= 50_000 else max(30, options.items // 100))
    options.databases = [name.strip() for name in options.databases.split(",") if name.strip()]
    for name in options.databases:
        if name not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {name!r}")
    return options


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    deadline = started + options.max_minutes * 60
    LOGS.mkdir(parents=True, exist_ok=True)
    if can_pin():
        os.sched_setaffinity(0, {CLIENT_CORE})
    else:
        log("! fewer than 2 cores or no taskset: server and client are not pinned")
    for port in range(options.port_base, options.port_base + 4):
        if not port_free(port):
            raise BenchError(f"port {port} on 127.0.0.1 is busy; stop what uses it or pass --port-base")
    if options.no_snapshot:
        code = f"the live work tree (sources {sources_digest(ROOT)})"
    else:
        digest = take_snapshot()
        code = f"snapshot of the work tree taken {time.strftime('%H:%M:%S')} (sources {digest})"
        log(f"serving a snapshot of the work tree (sources {digest}) from {SNAPSHOT}")
    if not (RUN_ROOT / GENERATOR_PATH).exists():
        log("! items/management/commands/generate_demo_data.py is not there: benchmarking the seed fixtures")
    load_at_start = LoadMonitor.now()
    if load_at_start > BUSY_LOAD:
        log(
            f"! the machine is busy (load average {load_at_start:.1f} on {os.cpu_count()} cores): figures will be noisy"
        )
    MONITOR.thread.start()
    results = []
    log("collecting static files (the production manifest storage needs them)")
    collectstatic()
    for database in options.databases:
        if database == "postgresql" and not postgres_available():
            log("! no PostgreSQL answers at 127.0.0.1:5432 (user postgres): skipping it")
            results.append({"database": database, "error": "no PostgreSQL answered at 127.0.0.1:5432"})
            continue
        try:
            results.append(bench_database(database, options, deadline))
        except BenchError as error:
            log(f"! {database}: {error}")
            results.append({"database": database, "error": str(error).splitlines()[0]})
        (DATA / "results.json").write_text(json.dumps(results, indent=1, default=str))
    if not options.no_snapshot and sources_digest(ROOT) != digest:
        code += "; the work tree changed during the run (the snapshot was measured)"
    MONITOR.stop.set()
    load = MONITOR.summary()
    if load:
        code += (
            f". Load average (1 min) during the run: mean {load['mean']:.1f}, max {load['max']:.1f} "
            f"(the benchmark itself accounts for about 2)"
        )
        if load["mean"] > BUSY_LOAD:
            code += ". **Other work shared the cores during this run: the figures are noisy; rerun on a quiet machine**"
    text = write_results(results, options, started, code)
    print()
    print(text)
    return 1 if any(result.get("error") for result in results) else 0


def cleanup():
    for process in list(CHILDREN):
        kill_group(process, grace=3)


def on_signal(signum, _frame):
    cleanup()
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        exit_code = main()
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        exit_code = 2
    finally:
        cleanup()
    sys.exit(exit_code)
