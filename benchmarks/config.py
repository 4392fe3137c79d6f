"""Where the benchmark keeps things and the fixed settings of a run; `log` and `BenchError`."""

import sys
import time
from pathlib import Path

from items.seed_fixtures import SEED_FIXTURES

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / ".data"
LOGS = DATA / "logs"
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent
# The code that is served and measured: a snapshot of the work tree taken when the run starts
# (see take_snapshot), so that edits made during a run do not mix two versions in one report.
RUN_ROOT = ROOT
SNAPSHOT = DATA / "snapshot"
SNAPSHOT_IGNORE = (
    ".venv", ".git", ".data", "__pycache__", "*.pyc", "db.sqlite3*", "media", "staticfiles",
    "test-results", ".ruff_cache", ".pytest_cache", "node_modules",
)  # fmt: skip
# The demo-data generator: a change to its command or to any module of its package rebuilds
# the benchmark databases.
GENERATOR_PATH = Path("items") / "management" / "commands" / "generate_demo_data.py"
GENERATOR_PACKAGE = Path("items") / "demo_data"
FIXTURES = " ".join(SEED_FIXTURES)  # as `manage.py load_seeds` loads them
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/1"
SECRET_KEY = "benchmark-only-secret-key-not-used-anywhere-else-7d1c5e"  # noqa: S105
PAGE_SIZE = 50
# Exports shorter than this are reported but not judged on rows/s (fixed costs dominate them).
JUDGED_ROWS = 10_000
# gunicorn's default (30 s) kills a sync worker that streams longer than that; the benchmark
# allows slow exports to finish so that they can be measured (RESULTS.md says when one needs it).
GUNICORN_TIMEOUT = 300
# An export slower than this is measured once, not --runs times (the time box of the full run).
EXPORT_REPEAT_LIMIT_S = 30
ERROR_KINDS = ("status", "connect", "read", "timeout")
# A 1-minute load average above this (on 2 cores) means other work shares the machine.
BUSY_LOAD = 3.0
SERVER_CORE = 0
CLIENT_CORE = 1
# A reader with a session is not given the kept page (core/page_cache.py): the page is
# rendered for them, from the cached counts, facets and fragments. A session cookie that matches
# no session is enough to measure that path (one more query: the session lookup).
SESSION_READER = {"Cookie": "sessionid=benchmark-reader-with-a-session"}


class BenchError(Exception):
    """A clear, expected failure (busy port, server that does not start, time box exceeded)."""


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
