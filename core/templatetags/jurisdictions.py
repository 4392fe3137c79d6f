"""`{{ code|jurisdiction }}`: a jurisdiction code as its name in the reader's language (core/jurisdictions.py)."""

from django import template

from core.jurisdictions import jurisdiction_name

register = template.Library()


@register.filter
def jurisdiction(code):
    return jurisdiction_name(code)
