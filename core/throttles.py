"""Per-client limits on the site's dear or abusable doors, counted as the API counts: in the cache.

Django REST framework's AnonRateThrottle does the counting (per client address, with the API's
NUM_PROXIES rule for X-Forwarded-For; signed-in staff are not counted), so a page outside the
API is limited exactly as the API is. Two differences: the rate comes from a Django setting read
at each request (so a deployment or a test can change it), and a cache that fails lets the
request through: a dead or hung cache must not take the door down with it.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class ClientRateThrottle(AnonRateThrottle):
    """Counts one client's requests under `scope`, at the rate the setting `rate_setting` names."""

    rate_setting = None

    def __init__(self, scope, rate_setting):
        self.scope, self.rate_setting = scope, rate_setting
        super().__init__()

    def get_rate(self):
        return getattr(settings, self.rate_setting)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's own errors (a refused or timed-out connection)
            logger.warning("Throttle %s skipped: the cache failed", self.scope, exc_info=True)
            return True


def refuse_if_throttled(request, scope, rate_setting, message):
    """A 429 response saying `message` when the client has spent its budget, else None."""
    throttle = ClientRateThrottle(scope, rate_setting)
    if throttle.allow_request(request, None):
        return None
    wait = max(1, round(throttle.wait() or 1))
    text = _("%(message)s Try again in %(seconds)s seconds.") % {"message": message, "seconds": wait}
    response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response
