"""CSV exports as they stream: rows/s, time to the first byte, and the worker's peak RSS growth."""

import csv
import http.client
import io
import threading
import time
from pathlib import Path

from benchmarks.config import GUNICORN_TIMEOUT


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
