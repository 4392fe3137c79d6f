"""Processes: app servers (gunicorn) and commands, each in its own process group, killed with it."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from benchmarks import config
from benchmarks.config import GUNICORN_TIMEOUT, LOGS, REDIS_URL, SECRET_KEY, VENV_BIN, BenchError
from benchmarks.latency import fetch

CHILDREN = []


def all_cpus():
    return set(range(os.cpu_count() or 1))


def can_pin():
    return (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


def pinned(command, core):
    return ["taskset", "-c", str(core), *command] if core is not None and can_pin() else command


def django_env(database_url, redis=False, extra=None):
    env = dict(os.environ)
    for name in ("DEBUG", "REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="benchmarks.settings_floor",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(config.RUN_ROOT),
    )
    if redis:
        env["REDIS_URL"] = REDIS_URL
    env.update(extra or {})
    return env


def run_command(command, env, timeout, what, log_name, unpin=True, capture=True):
    """Runs a command to completion within `timeout` seconds; stderr (and stdout unless captured)
    goes to benchmarks/.data/logs/<log_name>.log."""
    log_path = LOGS / f"{log_name}.log"

    def preexec():
        os.setsid()
        if unpin:
            os.sched_setaffinity(0, all_cpus())

    started = time.perf_counter()
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command,
            cwd=config.RUN_ROOT,
            env=env,
            stdout=subprocess.PIPE if capture else log_file,
            stderr=log_file,
            preexec_fn=preexec,
        )
        CHILDREN.append(process)
        try:
            out, _err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            raise BenchError(f"{what} did not finish within {timeout:.0f} s (time box); see {log_path}") from None
        finally:
            CHILDREN.remove(process)
    if process.returncode != 0:
        tail = log_path.read_text(errors="replace")[-1500:]
        raise BenchError(f"{what} failed (exit {process.returncode}); see {log_path}\n{tail}")
    return (out or b"").decode(), time.perf_counter() - started


def kill_group(process, grace=5.0):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Server:
    """A server process (gunicorn or datasette) in its own process group, on a checked port."""

    def __init__(self, name, command, port, env, core, ready_path):
        self.name, self.command, self.port, self.env = name, command, port, env
        self.core, self.ready_path = core, ready_path
        self.process = None
        self.log_path = LOGS / f"{name}.log"

    def start(self, timeout=60):
        if not port_free(self.port):
            raise BenchError(
                f"port {self.port} on 127.0.0.1 is busy (needed for {self.name}); stop what uses it or pass --port-base"
            )
        with open(self.log_path, "ab") as handle:
            self.process = subprocess.Popen(  # noqa: S603 (our own commands)
                pinned(self.command, self.core),
                cwd=config.RUN_ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        CHILDREN.append(self.process)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited at start (code {self.process.returncode}); see {self.log_path}")
            try:
                status, _body, _elapsed, _headers = fetch(self.port, self.ready_path, timeout=5)
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError(f"{self.name} did not answer on port {self.port} within {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process is not None:
            kill_group(self.process)
            if self.process in CHILDREN:
                CHILDREN.remove(self.process)
            self.process = None

    def worker_pids(self):
        """gunicorn's workers are the children of its master (taskset execs, so pid is the master)."""
        if self.process is None:
            return []
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children] or [self.process.pid]


def gunicorn_server(name, port, env, core, workers):
    command = [
        str(VENV_BIN / "gunicorn"),
        "digest_site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        str(GUNICORN_TIMEOUT),
        "--graceful-timeout",
        "5",
        "--error-logfile",
        "-",
    ]
    return Server(name, command, port, env, core, "/__floor__/1/")
