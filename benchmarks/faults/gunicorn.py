"""gunicorn in production mode: start, HUP, stop, worker pids and the access log's times."""

import contextlib
import http.client
import os
import re
import signal
import time

from benchmarks.faults.config import VENV_BIN, FaultTestError
from benchmarks.faults.processes import CHILDREN, children_of, django_env, kill_group, spawn


def port_free(port):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def fetch(port, path, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


class Gunicorn:
    def __init__(self, port, workers, log_path):
        self.port, self.workers, self.log_path = port, workers, log_path
        self.access_path = log_path.with_name("access.log")
        self.process = None
        self.command = [
            VENV_BIN / "gunicorn",
            "digest_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "20",
            "--graceful-timeout",
            "15",
            "--error-logfile",
            "-",
            # Status and the worker's own time for each request (ms), to tell queueing from work.
            "--access-logfile",
            self.access_path,
            "--access-logformat",
            '%(s)s %(M)s "%(r)s"',
        ]

    def start(self, timeout=60):
        if not port_free(self.port):
            raise FaultTestError(f"port {self.port} on 127.0.0.1 is busy; pass --port")
        self.process = spawn(self.command, self.log_path, django_env())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise FaultTestError(f"gunicorn exited at start (code {self.process.returncode}); see {self.log_path}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if fetch(self.port, "/robots.txt", timeout=5)[0] == 200 and len(self.worker_pids()) == self.workers:
                    return
            time.sleep(0.2)
        raise FaultTestError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def worker_pids(self):
        return children_of(self.process.pid) if self.process else []

    def hup(self):
        os.kill(self.process.pid, signal.SIGHUP)

    def stop(self):
        if self.process is not None:
            kill_group(self.process, grace=20)
            if self.process in CHILDREN:
                CHILDREN.remove(self.process)
            self.process = None

    def access_offset(self):
        try:
            return self.access_path.stat().st_size
        except OSError:
            return 0

    def worker_times(self, since):
        """{status: [worker ms, ...]} of the requests logged since byte offset `since`."""
        found = {}
        with contextlib.suppress(OSError), open(self.access_path, "rb") as handle:
            handle.seek(since)
            for line in handle.read().decode(errors="replace").splitlines():
                parts = line.split(" ", 2)
                if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
                    found.setdefault(int(parts[0]), []).append(int(parts[1]))
        return found

    def wait_replaced(self, old, timeout=40.0):
        """After a HUP: seconds until `workers` new workers run, and until none of `old` is left."""
        started, up, gone = time.monotonic(), None, None
        while time.monotonic() - started < timeout and (up is None or gone is None):
            current = set(self.worker_pids())
            if up is None and len(current - set(old)) >= self.workers:
                up = time.monotonic() - started
            if gone is None and not current & set(old):
                gone = time.monotonic() - started
            time.sleep(0.1)
        return up, gone

    def log_count(self, pattern):
        try:
            return len(re.findall(pattern, self.log_path.read_text(errors="replace")))
        except OSError:
            return 0
