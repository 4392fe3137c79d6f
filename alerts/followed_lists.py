"""Filtered lists a reader can follow: which FilterSet reads each list, and its query strings.

A followed list is the query string of a public list page, kept in a normal form (known keys
only, sorted, no paging or sorting) and read back through the very FilterSet that the page
uses, over the same published() queryset, so that an alert matches exactly what the page shows.
"""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from items.filters import EnforcementActionFilter, NewsItemFilter
from items.models import EnforcementAction, NewsItem
from regulators.filters import InstrumentFilter
from regulators.models import Instrument

MAX_QUERY_LENGTH = 1000

# Where a page is and how it is sorted say nothing about what it lists.
IGNORED_KEYS = {"page", "o"}


class FollowedList:
    def __init__(self, filterset_class, base_queryset, url_name):
        self.filterset_class = filterset_class
        self.base_queryset = base_queryset
        self.url_name = url_name

    def filterset(self, query_string):
        return self.filterset_class(QueryDict(query_string), queryset=self.base_queryset())

    def url(self, query_string=""):
        url = reverse(self.url_name)
        return f"{url}?{query_string}" if query_string else url


FOLLOWED_LISTS = {
    "enforcement": FollowedList(EnforcementActionFilter, EnforcementAction.objects.published, "items:enforcement-list"),
    "items": FollowedList(NewsItemFilter, NewsItem.objects.published, "items:item-list"),
    # Instruments are reference records: the list page shows every one of them.
    "instruments": FollowedList(InstrumentFilter, Instrument.objects.all, "regulators:instrument-list"),
}


def accepted_keys(filterset):
    """The query-string keys a FilterSet reads: a date range reads decided_after and decided_before."""
    keys = set()
    for name, field in filterset.form.fields.items():
        widget = field.widget
        suffixes = getattr(widget, "suffixes", None)
        if suffixes:
            keys.update(widget.suffixed(name, suffix) for suffix in suffixes)
        else:
            keys.add(name)
    return keys


def normalise_query_string(list_name, query_string):
    """The query string in normal form, or ValidationError saying what is wrong with it.

    Known keys only (an unknown key is refused rather than dropped, so that a typo never turns
    into "everything"), empty values dropped, keys and values sorted; then the list's FilterSet
    must accept the values, exactly as the list page would.
    """
    followed = FOLLOWED_LISTS.get(list_name)
    if followed is None:
        raise ValidationError(_("There is no list called “%(name)s”.") % {"name": list_name}, code="unknown_list")
    query_string = (query_string or "").strip().lstrip("?")
    if len(query_string) > MAX_QUERY_LENGTH:
        raise ValidationError(
            _("These filters are too long to follow (at most %(max)s characters).") % {"max": MAX_QUERY_LENGTH},
            code="too_long",
        )
    data = QueryDict(query_string)
    known = accepted_keys(followed.filterset(""))
    unknown = sorted(key for key in data if key not in known and key not in IGNORED_KEYS)
    if unknown:
        raise ValidationError(
            _("“%(key)s” is not a filter of this list.") % {"key": unknown[0][:50]}, code="unknown_filter"
        )
    normal = QueryDict(mutable=True)
    for key in sorted(data):
        if key in IGNORED_KEYS:
            continue
        values = sorted({value.strip() for value in data.getlist(key) if value.strip()})
        if values:
            normal.setlist(key, values)
    normalised = normal.urlencode()
    filterset = followed.filterset(normalised)
    if not filterset.is_valid():
        problems = []
        for name, errors in filterset.form.errors.items():
            label = filterset.form.fields[name].label if name in filterset.form.fields else ""
            problems += [f"{label}: {error}" if label else str(error) for error in errors]
        raise ValidationError(
            _("These filters cannot be followed: %(problems)s") % {"problems": " ".join(problems)},
            code="invalid_filter",
        )
    return normalised
