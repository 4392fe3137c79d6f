"""A database outage answers a plain "temporarily unavailable" page (503), never a traceback.

When PostgreSQL is down (stopped, restarting, unreachable), every query raises
django.db.OperationalError or InterfaceError. Without this middleware such a request ends in a
500 and, for a sync gunicorn worker, possibly a long wait. With it, the reader gets a short
static page with `Retry-After: 10`, the server log gets one line, and the next request after the
database returns is served as usual (CONN_HEALTH_CHECKS drops the dead connection and Django opens
a new one, so no restart is needed).

The page is rendered from templates/503.html by a bare template engine: no context processors, no
session, no user, no {% static %} or {% url %}, so that rendering it never touches the database.

Two paths lead here:
- an exception raised by a view or while its template renders reaches `process_exception`;
- an exception raised inside another middleware (a session saved in `process_response`, a
  middleware that queries in `process_request`) is turned into a 500 by Django before it could
  reach a try/except around `get_response`. The `got_request_exception` signal, sent while that
  exception is being handled, marks the request, and `__call__` swaps the 500 for the 503.

With DEBUG on, nothing is changed: Django's debug page shows the error to the developer.
"""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import Context, Engine, TemplateDoesNotExist

logger = logging.getLogger("core.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
TEMPLATE_NAME = "503.html"
FALLBACK_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title>'
    "</head><body><h1>Temporarily unavailable</h1><p>The site is temporarily unavailable. "
    "Please try again in a few moments.</p></body></html>"
)
REQUEST_MARK = "_database_unavailable_error"

_engine = None


def page_html():
    """The 503 page as text, from templates/503.html through a bare engine (no DB, no request)."""
    global _engine
    try:
        if _engine is None:
            template_dirs = []
            for backend in settings.TEMPLATES:
                template_dirs.extend(str(folder) for folder in backend.get("DIRS", []))
            _engine = Engine(dirs=template_dirs, app_dirs=False, context_processors=[], debug=False)
        return _engine.get_template(TEMPLATE_NAME).render(Context({}))
    except (TemplateDoesNotExist, OSError):
        return FALLBACK_PAGE


def unavailable_response(request, error):
    """The 503 answer for `request`, and the one log line that says why."""
    first_line = (str(error).strip().splitlines() or [""])[0][:200]
    logger.warning(
        "Database unavailable: 503 for %s %s (%s: %s)",
        request.method,
        request.path,
        error.__class__.__name__,
        first_line,
    )
    response = HttpResponse(page_html(), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Already logged above, in one line: django.request need not log it again.
    response._has_been_logged = True
    return response


def mark_database_error(sender, request=None, **kwargs):
    """got_request_exception receiver: remember a database error Django is turning into a 500."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, REQUEST_MARK, error)


got_request_exception.connect(mark_database_error, dispatch_uid="core.database_unavailable")


class DatabaseUnavailableMiddleware:
    """Place it early in MIDDLEWARE (after SecurityMiddleware, CSP and WhiteNoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:  # only if Django did not convert it (defensive)
            if settings.DEBUG:
                raise
            return unavailable_response(request, error)
        error = getattr(request, REQUEST_MARK, None)
        if error is not None and response.status_code == 500 and not settings.DEBUG:
            return unavailable_response(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS) and not settings.DEBUG:
            return unavailable_response(request, exception)
        return None
