"""The report: machine and versions, the summary table and each phase's details, written as
Markdown."""

import contextlib
import math
import os
import platform
from importlib import metadata
from pathlib import Path

from benchmarks import redis_faults
from benchmarks.faults.config import DB_NAME, IMPORT_NUMBER, REDIS_URL
from benchmarks.faults.postgres import pg_connect


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)


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
