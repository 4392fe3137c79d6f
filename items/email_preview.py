"""The issue's email in the admin: a preview of both parts, and "send a test to myself".

Staff who may view an issue preview its email, drafts included; those who may change it can send
a test, marked as such, to their own address (and to nobody else).
"""

import smtplib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from items.emails import NoEmailAddress, render_issue_email, send_test_email, site_url
from items.models import Issue


def preview_view(model_admin):
    def view(request, object_id):
        issue = get_object_or_404(Issue.objects.select_related("series"), pk=object_id)
        if not model_admin.has_view_permission(request, issue):
            raise PermissionDenied
        # Readers get the issue in the language they asked in: the editor checks both.
        editions = [
            {"language": code, "name": name, "email": render_issue_email(issue, site_url(request), code)}
            for code, name in settings.LANGUAGES
        ]
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Email of “%(issue)s”") % {"issue": issue.title},
            "issue": issue,
            "editions": editions,
            "recipient": request.user.email,
            "can_send_test": model_admin.has_change_permission(request, issue),
            "opts": model_admin.model._meta,
        }
        return TemplateResponse(request, "admin/items/issue/email_preview.html", context)

    return view


def send_test_view(model_admin):
    @require_POST
    def view(request, object_id):
        issue = get_object_or_404(Issue.objects.select_related("series"), pk=object_id)
        if not model_admin.has_change_permission(request, issue):
            raise PermissionDenied
        try:
            address = send_test_email(issue, request.user, site_url(request))
        except NoEmailAddress as error:
            messages.error(request, str(error))
        except (smtplib.SMTPException, OSError) as error:
            messages.error(request, _("The test could not be sent: %(error)s") % {"error": error})
        else:
            messages.success(request, _("A test of this issue’s email was sent to %(address)s.") % {"address": address})
        return redirect(reverse("admin:items_issue_email_preview", args=[issue.pk]))

    return view


def issue_email_urls(model_admin):
    """URL patterns for IssueAdmin.get_urls()."""
    admin_view = model_admin.admin_site.admin_view
    return [
        path("<int:object_id>/email/", admin_view(preview_view(model_admin)), name="items_issue_email_preview"),
        path("<int:object_id>/email/test/", admin_view(send_test_view(model_admin)), name="items_issue_email_test"),
    ]
