"""Derived fields, worked out once when a row is saved (fixture loads included, which skip save()):
rendered HTML, and enforcement amounts in yuan.

The content version's receivers, which every app's editorial records get, are in core/signals.py."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from items.conversion import convert_action
from items.models import EnforcementAction, Issue, NewsItem
from items.rendering import render_markdown


@receiver(pre_save, sender=NewsItem)
def render_news_item_bodies(sender, instance, **kwargs):
    instance.body_html = render_markdown(instance.body)
    instance.body_zh_html = render_markdown(instance.body_zh)


@receiver(pre_save, sender=Issue)
def render_issue_summary(sender, instance, **kwargs):
    instance.summary_html = render_markdown(instance.summary)


@receiver(pre_save, sender=EnforcementAction)
def convert_enforcement_amounts(sender, instance, **kwargs):
    """Fine and damages in yuan, from the amount, currency, date and any editor's rate as saved."""
    convert_action(instance)
