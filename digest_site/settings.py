"""Settings for the Cybersecurity and Data Protection Review site.

One module, read from the environment. Development defaults are safe and need nothing
installed: SQLite in the project folder, DEBUG off unless asked for. Production is chosen
with DJANGO_ENV=production, which requires SECRET_KEY and hardens cookies and transport.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, JSON

from core.spreadsheets.formats import WholeSheetXLSX

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # A fixed key is acceptable only outside production: it signs nothing of value there.
    SECRET_KEY = "development-only-key-not-for-production-use-4f9c2b7e1d"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, whose site guards every model admin against malformed addresses.
    "core.admin_site.ReviewAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "regulators",
    "items",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte in the path (404) or query string (400) is answered before any view or query.
    "core.nul_bytes.RefuseNulBytesMiddleware",
    "core.db_router.ReplicaReadsMiddleware",
    # A database outage answers a plain 503 page (templates/503.html), never a traceback.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Cached public reads are keyed by the content version, read once per request.
    "core.content_cache.ContentVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Whole pages for readers without a session, under the content version (page_cache.py).
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digest_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% cached_fragment %}, for both apps' templates.
            "libraries": {"fragments": "core.fragments"},
        },
    },
]

WSGI_APPLICATION = "digest_site.wsgi.application"

# One branch: DATABASE_URL names the database (PostgreSQL in production), else SQLite here.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# When PostgreSQL is down, unreachable or hung (accepting connections, never answering), a request
# fails within `connect_timeout` (1 s: ample for a handshake on a local network; the libpq 17 of
# psycopg2-binary honours it, older ones take at least 2 s) and answers 503 through
# core.middleware, instead of holding a worker while the attempt hangs; after a failed
# attempt, the process's next attempts fail at once for DB_CONNECT_RETRY_SECONDS (our backend,
# core/postgresql), so neither the rest of the request nor the requests queued behind it
# wait again. PostgreSQL's JIT compiler is off: it fires on queries whose cost estimate is large
# (the CSV export of every action: 450 ms of compiling for a 1 s query) and never pays for itself
# on a web request.
DB_CONNECT_RETRY_SECONDS = float(os.environ.get("DB_CONNECT_RETRY_SECONDS", "2"))


def postgresql_database(config):
    """`config` (dj-database-url's) with our PostgreSQL backend and connection options."""
    config = {**config, "ENGINE": "core.postgresql", "OPTIONS": dict(config.get("OPTIONS", {}))}
    config["OPTIONS"].setdefault("connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "1")))
    config["OPTIONS"].setdefault("options", "-c jit=off")
    return config


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"] = postgresql_database(DATABASES["default"])

# Reads of anonymous public pages may go to a read replica (core/db_router.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"] = postgresql_database(DATABASES["replica"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): AxesStandaloneBackend refuses a locked-out login before the
# password is checked. A lock holds one username from one IP address, so a guesser cannot lock a
# colleague out from elsewhere. The IP is REMOTE_ADDR (django-ipware is not installed), never a
# raw X-Forwarded-For header a client could forge: behind a reverse proxy every client then shares
# the proxy's address and the lock holds a username from anywhere, until ipware is installed and
# AXES_IPWARE_PROXY_COUNT / AXES_IPWARE_META_PRECEDENCE_ORDER describe the proxy.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # An upload waiting between an import's preview and its confirmation: under MEDIA_ROOT, which
    # every app server shares, so the confirm step may reach another machine (never served as media).
    "import_export": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "pending-imports", "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production, WhiteNoise serves static files straight from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads (newsletter originals, import files) are bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000


def redis_cache(url):
    """The cache settings for Redis at `url`: a dead or hung Redis costs a request at most one
    short timeout, after which the site works uncached for a few seconds (resilient_cache.py)."""
    timeout = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
    return {
        "BACKEND": "core.resilient_cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "RETRY_AFTER": float(os.environ.get("REDIS_RETRY_SECONDS", "5")),
        },
    }


REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rendered public pages kept for anonymous readers (core/page_cache.py); a change of
# content retires them at once, so this only bounds how long an unvisited page stays stored.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# Pages and cached parts of a URL with a query string (a filtered list) are rarer and many: they
# are kept this long at most, so that one client asking for many variants cannot fill the cache.
FILTERED_CACHE_SECONDS = int(os.environ.get("FILTERED_CACHE_SECONDS", "600"))

# django-import-export: imports need an explicit permission, exports are for staff who may view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# The admin shows a preview (a dry run) of every import and saves only when it is confirmed.
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False
# XLSX imports read every row of the sheet, not just as many as its header declares.
IMPORT_EXPORT_FORMATS = [CSV, WholeSheetXLSX, JSON]
# The library's own escaping deletes a leading "=" and misses + - @; resources neutralise instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# The admin import form refuses larger files (the library has no limit of its own).
IMPORT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The pending upload waits in STORAGES["import_export"] (shared), not in one machine's /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# A file with more rows is previewed and imported by a background job (core/spreadsheets/jobs.py) whose progress
# the editor watches: row by row, with history, an import runs at about a hundred rows a second,
# so a bigger file would outlast the app server's 20-second request timeout.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "200"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "review@localhost")
# SMTP, when chosen with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend, is set up
# from the environment; the file backend (…filebased.EmailBackend) writes to EMAIL_FILE_PATH.
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))

