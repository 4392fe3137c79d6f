"""The benchmark databases: built once per set of generator arguments, reused while the stamp matches."""

import datetime
import hashlib
import json
import time
from pathlib import Path

from benchmarks import config
from benchmarks.config import DATA, FIXTURES, GENERATOR_PACKAGE, GENERATOR_PATH, LOGS, PG_ADMIN, PYTHON, BenchError, log
from benchmarks.servers import django_env, pinned, run_command


def generator_args(options):
    return [
        "--items",
        str(options.items),
        "--actions",
        str(options.actions),
        "--instruments",
        str(options.instruments),
        "--regulators",
        str(options.regulators),
        "--seed",
        str(options.seed),
    ]


def wanted_stamp(options):
    if (config.RUN_ROOT / GENERATOR_PATH).exists():
        digest = hashlib.sha256()
        for path in [config.RUN_ROOT / GENERATOR_PATH, *sorted((config.RUN_ROOT / GENERATOR_PACKAGE).glob("*.py"))]:
            digest.update(path.read_bytes())
        return {"source": "generator", "args": generator_args(options), "generator_sha": digest.hexdigest()[:16]}
    return {"source": "fixtures", "args": FIXTURES.split(), "generator_sha": None}


def djtool(env, *arguments, timeout=600, what=None, core=None):
    command = pinned([PYTHON, str(config.RUN_ROOT / "benchmarks" / "djtool.py"), *arguments], core)
    output, _seconds = run_command(
        command, env, timeout, what or f"djtool {arguments[0]}", log_name="djtool", unpin=core is None
    )
    lines = [line for line in output.splitlines() if line.startswith(("{", "null", "["))]
    if not lines:
        raise BenchError(f"{what or arguments[0]} printed no result; see {LOGS / 'djtool.log'}")
    return json.loads(lines[-1])


def pg_connect(database="postgres"):
    import psycopg2

    return psycopg2.connect(PG_ADMIN.rsplit("/", 1)[0] + "/" + database, connect_timeout=5)


def postgres_available():
    try:
        pg_connect().close()
        return True
    except Exception:  # noqa: BLE001
        return False


def pg_recreate(name):
    connection = pg_connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def pg_query(sql, params=()):
    connection = pg_connect()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    connection.close()
    return row


def prepare_database(database, options):
    """Returns (DATABASE_URL, sqlite file or None, stamp)."""
    want = wanted_stamp(options)
    tag = "quick" if options.quick else str(options.items)
    if database == "sqlite":
        folder = DATA / f"sqlite-{tag}"
        folder.mkdir(parents=True, exist_ok=True)
        sqlite_file = folder / "digest.db"
        url = f"sqlite:///{sqlite_file}"
        exists = sqlite_file.exists()
    else:
        name = options.pg_name or ("digest_bench_quick" if options.quick else "digest_bench")
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        sqlite_file = None
        exists = pg_query("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is not None
    env = django_env(url)
    stamp = djtool(env, "stamp-get", timeout=120) if exists else None
    reuse = (
        not options.rebuild
        and stamp is not None
        and all(stamp.get(key) == want[key] for key in ("source", "args", "generator_sha"))
    )
    log_name = f"build-{database}"
    if reuse:
        log(f"{database}: reusing the database built {stamp.get('built_at')} ({' '.join(want['args'])})")
        output, _seconds = run_command(
            [PYTHON, "manage.py", "migrate", "--no-input"], env, 600, "migrate", log_name=log_name
        )
        if database == "postgresql" and "Applying" in output:
            djtool(env, "analyze", timeout=900)
        return url, sqlite_file, stamp
    log(f"{database}: building the database ({want['source']}: {' '.join(want['args'])})")
    if database == "sqlite":
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    else:
        pg_recreate(url.rsplit("/", 1)[1])
    _out, migrate_seconds = run_command(
        [PYTHON, "manage.py", "migrate", "--no-input"], env, 600, "migrate", log_name=log_name
    )
    if want["source"] == "generator":
        _out, fill_seconds = run_command(
            [PYTHON, "manage.py", "generate_demo_data", *want["args"]],
            env,
            options.build_timeout,
            "generate_demo_data",
            log_name=log_name,
            capture=False,
        )
    else:
        _out, fill_seconds = run_command(
            [PYTHON, "manage.py", "loaddata", *want["args"]], env, 600, "loaddata", log_name=log_name
        )
    analyze_seconds = 0.0
    if database == "postgresql":
        started = time.perf_counter()
        djtool(env, "analyze", timeout=900)
        analyze_seconds = time.perf_counter() - started
    stamp = {
        **want,
        "built_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "migrate_seconds": round(migrate_seconds, 1),
        "fill_seconds": round(fill_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
    }
    djtool(env, "stamp-set", json.dumps(stamp), timeout=120)
    log(f"{database}: built in {migrate_seconds:.1f} s (migrate) + {fill_seconds:.1f} s ({want['source']})")
    return url, sqlite_file, stamp
