import re

import pytest
from django.urls import reverse

from congress.models import PublicationStatus
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    VenueFactory,
    VenuePhotoFactory,
    at,
)
from venues.models import VenueKind

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY.replace(day=14)


def venue_url(slug):
    return reverse("venues:detail", kwargs={"slug": slug})


def grouped(response):
    return [
        (group["label"], [venue.name for venue in group["venues"]])
        for group in response.context["groups"]
    ]


def headings(content, level):
    return re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", content)


def session_titles(response):
    return [
        session.title
        for day in response.context["days"]
        for slot in day.slots
        for session in slot.sessions
    ]


def test_venue_list_groups_venues_by_kind(client, congress):
    VenueFactory(name="Dorpshuis", kind=VenueKind.REGIONAL)
    VenueFactory(name="Forum Groningen", kind=VenueKind.EVENING)
    VenueFactory(name="Martiniplaza", kind=VenueKind.PLENARY)

    response = client.get(reverse("venues:list"))

    assert grouped(response) == [
        ("Plenaire locatie", ["Martiniplaza"]),
        ("Ontvangst en avondprogramma", ["Forum Groningen"]),
        ("Middagsessies in de regio", ["Dorpshuis"]),
    ]
    assert headings(response.content.decode(), 2) == [
        "Plenaire locatie",
        "Ontvangst en avondprogramma",
        "Middagsessies in de regio",
    ]


def test_venue_list_leaves_out_groups_without_venues(client, congress):
    VenueFactory(name="Martiniplaza", kind=VenueKind.PLENARY)
    VenueFactory(name="Dorpshuis", kind=VenueKind.REGIONAL)

    response = client.get(reverse("venues:list"))

    assert headings(response.content.decode(), 2) == [
        "Plenaire locatie",
        "Middagsessies in de regio",
    ]


def test_regional_venues_are_sorted_by_municipality(client, congress):
    VenueFactory(name="A-kerk", municipality="Westerkwartier", town="Zuidhorn", order=1)
    VenueFactory(name="Bibliotheek", municipality="Eemsdelta", town="Delfzijl", order=2)
    VenueFactory(name="Cultuurhuis", municipality="Het Hogeland", town="Winsum", order=0)

    response = client.get(reverse("venues:list"))

    assert grouped(response) == [
        ("Middagsessies in de regio", ["Bibliotheek", "Cultuurhuis", "A-kerk"]),
    ]


def test_venue_list_shows_address_municipality_and_link(client, congress):
    VenueFactory(
        slug="dorpshuis-winsum",
        name="Dorpshuis",
        street="Hoofdstraat 1",
        postcode="9951 AA",
        town="Winsum",
        municipality="Het Hogeland",
    )

    response = client.get(reverse("venues:list"))

    content = response.content.decode()
    assert '<a href="/locaties/dorpshuis-winsum/">Dorpshuis</a>' in content
    assert (
        '<p class="card__meta">Hoofdstraat 1, 9951 AA Winsum<br>Gemeente Het Hogeland</p>'
        in content
    )


def test_venue_list_counts_only_published_sessions(client, congress):
    busy = VenueFactory(name="Druk")
    quiet = VenueFactory(name="Rustig")
    SessionFactory.create_batch(2, venue=busy)
    SessionFactory(venue=busy, status=PublicationStatus.DRAFT)
    SessionFactory(venue=quiet)

    response = client.get(reverse("venues:list"))

    venues = response.context["groups"][0]["venues"]
    content = response.content.decode()
    assert [(v.name, v.published_session_count) for v in venues] == [("Druk", 2), ("Rustig", 1)]
    assert '<p class="small">2 programmaonderdelen</p>' in content
    assert '<p class="small">1 programmaonderdeel</p>' in content


def test_venue_list_shows_only_venues_of_the_current_congress(client, congress):
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    VenueFactory(congress=last_year, name="Vorig jaar")
    VenueFactory(name="Dit jaar")

    response = client.get(reverse("venues:list"))

    assert grouped(response) == [("Middagsessies in de regio", ["Dit jaar"])]


def test_venue_list_says_so_when_there_are_no_venues_yet(client, congress):
    response = client.get(reverse("venues:list"))

    assert response.context["groups"] == []
    assert "Er zijn nog geen locaties bekend." in response.content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_venue_list_query_count_does_not_grow_with_the_venues(
    client, congress, django_assert_num_queries, size
):
    for index in range(size):
        venue = VenueFactory(kind=[VenueKind.PLENARY, VenueKind.REGIONAL][index % 2])
        SessionFactory.create_batch(2, venue=venue)
        RoomFactory(venue=venue)

    # congress, venues with their session counts, menu pages
    with django_assert_num_queries(3):
        response = client.get(reverse("venues:list"))

    assert sum(len(group["venues"]) for group in response.context["groups"]) == size


def test_venue_page_shows_the_address_and_the_map(client, congress):
    VenueFactory(
        slug="martiniplaza",
        name="Martiniplaza",
        kind=VenueKind.PLENARY,
        street="Leonard Springerlaan 2",
        postcode="9727 KB",
        town="Groningen",
        municipality="Groningen",
        latitude="53.202780",
        longitude="6.556390",
        website="https://www.martiniplaza.nl/",
    )

    response = client.get(venue_url("martiniplaza"))

    content = response.content.decode()
    assert '<p class="eyebrow">Plenaire locatie</p>' in content
    address = re.search(r"<address>(.*?)</address>", content, re.S).group(1)
    assert " ".join(address.split()) == (
        "Martiniplaza<br> Leonard Springerlaan 2<br> 9727 KB Groningen <br>Gemeente Groningen"
    )
    assert (
        '<a href="https://www.openstreetmap.org/?mlat=53.202780&amp;mlon=6.556390'
        '#map=17/53.202780/6.556390" rel="external">Martiniplaza op de kaart (OpenStreetMap)</a>'
    ) in content
    assert (
        '<a href="https://www.martiniplaza.nl/" rel="external">Website van Martiniplaza</a>'
    ) in content


