from django import template

from core.dates import format_precise_date

register = template.Library()


@register.simple_tag
def precise_date(obj, name):
    """{% precise_date instrument "effective_on" %} → "July 2022" when known only to the month."""
    return format_precise_date(getattr(obj, name), getattr(obj, f"{name}_precision", "day"))
