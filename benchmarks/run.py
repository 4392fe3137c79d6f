"""The performance benchmark of the public site (issue 5): `make bench`, or

    .venv/bin/python benchmarks/run.py [--items N] [--databases sqlite,postgresql] [--runs 3] [--quick]

For each database it builds (or reuses) the benchmark database, serves the site with gunicorn in
production mode pinned to core 0, and measures from core 1, for every page: our p50/p95, the peer
(Datasette on the same SQLite file), the SQL floor (the page's own SQL on a bare DB-API cursor)
and the static floor (prepared bytes of the same size through the same gunicorn and middleware).
On PostgreSQL it also measures one app server against two sharing PostgreSQL and Redis.
It writes benchmarks/RESULTS.md and prints the same tables. See benchmarks/README.md.

This module is only the entry point: the work is done by the modules beside it (README.md,
"Files").
"""

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import config  # noqa: E402
from benchmarks.config import BUSY_LOAD, CLIENT_CORE, DATA, GENERATOR_PATH, LOGS, ROOT, SNAPSHOT, BenchError, log  # noqa: E402
from benchmarks.databases import postgres_available  # noqa: E402
from benchmarks.machine import MONITOR, LoadMonitor  # noqa: E402
from benchmarks.measure import bench_database  # noqa: E402
from benchmarks.report import write_results  # noqa: E402
from benchmarks.servers import CHILDREN, can_pin, kill_group, port_free  # noqa: E402
from benchmarks.snapshot import collectstatic, sources_digest, take_snapshot  # noqa: E402


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
    if not (config.RUN_ROOT / GENERATOR_PATH).exists():
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
