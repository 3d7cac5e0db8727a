"""The anonymous page cache: fast for everyone, never stale, and never anyone's personal page.

Edits bump the content version right after their transaction commits; the test's transaction never
commits, so each edit here runs inside `committed()` (tests/conftest.py).
"""

import gzip
import logging
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from congress.content import current_version
from congress.current import current_congress
from congress.models import Congress, ContentVersion
from programme.models import Session, SessionStatus
from tests.factories import (
    EditorFactory,
    FavouriteFactory,
    RegistrationFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db

PROGRAMME = reverse("programme:list")
SOON = timezone.localdate() + timedelta(days=14)
PERSONAL_MARKS = [
    "U bent aangemeld",  # signed up (badge and sign-up panel)
    'aria-pressed="true"',  # the "in my programme" button, pressed
    "csrfmiddlewaretoken",
    "Uitloggen",
    "Afmelden",
]


def session_url(session):
    return reverse("programme:detail", kwargs={"slug": session.slug})


def marks_in(response):
    content = response.content.decode()
    return [mark for mark in PERSONAL_MARKS if mark in content]


@pytest.fixture
def upcoming(congress):
    return SessionFactory(
        slug="wandeling", title="Wandeling door de wijk", start=at(SOON, "13:30"), capacity=20
    )


# -- Personal state never leaks --------------------------------------------------------------------


def test_a_cached_page_shows_no_one_s_personal_state_to_another_visitor(upcoming):
    me = UserFactory()
    FavouriteFactory(user=me, session=upcoming)
    RegistrationFactory(user=me, session=upcoming)
    mine, anonymous, other = Client(), Client(), Client()
    mine.force_login(me)
    other.force_login(UserFactory())
    urls = [PROGRAMME, session_url(upcoming), "/"]

    mine_first = [marks_in(mine.get(url)) for url in urls]
    anonymous_twice = [marks_in(anonymous.get(url)) for url in urls + urls]
    other_after = [marks_in(other.get(url)) for url in urls]
    mine_after = [marks_in(mine.get(url)) for url in urls]

    signed_up = ["U bent aangemeld", 'aria-pressed="true"', "csrfmiddlewaretoken", "Uitloggen"]
    assert mine_first == [signed_up, [*signed_up, "Afmelden"], ["Uitloggen"]]
    assert anonymous_twice == [[]] * 6
    assert other_after == [["csrfmiddlewaretoken", "Uitloggen"]] * 2 + [["Uitloggen"]]
    assert mine_after == mine_first


def test_a_logged_in_page_is_private_and_has_no_etag(client, upcoming):
    client.force_login(UserFactory())

    response = client.get(PROGRAMME)

    assert (response["Cache-Control"], "ETag" in response) == ("private, no-cache", False)
    assert "Cookie" in response["Vary"]


def test_an_anonymous_page_from_the_cache_costs_one_query_and_is_the_same_page(
    client, upcoming, django_assert_num_queries
):
    first = client.get(PROGRAMME)

    with django_assert_num_queries(1):  # the content version, nothing else
        second = client.get(PROGRAMME)

    assert (second.status_code, second.content) == (200, first.content)
    assert "Wandeling door de wijk" in second.content.decode()


def test_each_query_string_and_each_negotiated_type_is_a_page_of_its_own(client, upcoming):
    SessionFactory(title="Ledenvergadering", kind="alv")
    everything = client.get(PROGRAMME).content.decode()

    only_alv = client.get(PROGRAMME, {"soort": "alv"}).content.decode()
    as_json = client.get(PROGRAMME, headers={"accept": "application/json"})

    assert ("Wandeling door de wijk" in everything, "Wandeling door de wijk" in only_alv) == (
        True,
        False,
    )
    assert (as_json.status_code, as_json["Location"]) == (303, "/programma/schedule.json")


# -- Edits show at once ----------------------------------------------------------------------------


def test_saving_a_session_shows_at_once(client, upcoming, committed):
    client.get(PROGRAMME)

    with committed():
        upcoming.title = "Fietstocht langs de dijk"
        upcoming.save()
    content = client.get(PROGRAMME).content.decode()

    assert ("Fietstocht langs de dijk" in content, "Wandeling door de wijk" in content) == (
        True,
        False,
    )


def test_deleting_a_session_shows_at_once(client, upcoming, committed):
    client.get(PROGRAMME)

    with committed():
        upcoming.delete()

    assert "Wandeling door de wijk" not in client.get(PROGRAMME).content.decode()


def test_a_bulk_update_shows_at_once(client, upcoming, committed):
    client.get(session_url(upcoming))

    with committed():
        Session.objects.filter(pk=upcoming.pk).update(title="Rondleiding")

    assert (
        '<h1 id="session-title">Rondleiding</h1>'
        in client.get(session_url(upcoming)).content.decode()
    )


def test_adding_a_theme_to_a_session_shows_at_once(client, upcoming, committed):
    client.get(session_url(upcoming))

    with committed():
        upcoming.themes.add(ThemeFactory(name="Energietransitie"))

    assert "Energietransitie" in client.get(session_url(upcoming)).content.decode()


def test_a_sign_up_elsewhere_shows_the_places_left_at_once(client, upcoming, committed):
    before = client.get(session_url(upcoming)).content.decode()

    with committed():
        RegistrationFactory(session=upcoming)
    after = client.get(session_url(upcoming)).content.decode()

    assert ("nog 20 plaatsen" in before, "nog 19 plaatsen" in after) == (True, True)


def test_an_admin_bulk_action_shows_at_once(client, upcoming, committed):
    client.get(PROGRAMME)
    editor = Client()
    editor.force_login(EditorFactory())

    with committed():
        editor.post(
            reverse("admin:programme_session_changelist"),
            {"action": "cancel_sessions", "_selected_action": [upcoming.pk], "index": "0"},
        )

    upcoming.refresh_from_db()
    assert upcoming.status == SessionStatus.CANCELLED
    assert "session-card--cancelled" in client.get(PROGRAMME).content.decode()


def test_a_transaction_of_many_writes_bumps_the_version_once(upcoming, committed):
    before, _ = current_version()

    with committed():
        for number in range(5):
            upcoming.title = f"Wandeling {number}"
            upcoming.save()
        upcoming.themes.add(ThemeFactory())
        Session.objects.filter(pk=upcoming.pk).update(summary="Een rondje")

    assert current_version()[0] == before + 1


def test_a_rolled_back_edit_does_not_bump_the_version(upcoming, committed):
    before = current_version()

    with committed():
        try:
            with transaction.atomic():
                upcoming.title = "Weg"
                upcoming.save()
                raise RuntimeError("called off")
        except RuntimeError:
            pass

    assert current_version() == before


def test_a_session_page_changes_by_itself_when_the_session_starts(client, congress):
    starts = timezone.now() + timedelta(seconds=2)
    session = SessionFactory(start=starts, end=starts + timedelta(hours=1), capacity=10)

    before = client.get(session_url(session)).content.decode()
    time.sleep((starts - timezone.now()).total_seconds() + 0.1)
    after = client.get(session_url(session)).content.decode()

    assert ("Log in om u aan te melden" in before, "al begonnen" in after) == (True, True)


# -- Conditional requests --------------------------------------------------------------------------


def test_an_anonymous_page_carries_etag_and_last_modified_and_answers_304(
    client, upcoming, django_assert_num_queries
):
    first = client.get(PROGRAMME)

    with django_assert_num_queries(1):
        by_etag = client.get(PROGRAMME, headers={"if-none-match": first["ETag"]})
    by_date = client.get(PROGRAMME, headers={"if-modified-since": first["Last-Modified"]})

    assert first["ETag"].startswith('W/"')
    assert (first["Cache-Control"], "Cookie" in first["Vary"]) == ("no-cache", True)
    assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", first["ETag"])
    assert by_date.status_code == 304


def test_after_an_edit_the_old_etag_gets_the_new_page(client, upcoming, committed):
    first = client.get(PROGRAMME)

    with committed():
        upcoming.title = "Fietstocht"
        upcoming.save()
    again = client.get(PROGRAMME, headers={"if-none-match": first["ETag"]})

    assert (again.status_code, again["ETag"] != first["ETag"]) == (200, True)
    assert "Fietstocht" in again.content.decode()


def test_an_edit_elsewhere_keeps_the_etag_of_an_unchanged_page(client, upcoming, committed):
    other = SessionFactory(slug="elders", kind="alv")
    first = client.get(session_url(upcoming))

    with committed():
        other.title = "Iets anders"
        other.save()
    again = client.get(session_url(upcoming), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304


def test_a_browser_accepting_gzip_gets_the_page_gzipped(client, upcoming):
    plain = client.get(PROGRAMME)

    zipped = client.get(PROGRAMME, headers={"accept-encoding": "gzip, deflate, br"})

    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert "Accept-Encoding" in zipped["Vary"]


# -- Robustness ------------------------------------------------------------------------------------


def test_pages_are_served_when_the_cache_backend_fails(client, upcoming, tmp_path, caplog):
    # A file where the cache wants its folder: every read and write of the cache fails for real.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache"),
        }
    }

    with override_settings(CACHES=broken), caplog.at_level(logging.WARNING, "congress.page_cache"):
        response = client.get(PROGRAMME)

    assert (response.status_code, "Wandeling door de wijk" in response.content.decode()) == (
        200,
        True,
    )
    assert [record.getMessage() for record in caplog.records] == [
        "Page cache unavailable; serving without it.",
        "Page cache unavailable; page not stored.",
    ]


