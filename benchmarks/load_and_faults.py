"""The load-and-fault test of the public site (issue 6, item 6): `make load-faults`, or

    .venv/bin/python benchmarks/load_and_faults.py [--clients 50] [--seconds 60] [--outage 10] [--quick]

It needs PostgreSQL at 127.0.0.1:5432 (user postgres, a cluster that `pg_ctlcluster` manages: the
test stops and restarts it) and `redis-server` (a Redis of the test's own on port 8791, with maxmemory
and allkeys-lru: the machine's Redis is not used). It builds a fresh database `digest_faults`
(migrate + the seed fixtures), serves the site with gunicorn in production mode (DJANGO_ENV=production,
DEBUG off, Redis cache, sync workers) and runs six phases, each under the same load: N client
threads (Python threads, one http.client connection each, kept alive whenever the server allows;
gunicorn's sync workers close every connection, so each request opens a new one) cycling through
the public pages, every failure counted (no retries).

  a. load: N clients for S seconds while a publisher (a separate process calling
     items.services.withdraw_issue / publish_issue, as the admin action does) withdraws and
     republishes an issue every second. Expected: zero errors. Reports p50/p95/max.
  b. outage: PostgreSQL stopped (`pg_ctlcluster ... stop -m fast`) for 10 s under load. Expected:
     every failed request is the plain 503 page (Retry-After, no traceback, no 500, no connection
     error), answered within a few seconds (no hung worker: same worker pids, no WORKER TIMEOUT),
     and the site back to all-200 by itself once PostgreSQL is back (CONN_HEALTH_CHECKS).
  c. reload: SIGHUP to the gunicorn master twice, 10 s apart, under load. Expected: zero failures.
  d. killed import: `manage.py import_newsletter` of a generated 300-item newsletter, killed with
     SIGKILL once its progress shows items written inside its transaction. Expected: no issue
     number 999 and no table whose row count changed; the same import then runs to completion.
  e, f. Redis stopped, then Redis hung, under load (benchmarks/redis_faults.py). Expected: all 200.

`--phases ef` runs only the chosen phases (here the Redis faults, which leave PostgreSQL alone).

It prints a summary and writes benchmarks/LOAD_AND_FAULTS.md (a --quick run writes under
benchmarks/.data/load_and_faults/ instead). PostgreSQL is always started again on exit, and
gunicorn and every helper process are stopped. The exit code is 0 only if every check passed.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

if __package__ in (None, ""):  # run as a script: benchmarks/load_and_faults.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import redis_faults  # noqa: E402
from benchmarks.faults.load import Load, fmt_s, latency, loadavg, per_page, summarise, worker_summary  # noqa: E402
from benchmarks.faults.newsletter import write_big_newsletter  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / ".data" / "load_and_faults"
RESULTS = BENCH / "LOAD_AND_FAULTS.md"
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent

DB_NAME = "digest_faults"
PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN = f"postgres://postgres@{PG_HOST}:{PG_PORT}/postgres"
DB_URL = f"postgres://postgres@{PG_HOST}:{PG_PORT}/{DB_NAME}"
REDIS_PORT = 8791
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
REDIS = None  # the test's own redis_faults.OwnRedis, started by prepare()
SECRET_KEY = "load-and-faults-only-secret-key-not-used-anywhere-else-3a9e51"  # noqa: S105
FIXTURES = (
    "series landscape issue_weekly_41 issue_weekly_51 issue_weekly_53 issue_bird_bird_2021_12 issue_monthly_2022_04"
)
IMPORT_NUMBER = 999
IMPORT_ITEMS = 300
IMPORT_APP_NAME = "faults-import"


class FaultTestError(Exception):
    """A clear failure of the set-up (a service missing, a command failing, a busy port)."""


def log(message):
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------------------------------------
# Processes: every child runs in its own process group and is ended with it.
# ----------------------------------------------------------------------------------------------

CHILDREN = []


def django_env(extra=None):
    env = dict(os.environ)
    for name in ("DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="digest_site.settings",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DB_URL,
        REDIS_URL=REDIS_URL,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def run(command, what, timeout=600, env=None, log_name="setup"):
    """Runs a command to completion; its output goes to a log file. Returns stdout."""
    with open(DATA / f"{log_name}.log", "ab") as handle:
        handle.write(f"\n$ {' '.join(map(str, command))}\n".encode())
        handle.flush()
        try:
            result = subprocess.run(  # noqa: S603 (our own commands)
                [str(part) for part in command],
                cwd=ROOT,
                env=env or django_env(),
                stdout=subprocess.PIPE,
                stderr=handle,
                timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise FaultTestError(f"{what} did not finish within {timeout} s; see {handle.name}") from None
        handle.write(result.stdout)
    if result.returncode != 0:
        raise FaultTestError(f"{what} failed (exit {result.returncode}); see {DATA / (log_name + '.log')}")
    return result.stdout.decode(errors="replace")


def django_json(code, what, timeout=300, extra_env=None):
    """Runs Python `code` with Django set up (same settings as the server); its last line is JSON."""
    output = run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        what,
        timeout=timeout,
        env=django_env(extra_env),
        log_name="helpers",
    )
    lines = [line for line in output.splitlines() if line.startswith(("{", "["))]
    if not lines:
        raise FaultTestError(f"{what} printed no result; see {DATA / 'helpers.log'}")
    return json.loads(lines[-1])


def kill_group(process, grace=5.0):
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def spawn(command, log_path, env, **kwargs):
    handle = open(log_path, "ab")  # noqa: SIM115 (kept open by the child)
    process = subprocess.Popen(  # noqa: S603 (our own commands)
        [str(part) for part in command],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=kwargs.pop("stderr", subprocess.STDOUT),
        start_new_session=True,
        **kwargs,
    )
    handle.close()
    CHILDREN.append(process)
    return process


def children_of(pid):
    """Live children of `pid` (an exited child that its parent has not reaped yet is left out)."""
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    live = []
    for child in children:
        with contextlib.suppress(OSError, IndexError):
            if Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                live.append(child)
    return sorted(live)


# ----------------------------------------------------------------------------------------------
# PostgreSQL and Redis
# ----------------------------------------------------------------------------------------------


def pg_connect(url=PG_ADMIN):
    import psycopg2

    return psycopg2.connect(url, connect_timeout=3)


def pg_ready():
    result = subprocess.run(  # noqa: S603
        ["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-q"],  # noqa: S607
        capture_output=True,
        timeout=10,
    )
    return result.returncode == 0


def pg_cluster():
    """(version, name) of the cluster on port 5432, as pg_lsclusters lists it."""
    output = subprocess.run(  # noqa: S603
        ["pg_lsclusters", "--no-header"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] == str(PG_PORT):
            return parts[0], parts[1]
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if versions:
        return versions[-1], "main"
    raise FaultTestError("no PostgreSQL cluster on port 5432 that pg_ctlcluster manages: the outage needs one")


def pg_control(action):
    version, name = pg_cluster()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603
    if result.returncode != 0 and not (action == "start" and "already running" in result.stderr):
        raise FaultTestError(f"{' '.join(command)} failed: {result.stderr.strip()}")


def wait_pg_ready(timeout=60.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pg_ready():
            return time.monotonic()
        time.sleep(interval)
    return None


def start_in_background(outcome):
    try:
        pg_control("start")
    except (FaultTestError, OSError, subprocess.SubprocessError) as error:
        outcome["error"] = error


def ensure_pg_running():
    """Called on every exit: PostgreSQL must answer when this script ends."""
    if pg_ready():
        return
    log("PostgreSQL is not answering: starting it again")
    try:
        pg_control("start")
    except (FaultTestError, OSError, subprocess.SubprocessError) as error:
        log(f"! could not start PostgreSQL: {error}")
    if wait_pg_ready(90) is None:
        log("! PostgreSQL still does not answer pg_isready after 90 s")
    else:
        log("PostgreSQL answers pg_isready")


def recreate_database():
    connection = pg_connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()


def table_counts():
    connection = pg_connect(DB_URL)
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def import_backends():
    """The import's server backends: pid, state, whether its transaction has written (backend_xid)."""
    connection = pg_connect()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, backend_xid::text, xact_start FROM pg_stat_activity WHERE application_name = %s",
            [IMPORT_APP_NAME],
        )
        rows = cursor.fetchall()
    connection.close()
    return [{"pid": pid, "state": state, "xid": xid, "xact_start": str(start)} for pid, state, xid, start in rows]


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)


