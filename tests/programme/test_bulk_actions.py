"""Bulk actions in the session list of /beheer/: move, shift in time, duplicate."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programme.models import Registration, Session, SessionChange, SessionStatus, SpeakerRole
from tests.factories import (
    FIRST_DAY,
    EditorFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programme_session_changelist")
BULK_ACTIONS = [
    "publish",
    "unpublish",
    "cancel_sessions",
    "move_sessions",
    "shift_sessions",
    "duplicate_sessions",
]


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


def run_action(client, action, sessions, **data):
    """Choose an action for the selected sessions in the list (and, with data, apply its form)."""
    post = {"action": action, "_selected_action": [session.pk for session in sessions]}
    if data:
        post.update(data, apply="1")
    else:
        post["index"] = "0"  # as posted from the list itself
    return client.post(CHANGELIST, post)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def changes_of(session):
    return sorted(SessionChange.objects.filter(session=session).values_list("field", flat=True))


def reloaded(session):
    return Session.objects.get(pk=session.pk)


# -- Publish and unpublish stay -------------------------------------------------------------------


def test_the_session_list_offers_every_bulk_action(editor_client, congress):
    response = editor_client.get(CHANGELIST)

    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert [choice for choice in choices if choice in BULK_ACTIONS] == BULK_ACTIONS


# -- Move -----------------------------------------------------------------------------------------


def test_move_asks_for_the_location_and_room_on_an_intermediate_page(editor_client, congress):
    session = SessionFactory(congress=congress)
    forum = VenueFactory(congress=congress, name="Forum Groningen")
    RoomFactory(venue=forum, name="Evenementenzaal")

    response = run_action(editor_client, "move_sessions", [session])

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["title"] == "Sessies verplaatsen"
    assert list(response.context["sessions"]) == [session]
    assert '<select name="venue"' in html
    assert "Evenementenzaal – Forum Groningen" in html
    assert reloaded(session).venue == session.venue  # nothing moved yet


def test_move_puts_each_session_in_the_new_location_and_room_and_records_it(
    editor_client, congress
):
    published = SessionFactory(congress=congress, status=SessionStatus.PUBLISHED)
    draft = SessionFactory(congress=congress, status=SessionStatus.DRAFT)
    forum = VenueFactory(congress=congress, name="Forum Groningen")
    zaal = RoomFactory(venue=forum, name="Evenementenzaal")

    response = run_action(
        editor_client, "move_sessions", [published, draft], venue=forum.pk, room=zaal.pk
    )

    assert response.status_code == 302
    assert messages_of(response) == ["2 sessies verplaatst naar Forum Groningen, Evenementenzaal."]
    for session in [published, draft]:
        assert (reloaded(session).venue, reloaded(session).room) == (forum, zaal)
    # Through Session.save(): the public session's move is recorded, the draft's is not.
    assert changes_of(published) == ["locatie", "zaal"]
    assert changes_of(draft) == []
    assert reloaded(published).sequence == 1


def test_move_refuses_a_room_of_another_location_in_dutch(editor_client, congress):
    session = SessionFactory(congress=congress)
    forum = VenueFactory(congress=congress, name="Forum Groningen")
    martiniplaza = VenueFactory(congress=congress, name="Martiniplaza")
    beursvloer = RoomFactory(venue=martiniplaza, name="Beursvloer")

    response = run_action(
        editor_client, "move_sessions", [session], venue=forum.pk, room=beursvloer.pk
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "room": ["Zaal ‘Beursvloer’ hoort niet bij locatie ‘Forum Groningen’."]
    }
    assert reloaded(session).venue == session.venue


def test_move_without_a_room_clears_the_room(editor_client, congress):
    session = SessionFactory(congress=congress)
    session.room = RoomFactory(venue=session.venue)
    session.save()
    forum = VenueFactory(congress=congress, name="Forum Groningen")

    run_action(editor_client, "move_sessions", [session], venue=forum.pk, room="")

    assert (reloaded(session).venue, reloaded(session).room) == (forum, None)


# -- Shift in time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "start", "end"), [(30, "14:00", "17:00"), (-15, "13:15", "16:15")]
)
def test_shift_moves_start_and_end_by_the_minutes_and_records_it(
    editor_client, congress, minutes, start, end
):
    sessions = [
        SessionFactory(congress=congress, start=at(FIRST_DAY, "13:30"), end=at(FIRST_DAY, "16:30"))
        for _ in range(2)
    ]

    response = run_action(editor_client, "shift_sessions", sessions, minutes=str(minutes))

    assert messages_of(response) == [f"2 sessies {minutes} minuten verschoven."]
    for session in sessions:
        session = reloaded(session)
        assert (session.start, session.end) == (at(FIRST_DAY, start), at(FIRST_DAY, end))
        assert changes_of(session) == ["tijd"]


def test_shift_asks_for_the_minutes_first(editor_client, congress):
    session = SessionFactory(congress=congress)

    response = run_action(editor_client, "shift_sessions", [session])

    assert response.context["title"] == "Sessies verschuiven in de tijd"
    assert 'name="minutes"' in response.content.decode()
    assert reloaded(session).start == session.start


@pytest.mark.parametrize(
    ("minutes", "error"),
    [
        ("0", "Geef een aantal minuten anders dan 0."),
        ("een half uur", "Voer een geheel getal in."),
        ("20000", "Zorg ervoor dat deze waarde hoogstens 10080 is."),
    ],
)
def test_shift_refuses_a_useless_or_wrong_number_of_minutes(
    editor_client, congress, minutes, error
):
    session = SessionFactory(congress=congress)

    response = run_action(editor_client, "shift_sessions", [session], minutes=minutes)

    assert response.context["form"].errors == {"minutes": [error]}
    assert reloaded(session).start == session.start


# -- Duplicate ------------------------------------------------------------------------------------


def test_duplicate_makes_a_draft_copy_with_themes_and_speakers_in_order(editor_client, congress):
    original = SessionFactory(congress=congress, slug="wonen", status=SessionStatus.PUBLISHED)
    original.themes.set([ThemeFactory(congress=congress), ThemeFactory(congress=congress)])
    second = SessionSpeakerFactory(session=original, order=2)
    first = SessionSpeakerFactory(session=original, order=1, role=SpeakerRole.CHAIR)
    RegistrationFactory(session=original)

    response = run_action(editor_client, "duplicate_sessions", [original])

    copy = Session.objects.exclude(pk=original.pk).get()
    assert messages_of(response) == ["1 sessie gedupliceerd als concept: wonen-kopie."]
    assert (copy.slug, copy.status, copy.title, copy.start, copy.venue, copy.sequence) == (
        "wonen-kopie",
        SessionStatus.DRAFT,
        original.title,
        original.start,
        original.venue,
        0,
    )
    assert set(copy.themes.all()) == set(original.themes.all())
    assert [(link.speaker, link.role) for link in copy.session_speakers.order_by("order")] == [
        (first.speaker, SpeakerRole.CHAIR),
        (second.speaker, SpeakerRole.SPEAKER),
    ]
    assert Registration.objects.filter(session=copy).count() == 0
    assert reloaded(original).status == SessionStatus.PUBLISHED


def test_duplicating_again_finds_the_next_free_slug(editor_client, congress):
    original = SessionFactory(congress=congress, slug="wonen")

    for _ in range(3):
        run_action(editor_client, "duplicate_sessions", [original])

    assert sorted(Session.objects.values_list("slug", flat=True)) == [
        "wonen",
        "wonen-kopie",
        "wonen-kopie-2",
        "wonen-kopie-3",
    ]


def test_duplicate_keeps_a_long_slug_within_its_maximum_length(editor_client, congress):
    original = SessionFactory(congress=congress, slug="x" * 80)

    run_action(editor_client, "duplicate_sessions", [original])

    copy = Session.objects.exclude(pk=original.pk).get()
    assert copy.slug == "x" * 74 + "-kopie"


def test_bulk_actions_change_nothing_for_a_session_that_is_not_selected(editor_client, congress):
    selected, other = SessionFactory(congress=congress), SessionFactory(congress=congress)

    run_action(editor_client, "shift_sessions", [selected], minutes="60")

    assert reloaded(other).start == other.start
    assert reloaded(selected).start == selected.start + timedelta(minutes=60)
