"""gunicorn's threaded worker, made safe for browsers when gunicorn itself speaks TLS.

gunicorn's `gthread` worker lets a thread wait for a new connection's first bytes; over TLS those
are the handshake, after which the thread waits, without any time limit, for the HTTP request.
Browsers open spare connections they may not use for a while (Chromium does so under load), so a
few of them hold every thread of a worker while the requests that browser does send queue behind
them: pages hang for as long as the spare connections stay open. Seen for real in
tests/browser/test_over_tls.py, with the threads' stacks all in the first ssl read.

This worker does the handshake, then gives the connection back to the worker's poller unless the
request is already there. A spare connection then costs no thread; it is closed after the
keep-alive time like any idle connection. Plain http and behaviour behind a proxy are unchanged.
"""

import selectors
import ssl

from gunicorn.workers import gthread

# How long a thread waits for the request right after the handshake before handing the
# connection back to the poller (which wakes it again the moment the request arrives).
REQUEST_WAIT = 0.1


class ThreadWorker(gthread.ThreadWorker):
    def handle(self, conn):
        if self.cfg.is_ssl and not conn.initialized:
            if not conn.data_ready and not conn.wait_for_data(gthread.DEFAULT_WORKER_DATA_TIMEOUT):
                return gthread._DEFER
            try:
                conn.sock.setblocking(True)
                conn.init()  # the TLS handshake
            except (ssl.SSLError, OSError) as error:
                self.log.debug("TLS handshake failed: %s", error)
                return False  # gunicorn closes the connection
            if not conn.is_http2 and not request_waiting(conn.sock, REQUEST_WAIT):
                return gthread._DEFER
        return super().handle(conn)


def request_waiting(sock, timeout):
    """Whether request bytes are there (decrypted already, or on the socket) within timeout."""
    if sock.pending():
        return True
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(timeout=timeout))
