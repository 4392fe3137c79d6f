"""The phases a to d (e and f are in benchmarks/redis_faults.py): load while publishing, PostgreSQL
outage, graceful reload, killed import. Each returns its result, with "passed"."""

import json
import math
import os
import re
import signal
import subprocess
import threading
import time

from benchmarks.faults.config import (
    DATA,
    DB_URL,
    IMPORT_APP_NAME,
    IMPORT_ITEMS,
    IMPORT_NUMBER,
    PYTHON,
    FaultTestError,
    log,
)
from benchmarks.faults.load import Load, fmt_s, latency, loadavg, per_page, summarise, worker_summary
from benchmarks.faults.newsletter import write_big_newsletter
from benchmarks.faults.postgres import import_backends, pg_control, start_in_background, table_counts, wait_pg_ready
from benchmarks.faults.processes import CHILDREN, django_env, django_json, kill_group, run, spawn
from benchmarks.faults.scripts import IMPORT_CHECK, PUBLISHER


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
