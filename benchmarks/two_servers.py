"""Two app servers on one PostgreSQL and Redis: the same answers, and requests/s at saturation."""

import hashlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

from benchmarks import config
from benchmarks.config import BENCH, CLIENT_CORE, ERROR_KINDS, SERVER_CORE, BenchError, log
from benchmarks.latency import fetch
from benchmarks.servers import CHILDREN, django_env, gunicorn_server, kill_group


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
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=config.RUN_ROOT, start_new_session=True
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
