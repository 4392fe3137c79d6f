"""Settings for the test suite: the site's settings, with what makes tests fast and self-contained.

Named in pyproject.toml (pytest's DJANGO_SETTINGS_MODULE); nothing else uses it.
"""

from digest_site.settings import *  # noqa: F403

# The suite logs users in many times; a password hash's strength is not under test here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Always this process's own memory, whatever REDIS_URL says: each test empties the cache, which
# must never flush a Redis that others share. (Tests of Redis itself start their own server.)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
