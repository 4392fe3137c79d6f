"""The admin form for importing a newsletter: a file or pasted text, and the command's options."""

from django import forms
from django.utils.translation import gettext_lazy as _

from items.importers.files import MAX_UPLOAD_BYTES, NewsletterFileError, check_size, read_newsletter_file
from items.models import Series


class NewsletterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Newsletter file"),
        required=False,
        help_text=_("A .txt, .docx or .pdf file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
    )
    text = forms.CharField(
        label=_("…or paste its text"),
        required=False,
        max_length=MAX_UPLOAD_BYTES,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Recognise from the text"),
    )
    number = forms.IntegerField(
        label=_("Issue number"), min_value=1, required=False, help_text=_("Leave empty to take it from the text.")
    )
    issued_on = forms.RegexField(
        label=_("Issue date"),
        regex=r"^\d{4}-\d{1,2}(-\d{1,2})?$",
        required=False,
        help_text=_("YYYY-MM or YYYY-MM-DD, only when the text does not print its date."),
        error_messages={"invalid": _("Give the date as YYYY-MM or YYYY-MM-DD.")},
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, help_text=_("Tick to see the report without saving anything.")
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Give either a file or pasted text, not both."))
        if not upload and not text and not self.errors:
            raise forms.ValidationError(_("Choose a newsletter file or paste its text."))
        if upload:
            try:
                check_size(upload.size, upload.name)  # before reading it into memory
                cleaned["newsletter_text"] = read_newsletter_file(upload.name, upload.read())
            except NewsletterFileError as error:
                self.add_error("file", str(error))
        else:
            cleaned["newsletter_text"] = text
        return cleaned
