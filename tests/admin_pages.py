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


def field_values(form, prefix=None):
    """{name in the POST: value} of a rendered (unbound) form, as a browser would send it back."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        if getattr(field.widget, "input_type", None) == "file":
            continue
        value = bound.value()
        key = bound.html_name if prefix is None else f"{prefix}-{name}"
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value if v not in (None, "")]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = str(value)
    return data


def change_form_data(response):
    """The POST a browser sends from a rendered admin add/change page, its inlines included."""
    data = field_values(response.context["adminform"].form)
    # The history revert page has no inlines.
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value) if value is not None else ""
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        for form in formset.initial_forms:
            data.update(field_values(form))
    return data
