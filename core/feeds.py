"""The feed of a filtered public list, shared by every app's feeds (items/feeds.py, regulators/feeds.py).

A filtered feed takes the query string of its list page and reads the rows through that page's
`PublicList`, so `/enforcement/feed/rss/?regulator=miit` lists exactly what
`/enforcement/?regulator=miit` lists, in the same order; invalid filters give an empty feed.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet


def with_query_string(path, query_string):
    return f"{path}?{query_string}" if query_string else path


@dataclass
class FilteredList:
    """The rows a list page shows for one query string (without its page number)."""

    rows: QuerySet
    query_string: str
    feed_path: str


class FilteredListFeed(Feed):
    """A feed of a filtered public list page: same query string, same rows, same order."""

    public_list = None
    limit = 50

    def get_object(self, request, *args, **kwargs):
        query = request.GET.copy()
        query.pop("page", None)
        # The page's own list: published(), its FilterSet (strict: invalid input gives no rows,
        # never unfiltered ones) and its ordering, so the feed cannot drift from the page.
        rows = self.public_list.filtered(query)
        return FilteredList(rows=rows, query_string=query.urlencode(), feed_path=request.path)

    def items(self, listing):
        return listing.rows[: self.limit]

    def link(self, listing):
        return self.public_list.url(listing.query_string)

    def feed_url(self, listing):
        return with_query_string(listing.feed_path, listing.query_string)
