"""The machinery every public filtered list shares: a django-filter FilterSet over a published
queryset, facet counts that follow the active filters, and pagination that never fails.

Both apps' list views use it; it lives here so that `regulators` need not import `items`.
"""

import functools

import django_filters
from django import forms
from django.db.models import Count
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.views.generic import ListView

from digest_site.content_cache import cached, in_order


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several slugs of one facet combine with OR: ?regulator=cac&regulator=miit."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", True)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def get_filter_predicate(self, v):
        # django-filter would compare the relation with the slug string; compare with the record.
        return {self.field_name: v}


class Facet:
    """One facet of a list: the filter it drives and how to read its values and labels.

    `path` is the ORM path of the value the filter takes (e.g. "regulators__slug");
    `label_paths` are read in the same query to label each value (e.g. abbreviation, name);
    `choices` (for choice fields) gives labels without a join.
    """

    def __init__(self, name, path, label_paths=(), choices=None, limit=None):
        self.name = name
        self.path = path
        self.label_paths = tuple(label_paths)
        self.choices = dict(choices) if choices else None
        self.limit = limit

    def label_for(self, row):
        if self.choices is not None:
            return str(self.choices.get(row[self.path], row[self.path]))
        for path in self.label_paths:
            if row.get(path):
                return row[path]
        return row[self.path]


def queryset_without(filterset, excluded_name):
    """The filterset's queryset with every valid filter applied except `excluded_name`."""
    queryset = filterset.queryset
    if not filterset.is_bound:
        return queryset
    for name, value in filterset.form.cleaned_data.items():
        if name == excluded_name or name not in filterset.filters or name == "o":
            continue
        queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def facet_options(filterset, facet):
    """Counts for each value of `facet`, computed in one query over the other active filters.

    Several values of one facet combine with OR, so a facet's own selection does not narrow its
    counts; every other active filter does.
    """
    queryset = queryset_without(filterset, facet.name)
    rows = (
        queryset.order_by()
        .values(facet.path, *facet.label_paths)
        .annotate(total=Count("pk", distinct=True))
        .order_by("-total", facet.path)
    )
    selected = {str(value) for value in filterset.data.getlist(facet.name)} if filterset.is_bound else set()
    options, seen = [], set()
    for row in rows:
        value = row[facet.path]
        if value in (None, "") or value in seen:
            continue
        seen.add(value)
        options.append(
            {"value": value, "label": facet.label_for(row), "count": row["total"], "selected": str(value) in selected}
        )
    if facet.limit:
        options = [o for i, o in enumerate(options) if i < facet.limit or o["selected"]]
    # A chosen value with no rows left under the other filters stays visible (and ticked).
    for value in sorted(selected - {str(value) for value in seen}):
        options.append(
            {
                "value": value,
                "label": facet.choices.get(value, value) if facet.choices else value,
                "count": 0,
                "selected": True,
            }
        )
    return options


class ForgivingPaginationMixin:
    """A ListView whose bad or too-high ?page= shows a message and an empty page, not a 404."""

    page_error = ""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page", "1")
        self.page_error = ""
        try:
            number = int(raw)
            if number < 1:
                raise ValueError
        except ValueError:
            self.page_error = _("“%(page)s” is not a page number.") % {"page": raw[:20]}
            number = 1
        if number > paginator.num_pages:
            self.page_error = _("There is no page %(page)s; the last page is %(last)s.") % {
                "page": number,
                "last": paginator.num_pages,
            }
            return paginator, None, [], paginator.num_pages > 1
        page = self.get_page(paginator, number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_page(self, paginator, number):
        return paginator.page(number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # paginates, which sets page_error
        context["page_error"] = self.page_error
        return context


class FilteredListView(ForgivingPaginationMixin, ListView):
    """A ListView driven by a FilterSet, with facets and forgiving pagination.

    Subclasses set `filterset_class`, `facets` and implement `get_base_queryset()` (always
    starting from `published()`).
    """

    filterset_class = None
    facets = ()
    paginate_by = 25

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=self.get_base_queryset())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def cache_parts(self, *more):
        """What a cached read of this list depends on besides the content: the list and its filters."""
        query = sorted((key, sorted(values)) for key, values in self.request.GET.lists() if key != "page")
        return (type(self).__module__, type(self).__qualname__, query, *more)

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        # The total, from the cache while the content is unchanged (a COUNT over the filtered,
        # joined rows is the dearest query of a list).
        paginator.count = cached("list-count", self.cache_parts(), queryset.count)
        return paginator

    def get_page(self, paginator, number):
        """The page's rows: their ids from the cache, then the rows themselves by id."""
        queryset = paginator.object_list
        bottom = (number - 1) * paginator.per_page
        top = bottom + paginator.per_page
        if top + paginator.orphans >= paginator.count:
            top = paginator.count
        ids = cached(
            "list-page",
            self.cache_parts(paginator.per_page, number),
            lambda: list(queryset.values_list("pk", flat=True)[bottom:top]),
        )
        return paginator._get_page(in_order(queryset, ids), number, paginator)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        context["filter"] = self.filterset
        context["facets"] = (
            [
                {
                    "name": facet.name,
                    "label": self.filterset.filters[facet.name].label,
                    "options": cached(
                        "list-facet",
                        self.cache_parts(facet.name),
                        functools.partial(facet_options, self.filterset, facet),
                    ),
                }
                for facet in self.facets
            ]
            if valid
            else []
        )
        context["facet_names"] = [facet.name for facet in self.facets]
        query = QueryDict(mutable=True)
        for key, values in self.request.GET.lists():
            if key != "page":
                query.setlist(key, values)
        context["query_string"] = query.urlencode()
        context["has_filters"] = bool(context["query_string"])
        return context
