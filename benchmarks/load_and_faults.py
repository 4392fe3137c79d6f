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
import datetime
import json
import signal
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: benchmarks/load_and_faults.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import redis_faults  # noqa: E402
from benchmarks.faults import phases as phase_module  # noqa: E402
from benchmarks.faults.config import (  # noqa: E402
    DATA,
    DB_NAME,
    FIXTURES,
    PG_HOST,
    PG_PORT,
    PYTHON,
    REDIS_PORT,
    RESULTS,
    ROOT,
    FaultTestError,
    log,
)
from benchmarks.faults.gunicorn import Gunicorn, fetch, port_free  # noqa: E402
from benchmarks.faults.phases import phase_import, phase_load, phase_outage, phase_reload  # noqa: E402
from benchmarks.faults.postgres import ensure_pg_running, pg_cluster, pg_ready, recreate_database  # noqa: E402
from benchmarks.faults.processes import CHILDREN, django_env, django_json, kill_group, run, spawn  # noqa: E402
from benchmarks.faults.report import machine, report, versions  # noqa: E402
from benchmarks.faults.scripts import PROBE  # noqa: E402

REDIS = None  # the test's own redis_faults.OwnRedis, started by prepare(); read only in this module


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
        # redis_faults takes log, loadavg, Load, summarise, latency and worker_summary from this module.
        helpers = (django_env(), phase_module)
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
