"""The programme for other software: iCal, the c3voc/frab schedule (XML, JSON), and /programma/
answering clients that ask for one of them."""

import json
import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from congress.models import PublicationStatus
from programme.models import Session, SessionKind, SessionStatus
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    ThemeFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY + timedelta(days=1)
PROGRAMME_ICS = "/programma.ics"
SCHEDULE_XML = "/programma/schedule.xml"
SCHEDULE_JSON = "/programma/schedule.json"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def session_ics(session):
    return reverse("programme:calendar", kwargs={"slug": session.slug})


def calendar_of(response):
    assert (response.status_code, response["Content-Type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )
    return Calendar.from_ical(response.content)


def events_by_title(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def json_events(document):
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def xml_events(response):
    return ET.fromstring(response.content).findall("./day/room/event")


def page_titles(response):
    return sorted(
        session.title
        for day in response.context["days"]
        for slot in day.slots
        for session in slot.sessions
    )


def programme_page_titles(client, filters):
    """What /programma/ shows for these filters, to hold the exports to."""
    return page_titles(client.get("/programma/", filters))


@pytest.fixture
def schema_folder():
    """The c3voc schemas in the shared folder; the tests fail (never skip) without them."""
    folder = Path(settings.BASE_DIR).parent / "shared" / "schemas"
    assert sorted(path.name for path in folder.glob("c3voc-schedule.*")) == [
        "c3voc-schedule.schema.json",
        "c3voc-schedule.xsd",
    ], f"The c3voc schedule schemas are missing from {folder}"
    return folder


@pytest.fixture
def json_errors(schema_folder):
    schema = json.loads((schema_folder / "c3voc-schedule.schema.json").read_text())
    validator = jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )

    def errors(response):
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return [
            f"{list(error.absolute_path)}: {error.message}"
            for error in validator.iter_errors(json.loads(response.content))
        ]

    return errors


@pytest.fixture
def xml_errors(schema_folder):
    schema = xmlschema.XMLSchema(str(schema_folder / "c3voc-schedule.xsd"))

    def errors(response):
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        return [
            f"{error.path}: {error.reason}"
            for error in schema.iter_errors(response.content.decode())
        ]

    return errors


@pytest.fixture
def opening(congress):
    """A plenary session in a hall with an address and coordinates, with a theme and a speaker."""
    venue = VenueFactory(
        name="Martiniplaza",
        slug="martiniplaza",
        street="Leonard Springerlaan 2",
        postcode="9727 KB",
        town="Groningen",
        latitude="53.202780",
        longitude="6.556390",
    )
    session = SessionFactory(
        title="Opening",
        slug="opening",
        kind=SessionKind.PLENARY,
        summary="Het congres gaat open.",
        description="Een welkom.\n\nEn een toespraak.",
        host_organisation="VNG",
        start=at(FIRST_DAY, "09:30"),
        end=at(FIRST_DAY, "10:45"),
        venue=venue,
        room=RoomFactory(venue=venue, name="Plenaire zaal"),
    )
    session.themes.add(ThemeFactory(name="Generaties verbinden", slug="generaties", order=2))
    session.themes.add(ThemeFactory(name="Een crisis als kans", slug="crisis", order=1))
    return session


# iCal: one session


def test_session_calendar_describes_the_session(client, opening):
    response = client.get(session_ics(opening), HTTP_HOST="localhost", secure=True)

    calendar = calendar_of(response)
    (event,) = calendar.walk("VEVENT")
    url = "https://localhost/programma/opening/"
    assert str(calendar["X-WR-CALNAME"]) == "VNG Jaarcongres 2023 – Opening"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert response["Content-Disposition"] == 'inline; filename="opening.ics"'
    assert {
        "uid": str(event["UID"]),
        "sequence": event["SEQUENCE"],
        "summary": str(event["SUMMARY"]),
        "start": (event["DTSTART"].params["TZID"], event["DTSTART"].dt),
        "end": event["DTEND"].dt,
        "last-modified": event["LAST-MODIFIED"].dt,
        "dtstamp": event["DTSTAMP"].dt,
        "location": str(event["LOCATION"]),
        "geo": (event["GEO"].latitude, event["GEO"].longitude),
        "url": str(event["URL"]),
        "description": str(event["DESCRIPTION"]),
        "categories": [str(category) for category in event["CATEGORIES"].cats],
        "status": str(event["STATUS"]),
    } == {
        "uid": opening.uid,
        "sequence": 0,
        "summary": "Opening",
        "start": ("Europe/Amsterdam", at(FIRST_DAY, "09:30")),
        "end": at(FIRST_DAY, "10:45"),
        "last-modified": opening.updated_at.replace(microsecond=0),
        "dtstamp": opening.updated_at.replace(microsecond=0),
        "location": "Martiniplaza, Plenaire zaal, Leonard Springerlaan 2, 9727 KB Groningen",
        "geo": (53.20278, 6.55639),
        "url": url,
        "description": f"Het congres gaat open.\n\n{url}",
        "categories": ["Plenair programma", "Een crisis als kans", "Generaties verbinden"],
        "status": "CONFIRMED",
    }
    assert b"DTSTART;TZID=Europe/Amsterdam:20230613T093000" in response.content


def test_session_calendar_after_a_move_has_a_higher_sequence_and_the_same_uid(
    client, opening, committed
):
    Session.objects.filter(pk=opening.pk).update(
        updated_at=timezone.now() - timedelta(days=2)  # so that the next save is visibly later
    )
    before = calendar_of(client.get(session_ics(opening))).walk("VEVENT")[0]
    session = Session.objects.get(pk=opening.pk)

    with committed():
        session.start = at(FIRST_DAY, "10:00")
        session.end = at(FIRST_DAY, "11:00")
        session.save()
    after = calendar_of(client.get(session_ics(opening))).walk("VEVENT")[0]

    session.refresh_from_db()
    assert (str(before["UID"]), str(after["UID"])) == (opening.uid, opening.uid)
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["LAST-MODIFIED"].dt == session.updated_at.replace(microsecond=0)
    assert after["LAST-MODIFIED"].dt - before["LAST-MODIFIED"].dt > timedelta(days=1)
    assert after["DTSTART"].dt == at(FIRST_DAY, "10:00")


def test_cancelled_session_is_a_cancelled_event(client, opening):
    opening.status = SessionStatus.CANCELLED
    opening.save()

    (event,) = calendar_of(client.get(session_ics(opening))).walk("VEVENT")

    assert (str(event["STATUS"]), str(event["SUMMARY"]), event["SEQUENCE"]) == (
        "CANCELLED",
        "Vervallen: Opening",
        1,
    )


def test_session_calendar_of_a_draft_is_404(client, congress):
    draft = SessionFactory(status=PublicationStatus.DRAFT)

    response = client.get(session_ics(draft))

    assert response.status_code == 404


def test_session_calendar_of_another_edition_is_404(client, congress):
    earlier = CongressFactory(
        name="VNG Jaarcongres 2022", slug="vng-jaarcongres-2022", year=2022, is_current=False
    )
    session = SessionFactory(congress=earlier, slug="alleen-in-2022")

    response = client.get(session_ics(session))

    assert response.status_code == 404


def test_event_without_coordinates_has_a_location_but_no_geo(client, congress):
    venue = VenueFactory(
        name="Dorpshuis", street="", postcode="", town="Ezinge", latitude=None, longitude=None
    )
    session = SessionFactory(venue=venue)

    (event,) = calendar_of(client.get(session_ics(session))).walk("VEVENT")

    assert (str(event["LOCATION"]), "GEO" in event) == ("Dorpshuis, Ezinge", False)


def test_event_without_a_place_has_no_location(client, congress):
    session = SessionFactory(title="Online", venue=None)

    (event,) = calendar_of(client.get(session_ics(session))).walk("VEVENT")

    assert ("LOCATION" in event, "GEO" in event) == (False, False)


# iCal: the programme


def test_programme_calendar_holds_the_published_programme(client, opening):
    SessionFactory(title="Middag", start=at(FIRST_DAY, "13:30"))
    SessionFactory(title="Vervalt", status=SessionStatus.CANCELLED)
    SessionFactory(title="Concept", status=PublicationStatus.DRAFT)

    response = client.get(PROGRAMME_ICS)

    calendar = calendar_of(response)
    assert str(calendar["X-WR-CALNAME"]) == "VNG Jaarcongres 2023 – programma"
    assert response["Content-Disposition"] == 'inline; filename="programma.ics"'
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert {title: str(event["STATUS"]) for title, event in events_by_title(calendar).items()} == {
        "Opening": "CONFIRMED",
        "Middag": "CONFIRMED",
        "Vervallen: Vervalt": "CANCELLED",
    }


def test_programme_calendar_gives_each_event_its_uid_sequence_and_absolute_url(client, opening):
    moved = SessionFactory(title="Verplaatst", slug="verplaatst")
    moved.start += timedelta(hours=1)
    moved.end += timedelta(hours=1)
    moved.save()

    calendar = calendar_of(client.get(PROGRAMME_ICS, HTTP_HOST="localhost"))

    assert {
        title: (str(event["UID"]), event["SEQUENCE"], str(event["URL"]))
        for title, event in events_by_title(calendar).items()
    } == {
        "Opening": (opening.uid, 0, "http://localhost/programma/opening/"),
        "Verplaatst": (moved.uid, 1, "http://localhost/programma/verplaatst/"),
    }


@pytest.fixture
def varied_programme(opening):
    """Sessions that each filter of /programma/ tells apart."""
    forum = VenueFactory(slug="forum", name="Forum")
    SessionFactory(title="Woensdag", start=at(SECOND_DAY, "09:00"), capacity=None)
    SessionFactory(title="Energie in Forum", venue=forum, summary="Over waterstof")
    full = SessionFactory(title="Vol", capacity=1)
    RegistrationFactory(session=full)
    return opening


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"dag": "2023-06-14"},
        {"soort": "plenair"},
        {"thema": "crisis"},
        {"locatie": "forum"},
        {"plaats": "ja"},
        {"q": "waterstof"},
        {"dag": "2023-06-13", "soort": "middagsessie", "q": "energie"},
    ],
)
def test_programme_calendar_holds_what_the_programme_page_shows(client, varied_programme, filters):
    calendar = calendar_of(client.get(PROGRAMME_ICS, filters))

    assert sorted(events_by_title(calendar)) == programme_page_titles(client, filters)


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"dag": "2023-13-45"}, "dag"),
        ({"dag": "morgen"}, "dag"),
        ({"soort": "feest"}, "soort"),
        ({"thema": "<script>"}, "thema"),
        ({"locatie": "../../etc"}, "locatie"),
        ({"plaats": "misschien"}, "plaats"),
        ({"q": "x" * 500}, "q"),
        ({"q": "null\x00byte"}, "q"),
        ({"soort": "plenair", "thema": "onbekend", "dag": "gisteren"}, "dag, thema"),
    ],
)
@pytest.mark.parametrize("url", [PROGRAMME_ICS, SCHEDULE_XML, SCHEDULE_JSON])
def test_exports_answer_bad_filters_with_a_short_dutch_400(client, congress, url, params, fields):
    SessionFactory()

    response = client.get(url, params)

    assert (response.status_code, response["Content-Type"], response.content.decode()) == (
        400,
        "text/plain; charset=utf-8",
        f"Ongeldig filter: {fields}. Zie /programma/ voor de waarden die kunnen, "
        "bijvoorbeeld ?dag=2023-06-13&soort=middagsessie.\n",
    )


