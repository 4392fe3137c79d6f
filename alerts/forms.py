"""The public follow form and the reader's manage form."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerts.followed_lists import normalise_query_string
from alerts.models import KIND_TARGET, Kind, ListName, Rhythm, Subscription
from items.models import Organisation
from regulators.models import Instrument, Regulator

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
TARGET_MODELS = {Kind.REGULATOR: Regulator, Kind.INSTRUMENT: Instrument, Kind.ORGANISATION: Organisation}


def resolve_target(kind, target="", list_name="", query=""):
    """The Subscription fields for what a follow link names, or ValidationError saying why not.

    A follow link carries the kind, a slug (regulator, instrument, organisation) or a list and its
    query string, exactly as the page it came from had them."""
    if kind not in Kind.values:
        raise ValidationError(_("Choose what to follow."))
    if kind == Kind.ISSUES:
        return {"kind": kind}
    if kind == Kind.LIST:
        if list_name not in ListName.values:
            raise ValidationError(_("Choose which list to follow."))
        return {"kind": kind, "list_name": list_name, "query_string": normalise_query_string(list_name, query)}
    target = target or ""
    # An organisation named only in drafts is as unknown as one never named (published()).
    records = TARGET_MODELS[kind].objects
    records = records.published() if hasattr(records, "published") else records.all()
    record = records.filter(slug=target).first() if SLUG.fullmatch(target) else None
    if record is None:
        raise ValidationError(_("There is nothing to follow at this address; it may have been renamed."))
    return {"kind": kind, KIND_TARGET[kind]: record}


def describe_target(target):
    """What the reader is about to follow, in words (an unsaved Subscription says it)."""
    return Subscription(**target).describe()


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    rhythm = forms.ChoiceField(
        label=_("How often"), choices=Rhythm.choices, initial=Rhythm.DAILY, widget=forms.RadioSelect
    )
    kind = forms.CharField(widget=forms.HiddenInput, initial=Kind.ISSUES)
    target = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    list = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["followed"] = resolve_target(
                cleaned.get("kind", ""), cleaned.get("target", ""), cleaned.get("list", ""), cleaned.get("query", "")
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return cleaned


class ManageAlertForm(forms.Form):
    """One change to one of the reader's own alerts."""

    ACTIONS = [("save", _("Save")), ("pause", _("Pause")), ("resume", _("Resume")), ("delete", _("Delete"))]

    alert = forms.ModelChoiceField(queryset=Subscription.objects.none(), widget=forms.HiddenInput)
    rhythm = forms.ChoiceField(label=_("How often"), choices=Rhythm.choices, required=False)
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, subscriber, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the reader's own alerts can be named, whatever the form posts.
        self.fields["alert"].queryset = subscriber.subscriptions.all()
