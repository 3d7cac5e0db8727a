"""Django's PostgreSQL backend with a health check that costs no round trip on a busy connection.

Why: connections are kept between requests (CONN_MAX_AGE) and checked before reuse
(CONN_HEALTH_CHECKS), so that a restarted PostgreSQL, or a backend terminated by an administrator
or a failover, costs no visitor a 500: the dead connection is replaced before the request's first
query. Django checks by sending `SELECT 1` before the first query of every request. An anonymous
visitor's page served from the page cache (congress/page_cache.py) costs exactly one query, the
content version; the check doubled that, one extra round trip on every hit, the page cache's whole
database cost.

What this backend checks instead, before the first query of a request (`is_usable()`):

- no connection, or psycopg knows it is closed or broken: not usable (Django reconnects);
- a query failed since the last check (`errors_occurred`), or the connection is not idle (a
  transaction left failed or active): the real check, Django's `SELECT 1`;
- the connection's socket is readable although no query is running: the server sent something
  unasked. When PostgreSQL shuts down or terminates a backend (`pg_terminate_backend`), the
  backend sends a FATAL error and closes the socket; both make it readable. The real check then
  finds the connection dead and Django opens a new one;
- no cursor was opened on the connection for more than IDLE_SECONDS: the real check, for what
  sends nothing (a network path or a server host gone silently);
- otherwise the connection was used moments ago and nothing came since: usable, without asking
  the server. Looking costs a poll() on the socket, a few microseconds.

The trade-off: a connection that dies without a word (no FIN, no RST: a cable pulled, a firewall
forgetting the connection) within IDLE_SECONDS of its last use is trusted once. That request's
query fails (the friendly 503 page), and Django, seeing the error, checks the connection for real
at the end of the request and drops it; the next request gets a new one. Django's own check would
not have helped much there: a `SELECT 1` into a silent network waits for TCP to give up too.

psycopg 3 only (the project requires it).
"""

import select
import time

from django.db.backends.postgresql import base
from psycopg import pq

# Transaction states in which no command is running: the socket has nothing to say then.
QUIET = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)


class DatabaseWrapper(base.DatabaseWrapper):
    # A connection unused for longer than this gets the real check (seconds).
    IDLE_SECONDS = 10

    # When a cursor was last opened on this connection (time.monotonic()); the ORM opens one per
    # query, so this is when the last query started. Never: always idle.
    used_at = float("-inf")

    def create_cursor(self, name=None):
        self.used_at = time.monotonic()
        return super().create_cursor(name)

    def is_usable(self):
        connection = self.connection
        # A status other than OK: closed, or found dead by psycopg (`connection.closed`).
        if connection is None or connection.broken or connection.pgconn.status != pq.ConnStatus.OK:
            return False
        if (
            self.errors_occurred
            or connection.info.transaction_status not in QUIET
            or time.monotonic() - self.used_at > self.IDLE_SECONDS
            or has_unread_input(connection)
        ):
            return super().is_usable()
        return True


def has_unread_input(connection):
    """Whether the server sent anything (data, EOF, an error) not read yet, without waiting."""
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))