# Email alerts (alerts app; `manage.py send_alerts` from cron). ALERT_SITE_URL is the public
# address that links in emails sent outside a request point to.
ALERT_SITE_URL = os.environ.get("ALERT_SITE_URL", "http://127.0.0.1:8000")
ALERT_REMINDER_DAYS = int(os.environ.get("ALERT_REMINDER_DAYS", "7"))
# Days before a comment deadline or an entry into force that the iCal feed's events remind readers.
CALENDAR_ALARM_DAYS = int(os.environ.get("CALENDAR_ALARM_DAYS", "7"))
ALERT_CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)
ALERT_CONFIRMATIONS_PER_HOUR = int(os.environ.get("ALERT_CONFIRMATIONS_PER_HOUR", "5"))
# Follow requests (each one a confirmation email) per client address, beside the per-recipient
# budget above: one address cannot mail many inboxes (core/throttles.py).
ALERT_FOLLOW_CLIENT_RATE = os.environ.get("ALERT_FOLLOW_CLIENT_RATE", "20/hour")
ALERT_CLAIM_TIMEOUT = datetime.timedelta(minutes=30)
ALERT_MAX_MATCHES_PER_ALERT = 100

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): pages load only their own scripts, styles, images and
# fonts; no inline script anywhere. The admin's templates carry style attributes, hence
# 'unsafe-inline' for styles only. Nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The read-only JSON API (Django REST framework, api/): anonymous, so no authentication (no session,
# no CSRF) and read-only for anyone; JSON only (the browsable API needs inline script, which the
# CSP forbids); throttled per client address through the cache. NUM_PROXIES=0 takes the address
# from REMOTE_ADDR, never from an X-Forwarded-For header a client could forge; behind a reverse
# proxy, set API_NUM_PROXIES to the number of proxies in front of the site.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "60/min")},
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The public enforcement CSV (every filtered row) per client address, counted like the API's
# requests (core/throttles.py).
EXPORT_ANON_RATE = os.environ.get("EXPORT_ANON_RATE", "20/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Cybersecurity and Data Protection Review API",
    "DESCRIPTION": (
        "Read-only access to the published issues, news items, enforcement actions, instruments, "
        "regulators and organisations of the Review, with the same filters as the site's pages. "
        "Add format=csv to a list for every row of the same query as CSV."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed drf-spectacular-sidecar package: nothing is fetched from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every date's precision (day, month, year) is one choice set: name it once.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "core.dates.DatePrecision"},
}
