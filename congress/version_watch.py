"""The content version without a query per request, on PostgreSQL: told by the database, not asked.

A cache hit of the anonymous page cache (congress/page_cache.py) needs the current content
version, and reading it is then all the database work of the request: one round trip, with the
server's CPU on top, on every anonymous page view. On PostgreSQL each worker process instead keeps
one more connection that LISTENs on a channel, and a trigger on the version table
(congress/migrations/0011) NOTIFYs that channel in every transaction that changes the table: a
bump, a row made or deleted, a TRUNCATE (a test database flushed), also by hand in psql.
PostgreSQL delivers a notification when its transaction commits, to every listener, in every
process and on every server.

So a process may remember the version it read, as long as:

- it was listening before it read (a change committed after the read is then always told);
- nothing has arrived on the listening socket since: anything readable there (a notification,
  an error, the connection closing) makes the next request read the version again. Looking costs
  a poll() on the socket, a few microseconds;
- the read was not made inside a transaction (`atomic()`), whose view could still roll back: a
  request in a transaction, as in tests, reads every time;
- it is younger than MAX_AGE seconds: a bound, whatever the socket says, for what the protocol
  cannot tell (a listening connection lost without a word);
- the process is the one that read it (a forked worker starts afresh: a socket is not shared).

A process that bumps the version forgets what it remembered at once, without waiting for its own
notification. Between the commit of a change and the arrival of its notification lies a moment
(microseconds) in which a request in another process still gets the previous page: the same as a
request that read the version from the database a moment before the commit.

When the listening connection cannot be opened, or the trigger is missing (a database not made by
the migrations), the version is read on every request, as on SQLite, and listening is tried again
after RETRY_SECONDS. PAGE_CACHE_LISTEN=false turns listening off, for a connection pooler that
does not pass notifications on (PgBouncer in transaction mode): see DEPLOY.md.
"""

import contextlib
import logging
import os
import select
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

CHANNEL = "congress_content_version"
TRIGGER = "congress_content_version_notify"


class VersionWatch:
    # Seconds a remembered version is used at most before it is read again, notified or not.
    MAX_AGE = 5.0
    # Seconds before listening is tried again after it failed.
    RETRY_SECONDS = 5.0

    def __init__(self, alias=DEFAULT_DB_ALIAS):
        self.alias = alias
        self.lock = threading.Lock()
        self._start()

    def _start(self):
        self.pid = os.getpid()
        self.listener = None
        self.known = None
        self.known_at = 0.0
        self.retry_at = 0.0

    def version(self, read):
        """The content version: `read(connection)` reads it from the database, when needed."""
        connection = connections[self.alias]
        if (
            connection.vendor != "postgresql"
            or connection.in_atomic_block
            or not getattr(settings, "PAGE_CACHE_LISTEN", True)
        ):
            return read(connection)
        with self.lock:
            if self.pid != os.getpid():
                self._start()  # a forked child must not read its parent's socket
            now = time.monotonic()
            if self.listener is None and now >= self.retry_at:
                self._listen(connection)
            if self.listener is None:
                return read(connection)
            if self._told() or self.known is None or now - self.known_at > self.MAX_AGE:
                self.known = None
                self.known = read(connection)
                self.known_at = now
            return self.known

    def forget(self):
        """Read the version again on the next request (this process has just changed it)."""
        with self.lock:
            self.known = None

    def close(self):
        with self.lock:
            self._drop()

    # -- the listening connection --------------------------------------------------------------
    def _listen(self, connection):
        import psycopg

        from .models import ContentVersion

        params = connection.get_connection_params()
        for django_only in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(django_only, None)
        # The kernel notices a silently lost server within about a minute (MAX_AGE bounds it).
        params.setdefault("keepalives", 1)
        params.setdefault("keepalives_idle", 30)
        params.setdefault("keepalives_interval", 10)
        params.setdefault("keepalives_count", 3)
        listener = None
        try:
            listener = psycopg.Connection.connect(**params, autocommit=True)
            has_trigger = listener.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgenabled <> 'D'"
                " AND tgrelid = to_regclass(%s))",
                [TRIGGER, connection.ops.quote_name(ContentVersion._meta.db_table)],
            ).fetchone()[0]
            if not has_trigger:
                raise LookupError(f"no trigger {TRIGGER} in this database (run the migrations)")
            listener.execute(f"LISTEN {CHANNEL}")
        except Exception:  # noqa: BLE001 - without it the version is read per request, as before
            logger.warning(
                "Not listening for content version changes; reading the version per request.",
                exc_info=True,
            )
            if listener is not None:
                listener.close()
            self.retry_at = time.monotonic() + self.RETRY_SECONDS
            return
        self.listener = listener
        self.known = None  # whatever was read before listening proves nothing

    def _told(self):
        """Whether anything arrived on the listening socket; reads and discards it all."""
        from psycopg import pq

        pgconn = self.listener.pgconn
        try:
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN)
            if not poller.poll(0):
                return False
            pgconn.consume_input()
            while pgconn.notifies() is not None:
                pass
            if pgconn.status != pq.ConnStatus.OK:
                raise ConnectionError("the listening connection is closed")
        except Exception:  # noqa: BLE001 - lost: read per request until listening again
            logger.warning("Lost the content version listener; listening again.", exc_info=True)
            self._drop()
        return True

    def _drop(self):
        if self.listener is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self.listener.close()
        self.listener = None
        self.known = None


watch = VersionWatch()
