"""Browser tests: Playwright driving Debian's Chromium against Django's live test server.

No browser is downloaded: the tests use /usr/bin/chromium (`apt-get install -y chromium`). Without
it they are skipped locally with the reason, and fail under CI (CI=true), where they must run.
CHROMIUM=/path/to/chromium points them at another build.
"""

import io
import os
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium); "
            "the browser tests cannot run."
        )
        if _in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Django's threaded live server, passing one request at a time through the site when its
    threads share the test's in-memory SQLite connection (pytest-django does that, as Django's
    LiveServerTestCase does).

    Two request threads on one sqlite3 connection can deadlock: one holds SQLite's connection
    mutex while a Python function Django registered with SQLite (date truncation, used by the
    admin's date hierarchy) waits for the GIL, and the other holds the GIL while it waits for that
    mutex. Chromium sends requests in parallel (a page and its autocomplete fields), so a browser
    test could hang for good. Connections are still accepted in parallel; only the site is
    entered one request at a time, the answer read in full before the next.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        return super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def _one_request_at_a_time():
    """The live server (made once per session, when a browser test first needs it) serves one
    request at a time on in-memory SQLite (see OneRequestAtATimeServer)."""
    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, _one_request_at_a_time, live_server):
    """Every page opens on the live test server, in Dutch and Amsterdam time."""
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
    }


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request):
    return request.param


@pytest.fixture
def demo(transactional_db):
    """The demo congress, as if it starts in 14 days so that sign-up is open.

    Live-server tests are transactional: the database is emptied after each test, so each test
    loads its own data.
    """
    call_command("load_demo", "--upcoming", stdout=io.StringIO())
