"""Load for the fault tests: N threads, each with its own http.client connection, cycling
through the pages; every response judged, and the records summed up (counts, latency, stalls)."""

import contextlib
import http.client
import math
import threading
import time
from pathlib import Path

# What a page must not show, and the plain 503 the site answers when its database is away.
PLAIN_503_TEXT = b"Temporarily unavailable"
TRACEBACK_MARKS = (b"Traceback (most recent call last)", b"OperationalError", b"InterfaceError")


class Load:
    """Records (start, end, page index, status or None, error name or None, body verdict)."""

    def __init__(self, port, paths, clients, request_timeout=60.0, max_seconds=600.0):
        self.port, self.paths, self.clients = port, paths, clients
        self.request_timeout, self.max_seconds = request_timeout, max_seconds
        self.records = []
        self.samples = {}  # first body of each failing kind, for the report
        self.stop_event = threading.Event()
        self.threads = []

    def start(self):
        self.started = time.monotonic()
        for index in range(self.clients):
            thread = threading.Thread(target=self.client, args=(index,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self):
        if not self.stop_event.is_set():
            self.stop_event.set()
            for thread in self.threads:
                thread.join(timeout=self.request_timeout + 5)
            self.stopped = time.monotonic()
        return self

    def client(self, index):
        connection = None
        position = index
        hard_stop = self.started + self.max_seconds  # a bounded loop even if stop() is never called
        while not self.stop_event.is_set() and time.monotonic() < hard_stop:
            page = position % len(self.paths)
            position += 1
            began = time.monotonic()
            status, error, verdict = None, None, "ok"
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.request_timeout)
                connection.request("GET", self.paths[page], headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                body = response.read()
                status = response.status
                if response.will_close:
                    connection.close()
                    connection = None
                verdict = self.judge(status, body, response.getheader("Retry-After"))
            except (OSError, http.client.HTTPException) as failure:
                error = failure.__class__.__name__
                verdict = "connection error"
                self.samples.setdefault(verdict, f"{error}: {failure}")
                if connection is not None:
                    connection.close()
                connection = None
            self.records.append((began, time.monotonic(), page, status, error, verdict))
        if connection is not None:
            connection.close()

    def judge(self, status, body, retry_after):
        if any(mark in body for mark in TRACEBACK_MARKS):
            verdict = "traceback in page"
        elif 200 <= status < 400:
            return "ok"
        elif status == 503:
            verdict = "plain 503" if PLAIN_503_TEXT in body and retry_after == "10" else "other 503"
        elif status == 500:
            verdict = "500"
        else:
            verdict = f"status {status}"
        self.samples.setdefault(verdict, body[:300].decode(errors="replace"))
        return verdict


def loadavg():
    with contextlib.suppress(OSError):
        return float(Path("/proc/loadavg").read_text().split()[0])
    return None


def fmt_s(value):
    return None if value is None else round(value, 1)


def worker_summary(by_status):
    """Worker-side time (gunicorn's access log) per status: count, p50, p95, max in ms."""
    summary = {}
    for status, values in sorted(by_status.items()):
        summary[status] = {
            "n": len(values),
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "max": max(values),
        }
    return summary


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def latency(records):
    values = [end - start for start, end, *_rest in records]
    return {
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1) if values else float("nan"),
    }


def summarise(load, expected=()):
    """Counts by verdict; `errors` are the failures not listed in `expected`."""
    records = load.records
    counts = {}
    for record in records:
        counts[record[5]] = counts.get(record[5], 0) + 1
    seconds = load.stopped - load.started
    ends = sorted([load.started, *(record[1] for record in records)])
    errors = sum(count for verdict, count in counts.items() if verdict != "ok" and verdict not in expected)
    return {
        "seconds": round(seconds, 1),
        "requests": len(records),
        "rps": round(len(records) / seconds, 1) if seconds else 0,
        "ok": counts.get("ok", 0),
        "expected_failures": sum(counts.get(verdict, 0) for verdict in expected),
        "errors": errors,
        "by_verdict": counts,
        # The longest time in which no response at all came back: the server's worst stall.
        "longest_stall_s": round(
            max((later - earlier for earlier, later in zip(ends, ends[1:], strict=False)), default=0.0), 1
        ),
        "samples": {verdict: sample for verdict, sample in load.samples.items() if verdict not in expected},
        **latency(records),
    }


def per_page(load):
    rows = []
    for index, path in enumerate(load.paths):
        records = [record for record in load.records if record[2] == index]
        if records:
            failures = sum(1 for record in records if record[5] != "ok")
            rows.append({"path": path, "requests": len(records), "errors": failures, **latency(records)})
    return rows
