"""The health check of kept PostgreSQL connections (config/db/postgresql/base.py).

Requests go through Django's WSGIHandler, as gunicorn calls it, so that the request signals close
and check connections as in production (the test client leaves them out). What the connection
sends to the server is read from libpq's own trace of the protocol.
"""

import tempfile
import time
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import ProgrammingError, connection, connections

from config.db.postgresql.base import DatabaseWrapper

from ..wsgi import wsgi_get

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAGE = "/programma/"


get = wsgi_get


@contextmanager
def statements_sent():
    """The SQL statements the default connection sends to the server meanwhile."""
    from psycopg import pq

    sent = []
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile() as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield sent
        finally:
            pgconn.untrace()
        trace.seek(0)
        for line in trace.read().decode().splitlines():
            # <F(rontend) or B(ackend)> <length> <message> <contents>, e.g. F 13 Query "SELECT 1"
            direction, _, message, contents = line.split("\t", 3)
            if direction == "F":
                # Any other message than a simple query (a prepared statement's Parse, ...) is
                # listed by its name, so that nothing sent goes unseen.
                sent.append(contents.strip()[1:-1] if message == "Query" else message)


def backend_pid():
    return connection.connection.info.backend_pid


def terminate_backend(pid):
    """What an administrator, a failover or a restart does to a connection: end it from outside."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # Waits (up to 5 s) until that backend has gone.
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


@pytest.fixture
def site(congress, settings):
    """The site with a current congress, its programme page stored in the page cache.

    The content version is read on every request here (no listening, congress/version_watch.py),
    so that a cache hit makes exactly one query: the request the health check is about.
    """
    settings.PAGE_CACHE_LISTEN = False
    site = WSGIHandler()
    assert get(site, PAGE)[0] == 200
    return site


def test_a_cache_hit_on_a_busy_connection_sends_only_the_content_version_query(site):
    get(site, PAGE)

    with statements_sent() as sent:
        status, _ = get(site, PAGE)

    assert status == 200
    assert len(sent) == 1
    assert sent[0].startswith('SELECT "number", "changed_at" FROM "congress_contentversion"')


def test_terminated_database_connection_is_replaced_before_the_next_request(site, congress):
    terminated = backend_pid()
    terminate_backend(terminated)

    status, body = get(site, PAGE)

    assert status == 200
    assert f"<title>Programma · {congress.name}" in body
    assert backend_pid() != terminated


def test_a_connection_closed_under_django_is_replaced_before_the_next_request(site):
    closed = backend_pid()
    connection.connection.close()

    status, _ = get(site, PAGE)

    assert status == 200
    assert backend_pid() != closed


def test_a_connection_idle_for_longer_than_the_threshold_is_checked_with_the_server(
    site, monkeypatch
):
    monkeypatch.setattr(DatabaseWrapper, "IDLE_SECONDS", 0.2)
    get(site, PAGE)
    time.sleep(0.3)

    with statements_sent() as sent:
        status, _ = get(site, PAGE)

    assert status == 200
    assert len(sent) == 2
    assert sent[0] == "SELECT 1"
    assert sent[1].startswith('SELECT "number", "changed_at" FROM "congress_contentversion"')


def test_a_failed_query_makes_the_connection_checked_with_the_server_at_the_end_of_a_request(
    site,
):
    """A query that fails for another reason than the data leaves the connection in doubt."""
    with pytest.raises(ProgrammingError), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")

    with statements_sent() as sent:
        connection.close_if_unusable_or_obsolete()

    assert sent == ["SELECT 1"]
    assert connection.errors_occurred is False
