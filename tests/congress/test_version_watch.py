"""The content version remembered per process and told of every change by PostgreSQL
(congress/version_watch.py): a cache hit then asks the database nothing, and is never stale.

"Another server" is a connection of its own that commits a change, as another gunicorn worker or
another machine, or an administrator in psql, would.
"""

import select
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from congress.content import bump_now
from congress.page_cache import _read_from
from congress.version_watch import TRIGGER, VersionWatch, watch

from ..factories import SessionFactory
from ..wsgi import wsgi_get

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAGE = "/programma/"
VERSION_TABLE = "congress_contentversion"


@pytest.fixture
def fresh_watch():
    """A watch of its own, closed afterwards (the process-wide one is left alone)."""
    own = VersionWatch()
    yield own
    own.close()


@pytest.fixture(autouse=True)
def _process_watch_closed():
    yield
    watch.close()


@pytest.fixture
def other_server():
    """Runs SQL on a connection of its own, committed at once."""
    other = connections.create_connection("default")

    def run(sql, params=()):
        with other.cursor() as cursor:
            cursor.execute(sql, params)

    yield run
    other.close()


def told_within(check, seconds=2.0):
    """Whether `check()` holds within `seconds`: a notification travels from the committing
    server process to the listening one, which takes a moment (well under a millisecond here)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.001)
    return check()


def something_arrived(watch):
    """Whether the listening socket has something to read, without reading it."""
    poller = select.poll()
    poller.register(watch.listener.pgconn.socket, select.POLLIN)
    return bool(poller.poll(0))


def get(site, path=PAGE):
    return wsgi_get(site, path)


def queries_for(function, times=3):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(times):
            function()
    return len(queries)


def test_a_cache_hit_on_postgresql_asks_the_database_nothing(congress):
    SessionFactory(congress=congress, title="Burgers aan het roer")
    site = WSGIHandler()
    get(site)  # stores the page

    with CaptureQueriesContext(connection) as queries:
        status, body = get(site)

    assert status == 200
    assert "Burgers aan het roer" in body
    assert len(queries) == 0


def test_an_edit_committed_by_another_server_shows_without_waiting(
    congress, other_server, monkeypatch
):
    # Only a notification can make the page change: the remembered version never expires here.
    monkeypatch.setattr(VersionWatch, "MAX_AGE", 3600)
    session = SessionFactory(congress=congress, title="Burgers aan het roer")
    site = WSGIHandler()
    get(site)
    assert "Burgers aan het roer" in get(site)[1]

    other_server(
        "UPDATE programme_session SET title = %s WHERE id = %s", ["Jong en oud samen", session.pk]
    )
    other_server(f"UPDATE {VERSION_TABLE} SET number = number + 1")

    assert told_within(lambda: "Jong en oud samen" in get(site)[1])
    assert "Burgers aan het roer" not in get(site)[1]


@pytest.mark.parametrize(
    "change",
    [
        f"UPDATE {VERSION_TABLE} SET number = number + 1",
        f"DELETE FROM {VERSION_TABLE}",
        f"TRUNCATE {VERSION_TABLE}",
        f"INSERT INTO {VERSION_TABLE} (id, number, changed_at) VALUES (2, 9, now())",
    ],
    ids=["update", "delete", "truncate", "insert"],
)
def test_every_kind_of_change_of_the_version_table_is_told(
    congress, fresh_watch, other_server, monkeypatch, change
):
    monkeypatch.setattr(VersionWatch, "MAX_AGE", 3600)
    fresh_watch.version(_read_from)
    assert queries_for(lambda: fresh_watch.version(_read_from)) == 0

    other_server(change)

    assert told_within(lambda: something_arrived(fresh_watch))
    assert queries_for(lambda: fresh_watch.version(_read_from)) == 1  # read again, once


def test_a_version_changed_by_another_server_is_read_again(congress, fresh_watch, other_server):
    number, _ = fresh_watch.version(_read_from)

    other_server(f"UPDATE {VERSION_TABLE} SET number = number + 5")

    assert told_within(lambda: fresh_watch.version(_read_from)[0] == number + 5)


def test_a_bump_in_this_process_is_seen_at_once_without_waiting_for_the_notification(
    congress, monkeypatch
):
    monkeypatch.setattr(VersionWatch, "MAX_AGE", 3600)
    number, _ = watch.version(_read_from)
    # Whatever the listening socket says, this process knows it changed the version itself.
    monkeypatch.setattr(VersionWatch, "_told", lambda self: False)

    bump_now()

    assert watch.version(_read_from)[0] == number + 1


def test_a_lost_listening_connection_makes_the_version_read_and_listening_start_again(
    congress, fresh_watch, other_server
):
    number, _ = fresh_watch.version(_read_from)
    lost = fresh_watch.listener.info.backend_pid
    other_server("SELECT pg_terminate_backend(%s, 5000)", [lost])
    other_server(f"UPDATE {VERSION_TABLE} SET number = number + 1")

    # The server's goodbye (an error, then the end of the stream) may take more than one look.
    for _ in range(3):
        assert fresh_watch.version(_read_from)[0] == number + 1
    assert fresh_watch.listener is not None
    assert fresh_watch.listener.info.backend_pid != lost

    other_server(f"UPDATE {VERSION_TABLE} SET number = number + 1")
    assert told_within(lambda: fresh_watch.version(_read_from)[0] == number + 2)


def test_a_remembered_version_is_read_again_after_max_age(congress, fresh_watch, monkeypatch):
    fresh_watch.version(_read_from)
    assert queries_for(lambda: fresh_watch.version(_read_from)) == 0

    monkeypatch.setattr(VersionWatch, "MAX_AGE", -1)

    assert queries_for(lambda: fresh_watch.version(_read_from)) == 3


def test_inside_a_transaction_the_version_is_read_every_time(congress, fresh_watch):
    fresh_watch.version(_read_from)

    with transaction.atomic():
        assert queries_for(lambda: fresh_watch.version(_read_from)) == 3


def test_a_forked_worker_listens_on_a_connection_of_its_own(congress, fresh_watch, monkeypatch):
    fresh_watch.version(_read_from)
    parents = fresh_watch.listener

    monkeypatch.setattr("congress.version_watch.os.getpid", lambda: -1)
    fresh_watch.version(_read_from)

    assert fresh_watch.listener is not parents
    assert fresh_watch.listener is not None
    parents.close()


def test_with_listening_turned_off_the_version_is_read_every_time(congress, fresh_watch, settings):
    settings.PAGE_CACHE_LISTEN = False

    assert queries_for(lambda: fresh_watch.version(_read_from)) == 3
    assert fresh_watch.listener is None


def test_without_the_trigger_the_version_is_read_every_time(congress, fresh_watch, caplog):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {TRIGGER} ON {VERSION_TABLE}")
    try:
        assert queries_for(lambda: fresh_watch.version(_read_from)) == 3
        assert fresh_watch.listener is None
        assert "Not listening for content version changes" in caplog.text
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                f"{VERSION_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
