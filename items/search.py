"""Full-text search over news items, in English and Chinese.

On PostgreSQL, English text is matched with full-text search (stemming, ranking) backed by a GIN
index on the same expression (migration 0003); Chinese text, which stock PostgreSQL cannot
parse into words, is matched as a substring backed by a trigram index. On SQLite every word of
the query must appear in the headline or body, in either language.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

MAX_QUERY_LENGTH = 200
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Must stay identical to the indexed expression in migration 0003, or the index goes unused.
ENGLISH_VECTOR = SearchVector("headline", "body", config="english")


def has_chinese(text):
    return bool(CJK.search(text))


def search_items(queryset, query):
    """Narrow a NewsItem queryset (already published()) to those matching `query`, best first."""
    query = query.strip()
    if not query:
        return queryset.none()
    if has_chinese(query):
        words = query.split()
        condition = Q()
        for word in words:
            condition &= Q(headline_zh__icontains=word) | Q(body_zh__icontains=word)
        return queryset.filter(condition).order_by("-event_date", "-pk")
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config="english", search_type="websearch")
        return (
            # alias(), not annotate(): the vector is matched (through the index), never selected.
            queryset.alias(search=ENGLISH_VECTOR)
            .filter(search=search_query)
            .annotate(rank=SearchRank(ENGLISH_VECTOR, search_query))
            .order_by("-rank", "-event_date", "-pk")
        )
    condition = Q()
    for word in query.split():
        condition &= Q(headline__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition).order_by("-event_date", "-pk")
