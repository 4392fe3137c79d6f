"""The code measured: a snapshot of the work tree, so edits made during a run do not mix two versions."""

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

from benchmarks import config
from benchmarks.config import DATA, PYTHON, ROOT, SNAPSHOT, SNAPSHOT_IGNORE, log
from benchmarks.servers import django_env, run_command


def sources_digest(root):
    """A short hash of the code that serves pages (Python, templates, static files, messages)."""
    skip = {".venv", ".git", ".data", "benchmarks", "node_modules", "staticfiles", "test-results", "__pycache__"}
    skip |= {".ruff_cache", ".pytest_cache", "media"}
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root, onerror=lambda _error: None):
        folders[:] = sorted(name for name in folders if name not in skip)
        for name in sorted(files):
            if Path(name).suffix in (".py", ".html", ".css", ".js", ".txt", ".po"):
                path = Path(folder) / name
                with contextlib.suppress(OSError):
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def take_snapshot():
    """Copies the work tree (without .venv, .git, data) to benchmarks/.data/snapshot and serves
    from there, so that the whole run measures one version of the code."""
    if SNAPSHOT.exists():
        shutil.rmtree(SNAPSHOT)
    try:
        shutil.copytree(ROOT, SNAPSHOT, ignore=shutil.ignore_patterns(*SNAPSHOT_IGNORE), symlinks=True)
    except shutil.Error as error:  # files that vanished while being copied (others' temporary files)
        log(f"! {len(error.args[0])} file(s) could not be copied into the snapshot (they changed meanwhile)")
    config.RUN_ROOT = SNAPSHOT
    return sources_digest(SNAPSHOT)


def collectstatic():
    env = django_env(f"sqlite:///{DATA / 'collectstatic.db'}")
    run_command(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "--clear", "-v", "0"],
        env,
        300,
        "collectstatic",
        log_name="collectstatic",
    )
