"""Requests through Django's WSGI application as gunicorn makes them: the request signals close and
check database connections as in production (the test client leaves them out)."""

from wsgiref.util import setup_testing_defaults


def wsgi_get(site, path):
    """(status code, body) of a GET through the WSGI application, closed as a server closes it."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT": "text/html"}
    setup_testing_defaults(environ)
    statuses = []
    result = site(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(result)
    finally:
        result.close()
    return int(statuses[0].split()[0]), body.decode()
