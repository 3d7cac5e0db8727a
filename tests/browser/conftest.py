"""Browser tests: Playwright driving Debian's Chromium against Django's live test server.

No browser is downloaded: the tests use /usr/bin/chromium (`apt-get install -y chromium`). Without
it they are skipped locally with the reason, and fail under CI (CI=true), where they must run.
CHROMIUM=/path/to/chromium points them at another build.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

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


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
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
