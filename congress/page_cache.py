"""The anonymous page cache: public pages served from Django's cache, never stale.

A visitor without a session (no session or messages cookie) sees exactly what every other such
visitor sees, so the answer to a GET of a public page is kept in the default cache under:

    the content version (congress/content.py) · scheme and host · path · full query string ·
    the type the Accept header prefers (HTML, or an export /programma/ would redirect to)

Any edit of congress content bumps the version, after which no stored page can be found again:
an edit shows at once, in every worker and on every server. A stored answer also expires on its
own when the page changes with the clock (a session starts, sign-up closes: `changes_at()`).

The middleware sits right after WhiteNoise, before sessions, authentication and CSRF: a hit costs
no rendering and at most one query (the version: a primary-key lookup in a one-row table), on
PostgreSQL mostly none (the version is remembered until the database says it changed:
congress/version_watch.py). A miss renders the page as usual and stores it only when it is a 200
answer of a cacheable type with no cookie set (so no CSRF token was rendered), for a visitor still
anonymous, and not marked personal by the view (`personal()`).

Every answer from the cache, and every storable answer, carries a weak ETag (a hash of the body),
Last-Modified (when the content version last changed, or when the page last changed by the clock)
and `Cache-Control: no-cache`, and is answered with 304 when the visitor's copy is current. The
body is kept gzipped too, and sent so to visitors whose browsers accept gzip. Pages for visitors
with a session get `Cache-Control: private` and `Vary: Cookie`, never an ETag of anonymous state.

A failing cache backend (Redis down) is a miss: the page is rendered and served, with a warning.
"""

import gzip
import hashlib
import logging
import re
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .content import VERSION_ROW
from .current import ColumnConverter
from .version_watch import watch

logger = logging.getLogger(__name__)

CACHED_CONTENT_TYPES = (
    "text/html",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "text/calendar",
    "text/plain",
)
# Media types an Accept header may prefer over HTML: each is a variant of its own in the key.
VARIANT_TYPES = ["text/html", "application/json", "text/calendar"]
# Vary headers the key already covers (Accept by the variant, Cookie by serving only visitors
# without a session); an answer that varies on anything else is not stored.
COVERED_VARY = {"cookie", "accept", "accept-encoding"}
# Headers made per answer, not stored with the page.
UNSTORED_HEADERS = {
    "set-cookie",
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "date",
}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
SMALLEST_TO_COMPRESS = 200  # bytes; below this gzip saves nothing worth a header
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage

_MOMENTS = "_page_cache_moments"
_PERSONAL = "_page_cache_personal"


@lru_cache(maxsize=256)
def _variant(accept):
    """The type of VARIANT_TYPES an Accept header prefers; browsers send a handful of headers,
    so each is parsed once."""
    request = HttpRequest()
    request.META["HTTP_ACCEPT"] = accept
    return request.get_preferred_type(VARIANT_TYPES) or "text/html"


def changes_at(request, *moments):
    """Tell the cache that this page changes by itself at these moments (None is ignored).

    A stored copy then expires at the first of them still ahead, and Last-Modified is at least
    the last of them already past.
    """
    setattr(request, _MOMENTS, [*getattr(request, _MOMENTS, []), *filter(None, moments)])


def personal(request):
    """Mark this answer as made for this visitor alone: it is never stored."""
    setattr(request, _PERSONAL, True)


def _excluded_prefixes():
    """Paths never served from the cache: the admin, accounts, my programme, uploads, health."""
    return tuple(
        prefix
        for prefix in (
            reverse("admin:index"),
            "/account/",
            reverse("my_programme:list"),
            settings.MEDIA_URL,
            settings.STATIC_URL,
            reverse("healthz"),
        )
        if prefix
    )


