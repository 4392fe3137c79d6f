"""The report: the tables printed and written to RESULTS.md."""

import datetime
import statistics
import time
import urllib.parse

from benchmarks.config import BENCH, CLIENT_CORE, ERROR_KINDS, JUDGED_ROWS, SERVER_CORE
from benchmarks.machine import machine, versions
from benchmarks.peers import ds_url


def med(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ms(seconds):
    return "—" if seconds is None else f"{seconds * 1000:.1f}"


def ratio(a, b):
    return "—" if a is None or not b else f"{a / b:.2f}"


def fmt(value):
    return "—" if value is None else f"{value:.1f}"


def page_rows(result):
    """One row per page, with the targets judged."""
    rows = []
    sql = result.get("sql", {})
    latency = result.get("latency", {})
    first_p50 = None
    for page in result.get("pages", []):
        figures = latency.get(page["key"], {})
        ours_p50 = med([m["p50"] for m in figures.get("ours", [])])
        ours_p95 = med([m["p95"] for m in figures.get("ours", [])])
        rendered_p50 = med([m["p50"] for m in figures.get("rendered", [])])
        rendered_p95 = med([m["p95"] for m in figures.get("rendered", [])])
        peer_p50 = med([m["p50"] for m in figures.get("peer", [])])
        static_p50 = med([m["p50"] for m in figures.get("static", [])])
        sql_s = sql.get(page["key"], {}).get("sql_median_s")
        floor = static_p50 + (sql_s or 0) if static_p50 is not None else None
        if page["key"] == "enf_first":
            first_p50 = ours_p50
        misses = []
        if ours_p50 is None:
            misses.append("not measured")
        else:
            if page.get("status") != 200:
                misses.append(f"HTTP {page.get('status')}")
            if ours_p95 is not None and ours_p95 >= 0.100:
                misses.append("p95 ≥ 100 ms")
            if page["kind"] == "list":
                if peer_p50 is not None and ours_p50 > peer_p50:
                    misses.append("slower than Datasette")
                if floor and ours_p50 > 2 * floor:
                    misses.append("> 2× floor")
            if page["key"] == "enf_last" and first_p50 and ours_p50 > 1.5 * first_p50:
                misses.append("last page > 1.5× first")
            if page["key"].startswith("search") and result["database"] == "postgresql" and ours_p50 >= 0.100:
                misses.append("search p50 ≥ 100 ms")
        rows.append(
            {
                "label": page["label"],
                "kind": page["kind"],
                "ours_p50": ours_p50,
                "ours_p95": ours_p95,
                "rendered_p50": rendered_p50,
                "rendered_p95": rendered_p95,
                "peer_p50": peer_p50,
                "sql_s": sql_s,
                "queries": sql.get(page["key"], {}).get("queries"),
                "static_p50": static_p50,
                "floor": floor,
                "met": "yes" if not misses else "no: " + ", ".join(misses),
            }
        )
    return rows


def latency_table(result):
    lines = [
        "| page | ours p50 ms | ours p95 ms | Datasette p50 ms | ratio ours/Datasette | SQL floor ms (queries) "
        "| static floor ms | ours/(static+SQL) | target met? | rendered p50 / p95 ms |",
        "|" + "---|" * 10,
    ]
    for row in page_rows(result):
        queries = row["queries"] if row["queries"] is not None else "—"
        lines.append(
            f"| {row['label']}{' (list)' if row['kind'] == 'list' else ''} "
            f"| {ms(row['ours_p50'])} | {ms(row['ours_p95'])} | {ms(row['peer_p50'])} "
            f"| {ratio(row['ours_p50'], row['peer_p50'])} | {ms(row['sql_s'])} ({queries}) | {ms(row['static_p50'])} "
            f"| {ratio(row['ours_p50'], row['floor'])} | {row['met']} "
            f"| {ms(row['rendered_p50'])} / {ms(row['rendered_p95'])} |"
        )
    return "\n".join(lines)


def export_table(result):
    lines = [
        "| export | server | rows | runs | time s | rows/s | first byte ms | streamed | peak RSS growth MB "
        "| target met? |",
        "|" + "---|" * 10,
    ]
    sql = result.get("sql", {})
    for export in result.get("exports", []):
        figures = result["export_results"][export["key"]]
        for who in ("ours", "peer"):
            runs = figures.get(who, [])
            if not runs:
                continue
            rows = runs[-1]["rows"]
            seconds = med([r["seconds"] for r in runs])
            rate = med([r["rows_per_s"] for r in runs])
            ttfb = med([r["ttfb"] for r in runs])
            growth = med([r["rss_growth_mb"] for r in runs])
            streamed = all(r["streamed"] for r in runs)
            met = "—"
            label = export["label"]
            if who == "ours":
                misses = []
                if not streamed:
                    misses.append("not streamed")
                if any(r["status"] != 200 for r in runs):
                    misses.append("HTTP error")
                if growth is not None and growth >= 50:
                    misses.append("RSS growth ≥ 50 MB")
                if rows >= JUDGED_ROWS and rate < 50_000:
                    misses.append("< 50,000 rows/s")
                if misses:
                    met = "no: " + ", ".join(misses)
                elif rows < JUDGED_ROWS:
                    met = f"(rows/s not judged under {JUDGED_ROWS:,} rows)"
                else:
                    met = "yes"
                floor = sql.get(export["key"])
                if floor:
                    label += f"; SQL floor {floor['sql_median_s']:.2f} s in {floor['queries']} queries"
                if seconds > 30:
                    label += "; longer than gunicorn's default 30 s worker timeout"
            lines.append(
                f"| {label} | {'ours' if who == 'ours' else 'Datasette'} | {rows} | {len(runs)} | {seconds:.2f} "
                f"| {rate:,.0f} | {ttfb * 1000:.0f} | {'yes' if streamed else 'no'} "
                f"| {'—' if growth is None else f'{growth:.1f}'} | {met} |"
            )
    return "\n".join(lines)


def two_server_text(result):
    two = result.get("two_servers")
    if not two:
        return ""
    if two.get("skipped"):
        return f"Two app servers: skipped ({two['skipped']})."
    one_rps = med([r["rps"] for r in two.get("one", [])])
    two_rps = med([r["rps"] for r in two.get("two", [])])
    runs = two.get("one", []) + two.get("two", [])
    errors = {kind: sum(r["errors"][kind] for r in runs) for kind in ERROR_KINDS}
    same = two["same_pages"]
    state = two["shared_state"]
    workers = two.get("workers")
    lines = [
        "| set-up | requests/s (median) | p50 latency ms under load |",
        "|---|---|---|",
        f"| one server ({workers} workers, core 0) | {fmt(one_rps)} | {fmt(med([r['p50_ms'] for r in two['one']]))} |",
        f"| two servers ({workers} workers each, cores 0 and 1) | {fmt(two_rps)} "
        f"| {fmt(med([r['p50_ms'] for r in two['two']]))} |",
        "",
    ]
    if one_rps and two_rps:
        lines.append(f"Gain: ×{two_rps / one_rps:.2f} with the second server.")
    lines += [
        f"Load generator: {two['load_generator']}, 16 connections in all, {len(two['paths'])} mixed pages in turn "
        f"({options_seconds(two)}); errors: " + ", ".join(f"{count} {kind}" for kind, count in errors.items()) + ".",
        f"Same pages: {same['same']}/{same['total']} URLs gave identical bodies from both servers (CSRF token and "
        "the server's own port aside)" + (f"; differing: {', '.join(same['differing'])}" if same["differing"] else "."),
        f"Shared state: a session written through A read through B: {'yes' if state['session'] else 'NO'}; "
        f"a cache entry: {'yes' if state['cache'] else 'NO'} (cache backend {state['backend']}).",
        "Mixed pages: " + ", ".join(f"`{path}`" for path in two["paths"]) + ".",
    ]
    for name, runs in (("one server", two.get("one", [])), ("two servers", two.get("two", []))):
        shares = [run["cpu_share"] for run in runs if "cpu_share" in run]
        if shares:
            parts = [f"{group} {med([share[group] for share in shares]) * 100:.0f} %" for group in shares[0]]
            lines.append(f"Share of the 2 cores during the load, {name}: " + ", ".join(parts) + ".")
    return "\n".join(lines)


def options_seconds(two):
    return f"{two['seconds']} s a run" if "seconds" in two else "per run"


def mapping_text(result):
    lines = ["| page | our URL | Datasette URL | same rows? |", "|---|---|---|---|"]
    for page in result.get("pages", []):
        check = page.get("rows_check")
        lines.append(
            f"| {page['label']} | `{page['url']}` | `{urllib.parse.unquote(ds_url(page))}` — {page.get('ds_note', '')} "
            f"| {check['text'] if check else '—'} |"
        )
    for export in result.get("exports", []):
        lines.append(f"| {export['label']} | `{export['url']}` | `{urllib.parse.unquote(ds_url(export))}` | — |")
    return "\n".join(lines)


def breakdown_text(result):
    """Where the time goes in one in-process request: the raw SQL floor, template rendering
    (less the SQL run while rendering), and the rest (view, ORM object building, middleware)."""
    lines = [
        "| page | queries | in-process request ms | raw SQL ms | template ms | rest ms (view, ORM, middleware) "
        "| slowest statement ms | requests a run (ours) | cold: queries | cold: in-process ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    latency = result.get("latency", {})
    for key, figure in result.get("sql", {}).items():
        total = figure["inprocess_median_s"] * 1000
        sql_ms = figure["sql_median_s"] * 1000
        template_ms = figure.get("template_median_s", 0) * 1000
        rest_ms = max(0.0, total - sql_ms - template_ms)  # the SQL replay can exceed it by noise
        slowest = figure["slowest"][0]["ms"] if figure["slowest"] else 0
        counts = [m["n"] for m in latency.get(key, {}).get("ours", [])]
        lines.append(
            f"| {key} | {figure['queries']} | {total:.1f} | {sql_ms:.1f} | {template_ms:.1f} | {rest_ms:.1f} "
            f"| {slowest:.1f} | {'/'.join(str(c) for c in counts) or '—'} "
            f"| {figure.get('cold_queries', '—')} | {figure.get('inprocess_cold_median_s', 0) * 1000:.1f} |"
        )
    lines.append(
        "\nThe page figures above are of a site whose cache holds the page's counts, facets, charts and "
        "row ids, as it does after the first reader: cached reads are keyed by the content version, which "
        "every change replaces (`core/content_cache.py`). The two **cold** columns are the page asked "
        "for the first time after a change: every count, facet and chart computed afresh."
    )
    return "\n".join(lines)


def data_text(result):
    stamp = result.get("stamp") or {}
    counts = result.get("params", {}).get("counts", {})
    parts = [
        f"Data: {stamp.get('source')} ({' '.join(stamp.get('args', []))}), built {stamp.get('built_at')}; "
        f"{counts.get('news_items')} items ({counts.get('published_items')} published), "
        f"{counts.get('issues')} issues, {counts.get('actions')} enforcement actions "
        f"({counts.get('published_actions')} published), {counts.get('instruments')} instruments, "
        f"{counts.get('regulators')} regulators; database size {result.get('db_size_mb', 0):.0f} MB."
    ]
    if stamp.get("source") == "generator":
        fill = stamp.get("fill_seconds")
        verdict = "met" if fill is not None and fill < 120 else "MISSED"
        extra = f", VACUUM ANALYZE {stamp.get('analyze_seconds')} s" if result["database"] == "postgresql" else ""
        parts.append(
            f"Generator: {fill} s to fill (target < 120 s: {verdict}), migrate {stamp.get('migrate_seconds')} s{extra}."
        )
    elif stamp:
        parts.append("The generator (items/management/commands/generate_demo_data.py) was absent: seed fixtures only.")
    if result.get("cut"):
        parts.append("**The overall time box was reached: some runs were skipped.**")
    return "\n".join(parts)


def write_results(results, options, started, code):
    now = datetime.datetime.now().astimezone()
    info = machine()
    found = versions()
    profile = options.profile
    lines = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run.py` on {now:%Y-%m-%d %H:%M %Z} in {time.monotonic() - started:.0f} s. "
        f"Command: `{options.command_line}`. How to read it: [README.md](README.md).",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']:.1f} GiB RAM, Linux {info['kernel']}.",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in found.items()) + ".",
        f"Code: {code}.",
        "",
        f"Method: gunicorn ({options.workers} sync workers, DJANGO_ENV=production, DEBUG off) and Datasette pinned "
        f"to core {SERVER_CORE}; the client on core {CLIENT_CORE}; sequential requests, a new connection each; per "
        f"page and server up to {profile['max_n']} requests or {profile['max_s']} s (at least {profile['min_n']}, or "
        f"3 for pages slower than 1 s) after up to {profile['warmup']} warm-up requests; every figure is the median "
        f"over {options.runs} run(s). Cache: Redis when it answers (it did: "
        f"{', '.join(r['database'] + ' ' + r.get('cache', '?') for r in results)}), as in production. "
        '"ours" is an anonymous reader, who is given the page kept for this content version '
        '(core/page_cache.py); "rendered" is the same page asked with a session cookie, '
        "rendered for that reader from the cached counts, facets and fragments.",
        "",
    ]
    for result in results:
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
        lines += [f"## {name}", "", data_text(result), ""]
        if result.get("error"):
            lines += [f"**Not measured:** {result['error']}", ""]
            continue
        lines += ["### Pages", "", latency_table(result), ""]
        lines += ["### Enforcement CSV", "", export_table(result), ""]
        if result.get("two_servers"):
            lines += ["### Two app servers on one PostgreSQL and Redis", "", two_server_text(result), ""]
        lines += [
            "### Where the time goes (in-process, one request, production settings)",
            "",
            breakdown_text(result),
            "",
            f"Every statement with its time: `benchmarks/.data/queries-{result['database']}.json`.",
            "",
        ]
        if result["database"] == "sqlite" and result.get("pages"):
            lines += ["### Datasette equivalents", "", mapping_text(result), ""]
        elif result.get("pages"):
            lines += ["### Pages measured", ""] + [f"- {p['label']}: `{p['url']}`" for p in result["pages"]] + [""]
    text = "\n".join(lines)
    (BENCH / options.results).write_text(text)
    return text