def test_exports_ignore_parameters_that_are_not_filters(client, opening):
    response = client.get(PROGRAMME_ICS, {"utm_source": "nieuwsbrief"})

    assert sorted(events_by_title(calendar_of(response))) == ["Opening"]


def test_exports_without_a_current_congress_are_404(client, db):
    CongressFactory(is_current=False)

    statuses = [client.get(url).status_code for url in (PROGRAMME_ICS, SCHEDULE_XML, SCHEDULE_JSON)]

    assert statuses == [404, 404, 404]


# The c3voc schedule


def test_schedule_json_describes_each_session(client, opening):
    speaker = SpeakerFactory(name="Jan van Zanen")
    SessionSpeakerFactory(session=opening, speaker=speaker, order=1)
    chair = SessionSpeakerFactory(session=opening, order=0).speaker

    response = client.get(SCHEDULE_JSON, HTTP_HOST="localhost", secure=True)

    (event,) = json_events(json.loads(response.content))
    speakers = uuid.uuid5(uuid.NAMESPACE_DNS, "sprekers.vngjaarcongres.nl")
    assert event == {
        "guid": str(opening.guid),
        "id": opening.pk,
        "date": "2023-06-13T09:30:00+02:00",
        "start": "09:30",
        "end": "2023-06-13T10:45:00+02:00",
        "duration": "01:15",
        "room": "Martiniplaza – Plenaire zaal",
        "slug": f"vng_jaarcongres_2023-{opening.pk}-opening",
        "url": "https://localhost/programma/opening/",
        "title": "Opening",
        "subtitle": "VNG",
        "track": "Een crisis als kans",
        "type": "Plenair programma",
        "language": "nl",
        "abstract": "Het congres gaat open.",
        "description": "Een welkom.\n\nEn een toespraak.",
        "persons": [
            {
                "id": chair.pk,
                "guid": str(uuid.uuid5(speakers, f"{opening.congress_id}/{chair.pk}")),
                "public_name": chair.name,
            },
            {
                "id": speaker.pk,
                "guid": str(uuid.uuid5(speakers, f"{opening.congress_id}/{speaker.pk}")),
                "public_name": "Jan van Zanen",
            },
        ],
        "links": [],
    }


