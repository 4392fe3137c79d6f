"""Production settings plus the benchmark-only routes (the "static floor" and a state probe).

Everything comes from digest_site.settings as it is in production (DJANGO_ENV=production, DEBUG
off, WhiteNoise, the same middleware). Only two things differ, neither on the path of a real page:
- ROOT_URLCONF adds /__floor__/ and /__bench__/ *after* the real URL patterns;
- STATIC_ROOT points under benchmarks/.data/, so that `collectstatic` (which the manifest
  storage of production needs) writes nothing outside benchmarks/.
"""

from pathlib import Path

from digest_site.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
STATIC_ROOT = Path(__file__).resolve().parent / ".data" / "staticfiles"
