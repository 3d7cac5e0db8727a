"""Settings of the VNG Jaarcongres site.

One module for every deployment: each difference between development, test and production is
read from the environment (see README.md). Defaults are safe: DEBUG is off unless asked for.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "congress",
    "venues",
    "programme",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "import_export",
]

MIDDLEWARE = [
    # The security headers go first so that every response has them, static files included.
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the policy built once (see the class).
    "config.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' pages from the cache, before sessions, auth and CSRF (see the module).
    "congress.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    # Records who made a change, for the history of each session, speaker, venue, page, ...
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congress.context_processors.site",
            ],
        },
    },
]

# PostgreSQL in production (DATABASE_URL=postgres://user:password@host:5432/name; psycopg 3).
# Persistent connections rather than a pool: every gunicorn worker thread serves one request at a
# time, so one connection per thread, kept for CONN_MAX_AGE seconds and checked before reuse
# (CONN_HEALTH_CHECKS, so a restarted PostgreSQL costs no failed request), is all a pool would give,
# without a pool's per-process idle connections to size and tune. Connections in use at most:
# servers x WEB_CONCURRENCY x GUNICORN_THREADS (see DEPLOY.md). Django's PostgreSQL backend with
# a health check that asks the server only when the connection has reason to be dead
# (config/db/postgresql/base.py), not with a `SELECT 1` before every request.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.db.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable database answers within seconds (the friendly 503 page), not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, taking the user read with the session (accounts/backends.py).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login; there is no username.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ProfileSignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth's rate limits stay at their defaults (on): after 5 failed logins for one address within
# 5 minutes (or 10 a minute from one IP) login is refused for a while, with a Dutch message. They
# count in the cache, so production needs a shared cache (Redis) for them to hold across servers.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "VNG Jaarcongres"
MFA_RECOVERY_CODE_COUNT = 10
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[VNG Jaarcongres] "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # the two are exclusive: SSL from the start (465) or STARTTLS (587)
# A mail server that does not answer must not hold a request until gunicorn's timeout.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "VNG Jaarcongres <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Production serves hashed, compressed files made by collectstatic; development and tests serve the
# source files straight from static/ (no collectstatic needed).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Uploaded pictures live in MEDIA_ROOT, unless AWS_STORAGE_BUCKET_NAME names a bucket on
# S3-compatible object storage (AWS, MinIO, Scaleway, ...; needs the `s3` extra: boto3). The key
# pair is read by boto3 from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. The pictures are public,
# so their addresses carry no signature by default: a signed address would expire inside a cached
# page.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
MEDIA_ORIGINS = env_list("MEDIA_ORIGINS")  # where pictures are loaded from, for the CSP
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "location": os.environ.get("AWS_LOCATION", "media"),
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH"),
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
    if _s3["custom_domain"]:
        MEDIA_ORIGINS.append(f"https://{_s3['custom_domain']}")
    elif _s3["endpoint_url"]:
        _endpoint = urlsplit(_s3["endpoint_url"])
        MEDIA_ORIGINS += [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{_endpoint.netloc}",
        ]
    else:
        MEDIA_ORIGINS += [
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_s3['region_name'] or 'us-east-1'}"
            ".amazonaws.com",
        ]

# Uploaded pictures are served by Django itself unless a front server or object storage does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)

# The cache: Redis shared by every server (REDIS_URL=redis://host:6379/0) through Django's own
# Redis backend, made to carry on when Redis is down (config/cache.py). Without REDIS_URL each
# process keeps its own small in-memory cache, enough for one developer's `make run` and the tests.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "vng"),
            "OPTIONS": {
                # A Redis that does not answer costs a request this much, once per RETRY_AFTER.
                "socket_connect_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "RETRY_AFTER": env_float("REDIS_RETRY_AFTER", 5),
            },
        }
    }
    # Sessions are read from Redis and written to both: when Redis is down (or lost its data)
    # they come from the database, and nobody is logged out.
    SESSION_ENGINE = "accounts.cached_sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A per-process cache cannot hold sessions for several processes (a logout in one worker
    # would stay unseen in another): without Redis they live in the database alone.
    SESSION_ENGINE = "accounts.sessions"

# HTTPS: the site is reached over https, directly (gunicorn with a certificate) or through a proxy
# that terminates TLS. Then cookies are sent over https only, browsers are told to use https for a
# year (HSTS, subdomains too) and plain http is redirected. On by default unless DEBUG; `make run`
# and `make serve` on http://127.0.0.1 turn it off. (SECURE_COOKIES is its older name.)
HTTPS = env_bool("HTTPS", env_bool("SECURE_COOKIES", not DEBUG))
# Behind a proxy that terminates TLS, the proxy says so in X-Forwarded-Proto. Trust it only when
# the proxy always sets (overwrites) that header: see DEPLOY.md.
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # Load balancers ask /healthz over plain http.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # `preload` is a promise for the whole registrable domain and hard to take back; the owner of
    # the domain decides (HSTS_PRELOAD=true), not this project. Until then Django's reminder about
    # it (security.W021) is no reason to fail `check --deploy`.
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours (nor of the admin) reads the CSRF cookie: they post the form's own token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Browser features the site never uses, switched off for it and anything it might embed
# (config/middleware.py sends them as Permissions-Policy).
PERMISSIONS_POLICY_OFF = [
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# Pages that search engines must not index or follow (X-Robots-Tag), besides robots.txt.
NOINDEX_PATH_PREFIXES = ["/beheer/", "/account/"]

# Content-Security-Policy (django-csp): our own scripts, styles, fonts and pictures only; no inline
# script or style, no eval. JSON-LD blocks (<script type="application/ld+json">) are data and are
# not executed, so they need no exception. The admin pages live under the same policy: Django's
# admin, django-import-export, django-simple-history and allauth's MFA pages all work under it
# (tests/browser/test_content_security_policy.py fails on any violation). `data:` pictures are
# allauth's QR code for setting up an authenticator app and the admin's own icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, *MEDIA_ORIGINS],
        "object-src": [NONE],
        "frame-src": [NONE],
        "worker-src": [NONE],
        "manifest-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    }
}

# Limits on what a request may send. A form (not its files) is at most 2.5 MB and 2000 fields (the
# admin's bulk actions post one field per chosen session); files above 2.5 MB go to a temporary
# file, not memory. The whole body is at most MAX_REQUEST_BODY_MB (30 MB: the admin uploads
# pictures of up to 10 MB, now and then more than one in a form); beyond that the site answers 413
# with a Dutch page before reading it (config/middleware.py). The proxy in front should refuse the
# same (client_max_body_size in DEPLOY.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
MAX_REQUEST_BODY_SIZE = env_int("MAX_REQUEST_BODY_MB", 30) * 1024 * 1024

# Logs go to stdout, one line per event (tracebacks included, their line breaks escaped): request
# errors, our own warnings (Redis unavailable, ...), and with gunicorn its access and error logs
# (gunicorn.conf.py uses the same format).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "config.logging.OneLineFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (console with DEBUG, mail to ADMINS) go: everything reaches the
        # root handler once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# django-import-export in /beheer/: importing sessions, speakers or locations needs the permission
# to change them (and the admin also asks to add), exporting the permission to view them. Every
# import runs in one transaction, so a file with one bad row changes nothing.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True


# How long an anonymous visitor's page stays in the cache at most (seconds; 0 turns the page cache
# off). Pages never go stale: any edit makes every stored page unreachable (congress/content.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# On PostgreSQL each worker process listens for version changes on one connection of its own, so
# that a cache hit asks the database nothing (congress/version_watch.py). Turn off behind a pooler
# that passes no notifications on (PgBouncer in transaction mode): the version is then read per
# request.
PAGE_CACHE_LISTEN = env_bool("PAGE_CACHE_LISTEN", True)

# Long lists come in pages of this many items, so a page costs the same at any congress size.
PROGRAMME_PAGE_SIZE = 100
SPEAKERS_PAGE_SIZE = 100

# The public address of the site, for links in emails sent outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
