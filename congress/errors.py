"""Error pages. Like Django's own, they are rendered without the request's context: no session,
user or current congress, so they show even when what failed is the database.
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

# What a database that cannot be reached (or dropped the connection) raises.
DATABASE_DOWN = (OperationalError, InterfaceError)


def bad_request(request, exception):
    """400; a body with too much form data or too many fields gets the 413 page."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return too_large()
    return defaults.bad_request(request, exception)


def server_error(request):
    """500, or the friendly 503 page when the database cannot be reached."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def too_large():
    """413: the request sends more than the site accepts (MAX_REQUEST_BODY_SIZE)."""
    megabytes = settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)
    body = loader.get_template("413.html").render({"max_megabytes": megabytes})
    return HttpResponse(body, status=413)