# ----------------------------------------------------------------------------------------------
# gunicorn in production mode
# ----------------------------------------------------------------------------------------------


def port_free(port):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def fetch(port, path, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


class Gunicorn:
    def __init__(self, port, workers, log_path):
        self.port, self.workers, self.log_path = port, workers, log_path
        self.access_path = log_path.with_name("access.log")
        self.process = None
        self.command = [
            VENV_BIN / "gunicorn",
            "digest_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "20",
            "--graceful-timeout",
            "15",
            "--error-logfile",
            "-",
            # Status and the worker's own time for each request (ms), to tell queueing from work.
            "--access-logfile",
            self.access_path,
            "--access-logformat",
            '%(s)s %(M)s "%(r)s"',
        ]

    def start(self, timeout=60):
        if not port_free(self.port):
            raise FaultTestError(f"port {self.port} on 127.0.0.1 is busy; pass --port")
        self.process = spawn(self.command, self.log_path, django_env())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise FaultTestError(f"gunicorn exited at start (code {self.process.returncode}); see {self.log_path}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if fetch(self.port, "/robots.txt", timeout=5)[0] == 200 and len(self.worker_pids()) == self.workers:
                    return
            time.sleep(0.2)
        raise FaultTestError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def worker_pids(self):
        return children_of(self.process.pid) if self.process else []

    def hup(self):
        os.kill(self.process.pid, signal.SIGHUP)

    def stop(self):
        if self.process is not None:
            kill_group(self.process, grace=20)
            if self.process in CHILDREN:
                CHILDREN.remove(self.process)
            self.process = None

    def access_offset(self):
        try:
            return self.access_path.stat().st_size
        except OSError:
            return 0

    def worker_times(self, since):
        """{status: [worker ms, ...]} of the requests logged since byte offset `since`."""
        found = {}
        with contextlib.suppress(OSError), open(self.access_path, "rb") as handle:
            handle.seek(since)
            for line in handle.read().decode(errors="replace").splitlines():
                parts = line.split(" ", 2)
                if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
                    found.setdefault(int(parts[0]), []).append(int(parts[1]))
        return found

    def wait_replaced(self, old, timeout=40.0):
        """After a HUP: seconds until `workers` new workers run, and until none of `old` is left."""
        started, up, gone = time.monotonic(), None, None
        while time.monotonic() - started < timeout and (up is None or gone is None):
            current = set(self.worker_pids())
            if up is None and len(current - set(old)) >= self.workers:
                up = time.monotonic() - started
            if gone is None and not current & set(old):
                gone = time.monotonic() - started
            time.sleep(0.1)
        return up, gone

    def log_count(self, pattern):
        try:
            return len(re.findall(pattern, self.log_path.read_text(errors="replace")))
        except OSError:
            return 0


# ----------------------------------------------------------------------------------------------
# Helpers run with Django (the same settings as the server)
# ----------------------------------------------------------------------------------------------

PROBE = """
import json
from items.models import EnforcementAction, Issue, NewsItem
from regulators.models import Instrument, Regulator
published = Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("issued_on")
toggled = published.first()  # the oldest issue: the publisher withdraws and republishes it
shown = published.exclude(pk=toggled.pk).order_by("-issued_on")[:2]
item = NewsItem.objects.filter(issue__in=list(shown)).order_by("pk").first()
action = EnforcementAction.objects.filter(news_item__issue__in=list(shown)).order_by("pk").first()
regulator = Regulator.objects.order_by("pk").first()
instrument = Instrument.objects.order_by("pk").first()
paths = ["/", "/issues/", *[issue.get_absolute_url() for issue in shown], "/items/", "/items/?jurisdiction=CN",
    item.get_absolute_url(), "/enforcement/", "/enforcement/?action_type=fine&o=-fine", action.get_absolute_url(),
    "/instruments/", instrument.get_absolute_url(), "/regulators/", regulator.get_absolute_url(),
    "/search/?q=personal+information", "/feeds/issues/rss/", "/items/feed/atom/", "/enforcement/feed/rss/"]
print(json.dumps({"paths": paths, "toggled": toggled.pk, "toggled_title": str(toggled)}))
"""

PUBLISHER = """
import json, os, time
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from items.models import Issue
from items.services import publish_issue, withdraw_issue
user, _created = get_user_model().objects.get_or_create(username="load-publisher", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Publishers"))
issue_id = int(os.environ["FAULTS_ISSUE"])
deadline = time.monotonic() + float(os.environ["FAULTS_SECONDS"])
done = {"withdrawn": 0, "published": 0}
while time.monotonic() < deadline:
    withdraw_issue(issue_id, user=user)
    done["withdrawn"] += 1
    time.sleep(0.5)
    publish_issue(issue_id, user=user)
    done["published"] += 1
    time.sleep(0.5)
done["final_status"] = Issue.objects.get(pk=issue_id).status
print(json.dumps(done))
"""

IMPORT_CHECK = """
import json
from items.models import Issue
issue = Issue.objects.filter(series__slug="weekly-review", number=NUMBER).first()
print(json.dumps({"exists": issue is not None, "items": issue.items.count() if issue else 0,
    "actions": sum(item.enforcement_actions.count() for item in issue.items.all()) if issue else 0,
    "status": issue.status if issue else None}))
"""


# ----------------------------------------------------------------------------------------------
# The phases
# ----------------------------------------------------------------------------------------------


def phase_load(server, paths, options, toggled):
    log(f"phase a: {options.clients} clients for {options.seconds} s, publisher toggling issue {toggled}")
    publisher = spawn(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", PUBLISHER],
        DATA / "publisher.log",
        django_env({"FAULTS_ISSUE": str(toggled), "FAULTS_SECONDS": str(options.seconds - 2)}),
        stderr=subprocess.STDOUT,
    )
    offset = server.access_offset()
    load_average = [loadavg()]
    load = Load(server.port, paths, options.clients).start()
    try:
        time.sleep(options.seconds)
        load_average.append(loadavg())
    finally:
        load.stop()
        try:
            publisher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            kill_group(publisher)
    CHILDREN.remove(publisher)
    lines = [line for line in (DATA / "publisher.log").read_text().splitlines() if line.startswith("{")]
    published = json.loads(lines[-1]) if lines and publisher.returncode == 0 else {"error": publisher.returncode}
    result = summarise(load)
    result.update(
        phase="a. load + publishing",
        publisher=published,
        pages=per_page(load),
        load_average=load_average,
        worker_ms=worker_summary(server.worker_times(offset)),
    )
    result["passed"] = (
        result["errors"] == 0 and published.get("published", 0) > 0 and published.get("final_status") == "published"
    )
    return result


def phase_outage(server, paths, options):
    log(f"phase b: PostgreSQL stopped for {options.outage} s under load")
    workers_before = server.worker_pids()
    timeouts_before = server.log_count(r"WORKER TIMEOUT")
    offset = server.access_offset()
    load_average = [loadavg()]
    load = Load(server.port, paths, options.clients).start()
    marks = {}
    try:
        try:
            time.sleep(options.before)
            marks["stop_issued"] = time.monotonic()
            pg_control("stop")
            marks["stopped"] = time.monotonic()
            log(f"PostgreSQL stopped ({marks['stopped'] - marks['stop_issued']:.1f} s); waiting {options.outage} s")
            time.sleep(max(0.0, options.outage - (time.monotonic() - marks["stop_issued"])))
        finally:
            # Always start PostgreSQL again, whatever happened above. pg_ctlcluster returns some time
            # after the server accepts connections: "back" is when pg_isready first answers.
            marks["start_issued"] = time.monotonic()
            starting = {}
            starter = threading.Thread(target=start_in_background, args=(starting,), daemon=True)
            starter.start()
            marks["ready"] = wait_pg_ready(90, interval=0.05) or time.monotonic()
            starter.join(timeout=120)
            if starting.get("error"):
                raise starting["error"]
        log(f"PostgreSQL back (pg_isready after {marks['ready'] - marks['start_issued']:.1f} s); load goes on")
        time.sleep(options.after)
    finally:
        load.stop()
    result = summarise(load, expected=("plain 503",))
    records = load.records
    zero = marks["stop_issued"]
    failures = [record for record in records if record[5] != "ok"]
    first_503 = min((record[1] for record in records if record[5] == "plain 503"), default=None)
    before = [record for record in records if record[1] < marks["stop_issued"]]
    during = [record for record in records if marks["stop_issued"] <= record[0] <= marks["ready"]]
    first_ok_after = min(
        (record[1] for record in records if record[5] == "ok" and record[1] >= marks["start_issued"]), default=None
    )
    last_failure = max((record[1] for record in failures), default=None)
    worker_ms = server.worker_times(offset)
    load_average.append(loadavg())
    result.update(
        phase="b. PostgreSQL outage",
        outage_seconds=round(marks["ready"] - marks["stop_issued"], 1),
        pg_stop_seconds=round(marks["stopped"] - marks["stop_issued"], 1),
        pg_start_seconds=round(marks["ready"] - marks["start_issued"], 1),
        first_503_after_stop_s=round(first_503 - zero, 2) if first_503 else None,
        before_outage={"requests": len(before), **latency(before)} if before else {},
        during_outage={"requests": len(during), **latency(during)} if during else {},
        worker_ms=worker_summary(worker_ms),
        load_average=load_average,
        first_200_after_return_s=round(first_ok_after - marks["ready"], 2) if first_ok_after else None,
        all_200_after_return_s=round(max(0.0, last_failure - marks["ready"]), 2) if last_failure else None,
        ok_after_return=sum(1 for record in records if record[0] > (last_failure or 0) and record[5] == "ok"),
        workers_same=server.worker_pids() == workers_before,
        worker_timeouts=server.log_count(r"WORKER TIMEOUT") - timeouts_before,
    )
    # "Within a few seconds": the workers answer each 503 within the limit (no worker waits on a dead
    # database), and the outage adds at most the limit to the latency that the load's queue already had.
    limit_ms = options.max_outage_latency * 1000
    queue_ms = result["before_outage"].get("max_ms", 0.0)
    result["client_limit_ms"] = round(queue_ms + limit_ms, 1)
    result["passed"] = (
        result["errors"] == 0
        and result["expected_failures"] > 0
        and result["first_503_after_stop_s"] is not None
        and result["first_503_after_stop_s"] <= options.max_outage_latency
        and max(worker_ms.get(503, [math.inf])) <= limit_ms
        and result["during_outage"].get("max_ms", math.inf) <= result["client_limit_ms"]
        and result["all_200_after_return_s"] is not None
        and result["all_200_after_return_s"] <= options.max_recovery
        and result["ok_after_return"] > 0
        and result["workers_same"]
        and result["worker_timeouts"] == 0
    )
    return result


def phase_reload(server, paths, options):
    log(f"phase c: SIGHUP to the gunicorn master twice, {options.hup_interval} s apart, under load")
    offset = server.access_offset()
    load_average = [loadavg()]
    load = Load(server.port, paths, options.clients).start()
    generations, swaps = [server.worker_pids()], []
    try:
        time.sleep(options.before)
        for number in range(2):
            sent = time.monotonic()
            server.hup()
            swaps.append(server.wait_replaced(generations[-1]))
            generations.append(server.worker_pids())
            time.sleep(max(0.0, (options.hup_interval if number == 0 else options.after) - (time.monotonic() - sent)))
        load_average.append(loadavg())
    finally:
        load.stop()
    result = summarise(load)
    replaced = all(up is not None and gone is not None for up, gone in swaps) and all(
        len(generation) == server.workers for generation in generations
    )
    result.update(
        phase="c. graceful reload (HUP x2)",
        worker_generations=generations,
        swaps=[{"new_workers_forked_s": fmt_s(up), "old_workers_gone_s": fmt_s(gone)} for up, gone in swaps],
        workers_replaced=replaced,
        worker_ms=worker_summary(server.worker_times(offset)),
        load_average=load_average,
    )
    result["passed"] = result["errors"] == 0 and replaced
    return result


def phase_import(options):
    log(f"phase d: import of a {IMPORT_ITEMS}-item newsletter killed with SIGKILL mid-transaction")
    newsletter = write_big_newsletter(DATA / "big_newsletter.txt", IMPORT_ITEMS)
    before = table_counts()
    env = django_env({"DATABASE_URL": f"{DB_URL}?application_name={IMPORT_APP_NAME}"})
    command = [
        PYTHON,
        "manage.py",
        "import_newsletter",
        newsletter,
        "--series",
        "weekly-review",
        "--number",
        str(IMPORT_NUMBER),
    ]
    started = time.monotonic()
    process = spawn(command, DATA / "import-killed.log", env, stderr=subprocess.PIPE)
    progress, seen = [0, 0], bytearray()

    def read_progress():
        while True:
            chunk = os.read(process.stderr.fileno(), 4096)
            if not chunk:
                return
            seen.extend(chunk)
            found = re.findall(rb"(\d+)/(\d+)", bytes(seen[-400:]))
            if found:
                progress[:] = [int(found[-1][0]), int(found[-1][1])]

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    target = max(1, int(IMPORT_ITEMS * options.kill_at))
    deadline = time.monotonic() + 300
    while progress[0] < target and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    backends = import_backends()
    killed_at_item = progress[0]
    if process.poll() is not None:
        CHILDREN.remove(process)
        raise FaultTestError(f"the import ended (exit {process.returncode}) before it could be killed")
    os.kill(process.pid, signal.SIGKILL)
    killed_after = time.monotonic() - started
    process.wait(timeout=30)
    kill_group(process)
    CHILDREN.remove(process)
    reader.join(timeout=5)
    (DATA / "import-killed.log").write_bytes(bytes(seen))
    log(f"import killed at item {killed_at_item}/{progress[1]} after {killed_after:.1f} s (exit {process.returncode})")
    # PostgreSQL ends the dead client's backend and rolls its transaction back.
    gone_deadline = time.monotonic() + 30
    while import_backends() and time.monotonic() < gone_deadline:
        time.sleep(0.1)
    lingering = import_backends()
    after = table_counts()
    changed = {table: (before.get(table), after.get(table)) for table in after if after.get(table) != before.get(table)}
    check = django_json(IMPORT_CHECK.replace("NUMBER", str(IMPORT_NUMBER)), "checking the killed import")
    log("the same import, run to completion")
    rerun_started = time.monotonic()
    run(command, "the re-run of the import", timeout=600, env=env, log_name="import-rerun")
    rerun_seconds = time.monotonic() - rerun_started
    rerun = django_json(IMPORT_CHECK.replace("NUMBER", str(IMPORT_NUMBER)), "checking the re-run import")
    writing = any(backend["xid"] for backend in backends)
    result = {
        "phase": "d. killed import",
        "items_in_file": progress[1],
        "killed_at_item": killed_at_item,
        "killed_after_s": round(killed_after, 1),
        "exit_code": process.returncode,
        "backend_at_kill": backends,
        "transaction_had_written": writing,
        "lingering_backends": lingering,
        "issue_999_exists": check["exists"],
        "tables_changed": changed,
        "tables_compared": len(after),
        "rows_compared": sum(after.values()),
        "rerun_seconds": round(rerun_seconds, 1),
        "rerun": rerun,
    }
    result["passed"] = (
        process.returncode == -signal.SIGKILL
        and killed_at_item > 0
        and writing
        and not lingering
        and not check["exists"]
        and not changed
        and rerun["exists"]
        and rerun["items"] == IMPORT_ITEMS
    )
    return result


# ----------------------------------------------------------------------------------------------
# Set-up, report, main
# ----------------------------------------------------------------------------------------------


def prepare(options):
    if not pg_ready():
        raise FaultTestError(f"no PostgreSQL answers at {PG_HOST}:{PG_PORT} (pg_isready): start it first")
    pg_cluster()
    global REDIS
    if not port_free(REDIS_PORT):
        raise FaultTestError(f"port {REDIS_PORT} for the test's own Redis is busy")
    REDIS = redis_faults.OwnRedis(REDIS_PORT, spawn, DATA / "redis.log")
    try:
        REDIS.start(django_env())
    except (OSError, RuntimeError) as error:
        raise FaultTestError(f"could not start redis-server: {error}") from error
    log(f"creating the database {DB_NAME} afresh, migrating and loading the fixtures")
    recreate_database()
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], "migrate")
    run([PYTHON, "manage.py", "loaddata", *FIXTURES.split()], "loaddata")
    generator = ROOT / "items" / "management" / "commands" / "generate_demo_data.py"
    options.demo_used = False
    if options.demo_items and generator.exists():
        help_text = run([PYTHON, "manage.py", "generate_demo_data", "--help"], "generate_demo_data --help")
        if "--items" in help_text:
            log(f"adding generated demo data (--items {options.demo_items})")
            run(
                [PYTHON, "manage.py", "generate_demo_data", "--items", str(options.demo_items)],
                "generate_demo_data",
                timeout=900,
            )
            options.demo_used = True
    log("collecting static files (the production manifest storage needs them)")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], "collectstatic")


