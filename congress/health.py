"""What /healthz asks: a real round trip to the database and to the cache.

Both go around everything that hides an outage from visitors (the cache's tolerance of a dead
Redis in config/cache.py), because a load balancer must know.
"""

import logging
import uuid

from django.core.cache import caches
from django.db import connection

logger = logging.getLogger(__name__)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means the database is not usable
        logger.warning(
            "Health check: the database does not answer (%s: %s)", type(error).__name__, error
        )
        return False
    return True


def cache_answers():
    cache = caches["default"]
    try:
        if hasattr(cache, "ping"):
            cache.ping()  # Redis: PING on a connection of its own, past the tolerant wrapper
        else:
            key = f"healthz:{uuid.uuid4().hex}"
            cache.set(key, "ok", 10)
            answered = cache.get(key)
            cache.delete(key)
            if answered != "ok":
                raise RuntimeError("the cache did not return what was stored")
    except Exception as error:  # noqa: BLE001 - any failure means the cache is not usable
        logger.warning(
            "Health check: the cache does not answer (%s: %s)", type(error).__name__, error
        )
        return False
    return True
