"""Versions in /beheer/: every change is kept with who and when; editors compare and restore."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from congress.models import Congress, Page, PublicationStatus
from programme.models import RegistrationStatus, Session, SessionChange, SessionStatus, Speaker
from tests.factories import (
    EditorFactory,
    PageFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    ThemeFactory,
    UserFactory,
    activate_two_factor,
)
from tests.html_forms import form_data
from venues.models import Room, Venue

pytestmark = pytest.mark.django_db
TRACKED_MODELS = [Congress, Page, Venue, Room, Session, Speaker]


def admin_url(obj, action, *extra):
    return reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{action}", args=[obj.pk, *extra]
    )


def save_change_form(client, obj, **changes):
    """Open the object's change form, change some fields, and save it as a browser would."""
    url = admin_url(obj, "change")
    data = form_data(client.get(url).content.decode(), f"{obj._meta.model_name}_form")
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Opslaan"]
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    return response


@pytest.fixture
def editor(client):
    editor = EditorFactory()
    client.force_login(editor)
    return editor


@pytest.fixture
def retitled(client, congress, editor):
    """A session whose title an editor changed from 'Oude titel' to 'Nieuwe titel'."""
    session = SessionFactory(congress=congress, title="Oude titel", room=None)
    save_change_form(client, session, title="Nieuwe titel")
    session.refresh_from_db()
    return session


def test_an_edit_in_the_admin_is_kept_with_the_editor_and_the_moment(retitled, editor):
    versions = list(retitled.history.order_by("history_date", "history_id"))

    assert [(v.history_type, v.title, v.history_user) for v in versions] == [
        ("+", "Oude titel", None),
        ("~", "Nieuwe titel", editor),
    ]
    assert versions[1].history_date > versions[0].history_date


@pytest.mark.parametrize(
    ("model_name", "field", "value"),
    [
        ("congress", "motto", "Samen verder"),
        ("page", "title", "Nieuwe paginatitel"),
        ("venue", "name", "Nieuwe naam"),
        ("room", "name", "Nieuwe zaal"),
        ("speaker", "role", "burgemeester"),
    ],
)
def test_every_tracked_model_keeps_a_version_of_an_admin_edit(
    client, congress, editor, model_name, field, value
):
    room = RoomFactory(venue__congress=congress)
    objects = {
        "congress": congress,
        "page": PageFactory(congress=congress),
        "venue": room.venue,
        "room": room,
        "speaker": SpeakerFactory(congress=congress),
    }
    obj = objects[model_name]

    save_change_form(client, obj, **{field: value})

    latest = obj.history.latest()
    assert (getattr(latest, field), latest.history_user) == (value, editor)


def test_a_room_changed_in_its_venue_form_is_kept_with_the_editor(client, congress, editor):
    room = RoomFactory(venue__congress=congress, name="Zaal A")
    url = admin_url(room.venue, "change")
    data = form_data(client.get(url).content.decode(), "venue_form")
    data["rooms-0-name"] = ["Zaal B"]
    data["_save"] = ["Opslaan"]

    client.post(url, data)

    latest = room.history.latest()
    assert (latest.name, latest.history_user) == ("Zaal B", editor)


def test_the_history_page_lists_the_versions_with_who_made_them(client, retitled, editor):
    response = client.get(admin_url(retitled, "history"))

    records = list(response.context["page_obj"])
    assert response.status_code == 200
    assert [(r.title, r.history_user) for r in records] == [
        ("Nieuwe titel", editor),
        ("Oude titel", None),
    ]
    assert response.context["title"] == "Geschiedenis van Nieuwe titel"
    assert editor.email in response.content.decode()


def test_the_history_page_shows_the_old_and_the_new_value(client, retitled):
    response = client.get(admin_url(retitled, "history"))

    newest = response.context["page_obj"][0]
    assert newest.history_delta_changes == [
        {"field": "Titel", "old": "Oude titel", "new": "Nieuwe titel"}
    ]
    assert "<del>Oude titel</del> &rarr; <ins>Nieuwe titel</ins>" in response.content.decode()


def test_the_differences_read_as_an_editor_reads_them(client, congress, editor):
    session = SessionFactory(congress=congress, status=SessionStatus.DRAFT, livestream=False)
    theme = ThemeFactory(congress=congress, name="Klimaat")

    save_change_form(client, session, status="gepubliceerd", livestream="on", themes=theme.pk)

    response = client.get(admin_url(session, "history"))
    changes = [
        change
        for record in response.context["page_obj"]
        for change in getattr(record, "history_delta_changes", [])
    ]
    assert {(c["field"], c["old"], c["new"]) for c in changes} == {
        ("Status", "Concept", "Gepubliceerd"),
        ("Livestream", "nee", "ja"),
        ("Thema's", "–", "[Klimaat]"),
    }


