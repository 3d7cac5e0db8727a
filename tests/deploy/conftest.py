import pytest

from .servers import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own, on a free port; stopped after the test."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache_settings(settings, redis_server):
    """The site's cache and sessions on the test's own Redis, as production configures them."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_AFTER": 1},
        }
    }
    settings.SESSION_ENGINE = "accounts.cached_sessions"
    return settings
