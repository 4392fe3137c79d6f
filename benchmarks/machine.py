"""The machine a run measures on: CPU, memory, versions, and the load average sampled during the run."""

import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import threading
from importlib import metadata
from pathlib import Path

from benchmarks.databases import pg_query


class LoadMonitor:
    """Samples the 1-minute load average while the benchmark runs. Its own processes (server,
    client, database) account for about 2; much more means other work shared the cores and the
    figures are noisy, which the report then says."""

    def __init__(self):
        self.samples = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def now():
        return float(Path("/proc/loadavg").read_text().split()[0])

    def run(self):
        while not self.stop.wait(5):
            self.samples.append(self.now())

    def summary(self):
        if not self.samples:
            return None
        return {"mean": statistics.mean(self.samples), "max": max(self.samples)}


MONITOR = LoadMonitor()


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = int(line.split()[1]) / 1024 / 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": memory, "kernel": platform.release()}


def versions():
    found = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    for name in ("Django", "gunicorn", "datasette", "psycopg2-binary", "django-filter", "whitenoise"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    try:
        found["PostgreSQL"] = pg_query("SHOW server_version")[0]
    except Exception:  # noqa: BLE001
        found["PostgreSQL"] = "not reachable"
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout  # noqa: S603, S607
        found["wrk"] = out.split("[")[0].replace("wrk", "").strip()
    return found