def test_schedule_json_describes_the_congress_its_days_and_rooms(client, opening):
    SessionFactory(title="Woensdag", start=at(SECOND_DAY, "09:00"), venue=opening.venue)

    document = json.loads(client.get(SCHEDULE_JSON).content)

    conference = document["schedule"]["conference"]
    assert {
        key: conference[key]
        for key in ("acronym", "title", "start", "end", "daysCount", "time_zone_name", "url")
    } == {
        "acronym": "vng_jaarcongres_2023",
        "title": "VNG Jaarcongres 2023",
        "start": "2023-06-13",
        "end": "2023-06-14",
        "daysCount": 2,
        "time_zone_name": "Europe/Amsterdam",
        "url": "http://testserver/",
    }
    assert [room["name"] for room in conference["rooms"]] == [
        "Martiniplaza – Plenaire zaal",
        "Martiniplaza",
    ]
    assert [
        (day["index"], day["date"], day["day_start"], day["day_end"], list(day["rooms"]))
        for day in conference["days"]
    ] == [
        (
            1,
            "2023-06-13",
            "2023-06-13T09:30:00+02:00",
            "2023-06-13T10:45:00+02:00",
            ["Martiniplaza – Plenaire zaal"],
        ),
        (
            2,
            "2023-06-14",
            "2023-06-14T09:00:00+02:00",
            "2023-06-14T12:00:00+02:00",
            ["Martiniplaza"],
        ),
    ]


