"""Whole public pages, kept for readers without a session, until the content changes.

Most readers are anonymous and ask for the same pages. For them a page is the same bytes until an
editor changes something (or the day turns: "open for comment" depends on today). So the
rendered page is kept in the cache under the content version (see content_cache.py), the
language, today's date and the URL (its parameters sorted); the next anonymous reader of that URL
is answered from the cache with one small query (the version) and no view, template or ORM work.

What makes a page cacheable, checked on every response, not assumed:
- the request is a GET without a session or messages cookie (so the reader is anonymous and has
  no pending message), and the view asked for it (`KeptPageMixin`, or `keep_whole_page = True`
  on a view function): nothing is kept because of where its URL lives;
- the response is a complete 200 HTML page that sets no cookie (a page that used a CSRF token,
  wrote the session or showed a message sets one, and is never stored) and is not marked
  private or no-store;
- its query string holds only parameters the view declared valid (`content_cache.query_timeout`):
  a URL with unknown or invalid parameters is rendered, never stored, and a filtered URL is kept
  for FILTERED_CACHE_SECONDS only, so one client cannot fill the cache with variants.
Staff, signed-in readers and anyone with a session get pages rendered for them, as before.
Nothing unpublished can be stored: an anonymous reader is never shown a draft, and the pages
kept are exactly those such a reader was shown.

If the cache fails, pages are rendered as usual. `PAGE_CACHE_SECONDS = 0` turns this off.
"""

import io
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.utils import timezone

from core.content_cache import cache_key, canonical_query, query_timeout
from core.db_router import has_session
from core.middleware import DATABASE_ERRORS

MAX_URL_LENGTH = 1000  # longer query strings are rendered, not stored


def page_key(request):
    """The cache key of this request's page, or None when it must be rendered for the reader."""
    if not getattr(settings, "PAGE_CACHE_SECONDS", 0) or request.method != "GET":
        return None
    if has_session(request) or CookieStorage.cookie_name in request.COOKIES:
        return None
    if len(request.get_full_path()) > MAX_URL_LENGTH:
        return None
    page = (request.scheme, request.get_host(), request.path, canonical_query(request))
    return cache_key("page", (*page, timezone.localdate().isoformat()))


class KeptPageMixin:
    """A public page view whose whole page is kept for anonymous readers (see the module)."""

    keep_whole_page = True


def view_keeps_whole_page(match):
    """Whether the view that answered asked for its page to be kept (class attribute or function's)."""
    view = match.func
    return bool(
        getattr(view, "keep_whole_page", False) or getattr(getattr(view, "view_class", None), "keep_whole_page", False)
    )


def is_cacheable(request, response):
    match = getattr(request, "resolver_match", None)
    if match is None or not view_keeps_whole_page(match):
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
        stored = None if key is None else cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        timeout = query_timeout(request, settings.PAGE_CACHE_SECONDS)
        if key is not None and timeout and is_cacheable(request, response):
            page = (response.status_code, list(response.items()), response.content)
            cache.set(key, page, timeout)
        return response


def warm(urls, base_url, languages):
    """Ask for each URL as an anonymous reader would, in each language, through the whole
    middleware stack, so that the pages (and their cached parts) are kept before the first
    reader comes. Returns [(url, language, status, seconds)]."""
    handler, site, results = WSGIHandler(), urlsplit(base_url), []
    # One database connection for the whole run, as Django's test client does: closing it
    # after each page (request_finished) would only cost a reconnect per page here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for language in languages:
            for url in urls:
                started = time.perf_counter()
                status = _get(handler, site, url, language)
                results.append((url, language, status, time.perf_counter() - started))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return results


def _get(handler, site, url, language):
    """One anonymous GET of `url` on `site` through the WSGI handler; its status code."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": site.hostname,
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        "HTTP_HOST": site.netloc,
        "HTTP_ACCEPT_LANGUAGE": language,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": site.scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    statuses = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        for _chunk in response:
            pass
    finally:
        response.close()
    return int(statuses[0].split()[0])
