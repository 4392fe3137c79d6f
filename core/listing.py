"""The machinery every public filtered list shares: a django-filter FilterSet over a published
queryset, facet counts that follow the active filters (core/facets.py), and pagination that
never fails.

Both apps' list views use it; it lives here so that `regulators` need not import `items`.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView
from django_filters.widgets import SuffixedMultiWidget

from core.content_cache import RowsById, cached, cached_each, canonical_query, declare_query, query_timeout
from core.facets import facets_options
from core.trees import ParentTree


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


class SubtreeMultipleChoiceFilter(SlugMultipleChoiceFilter):
    """Slugs of records that have offices or companies under them (a `parent` field): each slug
    matches its record and every record under it, at any depth (?regulator=cac: the CAC and its
    provincial and municipal offices). The tree is read once for the filter (core.trees)."""

    def __init__(self, *args, parent_field="parent", **kwargs):
        self.parent_field = parent_field
        super().__init__(*args, **kwargs)

    def members(self, chosen):
        """The ids of the chosen records and of every record under them."""
        key = tuple(sorted(record.pk for record in chosen))
        if getattr(self, "_members", (None,))[0] != key:
            related_model = self.model._meta.get_field(self.field_name).related_model
            self._members = (key, ParentTree.of(related_model, self.parent_field).subtrees(key))
        return self._members[1]

    def filter(self, qs, value):
        if not value:
            return qs
        qs = qs.filter(**{f"{self.field_name}__in": self.members(value)})
        return qs.distinct() if self.distinct else qs


class JurisdictionFilter(django_filters.MultipleChoiceFilter):
    """Jurisdiction codes; "CN" also matches its subdivisions (CN-ZJ, CN-SH…)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for code in value:
            condition |= Q(**{self.field_name: code}) | Q(**{f"{self.field_name}__startswith": f"{code}-"})
        return qs.filter(condition)


class PublicList:
    """One public list, defined once: the rows it may show, how they are filtered and faceted, its page.

    `rows` returns the list's published queryset in its order (always starting from
    `published()`, or from a public reference table). The page, its feeds and CSV, the API,
    alerts and `warm_pages` all read the list through this object, so none can drift from
    another. Each app keeps its lists in `lists.py`.
    """

    def __init__(self, name, rows, filterset_class, url_name, facets=()):
        self.name = name
        self.rows = rows
        self.filterset_class = filterset_class
        self.url_name = url_name
        self.facets = tuple(facets)

    def __repr__(self):
        return f"<PublicList {self.name}>"

    def filterset(self, data=None):
        """The list's FilterSet over its rows; `data` is a QueryDict, a query string, or None (unbound)."""
        if isinstance(data, str):
            data = QueryDict(data)
        return self.filterset_class(data, queryset=self.rows())

    def filtered(self, data=None):
        """The rows the filters in `data` select: none at all (never every row) when one is invalid."""
        filterset = self.filterset(data)
        if filterset.is_bound and not filterset.is_valid():
            return filterset.queryset.none()
        return filterset.qs

    def url(self, query_string=""):
        url = reverse(self.url_name)
        return f"{url}?{query_string}" if query_string else url

    def variant(self, name, url_name):
        """The same list shown on another page (search is the item list led by its words)."""
        return PublicList(name, self.rows, self.filterset_class, url_name, self.facets)


def field_query_names(form, name):
    """The query parameters one filter reads: a range field reads two (`fine_min`, `fine_max`)."""
    widget = form.fields[name].widget
    if isinstance(widget, SuffixedMultiWidget):
        return [widget.suffixed(name, suffix) for suffix in widget.suffixes]
    if isinstance(widget, forms.MultiWidget):
        return [f"{name}{suffix}" for suffix in widget.widgets_names]
    return [name]


def query_names(form):
    """The query parameters a filter form reads."""
    return [key for name in form.fields for key in field_query_names(form, name)]


def without_invalid_filters(filterset):
    """The filterset's query without the parameters of its invalid filters."""
    data = filterset.data.copy()
    for name in filterset.form.errors:
        for key in field_query_names(filterset.form, name) if name in filterset.form.fields else ():
            data.pop(key, None)
    return data


