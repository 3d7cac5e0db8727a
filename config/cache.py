"""Django's Redis cache, made to survive a Redis outage.

The site must keep serving pages from the database when Redis is down: a cache is an optimisation,
never a dependency. `TolerantRedisCache` is Django's own `RedisCache` whose every operation, when
Redis cannot be reached (refused, timed out, out of memory, ...), logs one warning line and then
behaves like an empty cache: reads miss, writes are dropped (an `add` succeeds, as it would on an
empty cache), `incr` finds no key.

A dead Redis would still cost each request a connect timeout. So after a failure the cache is
switched off for this process for `RETRY_AFTER` seconds (a small circuit breaker) and operations
return at once; then the next operation tries Redis again.

Writes that could not be made while Redis was away would leave stale entries behind once it is back
(a session logged out during the outage would come back to life from the cache). Their keys are
remembered, and deleted first thing when Redis answers again; if there were too many to remember,
the whole cache database is flushed instead.

Settings (in CACHES["default"]["OPTIONS"], next to redis-py's own connection options):
    RETRY_AFTER: seconds the cache stays off after a failure (default 5).
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

MAX_REMEMBERED_KEYS = 10_000


def redacted(url):
    """The Redis address without user name or password, for log lines."""
    parts = urlsplit(url)
    host = parts.hostname or parts.path or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path if parts.hostname else ''}"


class _Outage:
    """Whether one Redis server is considered down, shared by every thread of this process.

    Django gives each thread its own cache object, so this state lives beside them, one per server
    address.
    """

    _all = {}
    _all_lock = threading.Lock()

    def __init__(self, location):
        self.location = location
        self.lock = threading.Lock()
        self.down_until = None  # monotonic time; None while Redis is considered up
        self.keys = set()  # keys whose write or delete was dropped during the outage
        self.flush = False  # too many keys to remember: flush the database on recovery

    @classmethod
    def of(cls, location):
        with cls._all_lock:
            if location not in cls._all:
                cls._all[location] = cls(location)
            return cls._all[location]

    def remember(self, keys):
        with self.lock:
            if self.flush:
                return
            self.keys.update(keys)
            if len(self.keys) > MAX_REMEMBERED_KEYS:
                self.keys.clear()
                self.flush = True


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, retry_after=5, **options):
        super().__init__(servers, **options)
        self._retry_after = float(retry_after)
        self._outage = _Outage.of(",".join(servers))
        self._errors = (self._lib.exceptions.RedisError, OSError)

    # The guard around every operation.

    def _run(self, operation, *, fallback=None, writes=()):
        """Run `operation()` against Redis, or return `fallback` when Redis is unavailable.

        `writes` are the keys the operation would change: remembered when it cannot run.
        """
        outage = self._outage
        if outage.down_until is not None and (
            time.monotonic() < outage.down_until or not self._recover()
        ):
            outage.remember(writes)
            return fallback
        try:
            return operation()
        except self._errors as error:
            self._went_down(error)
            outage.remember(writes)
            return fallback

    def _went_down(self, error):
        outage = self._outage
        with outage.lock:
            outage.down_until = time.monotonic() + self._retry_after
        logger.warning(
            "Redis at %s is unavailable (%s: %s); the cache is off for %g s and pages are built "
            "from the database",
            redacted(outage.location),
            type(error).__name__,
            error,
            self._retry_after,
        )

    def _recover(self):
        """After an outage: check that Redis answers and clear what went stale. True when up."""
        outage = self._outage
        with outage.lock:
            if outage.down_until is None:
                return True  # another thread recovered it meanwhile
            try:
                client = self.get_client(write=True)
                client.ping()
                if outage.flush:
                    client.flushdb()
                elif outage.keys:
                    keys = list(outage.keys)
                    for start in range(0, len(keys), 500):
                        client.delete(*keys[start : start + 500])
            except self._errors as error:
                outage.down_until = time.monotonic() + self._retry_after
                logger.warning(
                    "Redis at %s is still unavailable (%s: %s); trying again in %g s",
                    redacted(outage.location),
                    type(error).__name__,
                    error,
                    self._retry_after,
                )
                return False
            cleared = "the whole cache" if outage.flush else f"{len(outage.keys)} stale keys"
            outage.down_until = None
            outage.keys.clear()
            outage.flush = False
        logger.warning("Redis at %s answers again; cleared %s", redacted(outage.location), cleared)
        return True

    # Django's operations, each guarded. Keys here are already complete (prefix and version).

    def add(self, key, value, timeout):
        # An empty cache accepts every add. So locks taken with add() (allauth's rate limits)
        # are granted while Redis is down: the limits degrade open instead of refusing everybody.
        base = super()
        return self._run(lambda: base.add(key, value, timeout), fallback=True, writes=[key])

    def get(self, key, default):
        base = super()
        return self._run(lambda: base.get(key, default), fallback=default)

    def set(self, key, value, timeout):
        base = super()
        self._run(lambda: base.set(key, value, timeout), writes=[key])

    def touch(self, key, timeout):
        base = super()
        return self._run(lambda: base.touch(key, timeout), fallback=False, writes=[key])

    def delete(self, key):
        base = super()
        return self._run(lambda: base.delete(key), fallback=False, writes=[key])

    def get_many(self, keys):
        base, keys = super(), list(keys)
        return self._run(lambda: base.get_many(keys), fallback={})

    def has_key(self, key):
        base = super()
        return self._run(lambda: base.has_key(key), fallback=False)

    def incr(self, key, delta):
        base, missing = super(), object()
        result = self._run(lambda: base.incr(key, delta), fallback=missing, writes=[key])
        if result is missing:
            # As for a key that is not there: callers already handle that (and then set it).
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout):
        base = super()
        self._run(lambda: base.set_many(data, timeout), writes=list(data))

    def delete_many(self, keys):
        base, keys = super(), list(keys)
        self._run(lambda: base.delete_many(keys), writes=keys)

    def clear(self):
        base, failed = super(), object()
        result = self._run(base.clear, fallback=failed)
        if result is failed:
            # Nothing can be cleared now: flush everything once Redis is back.
            with self._outage.lock:
                self._outage.keys.clear()
                self._outage.flush = True
            return False
        return result

    # For /healthz: a real round trip, past the guard.

    def ping(self):
        self.get_client(write=True).ping()


class TolerantRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that degrades to a miss when Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
        options = dict(self._options)
        # Without these a dead or unreachable Redis would hold a request for as long as the OS
        # takes to give up on a connection (minutes).
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        options["retry_after"] = options.pop("RETRY_AFTER", 5)
        self._options = options

    def ping(self):
        """Ask Redis for PONG; raises redis' own error when it does not answer."""
        self._cache.ping()