class _VersionReader:
    """The content version, with the cheapest statement there is: a primary-key lookup, written
    out and read with a plain cursor. It runs on every anonymous request, where it is all a cache
    hit asks of the database; building it with the ORM would cost more than the rest of a hit."""

    def __init__(self, connection):
        from .models import ContentVersion

        quote = connection.ops.quote_name
        self.sql = (
            f"SELECT {quote('number')}, {quote('changed_at')} "
            f"FROM {quote(ContentVersion._meta.db_table)} WHERE {quote('id')} = %s"
        )
        changed_at = ContentVersion._meta.get_field("changed_at")
        self.convert_changed_at = ColumnConverter(
            changed_at.get_col(ContentVersion._meta.db_table), connection
        )

    def read(self, connection):
        """(number, changed_at); (0, None) without a version row (a database emptied since)."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [VERSION_ROW])
            row = cursor.fetchone()
        if row is None:
            return 0, None
        number, changed_at = row
        return number, self.convert_changed_at(changed_at, connection)


_readers = {}


def _read_from(connection):
    reader = _readers.get(connection.vendor) or _readers.setdefault(
        connection.vendor, _VersionReader(connection)
    )
    return reader.read(connection)


def _read_version():
    """(number, changed_at) of the content now: on PostgreSQL mostly without a query, told of
    every change by the database (congress/version_watch.py)."""
    return watch.version(_read_from)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = None
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)

    def __call__(self, request):
        if not self.is_cacheable_request(request):
            return self.mark_private(request, self.get_response(request))
        version, changed_at = _read_version()
        key = self.key(request, version)
        entry = self.cache_get(key)
        if entry is None:
            response = self.get_response(request)
            if not self.is_storable(request, response):
                return response
            entry = self.entry(request, response, changed_at)
            self.cache_set(key, entry)
        return self.respond(request, entry)

    # -- which requests and answers ------------------------------------------------------------
    def is_cacheable_request(self, request):
        if request.method not in ("GET", "HEAD") or not self.timeout:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
            return False
        if self.excluded is None:
            self.excluded = _excluded_prefixes()
        if request.path.startswith(self.excluded):
            return False
        try:
            request.get_host()
        except DisallowedHost:
            return False  # answered (400) the usual way, and never stored
        return True

    def is_storable(self, request, response):
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or getattr(request, _PERSONAL, False):
            return False
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in CACHED_CONTENT_TYPES:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if len(settings.LANGUAGES) == 1:
            vary.discard("accept-language")  # LocaleMiddleware says so, but there is one language
        if not vary <= COVERED_VARY:
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    def mark_private(self, request, response):
        """Answers to a visitor with a session are for that visitor's browser only."""
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_vary_headers(response, ("Cookie",))
            if "Cache-Control" not in response:
                response["Cache-Control"] = "private, no-cache"
            elif "no-store" not in response["Cache-Control"]:
                patch_cache_control(response, private=True)
        return response

    # -- the cache -----------------------------------------------------------------------------
    def key(self, request, version):
        variant = _variant(request.META.get("HTTP_ACCEPT", ""))
        where = f"{request.scheme}://{request.get_host()}{request.path}"
        query = request.META.get("QUERY_STRING", "")
        digest = hashlib.sha256(f"{variant} {where}?{query}".encode()).hexdigest()
        return f"page:{version}:{digest}"

    def cache_get(self, key):
        try:
            return cache.get(key)
        except Exception:  # noqa: BLE001 - any backend failure (Redis down) is a miss
            logger.warning("Page cache unavailable; serving without it.", exc_info=True)
            return None

    def cache_set(self, key, entry):
        timeout = self.timeout
        if entry["expires"] is not None:
            timeout = max(1, min(timeout, int(entry["expires"] - timezone.now().timestamp())))
        try:
            cache.set(key, entry, timeout)
        except Exception:  # noqa: BLE001 - the page is served all the same
            logger.warning("Page cache unavailable; page not stored.", exc_info=True)

    def entry(self, request, response, changed_at):
        now = timezone.now()
        moments = getattr(request, _MOMENTS, [])
        last_modified = max(
            # Without a version row (a database emptied since), the page is as new as itself.
            [changed_at or now] + [moment for moment in moments if moment <= now]
        )
        ahead = [moment for moment in moments if moment > now]
        body = response.content
        compressed = None
        if len(body) >= SMALLEST_TO_COMPRESS:
            compressed = gzip.compress(body, compresslevel=6, mtime=0)
            if len(compressed) >= len(body):
                compressed = None
        return {
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ],
            "body": body,
            "gzip": compressed,
            "etag": f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"',
            "last_modified": int(last_modified.timestamp()),
            "expires": min(ahead).timestamp() if ahead else None,
        }

    def respond(self, request, entry):
        response = HttpResponse()
        for name, value in entry["headers"]:
            response[name] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
        )
        if conditional is not response:
            return conditional
        accepts_gzip = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if entry["gzip"] is not None and accepts_gzip:
            response.content = entry["gzip"]
            response["Content-Encoding"] = "gzip"
        else:
            response.content = entry["body"]
        response["Content-Length"] = str(len(response.content))
        return response
