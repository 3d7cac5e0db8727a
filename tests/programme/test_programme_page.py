import pytest
from django.urls import reverse

from congress.models import PublicationStatus
from programme.models import SessionKind
from tests.factories import (
    FIRST_DAY,
    EditorFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    ThemeFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY.replace(day=14)


def titles(response):
    return [
        session.title
        for day in response.context["days"]
        for slot in day.slots
        for session in slot.sessions
    ]


def test_programme_groups_sessions_by_day_then_start_time(client, congress):
    SessionFactory(title="ALV", kind=SessionKind.GENERAL_ASSEMBLY, start=at(SECOND_DAY, "11:30"))
    SessionFactory(title="Beijum", start=at(FIRST_DAY, "13:30"))
    SessionFactory(title="Opening", kind=SessionKind.PLENARY, start=at(FIRST_DAY, "09:30"))
    SessionFactory(title="Appingedam", start=at(FIRST_DAY, "13:30"))

    response = client.get(reverse("programme:list"))

    days = response.context["days"]
    assert [day.date for day in days] == [FIRST_DAY, SECOND_DAY]
    assert [[slot.start.strftime("%H:%M") for slot in day.slots] for day in days] == [
        ["07:30", "11:30"],  # 09:30 and 13:30 in Amsterdam are 07:30 and 11:30 UTC
        ["09:30"],
    ]
    assert titles(response) == ["Opening", "Appingedam", "Beijum", "ALV"]
    content = response.content.decode()
    assert (
        '<h2 class="programme-day__title" id="dag-2023-06-13">dinsdag 13 juni 2023</h2>' in content
    )
    assert "dinsdag 13 juni, 13:30" in content  # each session repeats its own time


def test_programme_hides_drafts(client, congress):
    SessionFactory(title="Gepubliceerd")
    SessionFactory(title="Nog geheim", status=PublicationStatus.DRAFT)

    response = client.get(reverse("programme:list"))

    assert titles(response) == ["Gepubliceerd"]
    assert "Nog geheim" not in response.content.decode()


def test_programme_filters_on_day(client, congress):
    SessionFactory(title="Dinsdag", start=at(FIRST_DAY, "13:30"))
    SessionFactory(title="Woensdag", start=at(SECOND_DAY, "09:00"))

    response = client.get(reverse("programme:list"), {"dag": "2023-06-14"})

    assert titles(response) == ["Woensdag"]


def test_day_filter_uses_amsterdam_midnight(client, congress):
    SessionFactory(title="Nachtelijk feest", start=at(FIRST_DAY, "23:30"))
    SessionFactory(title="Vroeg op", start=at(SECOND_DAY, "00:30"))

    first = client.get(reverse("programme:list"), {"dag": "2023-06-13"})
    second = client.get(reverse("programme:list"), {"dag": "2023-06-14"})

    assert (titles(first), titles(second)) == (["Nachtelijk feest"], ["Vroeg op"])


def test_programme_filters_on_kind(client, congress):
    SessionFactory(title="Opening", kind=SessionKind.PLENARY)
    SessionFactory(title="Wandeling", kind=SessionKind.AFTERNOON)

    response = client.get(reverse("programme:list"), {"soort": "middagsessie"})

    assert titles(response) == ["Wandeling"]


def test_programme_filters_on_theme(client, congress):
    theme = ThemeFactory(slug="generaties", name="Generaties verbinden")
    SessionFactory(title="Jong en oud").themes.add(theme)
    SessionFactory(title="Iets anders")

    response = client.get(reverse("programme:list"), {"thema": "generaties"})

    assert titles(response) == ["Jong en oud"]


def test_programme_filters_on_venue(client, congress):
    venue = VenueFactory(slug="martiniplaza", name="Martiniplaza")
    SessionFactory(title="In Martiniplaza", venue=venue)
    SessionFactory(title="Elders")

    response = client.get(reverse("programme:list"), {"locatie": "martiniplaza"})

    assert titles(response) == ["In Martiniplaza"]


@pytest.mark.parametrize(
    "query",
    ["waterstof", "WATERSTOF", "Groninger Bodem", "Boumans", "mark boumans", "kleine bijdrage"],
)
def test_free_text_searches_title_summary_host_and_speaker_names(client, congress, query):
    session = SessionFactory(
        title="Waterstof in de Eemshaven",
        summary="Een kleine bijdrage aan de energietransitie",
        host_organisation="Groninger Bodem Beweging",
    )
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="Mark Boumans"))
    SessionFactory(title="Iets anders", summary="", host_organisation="VNG")

    response = client.get(reverse("programme:list"), {"q": query})

    assert titles(response) == ["Waterstof in de Eemshaven"]


