"""{% last_updated record %}: the "Last updated" line of every public record's page."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from items.changes import last_change_time

register = template.Library()


@register.simple_tag
def last_updated(record):
    """<p class="meta">Last updated <time>…</time></p>, or nothing when the date is unknown."""
    when = last_change_time(record)
    if when is None:
        return ""
    when = timezone.localtime(when)
    return format_html(
        '<p class="meta last-updated">{} <time datetime="{}">{}</time></p>',
        _("Last updated"),
        when.isoformat(timespec="seconds"),
        formats.date_format(when, "DATE_FORMAT"),
    )