def test_reverting_restores_the_earlier_title(client, retitled):
    first = retitled.history.earliest()
    version_url = admin_url(retitled, "simple_history", first.history_id)
    page = client.get(version_url)
    data = form_data(page.content.decode(), "historicalsession_form")
    data["_save"] = ["Deze versie terugzetten"]

    response = client.post(version_url, data)

    retitled.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert retitled.title == "Oude titel"
    newest = retitled.history.latest()
    assert newest.title == "Oude titel"
    assert newest.history_change_reason.startswith("Teruggezet naar de versie van ")


def test_reverting_a_time_is_announced_and_calendars_see_a_newer_version(client, congress, editor):
    session = SessionFactory(congress=congress, status=SessionStatus.PUBLISHED)
    original_start, original_end = session.start, session.end
    earliest = session.history.earliest()
    session.start += timedelta(hours=1)
    session.end += timedelta(hours=1)
    session.save()
    sequence_after_move = Session.objects.get(pk=session.pk).sequence
    version_url = admin_url(session, "simple_history", earliest.history_id)
    data = form_data(client.get(version_url).content.decode(), "historicalsession_form")

    client.post(version_url, data)

    session.refresh_from_db()
    assert (session.start, session.end) == (original_start, original_end)
    assert session.sequence == sequence_after_move + 1
    assert SessionChange.objects.filter(session=session, field="tijd").count() == 2


def test_reverting_restores_the_themes_of_that_version(client, congress, editor):
    old_theme, new_theme = ThemeFactory(congress=congress), ThemeFactory(congress=congress)
    session = SessionFactory(congress=congress)
    session.themes.set([old_theme])
    version_with_old_theme = session.history.latest()
    session.themes.set([new_theme])
    version_url = admin_url(session, "simple_history", version_with_old_theme.history_id)
    data = form_data(client.get(version_url).content.decode(), "historicalsession_form")

    client.post(version_url, data)

    assert list(session.themes.all()) == [old_theme]


def test_reverting_to_more_places_gives_the_waitlist_a_place(client, congress, editor):
    session = SessionFactory(congress=congress, capacity=2)
    roomy = session.history.latest()
    session.capacity = 1
    session.save()
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)
    version_url = admin_url(session, "simple_history", roomy.history_id)
    data = form_data(client.get(version_url).content.decode(), "historicalsession_form")

    client.post(version_url, data)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_someone_who_may_only_view_sees_the_history_but_cannot_revert(client, congress):
    page = PageFactory(congress=congress, title="Eerst")
    first = page.history.latest()
    page.title = "Daarna"
    page.save()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_page"))
    activate_two_factor(viewer)
    client.force_login(viewer)
    version_url = admin_url(page, "simple_history", first.history_id)

    history = client.get(admin_url(page, "history"))
    revert = client.post(version_url, {"title": "Eerst", "_save": "Terugzetten"})

    page.refresh_from_db()
    assert (history.status_code, history.context["revert_disabled"]) == (200, True)
    assert revert.status_code == 403
    assert page.title == "Daarna"


@pytest.mark.parametrize("model", TRACKED_MODELS)
def test_editors_open_the_history_of_every_tracked_model(client, congress, editor, model):
    room = RoomFactory(venue__congress=congress)
    session = SessionFactory(congress=congress, venue=room.venue, room=room)
    objects = {
        Congress: congress,
        Page: PageFactory(congress=congress),
        Venue: room.venue,
        Room: room,
        Session: session,
        Speaker: SpeakerFactory(congress=congress),
    }

    response = client.get(admin_url(objects[model], "history"))

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 1
    assert response.context["revert_disabled"] is False


def test_publishing_pages_with_the_action_keeps_a_version_of_each(client, congress, editor):
    pages = [PageFactory(congress=congress, status=PublicationStatus.DRAFT) for _ in range(2)]

    client.post(
        reverse("admin:congress_page_changelist"),
        {"action": "publish", "_selected_action": [page.pk for page in pages]},
    )

    for page in pages:
        latest = page.history.latest()
        assert (latest.status, latest.history_user) == (PublicationStatus.PUBLISHED, editor)


def test_a_theme_added_from_the_themes_side_is_kept_in_the_session_history(congress):
    session = SessionFactory(congress=congress)
    theme = ThemeFactory(congress=congress)
    before = session.history.count()

    theme.sessions.add(session)
    theme.sessions.add(session)  # already there: no new version
    theme.sessions.clear()

    versions = list(session.history.order_by("history_date", "history_id"))[before:]
    assert [[row.theme_id for row in v.themes.all()] for v in versions] == [[theme.pk], []]


def test_loading_the_demo_twice_adds_no_versions(db):
    call_command("load_demo", verbosity=0)
    counts = {model.__name__: model.history.count() for model in TRACKED_MODELS}

    call_command("load_demo", verbosity=0)

    assert {model.__name__: model.history.count() for model in TRACKED_MODELS} == counts
    assert all(counts.values())
