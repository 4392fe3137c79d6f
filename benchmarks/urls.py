"""The real URLconf, unchanged, followed by benchmark-only routes (see settings_floor.py)."""

from django.core.cache import cache, caches
from django.http import HttpResponse, JsonResponse
from django.urls import path

from digest_site.urls import urlpatterns as site_urlpatterns

_PREPARED = {}


def floor(request, size):
    """`size` bytes prepared once per process: the response a page of that size would be
    if building it cost nothing. It goes through the same middleware as every page."""
    body = _PREPARED.get(size)
    if body is None:
        body = _PREPARED[size] = b"x" * size
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def state(request):
    """Writes (?set=VALUE) or reads the session and the cache, to show that two app servers
    share them (sessions in the database, cache in Redis when REDIS_URL is set)."""
    value = request.GET.get("set")
    if value is not None:
        request.session["bench_value"] = value
        cache.set("bench_value", value, 300)
    return JsonResponse(
        {
            "session": request.session.get("bench_value"),
            "cache": cache.get("bench_value"),
            "cache_backend": type(caches["default"]).__name__,
        }
    )


urlpatterns = [
    *site_urlpatterns,
    path("__floor__/<int:size>/", floor),
    path("__bench__/state/", state),
]