def test_schedule_track_is_the_first_theme_or_else_the_kind(client, opening):
    SessionFactory(title="Zonder thema", kind=SessionKind.RECEPTION)

    document = json.loads(client.get(SCHEDULE_JSON).content)

    assert {event["title"]: event["track"] for event in json_events(document)} == {
        "Opening": "Een crisis als kans",
        "Zonder thema": "Ontvangst",
    }
    assert document["schedule"]["conference"]["tracks"] == [
        {"name": "Een crisis als kans"},
        {"name": "Ontvangst"},
    ]


def test_schedule_xml_says_what_the_json_says(client, opening):
    SessionSpeakerFactory(session=opening, speaker=SpeakerFactory(name="Jan van Zanen"))

    response = client.get(SCHEDULE_XML)

    (event,) = xml_events(response)
    (expected,) = json_events(json.loads(client.get(SCHEDULE_JSON).content))
    root = ET.fromstring(response.content)
    assert (root.findtext("conference/acronym"), root.findtext("url")) == (
        "vng_jaarcongres_2023",
        "http://testserver/programma/schedule.xml",
    )
    assert {
        "guid": event.get("guid"),
        "id": int(event.get("id")),
        "room": event.findtext("room"),
        **{
            tag: event.findtext(tag)
            for tag in ("date", "start", "duration", "slug", "url", "title", "subtitle")
            + ("track", "type", "language", "abstract", "description")
        },
        "persons": [
            (person.text, person.get("guid")) for person in event.findall("persons/person")
        ],
    } == {
        **{
            key: expected[key]
            for key in ("guid", "id", "room", "date", "start", "duration", "slug", "url")
            + ("title", "subtitle", "track", "type", "language", "abstract", "description")
        },
        "persons": [(person["public_name"], person["guid"]) for person in expected["persons"]],
    }


