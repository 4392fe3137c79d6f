"""Browser tests: Playwright driving the machine's Chromium (Debian's package), headless."""

import os
import shutil
from pathlib import Path

import pytest

from tests.seed_data import load_seeds

# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


@pytest.fixture
def seeded_site(live_server, transactional_db):
    """The live server with the five seed newsletters loaded (on the sections and groups that
    tests/conftest.py puts back before each transactional test)."""
    load_seeds()
    return live_server


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name, width=1280, height=900):
        page.set_viewport_size({"width": width, "height": height})
        path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
