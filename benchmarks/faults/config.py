"""Settings of the load-and-fault test: paths, the database, the test's own Redis, the seed
fixtures and the killed import; `log` and `FaultTestError`, which every part uses."""

import sys
import time
from pathlib import Path

from items.seed_fixtures import SEED_FIXTURES

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent
DATA = BENCH / ".data" / "load_and_faults"
RESULTS = BENCH / "LOAD_AND_FAULTS.md"
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent

DB_NAME = "digest_faults"
PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN = f"postgres://postgres@{PG_HOST}:{PG_PORT}/postgres"
DB_URL = f"postgres://postgres@{PG_HOST}:{PG_PORT}/{DB_NAME}"
REDIS_PORT = 8791
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
SECRET_KEY = "load-and-faults-only-secret-key-not-used-anywhere-else-3a9e51"  # noqa: S105
FIXTURES = " ".join(SEED_FIXTURES)  # as `manage.py load_seeds` loads them
IMPORT_NUMBER = 999
IMPORT_ITEMS = 300
IMPORT_APP_NAME = "faults-import"


class FaultTestError(Exception):
    """A clear failure of the set-up (a service missing, a command failing, a busy port)."""


def log(message):
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)
