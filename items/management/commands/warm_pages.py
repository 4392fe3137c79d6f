"""Keep the busiest public pages ready after a change of content (run it from cron every minute).

Any change of content retires every kept page and cached count at once (content_cache.py), so
the first reader of each page afterwards waits for it to be computed: a quarter of a second for
the enforcement list at 100,000 items, most of a second for a busy regulator's page. This
command asks for those pages itself, in every language, as an anonymous reader on the public
address, when the content version has changed since its last run; otherwise it does nothing.
"""

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.urls import reverse

from core.content_cache import current_version
from core.page_cache import warm
from items.lists import ENFORCEMENT, ISSUES, ITEMS
from regulators.lists import INSTRUMENTS, REGULATORS

LAST_WARMED_KEY = "warm-pages:version"


def busiest_pages(regulators):
    """The lists, the latest issue, and the regulators with the most published actions."""
    lists = [ISSUES, ITEMS, ENFORCEMENT, REGULATORS, INSTRUMENTS]
    urls = [reverse("items:home"), *(public_list.url() for public_list in lists)]
    urls += [reverse("items:enforcement-stats"), reverse("regulators:consultations")]
    latest = ISSUES.rows().first()  # newest first, as the home page shows it
    if latest is not None:
        urls.append(latest.get_absolute_url())
    busiest = (
        ENFORCEMENT.rows()
        .exclude(regulators=None)
        .values("regulators__slug")
        .annotate(actions=Count("pk"))
        .order_by("-actions", "regulators__slug")[:regulators]
    )
    urls.extend(reverse("regulators:regulator-detail", kwargs={"slug": row["regulators__slug"]}) for row in busiest)
    return urls


class Command(BaseCommand):
    help = "Render the busiest public pages into the cache when the content has changed since the last run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.ALERT_SITE_URL,
            help="The public address readers use (scheme and host are part of a kept page's key). "
            "Default: ALERT_SITE_URL.",
        )
        parser.add_argument("--regulators", type=int, default=5, help="How many of the busiest regulators.")
        parser.add_argument("--force", action="store_true", help="Warm even if the content has not changed.")

    def handle(self, *args, base_url, regulators, force, **options):
        version = current_version()
        if not force and cache.get(LAST_WARMED_KEY) == version:
            self.stdout.write("Content unchanged since the last warm-up: nothing to do.")
            return
        if isinstance(caches["default"], LocMemCache):
            self.stdout.write(
                "Note: the cache is this process's own memory (no REDIS_URL), so pages warmed here serve no "
                "other process."
            )
        languages = [code for code, _name in settings.LANGUAGES]
        results = warm(busiest_pages(regulators), base_url, languages)
        failed = [(url, language, status) for url, language, status, _seconds in results if status != 200]
        for url, language, status in failed:
            self.stderr.write(f"{url} ({language}) answered {status}")
        if not failed:
            cache.set(LAST_WARMED_KEY, version, None)
        total = sum(seconds for *_rest, seconds in results)
        self.stdout.write(f"Warmed {len(results) - len(failed)} of {len(results)} pages in {total:.1f} s.")
