"""The admin page that imports a newsletter: upload or paste, then read the report."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from items.importers.forms import NewsletterImportForm
from items.importers.service import NewsletterImportError, import_newsletter
from items.models import Issue


class NewsletterImportView(PermissionRequiredMixin, FormView):
    """Runs the same service as `manage.py import_newsletter`; only for users who may add issues."""

    permission_required = "items.add_issue"
    raise_exception = True
    form_class = NewsletterImportForm
    template_name = "admin/items/issue/import_newsletter.html"
    model_admin = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_admin.admin_site.each_context(self.request))
        context.update(opts=Issue._meta, title=_("Import a newsletter"))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report = import_newsletter(
                data["newsletter_text"],
                series=data["series"].slug if data["series"] else None,
                number=data["number"],
                issued_on=data["issued_on"] or None,
                dry_run=data["dry_run"],
                user=self.request.user,
            )
        except NewsletterImportError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        issue_url = None
        if not report.dry_run:
            issue_url = reverse("admin:items_issue_change", args=[report.issue_id])
            messages.success(self.request, f"{report.headline}: {report.items_done} items imported as a draft.")
        return self.render_to_response(self.get_context_data(form=form, report=report, issue_url=issue_url))


def newsletter_import_urls(model_admin):
    """URL patterns for IssueAdmin.get_urls()."""
    view = NewsletterImportView.as_view(model_admin=model_admin)
    return [path("import-newsletter/", model_admin.admin_site.admin_view(view), name="items_issue_import_newsletter")]
