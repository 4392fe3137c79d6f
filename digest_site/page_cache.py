"""Whole public pages, kept for readers without a session, until the content changes.

Most readers are anonymous and ask for the same pages. For them a page is the same bytes until an
editor changes something (or the day turns: "open for comment" depends on today). So the
rendered page is kept in the cache under the content version (see content_cache.py), the
language, today's date and the full URL; the next anonymous reader of that URL is answered from
the cache with one small query (the version) and no view, template or ORM work.

What makes a page cacheable, checked on every response, not assumed:
- the request is a GET without a session or messages cookie (so the reader is anonymous and has
  no pending message), and the view is one of the public site's (`PUBLIC_NAMESPACES`);
- the response is a complete 200 HTML page that sets no cookie (a page that used a CSRF token,
  wrote the session or showed a message sets one, and is never stored) and is not marked
  private or no-store.
Staff, signed-in readers and anyone with a session get pages rendered for them, as before.
Nothing unpublished can be stored: an anonymous reader is never shown a draft, and the pages
kept are exactly those such a reader was shown.

If the cache fails, pages are rendered as usual. `PAGE_CACHE_SECONDS = 0` turns this off.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from digest_site.content_cache import cache_key
from digest_site.middleware import DATABASE_ERRORS

logger = logging.getLogger(__name__)

PUBLIC_NAMESPACES = frozenset({"items", "regulators"})
MESSAGES_COOKIE = "messages"
MAX_URL_LENGTH = 1000  # longer query strings are rendered, not stored


def page_key(request):
    """The cache key of this request's page, or None when it must be rendered for the reader."""
    if not getattr(settings, "PAGE_CACHE_SECONDS", 0) or request.method != "GET":
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return None
    url = request.get_full_path()
    if len(url) > MAX_URL_LENGTH:
        return None
    return cache_key("page", (request.scheme, request.get_host(), url, timezone.localdate().isoformat()))


def is_cacheable(request, response):
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace not in PUBLIC_NAMESPACES:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    messages = getattr(request, "_messages", None)
    return messages is None or len(messages) == 0


class AnonymousPageCacheMiddleware:
    """Place it after LocaleMiddleware (the language is part of the key) and before the
    middleware that only rendered pages need (CSRF, authentication, messages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            key = page_key(request)
        except DATABASE_ERRORS:
            # The database is down: let the view meet it, and the outage middleware answer 503.
            key = None
        if key is not None:
            try:
                stored = cache.get(key)
            except Exception:  # noqa: BLE001  (any cache failure: render instead)
                logger.warning("Cache unavailable: rendering %s.", request.path, exc_info=True)
                stored = key = None
            if stored is not None:
                status, headers, content = stored
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                return response
        response = self.get_response(request)
        if key is not None and is_cacheable(request, response):
            try:
                cache.set(key, (response.status_code, list(response.items()), response.content),
                          settings.PAGE_CACHE_SECONDS)  # fmt: skip
            except Exception:  # noqa: BLE001
                logger.warning("Cache unavailable: %s not stored.", request.path, exc_info=True)
        return response
