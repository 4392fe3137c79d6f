"""The admin site, with guards every model admin gets: a malformed address is a 404 or Django's
"invalid lookup" answer, never a 500.

Django's changelist passes list-filter and date-hierarchy values to the ORM as they come: a
30-digit id is an integer SQLite cannot bind, a 30-digit year one `datetime` cannot hold
(OverflowError, which Django's own check, made for ValueError, lets through). The history pages
of django-simple-history look up whatever stands in the path (`/history/abc/`), which the
database refuses to compare with an integer key. The site wraps each registered admin class,
ours and those of Django's and third-party apps alike, in `InputGuardsMixin`.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404

from core.admin_chinese import missing_chinese

# Raised while the changelist turns query values into a query and counts its rows.
LOOKUP_ERRORS = (OverflowError, ValueError, ValidationError)


def guarded_changelist(changelist_class):
    """`changelist_class`, with a lookup value no column can hold raising IncorrectLookupParameters,
    which the changelist answers as Django does for any bad filter (the list, unfiltered, with ?e=1)."""

    class GuardedChangeList(changelist_class):
        def get_queryset(self, request, exclude_parameters=None):
            try:
                return super().get_queryset(request, exclude_parameters)
            except LOOKUP_ERRORS as error:
                raise IncorrectLookupParameters(error) from error

        def get_results(self, request):
            try:
                return super().get_results(request)
            except LOOKUP_ERRORS as error:
                raise IncorrectLookupParameters(error) from error

    return GuardedChangeList


def is_key_of(field, raw):
    """Whether `raw`, as it stands in an admin URL, is a value of `field` (a primary key)."""
    try:
        field.to_python(unquote(raw))
    except LOOKUP_ERRORS:
        return False
    return True


class InputGuardsMixin:
    def get_changelist(self, request, **kwargs):
        return guarded_changelist(super().get_changelist(request, **kwargs))

    def history_view(self, request, object_id, extra_context=None):
        if not is_key_of(self.model._meta.pk, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page of one past version (only its admins route here)."""
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if not (is_key_of(self.model._meta.pk, object_id) and is_key_of(history_model._meta.pk, version_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReviewAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, InputGuardsMixin):
            admin_class = type(
                admin_class.__name__,
                (InputGuardsMixin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def index(self, request, extra_context=None):
        """The index, with how many records of each model still lack Chinese (core/admin_chinese.py)."""
        extra_context = {"missing_chinese": missing_chinese(self, request), **(extra_context or {})}
        return super().index(request, extra_context)


class ReviewAdminConfig(AdminConfig):
    """`django.contrib.admin`, with `ReviewAdminSite` as `admin.site`."""

    default_site = "core.admin_site.ReviewAdminSite"
