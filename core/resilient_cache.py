"""Django's Redis cache backend, made to survive a dead or hung Redis: the site works uncached.

Every read and write of the cache in the site goes through this backend (the content cache, the
whole-page cache, fragments, DRF's API throttle, `warm_pages`), so none of them needs a guard of
its own. When Redis refuses connections, or accepts them and never answers, a call:
- waits at most the socket timeouts (well under a second; redis-py waits forever by default, and
  would retry a timed-out command), then answers as a missing key: `get()` gives the default,
  `get_many()` nothing, `add()` False, writes are dropped. The callers compute instead, and the
  API's throttle lets the request through;
- marks this Redis as down for `RETRY_AFTER` seconds in this process (a circuit breaker): until
  then every call answers "missing" at once, without a connection attempt. A page making ten cache
  calls thus waits one timeout, not ten, and a sync worker at most one per `RETRY_AFTER` seconds.
  One warning is logged per outage and process, not one per call.
Errors that are not about reaching Redis (a programming error such as an unpicklable value) are
raised as usual. `clear()` is not guarded: emptying a cache that cannot be reached is an error the
operator must see.

OPTIONS (settings.CACHES) takes redis-py's connection options, e.g. `socket_connect_timeout` and
`socket_timeout` in seconds, plus `RETRY_AFTER` (seconds) for the breaker.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 0.25
DEFAULT_RETRY_AFTER = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# {servers: monotonic time until which they are taken as down}: per process, shared by its threads
# (Django keeps one cache object per thread).
_down_until = {}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        options.setdefault("socket_connect_timeout", DEFAULT_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", DEFAULT_TIMEOUT_SECONDS)
        # One attempt per call: the breaker, not a retry loop, decides when to try again.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._servers_key = tuple(self._servers)

    def is_down(self):
        return time.monotonic() < _down_until.get(self._servers_key, 0.0)

    def _guard(self, fallback, operation, *args, **kwargs):
        if self.is_down():
            return fallback
        try:
            return operation(*args, **kwargs)
        except UNREACHABLE as error:
            _down_until[self._servers_key] = time.monotonic() + self.retry_after
            logger.warning(
                "Cache unavailable (%s: %s): working uncached for %s s.",
                error.__class__.__name__,
                error,
                self.retry_after,
            )
        except RedisError as error:  # Redis answered with an error (e.g. out of memory)
            logger.warning("Cache error (%s: %s): working uncached.", error.__class__.__name__, error)
        return fallback

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guard(missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value