def test_filters_combine(client, congress):
    theme = ThemeFactory(slug="crisis")
    venue = VenueFactory(slug="forum")
    match = SessionFactory(title="Raak", venue=venue, kind=SessionKind.AFTERNOON)
    match.themes.add(theme)
    SessionFactory(title="Zelfde thema, andere plek").themes.add(theme)
    SessionFactory(title="Zelfde plek, ander thema", venue=venue)
    wrong_kind = SessionFactory(title="Raak maar plenair", venue=venue, kind=SessionKind.PLENARY)
    wrong_kind.themes.add(theme)

    response = client.get(
        reverse("programme:list"),
        {
            "dag": "2023-06-13",
            "soort": "middagsessie",
            "thema": "crisis",
            "locatie": "forum",
            "q": "raak",
        },
    )

    assert titles(response) == ["Raak"]
    assert response.context["session_count"] == 1
    assert "1 sessie gevonden" in response.content.decode()


def test_filter_form_keeps_its_values(client, congress):
    ThemeFactory(slug="crisis", name="Een crisis als kans")
    SessionFactory()

    response = client.get(reverse("programme:list"), {"thema": "crisis", "q": "energie"})

    content = response.content.decode()
    assert '<option value="crisis" selected>Een crisis als kans</option>' in content
    assert 'name="q" id="id_q" value="energie"' in content


def test_programme_says_plainly_when_nothing_matches(client, congress):
    SessionFactory(title="Energie")

    response = client.get(reverse("programme:list"), {"q": "bestaatniet"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "0 sessies gevonden" in content
    assert "Er is geen sessie die aan al deze filters voldoet." in content


@pytest.mark.parametrize(
    "params",
    [
        {"dag": "2023-13-45"},
        {"dag": "morgen"},
        {"soort": "feest"},
        {"thema": "<script>"},
        {"locatie": "../../etc"},
        {"q": "x" * 500},
        {"q": "null\x00byte"},
    ],
)
def test_bad_filter_values_get_a_clear_message_not_a_server_error(client, congress, params):
    SessionFactory(title="Energie")

    response = client.get(reverse("programme:list"), params)

    content = response.content.decode()
    assert response.status_code == 400
    assert "Niet alle filters konden worden toegepast" in content
    assert titles(response) == ["Energie"]  # the invalid filter is left out, the page still works
    assert "<script>" not in content


@pytest.mark.parametrize(
    ("value", "repeated"),
    [
        ("feest\x00\x1b[31m", "‘feest [31m’"),
        ("a\u202eb", "‘a b’"),
        ("x" * 500, "‘" + "x" * 39 + "…’"),
    ],
    ids=["control characters", "direction override", "long"],
)
def test_a_bad_filter_value_is_repeated_in_the_message_printable_and_short(
    client, congress, value, repeated
):
    response = client.get(reverse("programme:list"), {"soort": value})

    content = response.content.decode()
    assert response.status_code == 400
    assert f"De gekozen waarde {repeated} bestaat niet" in content
    assert "\x00" not in content
    assert "x" * 41 not in content


def test_a_bad_filter_does_not_undo_the_good_ones(client, congress):
    SessionFactory(title="Plenair", kind=SessionKind.PLENARY)
    SessionFactory(title="Middag", kind=SessionKind.AFTERNOON)

    response = client.get(reverse("programme:list"), {"soort": "plenair", "thema": "onbekend"})

    assert (response.status_code, titles(response)) == (400, ["Plenair"])


def test_session_links_carry_the_filters(client, congress):
    SessionFactory(slug="wandeling-beijum", kind=SessionKind.AFTERNOON)

    response = client.get(reverse("programme:list"), {"soort": "middagsessie"})

    assert 'href="/programma/wandeling-beijum/?soort=middagsessie"' in response.content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_programme_query_count_does_not_grow_with_the_programme(
    client, congress, django_assert_num_queries, size
):
    theme = ThemeFactory()
    for _ in range(size):
        session = SessionFactory()
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)
        SessionSpeakerFactory(session=session)

    # congress, themes and venues for the form (one query), the number of sessions per start time,
    # sessions, their themes, their speakers, menu pages
    with django_assert_num_queries(7):
        response = client.get(reverse("programme:list"))

    assert response.context["session_count"] == size


@pytest.mark.parametrize("size", [1, 10])
def test_filtered_programme_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    theme = ThemeFactory(slug="crisis")
    for _ in range(size):
        session = SessionFactory()
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)

    with django_assert_num_queries(7):
        response = client.get(
            reverse("programme:list"), {"thema": "crisis", "q": "middag", "soort": "middagsessie"}
        )

    assert response.context["session_count"] == size


def test_staff_sees_the_same_public_programme(client, congress):
    SessionFactory(title="Concept", status=PublicationStatus.DRAFT)
    client.force_login(EditorFactory())

    response = client.get(reverse("programme:list"))

    assert titles(response) == []
