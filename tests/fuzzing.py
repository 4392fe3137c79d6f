"""Hostile query strings for the public lists (hypothesis), and the draft they must never show."""

from urllib.parse import quote

from hypothesis import strategies as st

from items.models import Issue
from tests.factories import EnforcementActionFactory, IssueFactory, NewsItemFactory, RegulatorFactory

KNOWN_KEYS = [
    "regulator",
    "jurisdiction",
    "action_type",
    "decided_after",
    "decided_before",
    "fine_min",
    "fine_max",
    "target",
    "sector",
    "legal_basis",
    "violation",
    "organisation",
    "currency",
    "o",
    "page",
    "q",
    "section",
    "instrument",
    "topic",
    "date_after",
    "date_before",
    "kind",
    "status",
    "issuer",
    "open_on",
    "effective_after",
    "effective_before",
]
CRAFTED_KEYS = [
    "news_item__issue__status",
    "target__news_item__issue__status",
    "regulators__slug__in",
    "o",
]
HOSTILE_VALUES = [
    "-created_by__password",
    "news_item__issue__status",
    "draft",
    "\x00",
    "%00",
    "' OR 1=1 --",
    "x" * 10_000,
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "2021-02-30",
    "0000-00-00",
    "人脸识别",
    "<script>alert(1)</script>",
]

keys = st.one_of(st.sampled_from(KNOWN_KEYS + CRAFTED_KEYS), st.text(min_size=1, max_size=30))
values = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=60), st.integers().map(str))
query_strings = st.lists(st.tuples(keys, values), max_size=6).map(
    lambda pairs: "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)
)

DRAFT_MARK = "Confidential draft headline"


def plant_archive():
    """One published fine and one draft whose headline and target carry DRAFT_MARK (both CAC)."""
    regulator = RegulatorFactory(slug="cac", abbreviation="CAC")
    EnforcementActionFactory().regulators.add(regulator)
    draft = NewsItemFactory(issue=IssueFactory(status=Issue.Status.DRAFT), headline=DRAFT_MARK)
    EnforcementActionFactory(news_item=draft, target=DRAFT_MARK).regulators.add(regulator)
