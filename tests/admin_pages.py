"""Helpers for driving the Django admin in tests: URLs, inline management forms, list filters."""

from django.urls import reverse


def admin_url(model, view, *args):
    """admin_url(Issue, "changelist"), admin_url(issue, "change", issue.pk)."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def management_form(prefix, total=0, initial=0):
    """The hidden management-form fields an inline formset needs in a POST."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_prefixes(response):
    """The prefixes of the inline formsets on a rendered admin add/change page."""
    return [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]


def form_errors(response):
    """Every error on a rendered admin form page, main form and inlines, for failure messages."""
    errors = {}
    adminform = response.context.get("adminform") if response.context else None
    if adminform is not None and adminform.form.errors:
        errors["form"] = adminform.form.errors
    for inline in (response.context or {}).get("inline_admin_formsets", []):
        formset = inline.formset
        if any(formset.errors) or formset.non_form_errors():
            errors[formset.prefix] = {"forms": formset.errors, "non_form": formset.non_form_errors()}
    return errors


def assert_saved(response):
    """An admin add/change POST that succeeded redirects; one that failed shows the form again."""
    assert response.status_code == 302, form_errors(response)


def list_filter_links(response):
    """One query string per list filter on a changelist: the first choice after "All"."""
    changelist = response.context["cl"]
    links = []
    for spec in changelist.filter_specs:
        choices = list(spec.choices(changelist))
        links.append((spec.title, choices[1]["query_string"]))
    return links
