"""Moving sessions into accounts_login_session (migration accounts.0003) logs nobody out."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import UserFactory

BEFORE = [("accounts", "0002_profile_and_calendar_token")]
AFTER = [("accounts", "0003_login_session")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_valid_sessions_are_copied_with_their_user_and_expired_ones_are_not():
    user = UserFactory()
    migrate(BEFORE)
    try:
        store = DjangoSessionStore()
        store.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        store.create()
        anonymous = DjangoSessionStore()
        anonymous["keuze"] = "middagsessie"
        anonymous.create()
        expired = DjangoSessionStore()
        expired[SESSION_KEY] = str(user.pk)
        expired.create()
        store.model.objects.filter(session_key=expired.session_key).update(
            expire_date=timezone.now() - timedelta(days=1)
        )
    finally:
        migrate(AFTER)

    from accounts.models import LoginSession

    copied = dict(LoginSession.objects.values_list("session_key", "user_id"))
    assert copied == {store.session_key: user.pk, anonymous.session_key: None}
    assert LoginSession.objects.get(session_key=store.session_key).get_decoded()[SESSION_KEY] == (
        str(user.pk)
    )
