"""PostgreSQL: connect, stop and start the cluster, recreate the database, count rows, find the
import's backends."""

import os
import subprocess
import time

from benchmarks.faults.config import DB_NAME, DB_URL, IMPORT_APP_NAME, PG_ADMIN, PG_HOST, PG_PORT, FaultTestError, log


def pg_connect(url=PG_ADMIN):
    import psycopg2

    return psycopg2.connect(url, connect_timeout=3)


def pg_ready():
    result = subprocess.run(  # noqa: S603
        ["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-q"],  # noqa: S607
        capture_output=True,
        timeout=10,
    )
    return result.returncode == 0


def pg_cluster():
    """(version, name) of the cluster on port 5432, as pg_lsclusters lists it."""
    output = subprocess.run(  # noqa: S603
        ["pg_lsclusters", "--no-header"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] == str(PG_PORT):
            return parts[0], parts[1]
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if versions:
        return versions[-1], "main"
    raise FaultTestError("no PostgreSQL cluster on port 5432 that pg_ctlcluster manages: the outage needs one")


def pg_control(action):
    version, name = pg_cluster()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603
    if result.returncode != 0 and not (action == "start" and "already running" in result.stderr):
        raise FaultTestError(f"{' '.join(command)} failed: {result.stderr.strip()}")


def wait_pg_ready(timeout=60.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pg_ready():
            return time.monotonic()
        time.sleep(interval)
    return None


def start_in_background(outcome):
    try:
        pg_control("start")
    except (FaultTestError, OSError, subprocess.SubprocessError) as error:
        outcome["error"] = error


def ensure_pg_running():
    """Called on every exit: PostgreSQL must answer when this script ends."""
    if pg_ready():
        return
    log("PostgreSQL is not answering: starting it again")
    try:
        pg_control("start")
    except (FaultTestError, OSError, subprocess.SubprocessError) as error:
        log(f"! could not start PostgreSQL: {error}")
    if wait_pg_ready(90) is None:
        log("! PostgreSQL still does not answer pg_isready after 90 s")
    else:
        log("PostgreSQL answers pg_isready")


def recreate_database():
    connection = pg_connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()


def table_counts():
    connection = pg_connect(DB_URL)
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def import_backends():
    """The import's server backends: pid, state, whether its transaction has written (backend_xid)."""
    connection = pg_connect()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, backend_xid::text, xact_start FROM pg_stat_activity WHERE application_name = %s",
            [IMPORT_APP_NAME],
        )
        rows = cursor.fetchall()
    connection.close()
    return [{"pid": pid, "state": state, "xid": xid, "xact_start": str(start)} for pid, state, xid, start in rows]