@pytest.mark.parametrize("url", [SCHEDULE_XML, SCHEDULE_JSON])
def test_schedule_leaves_out_cancelled_and_draft_sessions_and_other_editions(client, opening, url):
    SessionFactory(title="Vervalt", status=SessionStatus.CANCELLED)
    SessionFactory(title="Concept", status=PublicationStatus.DRAFT)
    earlier = CongressFactory(
        name="VNG Jaarcongres 2022", slug="vng-jaarcongres-2022", year=2022, is_current=False
    )
    SessionFactory(congress=earlier, title="Vorig jaar")

    response = client.get(url)

    if url == SCHEDULE_XML:
        titles = [event.findtext("title") for event in xml_events(response)]
    else:
        titles = [event["title"] for event in json_events(json.loads(response.content))]
    assert titles == ["Opening"]


def test_schedule_version_changes_when_a_session_is_cancelled(client, opening, committed):
    SessionFactory(title="Middag")
    Session.objects.update(updated_at=timezone.now() - timedelta(days=1))

    before = json.loads(client.get(SCHEDULE_JSON).content)["schedule"]["version"]
    again = json.loads(client.get(SCHEDULE_JSON).content)["schedule"]["version"]
    with committed():
        opening.status = SessionStatus.CANCELLED
        opening.save()
    after = json.loads(client.get(SCHEDULE_JSON).content)["schedule"]["version"]

    assert (again == before, after == before) == (True, False)


@pytest.mark.parametrize("url", [SCHEDULE_XML, SCHEDULE_JSON])
def test_schedule_honours_the_programme_filters(client, varied_programme, url):
    filters = {"dag": "2023-06-13", "soort": "middagsessie"}

    response = client.get(url, filters)

    if url == SCHEDULE_XML:
        titles = sorted(event.findtext("title") for event in xml_events(response))
    else:
        titles = sorted(event["title"] for event in json_events(json.loads(response.content)))
    assert titles == programme_page_titles(client, filters) == ["Energie in Forum", "Vol"]


def test_empty_schedule_is_still_valid(client, congress, json_errors, xml_errors):
    filters = {"q": "bestaat niet"}

    json_response = client.get(SCHEDULE_JSON, filters)
    xml_response = client.get(SCHEDULE_XML, filters)

    assert (json_errors(json_response), xml_errors(xml_response)) == ([], [])
    assert json_events(json.loads(json_response.content)) == []


def test_schedule_is_valid_with_awkward_text(client, opening, json_errors, xml_errors):
    opening.title = "Zorg & welzijn <samen>"
    opening.summary = "Regel één\x0bregel twee"  # a vertical tab, as pasted from a word processor
    opening.host_organisation = ""
    opening.save()

    xml_response = client.get(SCHEDULE_XML)

    assert (json_errors(client.get(SCHEDULE_JSON)), xml_errors(xml_response)) == ([], [])
    (event,) = xml_events(xml_response)
    assert (event.findtext("title"), event.findtext("abstract")) == (
        "Zorg & welzijn <samen>",
        "Regel éénregel twee",
    )


# The demo congress against the c3voc schemas


DEMO_FILTERS = [
    {},
    {"dag": "2023-06-13", "soort": "middagsessie"},
    {"locatie": "martiniplaza"},
    {"thema": "crisis-als-kans", "plaats": "ja"},
]


