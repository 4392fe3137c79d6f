"""`{% sort_header "fine" _("Fine") %}`: a column header that sorts its list, keeping the filters.

The list's FilterSet reads `o` (django-filter's OrderingFilter): `o=fine` sorts ascending and
`o=-fine` descending. A header links to its column sorted the other way from how the list is
sorted now (dates and amounts first from the largest), says how the list is sorted with
`aria-sort`, and drops `page` (a new order starts on page one).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, default="", css_class="", descending_first=True):
    """A `<th>` whose link sorts by `key`; `default` is the list's order when no `o` is given."""
    request = context["request"]
    current = request.GET.get("o") or default
    if current == key:
        state, target = "ascending", f"-{key}"
    elif current == f"-{key}":
        state, target = "descending", key
    else:
        state, target = "", f"-{key}" if descending_first else key
    query = request.GET.copy()
    query["o"] = target
    query.pop("page", None)
    arrow = {"ascending": "▲", "descending": "▼"}.get(state, "↕")
    hint = _("sort descending") if target.startswith("-") else _("sort ascending")
    return format_html(
        '<th scope="col" class="{}"{}><a class="sort-link" href="?{}" title="{}">{} '
        '<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        css_class,
        format_html(' aria-sort="{}"', state) if state else "",
        query.urlencode(),
        hint,
        label,
        arrow,
    )
