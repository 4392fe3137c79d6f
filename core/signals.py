"""Receivers every app's records get: precise dates normalised, and the content version replaced.

- Month- and year-precise dates are stored as the first day of their period, however saved.
- Any change to what the public site shows retires the cached public reads (content_cache.py).
  Fixture loads (raw saves) count too. A model is editorial content by declaring it: its manager
  is built on ContentQuerySet, whose bulk writes retire them as well; its saves, deletes and link
  changes are caught here. No app is named: the models say what they are.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from core.content_cache import ContentQuerySet, content_changed
from core.dates import PreciseDatesMixin


@receiver(pre_save)
def normalise_precise_dates(sender, instance, **kwargs):
    if isinstance(instance, PreciseDatesMixin):
        instance.normalise_precise_dates()


def content_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(getattr(model._default_manager, "_queryset_class", object), ContentQuerySet)
    ]


def content_saved_or_deleted(sender, using=None, **kwargs):
    content_changed(using)


def content_links_changed(sender, instance, action, using=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(using)


for model in content_models():
    post_save.connect(content_saved_or_deleted, sender=model, dispatch_uid=f"content-saved-{model._meta.label}")
    post_delete.connect(content_saved_or_deleted, sender=model, dispatch_uid=f"content-deleted-{model._meta.label}")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            content_links_changed, sender=field.remote_field.through, dispatch_uid=f"content-links-{field}"
        )
