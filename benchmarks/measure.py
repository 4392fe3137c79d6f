"""One database: build it, serve it, measure every page against the peer and the floors."""

import json
import time

from benchmarks.config import DATA, EXPORT_REPEAT_LIMIT_S, SERVER_CORE, SESSION_READER, log
from benchmarks.csv_exports import measure_export
from benchmarks.databases import djtool, pg_query, prepare_database
from benchmarks.latency import measure_latency, warm
from benchmarks.pages import build_pages
from benchmarks.peers import check_rows, datasette_server, ds_url, resolve_datasette_offsets
from benchmarks.report import med
from benchmarks.servers import django_env, gunicorn_server
from benchmarks.two_servers import redis_answers, two_servers


def combine_sql(result):
    """The SQL floor of each page: the median over the runs' replays; per statement likewise."""
    for key, figure in result.get("sql", {}).items():
        runs = [replay[key] for replay in result.get("replays", []) if key in replay]
        figure["sql_median_s"] = med([run["sql_median_s"] for run in runs]) or 0.0
        statement_ms = [med(times) or 0.0 for times in zip(*(run["statement_ms"] for run in runs), strict=True)]
        logged = figure.pop("logged_sql", [])
        figure["statements"] = [
            {"ms": ms_value, "sql": logged[i] if i < len(logged) else ""} for i, ms_value in enumerate(statement_ms)
        ]
        figure["slowest"] = sorted(figure["statements"], key=lambda statement: -statement["ms"])[:3]
    (DATA / f"queries-{result['database']}.json").write_text(json.dumps(result.get("sql", {}), indent=1))


def bench_database(database, options, deadline):
    result = {"database": database}
    url, sqlite_file, stamp = prepare_database(database, options)
    result["stamp"] = stamp
    # As in production: the cache in Redis, shared by the workers (each worker's own memory
    # otherwise, where Redis does not answer).
    result["cache"] = "Redis" if redis_answers() else "local memory"
    env = django_env(url, redis=result["cache"] == "Redis")
    log(f"{database}: choosing the pages' parameters from the data")
    params = djtool(env, "probe", timeout=600)
    result["params"] = params
    pages, exports, mixed = build_pages(params)
    result["mixed"] = mixed
    if sqlite_file:
        result["db_size_mb"] = sqlite_file.stat().st_size / 1e6
    else:
        result["db_size_mb"] = pg_query("SELECT pg_database_size(%s)", [url.rsplit("/", 1)[1]])[0] / 1e6

    # The SQL floor: each page's SQL, captured in-process with the production settings, then timed
    # on the bare DB-API cursor, pinned to the server's core.
    # The SQL floor: each page's SQL, captured once in-process with the production settings, then
    # timed on the bare DB-API cursor in every run (pinned to the server's core), so that the floor
    # and the page are measured side by side.
    log(f"{database}: capturing each page's SQL in-process (for the SQL floor)")
    floor_file = DATA / f"pages-{database}.json"
    floor_file.write_text(json.dumps([{"key": p["key"], "url": p["url"]} for p in pages + exports]))
    statements_file = DATA / f"statements-{database}.pickle"
    result["sql"] = djtool(
        env, "capture", str(floor_file), str(statements_file), timeout=1200, what="the SQL capture", core=SERVER_CORE
    )
    replays = result["replays"] = []

    def replay():
        replays.append(
            djtool(
                env,
                "replay",
                str(statements_file),
                str(options.profile["sql_n"]),
                str(options.profile["sql_s"]),
                timeout=900,
                what="the SQL replay",
                core=SERVER_CORE,
            )
        )

    ours = gunicorn_server(f"gunicorn-{database}", options.port_base, env, SERVER_CORE, options.workers)
    peer = datasette_server(options.port_base + 1, sqlite_file) if sqlite_file and not options.no_datasette else None
    servers = [server for server in (ours, peer) if server]
    try:
        for server in servers:
            log(f"{database}: starting {server.name} on 127.0.0.1:{server.port}")
            server.start()
        log(f"{database}: warming up")
        for page in pages:
            status, body, elapsed = warm(ours.port, page["url"], options.profile)
            page["status"] = status
            page["bytes"] = len(body)
            page["slow"] = elapsed > 1.0
            if status != 200:
                log(f"  ! {page['url']} answered {status}; see {ours.log_path}")
            warm(ours.port, f"/__floor__/{page['bytes']}/", options.profile)
        if peer:
            resolve_datasette_offsets(peer.port, pages)
            for page in pages:
                status, body, elapsed = warm(peer.port, ds_url(page), options.profile)
                page["ds_status"] = status
                page["ds_slow"] = elapsed > 1.0
                if status != 200:
                    log(f"  ! Datasette {ds_url(page)[:120]} answered {status}: {body[:200]!r}")
                page["rows_check"] = check_rows(ours.port, peer.port, page)

        latency = {page["key"]: {"ours": [], "peer": [], "static": [], "rendered": []} for page in pages}
        for run in range(options.runs):
            if time.monotonic() > deadline:
                log("! overall time box reached: stopping the latency runs early")
                result["cut"] = True
                break
            log(f"{database}: latency run {run + 1}/{options.runs}")
            replay()
            for page in pages:
                figures = latency[page["key"]]
                figures["ours"].append(measure_latency(ours.port, page["url"], options.profile, page["slow"]))
                if peer and page.get("ds_status") == 200:
                    figures["peer"].append(measure_latency(peer.port, ds_url(page), options.profile, page["ds_slow"]))
                figures["static"].append(measure_latency(ours.port, f"/__floor__/{page['bytes']}/", options.profile))
                figures["rendered"].append(
                    measure_latency(ours.port, page["url"], options.profile, page["slow"], headers=SESSION_READER)
                )
        result["pages"] = pages
        result["latency"] = latency

        export_results = {export["key"]: {"ours": [], "peer": []} for export in exports}
        for run in range(options.runs):
            if time.monotonic() > deadline:
                log("! overall time box reached: stopping the export runs early")
                result["cut"] = True
                break
            log(f"{database}: CSV export run {run + 1}/{options.runs}")
            for export in exports:
                figures = export_results[export["key"]]
                if figures["ours"] and figures["ours"][0]["seconds"] > EXPORT_REPEAT_LIMIT_S:
                    continue  # measured once: too slow to repeat within the time box
                figures["ours"].append(measure_export(ours.port, export["url"], ours.worker_pids()))
                if peer:
                    figures["peer"].append(measure_export(peer.port, ds_url(export), [peer.process.pid]))
        result["exports"] = exports
        result["export_results"] = export_results
    finally:
        for server in servers:
            server.stop()
        if not replays:
            replay()
        combine_sql(result)

    if database == "postgresql" and not options.no_two_servers:
        result["two_servers"] = two_servers(url, mixed, options, deadline)
    return result
