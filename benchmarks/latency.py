"""HTTP latency: one new connection per request (gunicorn's sync workers close every one anyway)."""

import http.client
import math
import statistics
import time


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
