"""Item search: what it finds, in what order, and (on PostgreSQL) through the stored vector."""

import pytest
from django.db import connection

from items.models import Issue, NewsItem
from items.search import search_items
from tests.factories import IssueFactory, NewsItemFactory, RegulatorFactory

pytestmark = pytest.mark.django_db


def headlines(queryset):
    return [item.headline for item in queryset]


def test_search_finds_published_items_by_headline_or_body_and_never_drafts():
    NewsItemFactory(headline="Regulator fines a ride-hailing platform", body="Data export review.")
    NewsItemFactory(headline="New standard", body="The platform fines were announced.")
    NewsItemFactory(issue=IssueFactory(status=Issue.Status.DRAFT), headline="Draft: platform fines")
    NewsItemFactory(headline="Unrelated news", body="Nothing to see.")
    found = headlines(search_items(NewsItem.objects.published(), "platform fines"))
    assert sorted(found) == ["New standard", "Regulator fines a ride-hailing platform"]


def test_a_search_sees_an_edited_headline_at_once():
    item = NewsItemFactory(headline="Old words", body="")
    assert headlines(search_items(NewsItem.objects.published(), "lighthouse")) == []
    item.headline = "Lighthouse inspection"
    item.save()
    assert headlines(search_items(NewsItem.objects.published(), "lighthouse")) == ["Lighthouse inspection"]


def test_search_combined_with_a_facet_filter_and_counted_as_a_subquery():
    cac = RegulatorFactory(slug="cac")
    kept = NewsItemFactory(headline="Biometric data rules")
    kept.regulators.add(cac)
    NewsItemFactory(headline="Biometric data elsewhere")
    found = search_items(NewsItem.objects.published(), "biometric").filter(regulators=cac).distinct()
    assert headlines(found) == ["Biometric data rules"]
    # The search used inside another query (its item table then has another alias).
    outer = NewsItem.objects.filter(pk__in=search_items(NewsItem.objects.published(), "biometric").values("pk"))
    assert outer.count() == 2


def test_more_relevant_items_come_first_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's; SQLite orders matches by date")
    NewsItemFactory(headline="Minor note", body="A passing mention of encryption.")
    NewsItemFactory(headline="Encryption law: encryption rules for encryption products", body="Encryption.")
    assert headlines(search_items(NewsItem.objects.published(), "encryption"))[0].startswith("Encryption law")


def test_postgresql_search_reads_the_stored_vector_through_its_index():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    NewsItemFactory(headline="Cross-border data transfer")
    queryset = search_items(NewsItem.objects.all(), "transfer")
    with connection.cursor() as cursor:  # a few rows: make the planner show what it could use
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "newsitem_search_vector_idx" in plan
    assert "to_tsvector" not in str(queryset.query)  # read from the column, not computed per row
