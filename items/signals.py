"""Derived HTML, rendered once when a row is saved (fixture loads included, which skip save()).

The content version's receivers, which every app's editorial records get, are in core/signals.py."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from items.models import Issue, NewsItem
from items.rendering import render_markdown


@receiver(pre_save, sender=NewsItem)
def render_news_item_bodies(sender, instance, **kwargs):
    instance.body_html = render_markdown(instance.body)
    instance.body_zh_html = render_markdown(instance.body_zh)


@receiver(pre_save, sender=Issue)
def render_issue_summary(sender, instance, **kwargs):
    instance.summary_html = render_markdown(instance.summary)