def test_venue_without_coordinates_has_no_map_link(client, congress):
    VenueFactory(slug="ergens", latitude=None, longitude=None)

    response = client.get(venue_url("ergens"))

    assert response.context["venue"].slug == "ergens"
    assert "openstreetmap" not in response.content.decode()


def test_venue_page_shows_routes_parking_and_accessibility(client, congress):
    VenueFactory(
        slug="forum",
        route_public_transport="Vanaf station Groningen tien minuten lopen.",
        route_car="Volg de borden Centrum.",
        parking="Parkeergarage Forum, onder het gebouw.",
        accessibility="Liften naar alle verdiepingen.\n\nRingleiding in de zalen.",
    )

    response = client.get(venue_url("forum"))

    content = response.content.decode()
    assert (
        "<h3>Met het openbaar vervoer</h3><p>Vanaf station Groningen tien minuten lopen.</p>"
        in content
    )
    assert "<h3>Met de auto</h3><p>Volg de borden Centrum.</p>" in content
    assert "<h3>Parkeren</h3><p>Parkeergarage Forum, onder het gebouw.</p>" in content
    assert (
        '<h2 id="toegankelijkheid">Toegankelijkheid</h2>'
        "<p>Liften naar alle verdiepingen.</p>\n<p>Ringleiding in de zalen.</p>"
    ) in content


def test_venue_page_lists_the_rooms_in_a_table(client, congress):
    venue = VenueFactory(slug="martiniplaza")
    RoomFactory(venue=venue, name="Zaal Noord", capacity=None, floor="", order=2)
    RoomFactory(
        venue=venue,
        name="Plenaire zaal",
        capacity=2500,
        floor="begane grond",
        accessibility="Rolstoelplaatsen vooraan",
        order=1,
    )

    response = client.get(venue_url("martiniplaza"))

    content = response.content.decode()
    assert re.findall(r"<tr><th scope=\"row\">.*?</tr>", content) == [
        '<tr><th scope="row">Plenaire zaal</th><td>begane grond</td><td>2500</td>'
        "<td>Rolstoelplaatsen vooraan</td></tr>",
        '<tr><th scope="row">Zaal Noord</th><td>–</td><td>–</td><td>–</td></tr>',
    ]


def test_venue_page_shows_photos_with_alt_text_and_credit(client, congress):
    venue = VenueFactory(slug="forum")
    VenuePhotoFactory(
        venue=venue,
        alt_text="Het Forum vanaf de Grote Markt",
        caption="Forum Groningen",
        credit="Foto: Jan Jansen",
    )

    response = client.get(venue_url("forum"))

    content = response.content.decode()
    name = r"/media/venues/(?P<name>[0-9a-f]{32})"
    assert re.search(
        rf'<picture><source type="image/webp" srcset="{name}-64w\.webp 64w" sizes="[^"]+">'
        rf'<img src="/media/venues/(?P=name)-64w\.jpg" srcset="/media/venues/(?P=name)-64w\.jpg '
        r'64w" sizes="[^"]+" alt="Het Forum vanaf de Grote Markt" width="64" height="48" '
        r'loading="lazy" decoding="async"></picture>',
        content,
    )
    assert (
        '<figcaption>Forum Groningen <span class="credit">Foto: Jan Jansen</span></figcaption>'
        in content
    )


def test_venue_page_lists_the_published_sessions_held_there(client, congress):
    venue = VenueFactory(slug="martiniplaza")
    SessionFactory(venue=venue, title="ALV", start=at(SECOND_DAY, "11:30"))
    SessionFactory(venue=venue, title="Opening", start=at(FIRST_DAY, "09:30"))
    SessionFactory(venue=venue, title="Nog geheim", status=PublicationStatus.DRAFT)
    SessionFactory(title="Elders")

    response = client.get(venue_url("martiniplaza"))

    content = response.content.decode()
    assert session_titles(response) == ["Opening", "ALV"]
    assert "<h3>dinsdag 13 juni 2023</h3>" in content
    assert "<h3>woensdag 14 juni 2023</h3>" in content
    assert "Nog geheim" not in content


def test_venue_page_says_so_when_nothing_is_scheduled_there(client, congress):
    VenueFactory(slug="leeg")
    SessionFactory(status=PublicationStatus.DRAFT, venue__slug="ook-leeg")

    response = client.get(venue_url("leeg"))

    assert session_titles(response) == []
    assert "Er staat hier (nog) niets op het programma." in response.content.decode()


def test_unknown_venue_is_404(client, congress):
    response = client.get(venue_url("bestaat-niet"))

    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in response.content.decode()


def test_venue_of_another_congress_is_404(client, congress):
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    VenueFactory(congress=last_year, slug="vorig-jaar")

    response = client.get(venue_url("vorig-jaar"))

    assert response.status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_venue_page_query_count_does_not_grow_with_rooms_photos_and_sessions(
    client, congress, django_assert_num_queries, size
):
    venue = VenueFactory(slug="martiniplaza")
    theme = ThemeFactory()
    for _ in range(size):
        room = RoomFactory(venue=venue)
        VenuePhotoFactory(venue=venue)
        session = SessionFactory(venue=venue, room=room)
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)

    # congress, venue, rooms, photos, sessions with venue and room, their themes and speakers,
    # menu pages
    with django_assert_num_queries(8):
        response = client.get(venue_url("martiniplaza"))

    assert len(session_titles(response)) == size
