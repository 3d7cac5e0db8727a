"""Redis down must not take the site down: the cache (config/cache.py) turns into a miss.

Every fault is real: the test's own redis-server is stopped (connections refused) or frozen with
SIGSTOP (connections hang until the socket timeout), never a stand-in.
"""

import json
import logging
import signal
import time

import pytest

from config.cache import TolerantRedisCache
from tests.factories import SessionFactory, UserFactory

RETRY_AFTER = 0.5


def redis_cache(server, **options):
    return TolerantRedisCache(
        server.url,
        {
            "OPTIONS": {
                "socket_connect_timeout": 0.3,
                "socket_timeout": 0.3,
                "RETRY_AFTER": RETRY_AFTER,
                **options,
            }
        },
    )


def outage_warnings(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "config.cache" and record.levelno == logging.WARNING
    ]


def test_cache_stores_and_reads_through_redis(redis_server):
    cache = redis_cache(redis_server)

    cache.set("programma", "versie 1")
    cache.set("teller", 1)
    cache.incr("teller")

    assert cache.get("programma") == "versie 1"
    assert cache.get("teller") == 2
    cache.ping()


def test_stopped_redis_turns_every_operation_into_a_quick_miss(redis_server, caplog):
    cache = redis_cache(redis_server)
    cache.set("programma", "versie 1")
    redis_server.stop()

    started = time.monotonic()
    results = []
    for _ in range(50):
        results.append(cache.get("programma", "uit de database"))
        cache.set("programma", "versie 2")
        cache.delete("programma")
    seconds = time.monotonic() - started

    assert set(results) == {"uit de database"}
    assert cache.get_many(["programma", "sprekers"]) == {}
    assert cache.add("nieuw", 1) is True  # as on an empty cache, so add()-locks are granted
    assert cache.has_key("programma") is False
    assert cache.get_or_set("berekend", lambda: "vers") == "vers"
    with pytest.raises(ValueError):
        cache.incr("teller")
    assert seconds < 1.0
    assert len(outage_warnings(caplog)) == 1
    assert "Redis at redis://127.0.0.1:" in outage_warnings(caplog)[0]


def test_frozen_redis_costs_one_timeout_then_nothing_until_retry(redis_server, caplog):
    cache = redis_cache(redis_server)
    cache.set("programma", "versie 1")
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        first = cache.get("programma")
        first_seconds = time.monotonic() - started

        started = time.monotonic()
        later = [cache.get("programma") for _ in range(100)]
        later_seconds = time.monotonic() - started
    finally:
        redis_server.process.send_signal(signal.SIGCONT)

    assert first is None
    assert 0.2 < first_seconds < 2.0  # the socket timeout (0.3 s), not the OS's minutes
    assert set(later) == {None}
    assert later_seconds < 0.2
    assert len(outage_warnings(caplog)) == 1


def test_writes_missed_during_an_outage_do_not_come_back_stale(redis_server, caplog):
    """A session deleted (logout) while Redis hung must not be read back from Redis afterwards."""
    cache = redis_cache(redis_server)
    cache.set("sessie", "ingelogd")
    cache.set("ander", "blijft")
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        cache.delete("sessie")  # times out: Redis still holds the old value
    finally:
        redis_server.process.send_signal(signal.SIGCONT)
    time.sleep(RETRY_AFTER + 0.1)

    after = cache.get("sessie")

    assert after is None
    assert cache.get("ander") == "blijft"
    assert outage_warnings(caplog)[-1].endswith("answers again; cleared 1 stale keys")


def test_cache_works_again_when_redis_comes_back(redis_server):
    cache = redis_cache(redis_server)
    redis_server.stop()
    assert cache.get("programma") is None

    redis_server.start()  # a new process on the same port
    time.sleep(RETRY_AFTER + 0.1)
    cache.set("programma", "versie 3")

    assert cache.get("programma") == "versie 3"


def test_ping_fails_when_redis_is_down(redis_server):
    cache = redis_cache(redis_server)
    redis_server.stop()

    with pytest.raises(Exception, match="Connection refused|Error 111"):
        cache.ping()


# The site on a cache in Redis (redis_cache_settings), with that Redis stopped for real.


def test_site_serves_pages_from_the_database_when_redis_is_down(
    client, congress, redis_cache_settings, redis_server
):
    SessionFactory(title="Wandeling door Beijum")
    redis_server.stop()

    response = client.get("/programma/")

    assert response.status_code == 200
    assert "Wandeling door Beijum" in response.content.decode()


def test_login_works_and_lasts_when_redis_is_down(
    client, congress, redis_cache_settings, redis_server, caplog
):
    UserFactory(email="griffier@gemeente.nl")
    redis_server.stop()

    login = client.post(
        "/account/login/", {"login": "griffier@gemeente.nl", "password": "een-lang-wachtwoord"}
    )
    page = client.get("/account/profiel/")

    assert login.status_code == 302
    assert page.status_code == 200
    assert "griffier@gemeente.nl" in page.content.decode()
    assert len(outage_warnings(caplog)) == 1  # logged once, not on every cache call


def test_login_rate_limits_let_people_in_when_redis_is_down(
    client, congress, redis_cache_settings, redis_server
):
    """The rate limits count in Redis; without it they let people through rather than nobody."""
    UserFactory(email="griffier@gemeente.nl")
    redis_server.stop()
    for _ in range(6):
        client.post("/account/login/", {"login": "griffier@gemeente.nl", "password": "fout"})

    login = client.post(
        "/account/login/", {"login": "griffier@gemeente.nl", "password": "een-lang-wachtwoord"}
    )

    assert login.status_code == 302


def test_logged_in_visitor_stays_logged_in_when_redis_goes_down(
    client, congress, redis_cache_settings, redis_server
):
    UserFactory(email="griffier@gemeente.nl")
    client.post(
        "/account/login/", {"login": "griffier@gemeente.nl", "password": "een-lang-wachtwoord"}
    )
    redis_server.stop()

    page = client.get("/account/profiel/")

    assert page.status_code == 200
    assert "griffier@gemeente.nl" in page.content.decode()


def test_healthz_names_the_cache_when_redis_is_down(client, db, redis_cache_settings, redis_server):
    healthy = client.get("/healthz")
    redis_server.stop()

    response = client.get("/healthz")

    assert healthy.status_code == 200
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "cache": "error",
    }
    assert "no-store" in response["Cache-Control"]
