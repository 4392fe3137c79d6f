"""Processes: every child runs in its own process group and is ended with it."""

import contextlib
import json
import os
import signal
import subprocess
from pathlib import Path

from benchmarks.faults.config import DATA, DB_URL, PYTHON, REDIS_URL, ROOT, SECRET_KEY, FaultTestError

# The children not ended yet, which cleanup() ends on exit. Changed in place and never rebound, so
# that every module importing it shares this one list.
CHILDREN = []


def django_env(extra=None):
    env = dict(os.environ)
    for name in ("DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="digest_site.settings",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DB_URL,
        REDIS_URL=REDIS_URL,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def run(command, what, timeout=600, env=None, log_name="setup"):
    """Runs a command to completion; its output goes to a log file. Returns stdout."""
    with open(DATA / f"{log_name}.log", "ab") as handle:
        handle.write(f"\n$ {' '.join(map(str, command))}\n".encode())
        handle.flush()
        try:
            result = subprocess.run(  # noqa: S603 (our own commands)
                [str(part) for part in command],
                cwd=ROOT,
                env=env or django_env(),
                stdout=subprocess.PIPE,
                stderr=handle,
                timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise FaultTestError(f"{what} did not finish within {timeout} s; see {handle.name}") from None
        handle.write(result.stdout)
    if result.returncode != 0:
        raise FaultTestError(f"{what} failed (exit {result.returncode}); see {DATA / (log_name + '.log')}")
    return result.stdout.decode(errors="replace")


def django_json(code, what, timeout=300, extra_env=None):
    """Runs Python `code` with Django set up (same settings as the server); its last line is JSON."""
    output = run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        what,
        timeout=timeout,
        env=django_env(extra_env),
        log_name="helpers",
    )
    lines = [line for line in output.splitlines() if line.startswith(("{", "["))]
    if not lines:
        raise FaultTestError(f"{what} printed no result; see {DATA / 'helpers.log'}")
    return json.loads(lines[-1])


def kill_group(process, grace=5.0):
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def spawn(command, log_path, env, **kwargs):
    handle = open(log_path, "ab")  # noqa: SIM115 (kept open by the child)
    process = subprocess.Popen(  # noqa: S603 (our own commands)
        [str(part) for part in command],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=kwargs.pop("stderr", subprocess.STDOUT),
        start_new_session=True,
        **kwargs,
    )
    handle.close()
    CHILDREN.append(process)
    return process


def children_of(pid):
    """Live children of `pid` (an exited child that its parent has not reaped yet is left out)."""
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    live = []
    for child in children:
        with contextlib.suppress(OSError, IndexError):
            if Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                live.append(child)
    return sorted(live)
