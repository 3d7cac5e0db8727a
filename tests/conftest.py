from contextlib import contextmanager

import pytest
from django.db import transaction

from tests.factories import CongressFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated pictures go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash many passwords; production's slow hasher is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits count in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` an edit in a transaction of its own, as a request makes it, followed by
    what runs when it commits: the content version bump that makes cached pages show the edit.

    The test's own transaction never commits, so without this an edit stays invisible to a page
    already in the anonymous page cache (congress/page_cache.py), as it would be to other
    visitors until the edit is committed.
    """

    @contextmanager
    def edit():
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return edit


@pytest.fixture
def congress(db):
    return CongressFactory()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only against PostgreSQL, tests marked `sqlite` only against
    SQLite; elsewhere they are deselected.

    CI runs the suite a second time with DATABASE_URL pointing at PostgreSQL, so both kinds run.
    """
    from django.db import connections

    other = "sqlite" if connections["default"].vendor == "postgresql" else "postgres"
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker(other) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