def test_a_visitor_with_a_session_cookie_is_never_served_from_the_cache(
    client, upcoming, committed
):
    client.get(PROGRAMME)
    me = UserFactory()
    FavouriteFactory(user=me, session=upcoming)
    client.force_login(me)

    content = client.get(PROGRAMME).content.decode()

    assert "In mijn programma" in content


def test_error_answers_are_not_stored(client, upcoming, django_assert_num_queries):
    client.get(PROGRAMME, {"soort": "onbekend"})

    response = client.get(PROGRAMME, {"soort": "onbekend"})

    assert (response.status_code, "ETag" in response) == (400, False)


def test_the_congress_read_with_the_menu_is_the_current_congress(rf, congress):
    congress.signup_deadline = at(congress.start_date, "09:00")
    congress.save()
    request = rf.get(PROGRAMME)

    made = current_congress(request)

    fields = [field.attname for field in Congress._meta.concrete_fields]
    stored = Congress.objects.get(pk=congress.pk)
    assert [getattr(made, name) for name in fields] == [getattr(stored, name) for name in fields]
    assert made.signup_deadline.utcoffset() is not None


def test_pages_are_served_and_cached_when_the_version_row_is_missing(client, upcoming, committed):
    ContentVersion.objects.all().delete()  # as a transactional test's flush leaves the database
    client.get(PROGRAMME)

    with committed():
        upcoming.title = "Fietstocht"
        upcoming.save()
    response = client.get(PROGRAMME)

    assert (response.status_code, "Fietstocht" in response.content.decode()) == (200, True)
    assert current_version()[0] == 1


def test_without_a_version_row_a_page_still_answers_if_modified_since_with_304(client, upcoming):
    ContentVersion.objects.all().delete()
    first = client.get(PROGRAMME)

    again = client.get(PROGRAMME, headers={"if-modified-since": first["Last-Modified"]})

    assert parse_http_date(first["Last-Modified"]) > 0
    assert again.status_code == 304
