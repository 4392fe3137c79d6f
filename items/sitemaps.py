"""Sitemaps of the newsletter's public pages; every one starts at published()."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from items.models import EnforcementAction, Issue, NewsItem


class ItemsListPageSitemap(Sitemap):
    """The home page and the public lists of this app."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["items:home", "items:issue-archive", "items:item-list", "items:enforcement-list"]

    def location(self, url_name):
        return reverse(url_name)


class IssueSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Issue.objects.published().select_related("series").only("number", "updated_at", "series__slug")

    def lastmod(self, issue):
        return issue.updated_at


class NewsItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return NewsItem.objects.published().only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class EnforcementActionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return EnforcementAction.objects.published().only("public_id", "updated_at")

    def lastmod(self, action):
        return action.updated_at