@pytest.mark.parametrize("filters", DEMO_FILTERS)
def test_demo_schedule_json_is_valid_c3voc(client, json_errors, filters):
    call_command("load_demo", verbosity=0)

    response = client.get(SCHEDULE_JSON, filters)

    titles = sorted(event["title"] for event in json_events(json.loads(response.content)))
    assert json_errors(response) == []
    assert titles == programme_page_titles(client, filters)
    assert len(titles) > 0


@pytest.mark.parametrize("filters", DEMO_FILTERS)
def test_demo_schedule_xml_is_valid_c3voc(client, xml_errors, filters):
    call_command("load_demo", verbosity=0)

    response = client.get(SCHEDULE_XML, filters)

    titles = sorted(event.findtext("title") for event in xml_events(response))
    assert xml_errors(response) == []
    assert titles == programme_page_titles(client, filters)
    assert len(titles) > 0


def test_demo_programme_calendar_has_every_published_session(client, db):
    call_command("load_demo", verbosity=0)

    calendar = calendar_of(client.get(PROGRAMME_ICS))

    assert sorted(str(event["UID"]) for event in calendar.walk("VEVENT")) == sorted(
        session.uid for session in Session.objects.published()
    )


# /programma/ answers software that asks for data


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("application/json", "/programma/schedule.json?soort=middagsessie&q=energie"),
        ("text/calendar", "/programma.ics?soort=middagsessie&q=energie"),
    ],
)
def test_programme_sends_data_clients_to_the_export_with_the_same_filters(
    client, congress, accept, location
):
    response = client.get("/programma/?soort=middagsessie&q=energie", HTTP_ACCEPT=accept)

    assert (response.status_code, response["Location"]) == (303, location)


def test_programme_sends_json_clients_without_filters_to_the_plain_export(client, congress):
    response = client.get("/programma/", HTTP_ACCEPT="application/json")

    assert (response.status_code, response["Location"]) == (303, "/programma/schedule.json")


@pytest.mark.parametrize(
    "accept", [BROWSER_ACCEPT, "*/*", None, "application/json;q=0.5, text/html", "image/png"]
)
def test_programme_stays_a_page_for_browsers(client, opening, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = client.get("/programma/", **headers)

    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert page_titles(response) == ["Opening"]


def test_programme_tells_caches_that_it_depends_on_accept(client, congress):
    page = client.get("/programma/", HTTP_ACCEPT=BROWSER_ACCEPT)
    redirect = client.get("/programma/", HTTP_ACCEPT="application/json")

    assert ("Accept" in page["Vary"], "Accept" in redirect["Vary"]) == (True, True)


def test_following_the_json_redirect_gives_the_filtered_schedule(client, varied_programme):
    response = client.get(
        "/programma/", {"soort": "plenair"}, HTTP_ACCEPT="application/json", follow=True
    )

    titles = [event["title"] for event in json_events(json.loads(response.content))]
    assert (response.redirect_chain, titles) == (
        [("/programma/schedule.json?soort=plenair", 303)],
        ["Opening"],
    )


# Queries: fixed, whatever the size of the programme


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the content version (anonymous), the congress and its menu, themes and venues for the
        # filters (one query), sessions, their themes (, their speakers)
        (PROGRAMME_ICS, 5),
        (SCHEDULE_XML, 6),
        (SCHEDULE_JSON, 6),
    ],
)
def test_export_query_count_does_not_grow_with_the_programme(
    client, congress, django_assert_num_queries, size, url, queries
):
    theme = ThemeFactory()
    for _ in range(size):
        session = SessionFactory()
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)
        SessionSpeakerFactory(session=session)

    with django_assert_num_queries(queries):
        response = client.get(url, {"thema": theme.slug})

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_session_calendar_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    theme = ThemeFactory()
    sessions = SessionFactory.create_batch(size)
    for session in sessions:
        session.themes.add(theme)

    # congress, the session, its themes
    with django_assert_num_queries(4):
        response = client.get(session_ics(sessions[-1]))

    assert len(calendar_of(response).walk("VEVENT")) == 1
