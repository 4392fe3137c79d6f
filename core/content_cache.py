"""Cached public reads, retired the moment content changes.

The expensive parts of the public pages (facet counts, the total and the ids of a page of
results, charts, the home page's figures) are the same for every reader until an editor changes
something. `cached()` keeps them in Django's cache (Redis in production, shared by every server)
under a key that includes the current content version: a token in one database row
(`items.ContentVersion`) that every change to editorial content replaces, in the same
transaction as the change (`content_changed()`, called by the signal receivers in
`items/signals.py` and by the bulk writers that bypass signals). Nothing is ever invalidated
one key at a time, so no change can be missed, and readers of the old token simply stop asking
for the old keys, which expire.

The token is read from the database once per request (`ContentVersionMiddleware` resets it),
so a page costs one small query more and stays correct with any cache backend and any number of
processes. If the cache itself fails (Redis down or hung), the cache backend answers "missing"
within a short timeout (resilient_cache.py) and the value is computed: the site gets slower, not
broken.
"""

import contextlib
import hashlib
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, router, transaction
from django.utils import timezone
from django.utils.translation import get_language

from core.models import ContentVersion

TIMEOUT = 24 * 60 * 60
_MISSING = object()
_request_token = ContextVar("content_version_token", default=None)
_in_request = ContextVar("content_version_in_request", default=False)


def _model():
    return ContentVersion


def current_version():
    """The current content token (read once per request, then remembered for it)."""
    token = _request_token.get()
    if token is None:
        model = _model()
        token = model.objects.filter(pk=1).values_list("token", flat=True).first()
        if token is None:
            token = _replace_token()
        if _in_request.get():
            _request_token.set(token)
    return token


_batch = ContextVar("content_changes_batched", default=None)


@contextlib.contextmanager
def one_change_for_all():
    """Within the block, changes replace the token once, at its end (for loads of many rows)."""
    pending = set()
    reset = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(reset)
        for using in pending:
            content_changed(using)


def content_changed(using=None):
    """Replace the content token: every cached public read made before is retired."""
    pending = _batch.get()
    if pending is not None:
        pending.add(using or router.db_for_write(_model()))
        return None
    return _replace_token(using)


def _replace_token(using=None):
    model = _model()
    token, now = uuid.uuid4().hex, timezone.now()
    using = using or router.db_for_write(model)
    if not model.objects.using(using).filter(pk=1).update(token=token, changed_at=now):
        try:
            with transaction.atomic(using=using):
                model.objects.using(using).create(pk=1, token=token, changed_at=now)
        except IntegrityError:  # made meanwhile by another process
            model.objects.using(using).filter(pk=1).update(token=token, changed_at=now)
    if _in_request.get():
        _request_token.set(token)
    return token


class ContentQuerySet(models.QuerySet):
    """The queryset of every editorial model: its bulk writes retire the cached reads too.

    `update()`, `bulk_create()` and `bulk_update()` skip save() and its signals, so they replace
    the content version themselves. Deletes need nothing: Django sends post_delete for each row
    of a queryset delete when receivers listen. Only raw SQL bypasses this; call
    `content_changed()` after it.
    """

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            content_changed(self.db)
        return rows

    update.alters_data = True
    update.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed(self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            content_changed(self.db)
        return rows

    bulk_update.alters_data = True


def cache_key(name, parts):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"content:{current_version()}:{name}:{get_language() or ''}:{digest}"


def cached(name, parts, compute, timeout=TIMEOUT):
    """`compute()`, or its value cached for this content version, `name`, `parts` and language.

    `parts` must hold everything else the value depends on (the query string, a slug…) and be
    made of plain values; the value must be picklable. A `timeout` of 0 keeps nothing (see
    `query_timeout()`). A failing cache reads as empty (settings' cache backend), so the value is
    computed: the site gets slower, not broken.
    """
    if not timeout:
        return compute()
    key = cache_key(name, parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_each(name, parts_by_key, compute_missing, timeout=TIMEOUT):
    """`cached()` for several values at once: {key: value} for each key of `parts_by_key`.

    The cached ones are read in one round trip; `compute_missing(keys)` computes the others
    together (returning {key: value}), and they are stored in one more.
    """
    if not timeout:
        return compute_missing(list(parts_by_key))
    keys = {key: cache_key(name, parts) for key, parts in parts_by_key.items()}
    found = cache.get_many(list(keys.values()))
    values = {key: found[cache_key_] for key, cache_key_ in keys.items() if cache_key_ in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        cache.set_many({keys[key]: computed[key] for key in missing}, timeout)
        values.update(computed)
    return values


# What one client can make the cache hold is bounded: a page, or a part of it, that depends on the
# query string is kept only when the view declared every parameter in it (after validating its
# value), under the sorted parameters (so `?b=2&a=1` and `?a=1&b=2` share one entry), and for a
# shorter time than the bare URL's (FILTERED_CACHE_SECONDS). Redis's maxmemory with allkeys-lru
# (README, Deploying) bounds the rest.


def canonical_query(request, ignore=()):
    """The request's query parameters as sorted (name, sorted values) pairs, `ignore`d names left out."""
    return tuple(sorted((name, tuple(sorted(values))) for name, values in request.GET.lists() if name not in ignore))


def declare_query(request, names):
    """A view says it reads these query parameters, and that their values in `request` are valid."""
    request.declared_query = getattr(request, "declared_query", frozenset()) | frozenset(names)


def query_timeout(request, timeout=TIMEOUT, ignore=()):
    """How long a read that depends on the request's query (but not on the `ignore`d parameters)
    may be kept: `timeout` without a query, at most FILTERED_CACHE_SECONDS with one, and 0 (not
    kept) if the query holds a parameter the view did not declare (unknown, or its value invalid)."""
    query = canonical_query(request, ignore)
    if not query:
        return timeout
    if not {name for name, _values in query} <= getattr(request, "declared_query", frozenset()):
        return 0
    return min(timeout, settings.FILTERED_CACHE_SECONDS)


def in_order(queryset, ids):
    """The rows of `queryset` with these ids, in this order (ids no longer in it are left out).

    Cached reads keep ids, never rows; the rows are fetched afresh through the caller's
    (published, filtered) queryset, so a row that stopped qualifying can never be shown.
    """
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    return [by_id[pk] for pk in ids if pk in by_id]


class RowsById:
    """`in_order(queryset, ids)`, read only when something iterates, counts or indexes it.

    A list page's rows are usually shown from a kept fragment (`{% cached_fragment %}`, keyed by
    the same content version as the ids): then they are never read. Truth-testing answers from
    the ids alone, so `{% if object_list %}` reads nothing.
    """

    def __init__(self, queryset, ids):
        self.queryset, self.ids, self._rows = queryset, list(ids), None

    def rows(self):
        if self._rows is None:
            self._rows = in_order(self.queryset, self.ids)
        return self._rows

    def __bool__(self):
        return bool(self.ids)

    def __len__(self):
        return len(self.rows())

    def __iter__(self):
        return iter(self.rows())

    def __getitem__(self, index):
        return self.rows()[index]


class ContentVersionMiddleware:
    """Read the content token at most once per request, and afresh for every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_request = _in_request.set(True)
        token = _request_token.set(None)
        try:
            return self.get_response(request)
        finally:
            _request_token.reset(token)
            _in_request.reset(in_request)
