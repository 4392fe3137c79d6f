"""Full-text search over news items, in English and Chinese.

On PostgreSQL, English text is matched with full-text search (stemming, ranking) against a stored,
generated vector column with a GIN index (migration 0008); Chinese text, which stock PostgreSQL cannot
parse into words, is matched as a substring backed by a trigram index. On SQLite every word of
the query must appear in the headline or body, in either language.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q

MAX_QUERY_LENGTH = 200
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class StoredSearchVector(Expression):
    """The news item's stored English vector: the column `search_vector` that PostgreSQL
    generates from the headline and body (migration 0008). It is not a model field, so Django
    never writes it; this expression names it with the query's own alias for the item table,
    and follows that alias when the query becomes a subquery."""

    output_field = SearchVectorField()

    def __init__(self, alias=None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name('search_vector')}", []

    def get_group_by_cols(self):
        return [self]


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
            queryset.alias(search=StoredSearchVector())
            .filter(search=search_query)
            .annotate(rank=SearchRank(StoredSearchVector(), search_query))
            .order_by("-rank", "-event_date", "-pk")
        )
    condition = Q()
    for word in query.split():
        condition &= Q(headline__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition).order_by("-event_date", "-pk")
