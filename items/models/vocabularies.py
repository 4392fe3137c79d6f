"""The editors' vocabularies: series, sections, topics and violations, in English and Chinese."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.bilingual import in_reader_language
from core.content_cache import ContentQuerySet
from items.models.history import HistoricalRecords
from regulators.models import SlugNaturalKeyManager


class NamedTag(models.Model):
    """A small editor-managed vocabulary: a slug, an English name and a Chinese name."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_zh = models.CharField(_("Chinese name"), max_length=150, blank=True)

    history = HistoricalRecords(inherit=True)
    objects = SlugNaturalKeyManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        return in_reader_language(self.name, self.name_zh)


class Series(NamedTag):
    """A newsletter series: the weekly review, the monthly update…"""

    publisher = models.CharField(_("publisher"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta(NamedTag.Meta):
        verbose_name = _("series")
        verbose_name_plural = _("series")


class Section(NamedTag):
    """A heading under which items are filed (Domestic News, Enforcement Developments…)."""

    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Sections with a lower number come first in an issue.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")


class TopicQuerySet(ContentQuerySet):
    def published(self):
        """Topics of published items: a public door names no topic that only drafts use."""
        from items.models.issues import NewsItem  # that module imports this one

        return self.filter(Exists(NewsItem.objects.published().filter(topics=OuterRef("pk"))))


class Topic(NamedTag):
    """What an item is about: facial recognition, apps, minors, cross-border transfer…"""

    objects = SlugNaturalKeyManager.from_queryset(TopicQuerySet)()

    class Meta(NamedTag.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class ViolationQuerySet(ContentQuerySet):
    def published(self):
        """Violations found by published enforcement: a public door names no other."""
        from items.models.enforcement import EnforcementAction  # that module imports this one

        return self.filter(Exists(EnforcementAction.objects.published().filter(violations=OuterRef("pk"))))


class Violation(NamedTag):
    """What an enforcement action found wrong: excessive collection, no consent…"""

    objects = SlugNaturalKeyManager.from_queryset(ViolationQuerySet)()

    class Meta(NamedTag.Meta):
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
