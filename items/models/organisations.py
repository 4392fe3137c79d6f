"""The companies and groups that enforcement is aimed at."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_reader_language
from core.content_cache import ContentQuerySet
from items.models.history import HistoricalRecords
from regulators.models import SlugNaturalKeyManager, jurisdiction_validator

# How many levels of groups above a company named by enforcement are public with it (an app, its
# operator, the operator's group…); deeper chains than this are not found in the sources.
ORGANISATION_GROUP_DEPTH = 5


class OrganisationQuerySet(ContentQuerySet):
    def published(self):
        """Organisations named by published enforcement, and the groups above them.

        An organisation named only in drafts or withdrawn issues stays unknown to the public.
        Written as SQL (no rows are read until the queryset is), so a filter can hold it cheaply.
        """
        from items.models.enforcement import EnforcementAction  # that module imports this one

        actions = EnforcementAction.objects.published()
        condition = Q()
        path = "organisation"
        for _level in range(ORGANISATION_GROUP_DEPTH + 1):
            condition |= Q(Exists(actions.filter(**{path: OuterRef("pk")})))
            path += "__parent"
        return self.filter(condition)


class Organisation(models.Model):
    """A company or group that enforcement is aimed at, in China and abroad."""

    name = models.CharField(_("name"), max_length=255)
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text=_("The group this company or app operator belongs to."),
    )
    country = models.CharField(_("country"), max_length=10, blank=True, validators=[jurisdiction_validator])

    history = HistoricalRecords()
    objects = SlugNaturalKeyManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("items:organisation-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        return in_reader_language(self.name, self.name_zh)
