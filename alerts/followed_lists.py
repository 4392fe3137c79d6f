"""Filtered lists a reader can follow: which public list each is, and its query strings.

A followed list is the query string of a public list page, kept in a normal form (known keys
only, sorted, no paging or sorting) and read back through the list's one definition
(items/lists.py, regulators/lists.py), as its page reads it, so that an alert matches exactly
what the page shows.
"""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from items.lists import ENFORCEMENT, ITEMS
from regulators.lists import INSTRUMENTS

MAX_QUERY_LENGTH = 1000

# Where a page is and how it is sorted say nothing about what it lists.
IGNORED_KEYS = {"page", "o"}

# The lists a reader may follow, by the name a subscription keeps (alerts.models.ListName).
FOLLOWED_LISTS = {public_list.name: public_list for public_list in (ENFORCEMENT, ITEMS, INSTRUMENTS)}


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
