"""The editors' dashboard on /beheer/, the checks behind it, and the clash warning on saving."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programme import selectors
from programme.models import RegistrationStatus, SessionKind, SessionStatus
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    EditorFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    activate_two_factor,
    at,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def session(congress, title, start, end, **kwargs):
    return SessionFactory(
        congress=congress,
        title=title,
        start=at(FIRST_DAY, start),
        end=at(FIRST_DAY, end),
        **kwargs,
    )


@pytest.fixture
def programme(congress):
    """A programme with one of every problem, and a few near misses that are not problems.

    In Zaal 1: A 13:30–15:00 and B 14:30–16:00 overlap; C 16:00–17:00 only touches B; F, cancelled,
    overlaps A. Jan speaks at A, at D 14:00–15:00 elsewhere (a clash), at E 15:00–16:00 (touching
    A and D) and at the cancelled F. G has no venue; H is a break without speakers.
    """
    forum = VenueFactory(congress=congress, name="Forum")
    hall = RoomFactory(venue=forum, name="Zaal 1")
    jan = SpeakerFactory(congress=congress, name="Jan Jansen")
    a = session(congress, "A", "13:30", "15:00", venue=forum, room=hall, capacity=1)
    b = session(congress, "B", "14:30", "16:00", venue=forum, room=hall)
    c = session(congress, "C", "16:00", "17:00", venue=forum, room=hall, status=SessionStatus.DRAFT)
    d = session(congress, "D", "14:00", "15:00", kind=SessionKind.RECEPTION, capacity=1)
    e = session(congress, "E", "15:00", "16:00")
    f = session(
        congress, "F", "13:30", "15:00", venue=forum, room=hall, status=SessionStatus.CANCELLED
    )
    g = session(
        congress, "G", "10:00", "12:00", venue=None, kind=SessionKind.PLENARY, status="concept"
    )
    h = session(congress, "H", "12:00", "13:00", kind=SessionKind.BREAK, capacity=None)
    for s in (a, d, e, f):
        SessionSpeakerFactory(session=s, speaker=jan)
    RegistrationFactory(session=a)
    RegistrationFactory(session=a, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(session=d)
    # Another edition with the same problems: never counted for the current one.
    older = CongressFactory(name="2022", slug="2022", year=2022, is_current=False)
    old_hall = RoomFactory(venue=VenueFactory(congress=older))
    for _ in range(2):
        old = session(older, "Oud", "13:30", "15:00", venue=old_hall.venue, room=old_hall)
        RegistrationFactory(session=old)
    return {s.title: s for s in (a, b, c, d, e, f, g, h)}


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


def lines(response):
    return [(line.label, line.count) for line in response.context["dashboard"]["lines"]]


def test_dashboard_shows_each_line_with_its_count(editor_client, programme):
    response = editor_client.get(reverse("admin:index"))

    assert lines(response) == [
        ("Concepten, nog niet gepubliceerd", 2),
        ("Sessies zonder locatie", 1),
        ("Sessies zonder sprekers (pauzes niet meegeteld)", 3),
        ("Sessies die tegelijk in dezelfde zaal staan", 2),
        ("Sessies met een spreker die tegelijk ergens anders staat", 2),
        ("Volle middagsessies", 1),
        ("Aanmeldingen met een plaats", 2),
        ("Aanmeldingen op de wachtlijst", 1),
    ]
    html = response.content.decode()
    assert "In één oogopslag: VNG Jaarcongres 2023" in html
    assert "‘A’ en ‘B’ in Zaal 1 – Forum" in html
    assert "Jan Jansen: ‘A’ en ‘D’" in html


def test_each_dashboard_line_links_to_a_list_of_exactly_those_items(editor_client, programme):
    dashboard = editor_client.get(reverse("admin:index"))
    html = dashboard.content.decode()

    shown = {}
    for line in dashboard.context["dashboard"]["lines"]:
        assert f'href="{line.url.replace("&", "&amp;")}"' in html
        listed = editor_client.get(line.url)
        assert listed.status_code == 200, line.label
        shown[line.label] = sorted(str(obj) for obj in listed.context["cl"].result_list)

    assert shown["Concepten, nog niet gepubliceerd"] == ["C", "G"]
    assert shown["Sessies zonder locatie"] == ["G"]
    assert shown["Sessies zonder sprekers (pauzes niet meegeteld)"] == ["B", "C", "G"]
    assert shown["Sessies die tegelijk in dezelfde zaal staan"] == ["A", "B"]
    assert shown["Sessies met een spreker die tegelijk ergens anders staat"] == ["A", "D"]
    assert shown["Volle middagsessies"] == ["A"]
    assert len(shown["Aanmeldingen met een plaats"]) == 2
    assert len(shown["Aanmeldingen op de wachtlijst"]) == 1


def test_dashboard_table_counts_sessions_per_kind_and_status(editor_client, programme):
    response = editor_client.get(reverse("admin:index"))

    table = response.context["dashboard"]["table"]
    assert table["statuses"] == ["Concept", "Gepubliceerd", "Vervallen"]
    counts = {row["label"]: [cell["count"] for cell in row["cells"]] for row in table["rows"]}
    assert counts["Middagsessie"] == [1, 3, 1]
    assert counts["Plenair programma"] == [1, 0, 0]
    assert counts["Ontvangst"] == [0, 1, 0]
    assert counts["Pauze en ontmoeting"] == [0, 1, 0]
    assert [cell["count"] for cell in table["totals"]] == [2, 5, 1]
    assert table["total"]["count"] == 8
    afternoon_drafts = editor_client.get(table["rows"][1]["cells"][0]["url"])
    assert [str(s) for s in afternoon_drafts.context["cl"].result_list] == ["C"]


def test_room_clashes_are_overlapping_sessions_in_one_room(congress, programme):
    clashes = selectors.room_clashes(congress)

    assert [(c.session_title, c.other_title, c.where) for c in clashes] == [
        ("A", "B", "Zaal 1 – Forum")
    ]


def test_speaker_clashes_are_overlapping_sessions_of_one_speaker(congress, programme):
    clashes = selectors.speaker_clashes(congress)

    assert [(c.session_title, c.other_title, c.where) for c in clashes] == [
        ("A", "D", "Jan Jansen")
    ]


def test_sessions_that_only_touch_do_not_clash(congress):
    hall = RoomFactory(venue=VenueFactory(congress=congress))
    morning = session(congress, "Ochtend", "10:00", "12:00", venue=hall.venue, room=hall)
    afternoon = session(congress, "Middag", "12:00", "13:00", venue=hall.venue, room=hall)
    speaker = SpeakerFactory(congress=congress)
    SessionSpeakerFactory(session=morning, speaker=speaker)
    SessionSpeakerFactory(session=afternoon, speaker=speaker)

    assert selectors.room_clashes(congress) == []
    assert selectors.speaker_clashes(congress) == []
    assert selectors.clashes_with(morning) == []


def test_clashes_with_one_session_name_the_other_sessions(programme):
    clashes = selectors.clashes_with(programme["A"])

    assert [(c.kind, c.other_title, c.where) for c in clashes] == [
        ("zaal", "B", "Zaal 1 – Forum"),
        ("spreker", "D", "Jan Jansen"),
    ]


def test_full_sessions_are_those_with_every_place_taken(congress, programme):
    assert sorted(s.title for s in selectors.full_sessions(congress)) == ["A", "D"]


def grow(congress, size):
    """`size` sets of problems: a room clash, a speaker clash, a full session, drafts, sign-ups."""
    for n in range(size):
        hall = RoomFactory(venue=VenueFactory(congress=congress))
        speaker = SpeakerFactory(congress=congress)
        first = session(congress, f"Eerste {n}", "13:30", "15:00", venue=hall.venue, room=hall)
        second = session(
            congress, f"Tweede {n}", "14:00", "16:00", venue=hall.venue, room=hall, capacity=1
        )
        session(congress, f"Concept {n}", "10:00", "11:00", venue=None, status="concept")
        SessionSpeakerFactory(session=first, speaker=speaker)
        SessionSpeakerFactory(session=second, speaker=speaker)
        RegistrationFactory(session=second)
        RegistrationFactory(session=second, status=RegistrationStatus.WAITLISTED)


@pytest.mark.parametrize("size", [1, 10])
def test_dashboard_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    grow(congress, size)
    client.force_login(EditorFactory())

    with django_assert_num_queries(13):
        response = client.get(reverse("admin:index"))

    assert dict(lines(response))["Sessies die tegelijk in dezelfde zaal staan"] == 2 * size


def test_staff_without_view_permission_on_sessions_see_no_dashboard(client, programme):
    user = UserFactory(is_staff=True)
    activate_two_factor(user)
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["dashboard"] is None
    assert 'id="dashboard"' not in response.content.decode()


def test_dashboard_says_when_there_is_no_current_edition(editor_client, programme, congress):
    congress.is_current = False
    congress.save()

    response = editor_client.get(reverse("admin:index"))

    assert response.context["dashboard"] == {"congress": None}
    assert "Er is nog geen huidige editie." in response.content.decode()


def save_through_admin(client, obj, **changes):
    url = reverse("admin:programme_session_change", args=[obj.pk])
    data = form_data(client.get(url).content.decode(), "session_form")
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_saving_a_session_warns_about_clashes_naming_the_other_session(editor_client, programme):
    messages = save_through_admin(editor_client, programme["A"])

    assert messages[:2] == [
        "Let op: ‘B’ staat tegelijk in dezelfde zaal (Zaal 1 – Forum), dinsdag 13 juni "
        "14:30–16:00.",
        "Let op: Jan Jansen staat tegelijk ook bij ‘D’, dinsdag 13 juni 14:00–15:00.",
    ]


def test_moving_a_session_out_of_the_clash_saves_without_warning(editor_client, programme):
    later = FIRST_DAY + timedelta(days=1)

    messages = save_through_admin(
        editor_client,
        programme["B"],
        start_0=later.strftime("%d-%m-%Y"),
        end_0=later.strftime("%d-%m-%Y"),
    )

    assert not [m for m in messages if m.startswith("Let op")]
    assert selectors.room_clashes(programme["B"].congress) == []


def test_clash_filter_lists_sessions_in_any_clash(editor_client, programme, congress):
    url = reverse("admin:programme_session_changelist")

    response = editor_client.get(url, {"congress__id__exact": congress.pk, "controle": "botst"})

    assert sorted(str(s) for s in response.context["cl"].result_list) == ["A", "B", "D"]
