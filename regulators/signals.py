"""Month- and year-precise dates are stored as the first day of their period, however saved."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from regulators.dates import PreciseDatesMixin


@receiver(pre_save)
def normalise_precise_dates(sender, instance, **kwargs):
    if isinstance(instance, PreciseDatesMixin):
        instance.normalise_precise_dates()
