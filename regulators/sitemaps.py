"""Sitemaps of the regulatory landscape: regulators and instruments are public reference records.

Neither model records when it last changed, so these entries carry no lastmod.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from regulators.models import Instrument, Regulator


class RegulatorsListPageSitemap(Sitemap):
    """The public lists of this app."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["regulators:regulator-list", "regulators:instrument-list"]

    def location(self, url_name):
        return reverse(url_name)


class RegulatorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Regulator.objects.only("slug")


class InstrumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Instrument.objects.only("slug")