def active_filters(request, form, facets):
    """The filters in use, one chip per value: its label, its value as the reader reads it, and
    the address of the same page without it (sorting is kept; it filters nothing)."""
    facet_labels = {(facet["name"], str(o["value"])): o["label"] for facet in facets for o in facet["options"]}
    keys = {}
    for name, field in form.fields.items():
        if name == "o":
            continue
        for key in field_query_names(form, name):
            keys[key] = (name, field)
    chips = []
    for key, values in request.GET.lists():
        if key not in keys:
            continue
        name, field = keys[key]
        # Plain choices label a value without a query; a record's label comes from its facet.
        is_plain_choice = isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField)
        choices = {str(value): label for value, label in field.choices} if is_plain_choice else {}
        for value in dict.fromkeys(value.strip() for value in values if value.strip()):
            remaining = request.GET.copy()
            remaining.setlist(key, [other for other in values if other.strip() != value])
            remaining.pop("page", None)
            label = field.label
            if key != name:
                label = f"{label} ({key.removeprefix(name).strip('_')})"
            chips.append(
                {
                    "label": label,
                    "value": facet_labels.get((name, value)) or choices.get(value) or value,
                    "remove_url": f"?{remaining.urlencode()}",
                }
            )
    return chips


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
        if raw == str(number):  # "page=01" is answered, but only its plain spelling is kept
            declare_query(self.request, ["page"])
        page = self.get_page(paginator, number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_page(self, paginator, number):
        return paginator.page(number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # paginates, which sets page_error
        context["page_error"] = self.page_error
        return context


class FilteredListView(ForgivingPaginationMixin, ListView):
    """The page of a `PublicList`: its FilterSet, facets and rows, with forgiving pagination.

    Subclasses set `public_list` (from their app's `lists.py`) and a template.
    """

    public_list = None
    paginate_by = 25

    @property
    def facets(self):
        return self.public_list.facets

    def get_queryset(self):
        self.filterset = self.public_list.filterset(self.request.GET or None)
        # The filters applied: all of them, or, when some are invalid, the others (the page says
        # which could not be applied; feeds, CSV, API and alerts stay strict and give nothing).
        self.applied = self.filterset
        if self.filterset.is_bound and not self.filterset.is_valid():
            self.applied = self.public_list.filterset(without_invalid_filters(self.filterset))
            if not self.applied.is_valid():
                return self.filterset.queryset.none()
        else:
            declare_query(self.request, query_names(self.filterset.form))
        return self.applied.qs

    def cache_parts(self, *more):
        """What a cached read of this list depends on besides the content: the list and its filters."""
        return (type(self).__module__, type(self).__qualname__, canonical_query(self.request, ["page"]), *more)

    def cache_timeout(self):
        """How long this list's cached parts are kept: 0 (never) when its query is not all valid filters."""
        return query_timeout(self.request, ignore=["page"])

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        # The total, from the cache while the content is unchanged (a COUNT over the filtered,
        # joined rows is the dearest query of a list).
        paginator.count = cached("list-count", self.cache_parts(), queryset.count, self.cache_timeout())
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
            self.cache_timeout(),
        )
        return paginator._get_page(self.rows_by_id(queryset, ids), number, paginator)

    def rows_by_id(self, queryset, ids):
        """The page's rows, read afresh by id through the filtered rows (so through published()),
        when the page renders them rather than showing its kept fragment of them."""
        return RowsById(queryset, ids)

    def cached_facet_options(self):
        """Each facet's options, from the cache; the missing ones computed together."""
        facets = {facet.name: facet for facet in self.facets}
        options = cached_each(
            "list-facet",
            {name: self.cache_parts(name) for name in facets},
            lambda missing: facets_options(self.applied, [facets[name] for name in missing]),
            self.cache_timeout(),
        )
        return [options[name] for name in facets]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context["filter"] = self.filterset
        context["facets"] = [
            {"name": facet.name, "label": self.filterset.filters[facet.name].label, "options": options}
            for facet, options in zip(self.facets, self.cached_facet_options(), strict=True)
        ]
        context["facet_names"] = [facet.name for facet in self.facets]
        context["filter_errors"] = [
            (form.fields[name].label if name in form.fields else "", error)
            for name, errors in (form.errors.items() if self.filterset.is_bound else ())
            for error in errors
        ]
        context["active_filters"] = active_filters(self.request, form, context["facets"])
        query = QueryDict(mutable=True)
        for key, values in self.request.GET.lists():
            if key != "page":
                query.setlist(key, values)
        context["query_string"] = query.urlencode()
        context["has_filters"] = bool(context["query_string"])
        return context
