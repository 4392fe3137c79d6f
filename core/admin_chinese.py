"""What the editors have yet to give in Chinese: a "needs Chinese" list filter on each admin list
of a record with Chinese fields, and the count of such records per model on the admin index.

A model admin opts in by naming its pairs of fields (`chinese_fields = [("name", "name_zh")]`)
and putting `NeedsChineseFilter` first in its `list_filter`. A record needs Chinese when one of its English fields
says something and the Chinese field beside it is empty.
"""

from django.contrib import admin
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

PARAMETER = "needs_chinese"


def lacking_chinese(pairs):
    """The condition: some English field of `pairs` is filled and its Chinese twin is empty."""
    condition = Q(pk__in=[])
    for english, chinese in pairs:
        condition |= ~Q(**{english: ""}) & Q(**{chinese: ""})
    return condition


class NeedsChineseFilter(admin.SimpleListFilter):
    title = _("needs Chinese")
    parameter_name = PARAMETER

    def __init__(self, request, params, model, model_admin):
        self.pairs = model_admin.chinese_fields
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("yes", _("Yes: some Chinese is missing")), ("no", _("No: complete in Chinese"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(lacking_chinese(self.pairs))
        if self.value() == "no":
            return queryset.exclude(lacking_chinese(self.pairs))
        return queryset


def missing_chinese(site, request):
    """[{name, count, url}] for each model of `site` with Chinese fields that the user may view:
    how many of its records lack some Chinese, and the list of them. One count per model."""
    rows = []
    for model, model_admin in site._registry.items():
        pairs = getattr(model_admin, "chinese_fields", ())
        if not pairs or not model_admin.has_view_permission(request):
            continue
        count = model._default_manager.filter(lacking_chinese(pairs)).count()
        try:
            url = reverse(f"{site.name}:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        rows.append({"name": model._meta.verbose_name_plural, "count": count, "url": f"{url}?{PARAMETER}=yes"})
    return sorted(rows, key=lambda row: str(row["name"]))
