"""A logged-in visitor's session is read together with its user, in one query, and is as safe
as Django's own: a changed password, a deactivated or deleted account log the session out."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import LoginSession
from accounts.sessions import CachedSessionStore, SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_logged_in_page_reads_session_and_user_in_one_query(congress):
    user = UserFactory()
    client = logged_in(user)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/locaties/")

    assert response.context["user"] == user
    touching = [
        query["sql"]
        for query in captured.captured_queries
        if "accounts_login_session" in query["sql"] or '"accounts_user"' in query["sql"]
    ]
    assert len(touching) == 1
    assert "accounts_user" in touching[0]


def test_session_row_records_its_user(congress):
    user = UserFactory()
    client = logged_in(user)

    row = LoginSession.objects.get(session_key=client.session.session_key)

    assert row.user_id == user.pk


def test_logging_out_ends_the_session_row(congress):
    user = UserFactory()
    client = logged_in(user)
    key = client.session.session_key

    client.post(reverse("account_logout"))

    assert not LoginSession.objects.filter(session_key=key, user=user).exists()
    assert not client.get(ACCOUNT, follow=False).wsgi_request.user.is_authenticated


def test_changed_password_logs_other_sessions_out(congress):
    user = UserFactory()
    elsewhere = logged_in(user)
    user.set_password("een-heel-nieuw-wachtwoord-2023")
    user.save()

    response = elsewhere.get("/locaties/")

    assert not response.wsgi_request.user.is_authenticated


def test_deactivated_account_is_logged_out(congress):
    user = UserFactory()
    client = logged_in(user)
    user.is_active = False
    user.save()

    response = client.get("/locaties/")

    assert not response.wsgi_request.user.is_authenticated


def test_deleting_an_account_deletes_its_sessions(congress):
    user = UserFactory()
    client = logged_in(user)
    other = logged_in(UserFactory())

    user.delete()

    assert not LoginSession.objects.filter(session_key=client.session.session_key).exists()
    assert LoginSession.objects.filter(session_key=other.session.session_key).exists()
    assert not client.get("/locaties/").wsgi_request.user.is_authenticated


def test_session_of_a_user_that_is_gone_reads_as_logged_out(settings, congress):
    # A session saved for a user deleted meanwhile: no database constraint stops it.
    store = SessionStore()
    store.update({SESSION_KEY: "999999", BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0]})
    store[HASH_SESSION_KEY] = "niet-meer-geldig"
    store.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key

    response = client.get("/locaties/")

    assert LoginSession.objects.get(session_key=store.session_key).user_id == 999999
    assert (response.status_code, response.wsgi_request.user.is_authenticated) == (200, False)


@pytest.mark.parametrize("store_class", [SessionStore, CachedSessionStore])
def test_a_session_saved_without_a_user_has_no_user_and_keeps_its_data(store_class):
    store = store_class()
    store["keuze"] = "middagsessie"
    store.create()

    loaded = store_class(session_key=store.session_key)

    assert loaded["keuze"] == "middagsessie"
    assert LoginSession.objects.get(session_key=store.session_key).user_id is None


def test_a_session_with_an_unreadable_user_id_is_saved_without_a_user():
    store = SessionStore()
    store[SESSION_KEY] = "geen-nummer"
    store.create()

    assert LoginSession.objects.get(session_key=store.session_key).user_id is None


def test_cached_sessions_keep_visitors_logged_in(settings, congress):
    settings.SESSION_ENGINE = "accounts.cached_sessions"
    user = UserFactory()
    client = logged_in(user)

    first = client.get("/locaties/")
    second = client.get("/locaties/")

    assert first.wsgi_request.user == second.wsgi_request.user == user
