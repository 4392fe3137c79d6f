"""The admin's form machinery for issues, items and actions: the four-eyes rule at every form,
inline and delete page (items/publishing_rules.py decides), and the forms that fill in what an
editor should not have to type (an item's position). items/admin.py registers the pages."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.spreadsheets.admin import SpreadsheetImportExportMixin
from items import publishing_rules
from items.models import (
    Issue,
    NewsItem,
)


def may_change_rows(request, record, stored_issue):
    """Whether the user may add rows to or remove rows from the issue `record` is stored in
    (`stored_issue(record)` gives its id). Django asks each admin permission several times per
    page; the answer is read once per request and record."""
    if record is None:
        return True
    answers = request.__dict__.setdefault("_may_change_rows", {})
    key = (record._meta.label, record.pk)
    if key not in answers:
        answers[key] = publishing_rules.may_change_rows_of(request.user, stored_issue(record))
    return answers[key]


class PublishedIssueRowsInline:
    """An inline of a published issue's rows: an editor corrects them but neither adds nor
    deletes one; Django then ignores added or deleted rows in what is posted."""

    def stored_issue(self, parent):
        raise NotImplementedError

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_change_rows(request, obj, self.stored_issue)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_change_rows(request, obj, self.stored_issue)


class PlacementCheckedForm(forms.ModelForm):
    """A change form that refuses, for an editor, to move its row into or out of a published issue.

    `placement_field` names the field that places the row (an item's issue, an action's news
    item); `user` is set per request by `PlacementCheckedAdmin.get_form`."""

    placement_field = None
    user = None

    def placement_error(self, pk, value):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.placement_field in cleaned:
            value = cleaned[self.placement_field]
            error = self.placement_error(self.instance.pk, value.pk if value is not None else None)
            if error:
                self.add_error(self.placement_field, error)
        return cleaned


class PositionLeftBlankForm(forms.ModelForm):
    """A news item's position may be left blank: the item then goes after the issue's last one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].help_text = _("Order within the issue; leave blank to put it after the last item.")
            if self.instance._state.adding and "position" not in (kwargs.get("initial") or {}):
                self.initial["position"] = None  # not the model's 0


def place_after_last_item(item):
    """Give an item saved with a blank position the one after its issue's last item."""
    if item.position is None:
        item.position = NewsItem.objects.exclude(pk=item.pk).next_position(item.issue_id)


class NewsItemForm(PositionLeftBlankForm, PlacementCheckedForm):
    placement_field = "issue"

    def placement_error(self, pk, issue_id):
        return publishing_rules.item_placement_error(self.user, pk, issue_id)


class EnforcementActionForm(PlacementCheckedForm):
    placement_field = "news_item"

    def placement_error(self, pk, item_id):
        return publishing_rules.action_placement_error(self.user, pk, item_id)


class PublishedIssueNoticeMixin:
    """Tells an editor, on the change page of a published issue's record, what they may do there;
    a delete page they may not use sends them back there with the reason instead of a bare 403."""

    def stored_issue(self, obj):
        raise NotImplementedError

    def locked_issue(self, request, obj):
        if obj is None or publishing_rules.may_publish(request.user):
            return None
        published = publishing_rules.published_among([self.stored_issue(obj)])
        return published[0] if published else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            issue = self.locked_issue(request, self.get_object(request, unquote(object_id)))
            pending = messages.get_messages(request)
            already_told = any(message.level == messages.ERROR for message in pending)
            pending.used = False  # reading them must not drop them
            if issue is not None and not already_told:
                self.message_user(
                    request,
                    _(
                        "“%(issue)s” is published. You may correct what is in it; adding, moving or deleting "
                        "its news items and enforcement actions, and reverting it, are for a publisher."
                    )
                    % {"issue": issue},
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        issue = self.locked_issue(request, obj)
        if issue is not None and self.model is not Issue and self.has_delete_permission(request):
            self.message_user(request, publishing_rules.locked_message(issue), messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)


class PlacementCheckedAdmin(PublishedIssueNoticeMixin, SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    """The change form, its history revert and deletion keep the publishing rule for the row."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request by modelform_factory
        return form

    def has_delete_permission(self, request, obj=None):
        # Deleting one row (its page, the "delete selected" action) from a published issue is a
        # publisher's act; Django asks this for every row a deletion would remove.
        return super().has_delete_permission(request, obj) and may_change_rows(request, obj, self.stored_issue)


class ItemsInAddedOrderFormSet(forms.BaseInlineFormSet):
    """Items added in the issue's inline, position left blank, follow its items in the order added."""

    def save_new(self, form, commit=True):
        place_after_last_item(form.instance)
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        place_after_last_item(form.instance)
        return super().save_existing(form, obj, commit)
