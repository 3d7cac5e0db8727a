"""Middleware for what every response must carry and what no request may send."""

import http
from dataclasses import fields

from csp import utils as csp_utils
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.conf import settings

from congress.errors import too_large


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the policy built from settings once rather than per response.

    django-csp builds both headers (the policy and the report-only policy) from settings for every
    response, about 15% of the time a page from the page cache takes. A response that changes
    nothing of its own (no csp_update, csp_replace or csp decorator on its view) on a request that
    made no nonce gets exactly what settings give, the same every time: those two header values
    are built at the first such response and kept, along with their EXCLUDE_URL_PREFIXES. They
    are kept for the very CONTENT_SECURITY_POLICY and CONTENT_SECURITY_POLICY_REPORT_ONLY objects
    they were built from, so that a setting replaced (override_settings, a test's `settings`) is
    built anew; a setting changed in place is not seen (Django's settings are not for changing).

    Every other response goes through django-csp unchanged; for these the logic below is
    django-csp 4.0's `process_response`, only the two header values taken from what was kept.
    Check it against django-csp's before a new major version.
    """

    built = None  # (policy setting, report-only setting, what they give: see from_settings())

    def process_response(self, request, response):
        if not (
            settings_alone(self.get_policy_parts(request=request, response=response))
            and settings_alone(
                self.get_policy_parts(request=request, response=response, report_only=True)
            )
        ):
            return super().process_response(request, response)

        # As django-csp's: Django's debug pages for 404 and 500 go without.
        exempted_debug_codes = (http.HTTPStatus.INTERNAL_SERVER_ERROR, http.HTTPStatus.NOT_FOUND)
        if response.status_code in exempted_debug_codes and settings.DEBUG:
            return response
        csp, prefixes, csp_ro, prefixes_ro = self.from_settings()
        for header, value, exempt, excluded in (
            (HEADER, csp, "_csp_exempt", prefixes),
            (HEADER_REPORT_ONLY, csp_ro, "_csp_exempt_ro", prefixes_ro),
        ):
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = value
        # No nonce was made (or the policy would be the request's own): from now on asking for one
        # is an error, as with django-csp.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def from_settings(self):
        """(policy, its excluded prefixes, report-only policy, its excluded prefixes)."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        policy_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = self.built
        if built is None or built[0] is not policy or built[1] is not policy_ro:
            built = self.built = (
                policy,
                policy_ro,
                csp_utils.build_policy(),
                tuple((policy or {}).get("EXCLUDE_URL_PREFIXES", None) or ()),
                csp_utils.build_policy(report_only=True),
                tuple((policy_ro or {}).get("EXCLUDE_URL_PREFIXES", None) or ()),
            )
        return built[2:]


def settings_alone(parts):
    """Whether a policy made of these parts (django-csp's PolicyParts) is the one of settings."""
    return all(getattr(parts, field.name) is None for field in fields(parts))


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware and django-csp do not send.

    - Permissions-Policy: the browser features the site never uses, off (PERMISSIONS_POLICY_OFF).
    - X-Robots-Tag: the back office and the account pages are never indexed, whatever a crawler
      makes of robots.txt (NOINDEX_PATH_PREFIXES). A response that set its own keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_OFF
        )
        self.noindex_prefixes = tuple(settings.NOINDEX_PATH_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if request.path_info.startswith(self.noindex_prefixes):
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


# A body this much larger than the limit is not read at all: the connection is simply closed.
DRAIN_AT_MOST = 2


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BODY_SIZE with a Dutch 413 page.

    Django itself caps only the form fields it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE); files
    would be streamed to disk whatever their size. The size is known from Content-Length before
    anything is read (Django reads no body without one). The body is then read and thrown away
    (up to twice the limit) so that the browser, still sending, gets to see the page instead of a
    broken connection.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BODY_SIZE
        if length > limit:
            if length <= DRAIN_AT_MOST * limit:
                drain(request.META["wsgi.input"], length)
            return too_large()
        return self.get_response(request)


def drain(stream, length, chunk_size=64 * 1024):
    left = length
    while left > 0:
        chunk = stream.read(min(chunk_size, left))
        if not chunk:
            break
        left -= len(chunk)
