"""Middleware for what every response must carry and what no request may send."""

from django.conf import settings

from congress.errors import too_large


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
