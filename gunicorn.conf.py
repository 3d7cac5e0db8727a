"""gunicorn's settings for the VNG Jaarcongres site: `gunicorn -c gunicorn.conf.py`.

Every value can be changed through the environment (see README.md and DEPLOY.md):

    BIND                  address to listen on            127.0.0.1:8000 (PORT changes the port)
    WEB_CONCURRENCY       worker processes                2 x CPU cores + 1
    GUNICORN_THREADS      threads per worker              4
    GUNICORN_TIMEOUT      seconds before a stuck worker is replaced            30
    GUNICORN_GRACEFUL_TIMEOUT  seconds a worker gets to finish on restart/stop 30
    GUNICORN_CERTFILE, GUNICORN_KEYFILE  serve https with this certificate and key
    FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-Proto is believed  127.0.0.1,::1 (gunicorn's)
    LOG_LEVEL             gunicorn's error log level      info
"""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from config.logging import OneLineFormatter  # noqa: E402 - needs the project on the path


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "config.wsgi:application"
bind = [os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"]

# Threads: a request waiting on PostgreSQL or Redis does not hold up the others, and a browser's
# keep-alive connection (needed when gunicorn itself speaks TLS) does not take a whole process.
# gunicorn's gthread worker, with a fix for browsers' spare TLS connections (see the module).
worker_class = "config.gunicorn_worker.ThreadWorker"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Replace each worker now and then, so that no slow leak grows for the whole congress.
max_requests = 2000
max_requests_jitter = 200
# Load Django once in the master: workers start fast, and a broken setting stops the start.
preload_app = True
# Several servers on one machine (the tests start two) must not share a control socket.
control_socket_disable = True

# TLS terminated by gunicorn itself, when no proxy does it.
certfile = os.environ.get("GUNICORN_CERTFILE") or None
keyfile = os.environ.get("GUNICORN_KEYFILE") or None

# A proxy in front (nginx, Caddy) tells the scheme in X-Forwarded-Proto; gunicorn believes it from
# these addresses only. gunicorn reads FORWARDED_ALLOW_IPS itself; default 127.0.0.1,::1.

# Logs: access and error log to stdout, one line per event.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": OneLineFormatter},
        "access": {"()": OneLineFormatter, "format": "%(asctime)s ACCESS %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
        },
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}
