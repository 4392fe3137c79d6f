"""The editors' recycle bin: deleted issues, items and actions, restorable from their history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from items.models import EnforcementAction, Issue, NewsItem
from items.services import RestoreError, deleted_records, restore_deleted

RESTORABLE = {"issue": Issue, "newsitem": NewsItem, "enforcementaction": EnforcementAction}


def may_restore(user, model):
    return user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")


def recycle_bin_view(model_admin):
    def view(request):
        models = {name: model for name, model in RESTORABLE.items() if may_restore(request.user, model)}
        if not models:
            raise PermissionDenied
        if request.method == "POST":
            model = models.get(request.POST.get("model", ""))
            if model is None:
                raise PermissionDenied
            try:
                pk = int(request.POST.get("pk", ""))
                restored = restore_deleted(model, pk, user=request.user)
            except (ValueError, RestoreError) as error:
                messages.error(request, str(error) if isinstance(error, RestoreError) else _("Choose a record."))
            else:
                messages.success(request, _("Restored “%(record)s” with its relations.") % {"record": restored})
                admin_url = reverse(f"admin:items_{model._meta.model_name}_change", args=[restored.pk])
                return redirect(admin_url)
            return redirect("admin:items_issue_recycle_bin")
        sections = [
            {"name": name, "label": model._meta.verbose_name_plural, "records": deleted_records(model)[:200]}
            for name, model in models.items()
        ]
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Deleted records"),
            "sections": sections,
            "opts": model_admin.model._meta,
        }
        return TemplateResponse(request, "admin/items/recycle_bin.html", context)

    return view


def recycle_bin_urls(model_admin):
    """URL patterns for IssueAdmin.get_urls()."""
    view = model_admin.admin_site.admin_view(recycle_bin_view(model_admin))
    return [path("deleted/", view, name="items_issue_recycle_bin")]
