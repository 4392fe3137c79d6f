"""The Redis faults of the load-and-fault test (phases e and f of benchmarks/load_and_faults.py).

The site runs against a Redis of the test's own (never the machine's shared one), started with a
memory bound and LRU eviction as the README's deployment asks:

  e. Redis stopped under load (SIGTERM: its port refuses connections), then started again.
  f. Redis hung under load (SIGSTOP: the kernel still accepts connections, nothing answers), then
     resumed (SIGCONT).

Expected for both: every page still answers 200 (computed uncached), no response waits on Redis
for long (worker-side times), no gunicorn WORKER TIMEOUT, and the cache is used again afterwards
(Redis's keyspace hits grow once it is back).
"""

import contextlib
import os
import signal
import subprocess
import time

MAXMEMORY = "256mb"


class OwnRedis:
    """redis-server on `port`, no persistence, maxmemory with allkeys-lru; stop, start, hang, resume."""

    def __init__(self, port, spawn, log_path):
        self.port, self.spawn, self.log_path = port, spawn, log_path
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self, env):
        self.process = self.spawn(
            ["redis-server", "--port", self.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--maxmemory", MAXMEMORY, "--maxmemory-policy", "allkeys-lru"],
            self.log_path,
            env,
        )
        for _attempt in range(100):
            with contextlib.suppress(Exception):
                self.client().ping()
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}; see {self.log_path}")

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=3, socket_timeout=3)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)

    def signal(self, number):
        os.kill(self.process.pid, number)

    def hits(self):
        return self.client().info("stats")["keyspace_hits"]


def phase_redis(kind, redis, server, paths, options, env, tools):
    """Load, then Redis `kind` ("stopped" or "hung") for options.outage seconds, then back."""
    tools.log(f"phase {'e' if kind == 'stopped' else 'f'}: Redis {kind} for {options.outage} s under load")
    timeouts_before = server.log_count(r"WORKER TIMEOUT")
    offset = server.access_offset()
    load_average = [tools.loadavg()]
    load = tools.Load(server.port, paths, options.clients).start()
    marks = {}
    try:
        time.sleep(options.before)
        marks["fault"] = time.monotonic()
        redis.stop() if kind == "stopped" else redis.signal(signal.SIGSTOP)
        time.sleep(options.outage)
        marks["back"] = time.monotonic()
    finally:
        redis.start(env) if kind == "stopped" else redis.signal(signal.SIGCONT)
    hits_back = redis.hits()
    time.sleep(options.after)
    load.stop()
    load_average.append(tools.loadavg())
    result = tools.summarise(load)
    before = [record for record in load.records if record[1] < marks["fault"]]
    during = [record for record in load.records if marks["fault"] <= record[0] <= marks["back"]]
    worker_ms = server.worker_times(offset)
    result.update(
        phase=f"{'e' if kind == 'stopped' else 'f'}. Redis {kind}",
        fault_seconds=round(marks["back"] - marks["fault"], 1),
        before_fault={"requests": len(before), **tools.latency(before)} if before else {},
        during_fault={"requests": len(during), **tools.latency(during)} if during else {},
        load_average=load_average,
        worker_ms=tools.worker_summary(worker_ms),
        worker_timeouts=server.log_count(r"WORKER TIMEOUT") - timeouts_before,
        cache_hits_after_return=redis.hits() - hits_back,
        keys_at_end=redis.client().dbsize(),
    )
    limit_ms = options.max_outage_latency * 1000
    result["passed"] = (
        result["errors"] == 0
        and bool(during)
        and max((value for values in worker_ms.values() for value in values), default=0) <= limit_ms
        and result["worker_timeouts"] == 0
        and result["cache_hits_after_return"] > 0
    )
    return result


def detail(result, options):
    """The report's lines for phase e or f."""
    during, before = result["during_fault"], result["before_fault"]
    how = (
        "stopped with SIGTERM (its port refuses connections) and started again"
        if "stopped" in result["phase"]
        else "frozen with SIGSTOP (the kernel accepts connections, nothing answers) and resumed with SIGCONT"
    )
    return [
        f"- The test's own Redis (maxmemory {MAXMEMORY}, allkeys-lru) {how}, after {options.before} s of load; "
        f"{result['fault_seconds']} s without Redis.",
        f"- Requests started while Redis was {result['phase'].split()[-1]}: {during.get('requests')}, p50 "
        f"{during.get('p50_ms')} ms, p95 {during.get('p95_ms')} ms, max {during.get('max_ms')} ms (client-side, "
        f"queueing included; before the fault: {before.get('requests')} requests, p50 {before.get('p50_ms')} ms, "
        f"max {before.get('max_ms')} ms). Worker-side, every response within {options.max_outage_latency} s: "
        "uncached pages cost the workers more, so the queue grows while Redis is away.",
        f"- Responses by kind: {result['by_verdict']}; WORKER TIMEOUT lines in gunicorn's log: "
        f"{result['worker_timeouts']}.",
        f"- Once Redis was back: {result['cache_hits_after_return']} cache hits in the following "
        f"{options.after} s (the cache is used again, no restart); keys at the end: {result['keys_at_end']}.",
        "",
    ]
