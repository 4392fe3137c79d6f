"""Helpers of the newsletter importer's tests: the seed newsletters, and what an import writes."""

from pathlib import Path

import pytest
from django.conf import settings

from items.models import EnforcementAction, Issue, NewsItem, PublicIdCounter, Series, Source

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "newsletters"


def seed_text(name):
    path = SEEDS_DIR / name
    if not path.exists():
        pytest.skip(f"The seed newsletters are not beside the project ({SEEDS_DIR}).")
    return path.read_text(encoding="utf-8")


def counts():
    return (
        Issue.objects.count(),
        NewsItem.objects.count(),
        Source.objects.count(),
        EnforcementAction.objects.count(),
        Series.objects.count(),
        PublicIdCounter.objects.count(),
    )
