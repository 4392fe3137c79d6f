"""The peer: Datasette serving the same SQLite file, and checks that its pages show our rows."""

import json
import os
import re

from benchmarks.config import PAGE_SIZE, SERVER_CORE, VENV_BIN, BenchError
from benchmarks.latency import fetch
from benchmarks.pages import q
from benchmarks.servers import Server


def datasette_server(port, sqlite_file):
    settings = {
        "default_page_size": str(PAGE_SIZE),
        "suggest_facets": "off",
        "sql_time_limit_ms": "20000",
        "facet_time_limit_ms": "20000",
        "max_returned_rows": "1000",
        "allow_csv_stream": "on",
    }
    command = [str(VENV_BIN / "datasette"), "serve", str(sqlite_file), "--host", "127.0.0.1", "--port", str(port)]
    for name, value in settings.items():
        command += ["--setting", name, value]
    return Server("datasette", command, port, dict(os.environ), SERVER_CORE, "/-/versions.json")


def ds_url(page):
    return page["ds_path"] + ("?" + q(page["ds_query"]) if page["ds_query"] else "")


def resolve_datasette_offsets(port, pages):
    """Deep pages: walk Datasette's JSON with its keyset tokens to the row offset of our page."""
    for page in pages:
        offset = page.get("ds_offset")
        if not offset:
            continue
        base = [(k, v) for k, v in page["ds_query"] if k not in ("_facet", "_size")]
        token, remaining = None, offset
        while remaining > 0:
            size = min(1000, remaining)
            query = [*base, ("_size", str(size))] + ([("_next", token)] if token else [])
            status, body, _elapsed, _headers = fetch(port, page["ds_path"] + ".json?" + q(query))
            if status != 200:
                raise BenchError(f"Datasette answered {status} while paging to offset {offset}: {body[:300]!r}")
            token = json.loads(body).get("next")
            remaining -= size
            if token is None:
                break
        if token:
            page["ds_query"] = [*page["ds_query"], ("_next", token)]


def check_rows(ours_port, ds_port, page):
    """Do our page and Datasette's show the same rows? Compares the record keys on both pages."""
    if "check" not in page:
        return None
    _what, pattern, column = page["check"]
    _status, body, _elapsed, _headers = fetch(ours_port, page["url"])
    ours = re.findall(pattern, body.decode(errors="replace"))
    query = [(k, v) for k, v in page["ds_query"] if k != "_facet"] + [("_shape", "objects")]
    ds_status, ds_body, _elapsed, _headers = fetch(ds_port, page["ds_path"] + ".json?" + q(query))
    if ds_status != 200:
        return {"ok": False, "text": f"Datasette JSON answered {ds_status}"}
    theirs = [str(row[column]) for row in json.loads(ds_body).get("rows", [])]
    ours, theirs = set(ours), set(theirs)
    if ours == theirs:
        return {"ok": True, "text": f"same {len(ours)} rows"}
    if theirs < ours:
        extra = len(ours - theirs)
        return {"ok": True, "text": f"same {len(theirs)} rows (our page links {extra} more such record(s) elsewhere)"}
    return {
        "ok": False,
        "text": f"ours {len(ours)}, Datasette {len(theirs)}, in common {len(ours & theirs)} "
        "(rows tied on the sort date are ordered by id the other way round)",
    }