def machine():
    cpu, memory = "unknown", 0.0
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) / 1024 / 1024
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Linux {platform.release()}"


def versions():
    found = {"Python": platform.python_version()}
    for name in ("Django", "gunicorn", "psycopg2-binary", "redis"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    with contextlib.suppress(Exception):
        connection = pg_connect()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            found["PostgreSQL"] = cursor.fetchone()[0].split()[0]
        connection.close()
    with contextlib.suppress(Exception):
        found["Redis server"] = redis_client().info("server")["redis_version"]
    return found


def fmt(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}" if not math.isnan(value) else "—"
    return str(value)


def report(results, options, context):
    lines = [
        "# Load and faults (issue 6, item 6)",
        "",
        f"Produced by `{context['command']}` on {context['date']}. Machine: {context['machine']}. "
        "Client and server share the machine's cores.",
        "",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in context["versions"].items()) + ".",
        "",
        f"Set-up: PostgreSQL database `{DB_NAME}` created afresh (migrate + the seed fixtures"
        + (f" + `generate_demo_data --items {options.demo_items}`" if options.demo_used else "")
        + f"), Redis cache "
        f"`{REDIS_URL}` (the test's own redis-server, maxmemory {redis_faults.MAXMEMORY}, allkeys-lru), "
        f"gunicorn with {options.workers} sync workers (`--timeout 20 --graceful-timeout 15`) "
        "in production mode (DJANGO_ENV=production, DEBUG off, CONN_MAX_AGE 60, CONN_HEALTH_CHECKS, "
        "connect_timeout 1 s, Redis timeouts 0.25 s). Load: "
        f"{options.clients} Python client threads (http.client; the sync workers close each connection, so "
        "every request opens a new one), a 60 s client timeout, no retries, cycling through "
        f"{len(context['paths'])} public pages: " + ", ".join(f"`{path}`" for path in context["paths"]) + ".",
        "",
        "Latencies are seen by the clients, so they include the time a request waits in gunicorn's queue "
        f"behind the other {options.clients - 1} clients; the worker-side time of each request (gunicorn's "
        "access log) is given per phase below. The longest stall is the longest time in which no response "
        "at all came back. The machine's load average (1 min) at the start and end of "
        "each phase tells how busy it was with other work.",
        "",
        "| phase | seconds | requests | req/s | 2xx/3xx | expected 503 | errors | p50 ms | p95 ms | max ms "
        "| longest stall s | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        if "requests" not in result:
            if "error" in result:
                lines.append(f"| {result['phase']} | could not run: see below ||||||||||**FAIL** |")
            continue
        lines.append(
            f"| {result['phase']} | {result['seconds']} | {result['requests']} | {result['rps']} | {result['ok']} | "
            f"{result['expected_failures']} | {result['errors']} | {fmt(result['p50_ms'])} | {fmt(result['p95_ms'])} | "
            f"{fmt(result['max_ms'])} | {result['longest_stall_s']} | {'pass' if result['passed'] else '**FAIL**'} |"
        )
    lines.append("")
    for result in results:
        lines += detail(result, options)
    path = Path(options.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return "\n".join(lines)


def worker_line(result):
    parts = [
        f"{status}: {row['n']} requests, p50 {row['p50']} ms, p95 {row['p95']} ms, max {row['max']} ms"
        for status, row in result.get("worker_ms", {}).items()
    ]
    return f"- Worker-side time by status: {'; '.join(parts) or '—'}. Load average: {result.get('load_average')}."


def detail(result, options):
    name = result.get("phase", "?")
    lines = [f"## {name}: {'pass' if result.get('passed') else 'FAIL'}", ""]
    if "error" in result:
        return [*lines, f"Could not run: {result['error']}", ""]
    if "worker_ms" in result:
        lines += [worker_line(result), ""]
    if name.startswith("a."):
        lines += [
            f"- Publisher (a separate process calling items.services, as the admin action does): "
            f"{result['publisher']}.",
            f"- With {options.clients} clients and {result['rps']} responses/s, a request waits about "
            f"{options.clients / max(result['rps'], 0.1):.1f} s on average (Little's law): the client-side "
            "latencies are mostly queueing for the workers, the worker-side times above are the pages' own cost.",
            "",
            "| page | requests | errors | p50 ms | p95 ms | max ms |",
            "|---|---|---|---|---|---|",
        ]
        for row in result["pages"]:
            lines.append(
                f"| `{row['path']}` | {row['requests']} | {row['errors']} | {fmt(row['p50_ms'])} | "
                f"{fmt(row['p95_ms'])} | {fmt(row['max_ms'])} |"
            )
        lines.append("")
    elif name.startswith("b."):
        during, before = result["during_outage"], result["before_outage"]
        lines += [
            f"- PostgreSQL down for {result['outage_seconds']} s, from the stop command to `pg_isready` answering "
            f"(stop took {result['pg_stop_seconds']} s, start {result['pg_start_seconds']} s).",
            f"- First 503 {fmt(result['first_503_after_stop_s'])} s after the stop command.",
            f"- Responses by kind: {result['by_verdict']} (a 'plain 503' is the 503.html page with Retry-After: 10 "
            "and no traceback text).",
            f"- Requests started while PostgreSQL was down: {during.get('requests')}, p50 {fmt(during.get('p50_ms'))} "
            f"ms, p95 {fmt(during.get('p95_ms'))} ms, max {fmt(during.get('max_ms'))} ms (limit: the max before the "
            f"stop, {fmt(before.get('max_ms'))} ms, plus {options.max_outage_latency} s = "
            f"{fmt(result['client_limit_ms'])} ms); worker-side, every 503 within {options.max_outage_latency} s.",
            f"- After PostgreSQL answered again: first 200 after {fmt(result['first_200_after_return_s'])} s, all "
            f"200 from {fmt(result['all_200_after_return_s'])} s on ({result['ok_after_return']} requests, all 200, "
            f"after the last failure; limit {options.max_recovery} s), with no restart of gunicorn.",
            f"- Same worker processes before and after: {result['workers_same']}; WORKER TIMEOUT lines in "
            f"gunicorn's log: {result['worker_timeouts']}.",
            "",
        ]
    elif name.startswith("c."):
        lines += [
            f"- Worker pids, before and after each HUP: {result['worker_generations']} "
            f"(every worker replaced each time: {result['workers_replaced']}; after each HUP, seconds until the "
            f"new workers were forked and until the old ones had exited: {result['swaps']}).",
            f"- Longest stall: {result['longest_stall_s']} s. On HUP gunicorn forks new workers, which import the "
            "application afresh (no --preload, so that a HUP loads new code), and stops the old ones gracefully: "
            "until the new workers have booted, requests wait in the listen queue. They are delayed, not lost.",
            f"- Responses by kind: {result['by_verdict']}.",
            "",
        ]
    elif name.startswith("d."):
        lines += [
            f"- `manage.py import_newsletter` of a generated {result['items_in_file']}-item weekly review "
            f"(`--series weekly-review --number {IMPORT_NUMBER}`), killed with SIGKILL at item "
            f"{result['killed_at_item']} after {result['killed_after_s']} s (exit {result['exit_code']}).",
            f"- Its PostgreSQL backend at the kill: {result['backend_at_kill']} (a backend_xid means the "
            f"transaction had written rows: {result['transaction_had_written']}).",
            f"- Afterwards: backends of the import left: {len(result['lingering_backends'])}; issue {IMPORT_NUMBER} "
            f"exists: {result['issue_999_exists']}; tables whose row count changed: "
            f"{result['tables_changed'] or 'none'} ({result['tables_compared']} tables, "
            f"{result['rows_compared']} rows compared).",
            f"- The same import re-run to completion in {result['rerun_seconds']} s: {result['rerun']}.",
            "",
        ]
    elif name.startswith(("e.", "f.")):
        lines += redis_faults.detail(result, options)
    samples = result.get("samples") or {}
    if samples:
        lines += ["Unexpected responses (first of each kind):", ""]
        lines += [f"- {verdict}: `{sample[:200]!r}`" for verdict, sample in samples.items()]
        lines.append("")
    return lines


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60, help="length of phase a (default 60)")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds PostgreSQL stays down (default 10)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument(
        "--demo-items", type=int, default=500, help="generate_demo_data --items, when it exists (0: fixtures only)"
    )
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--phases", default="abcdef", help="which phases to run (default abcdef)")
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction of the import's items before SIGKILL")
    parser.add_argument("--max-outage-latency", type=float, default=5.0, help="seconds (default 5)")
    parser.add_argument("--max-recovery", type=float, default=10.0, help="seconds after pg_isready (default 10)")
    parser.add_argument("--quick", action="store_true", help="short phases, report under benchmarks/.data/")
    parser.add_argument("--output", help="where to write the report (default benchmarks/LOAD_AND_FAULTS.md)")
    options = parser.parse_args(argv)
    options.before, options.after, options.hup_interval = 5.0, 15.0, 10.0
    if options.quick:
        options.seconds, options.outage, options.before, options.after, options.hup_interval = 10, 5.0, 3.0, 8.0, 5.0
    options.output = options.output or (DATA / "LOAD_AND_FAULTS-quick.md" if options.quick else RESULTS)
    return options


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    DATA.mkdir(parents=True, exist_ok=True)
    for stale in DATA.glob("*.log"):
        stale.unlink()
    context = {
        "command": " ".join([".venv/bin/python benchmarks/load_and_faults.py", *sys.argv[1:]])
        if sys.argv[1:]
        else "make load-faults",
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
    }
    prepare(options)
    probe = django_json(PROBE, "probing the pages")
    context["paths"] = probe["paths"]
    server = Gunicorn(options.port, options.workers, DATA / "gunicorn.log")
    results = []
    try:
        server.start()
        log(f"gunicorn serves on 127.0.0.1:{options.port} with workers {server.worker_pids()}")
        for path in probe["paths"]:
            status, _body, _headers = fetch(options.port, path)
            if status != 200:
                raise FaultTestError(f"{path} answers {status} before any fault; see {server.log_path}")
        phases = {
            "a": lambda: phase_load(server, probe["paths"], options, probe["toggled"]),
            "b": lambda: phase_outage(server, probe["paths"], options),
            "c": lambda: phase_reload(server, probe["paths"], options),
            "d": lambda: phase_import(options),
            "e": lambda: redis_faults.phase_redis("stopped", REDIS, server, probe["paths"], options, *helpers),
            "f": lambda: redis_faults.phase_redis("hung", REDIS, server, probe["paths"], options, *helpers),
        }
        helpers = (django_env(), sys.modules[__name__])
        for letter in options.phases:
            try:
                results.append(phases[letter]())
            except FaultTestError as error:
                log(f"! phase {letter}: {error}")
                results.append({"phase": letter, "error": str(error), "passed": False})
            log(f"phase {letter}: {'pass' if results[-1].get('passed') else 'FAIL'}")
            ensure_pg_running()
    finally:
        server.stop()
        ensure_pg_running()
    context["versions"] = versions()
    (DATA / "results.json").write_text(json.dumps(results, indent=1, default=str))
    text = report(results, options, context)
    print()
    print(text)
    log(f"report written to {options.output}")
    return 0 if results and all(result.get("passed") for result in results) else 1


def cleanup():
    if REDIS is not None:
        REDIS.stop()  # resumed first, should a hung phase have been interrupted
    for process in list(CHILDREN):
        kill_group(process, grace=5)
    ensure_pg_running()


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        code = main()
    except FaultTestError as error:
        print(f"load-and-faults failed: {error}", file=sys.stderr)
        code = 2
    finally:
        cleanup()
    sys.exit(code)
