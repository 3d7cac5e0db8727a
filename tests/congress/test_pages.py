import json
import re
from datetime import date

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from congress.models import PublicationStatus
from programme.models import SessionKind
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    EditorFactory,
    PageFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
    at,
)
from venues.models import VenueKind

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY.replace(day=14)
DRAFT_NOTICE = "Deze pagina is nog niet gepubliceerd; alleen de redactie ziet haar."
NO_CONGRESS = "Het programma van het volgende congres wordt binnenkort bekendgemaakt."


def page_url(slug):
    return reverse("congress:page", kwargs={"slug": slug})


def titles(sessions):
    return [session.title for session in sessions]


def prose(content):
    return re.search(r'<div class="prose">(.*?)</div>', content, re.S).group(1)


# Home


def test_home_shows_the_congress_its_days_and_motto(client, congress):
    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert '<h1 id="congres-titel" class="hero__title">VNG Jaarcongres 2023</h1>' in content
    assert (
        '<time datetime="2023-06-13">dinsdag 13 juni</time> en '
        '<time datetime="2023-06-14">woensdag 14 juni</time> 2023 · Groningen'
    ) in content
    assert '<p class="hero__motto">Gemeenten zetten een stap naar voren</p>' in content


def test_home_links_each_day_to_its_programme(client, congress):
    response = client.get(reverse("congress:home"))

    assert re.findall(
        r'<h3 class="card__title"><a href="(/programma/\?dag=[^"]+)">', response.content.decode()
    ) == [
        "/programma/?dag=2023-06-13",
        "/programma/?dag=2023-06-14",
    ]


def test_home_links_the_themes(client, congress):
    ThemeFactory(name="Generaties verbinden", slug="generaties", order=2)
    ThemeFactory(name="Een crisis als kans", slug="crisis", order=1)

    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert [theme.name for theme in response.context["themes"]] == [
        "Een crisis als kans",
        "Generaties verbinden",
    ]
    assert '<a href="/programma/?thema=crisis">Een crisis als kans</a>' in content


def test_home_highlights_the_plenary_programme_and_the_alv(client, congress):
    SessionFactory(title="ALV", kind=SessionKind.GENERAL_ASSEMBLY, start=at(SECOND_DAY, "11:30"))
    SessionFactory(title="Opening", kind=SessionKind.PLENARY, start=at(FIRST_DAY, "09:30"))
    SessionFactory(title="Wandeling", kind=SessionKind.AFTERNOON)
    SessionFactory(title="Geheim", kind=SessionKind.PLENARY, status=PublicationStatus.DRAFT)

    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert titles(response.context["highlights"]) == ["Opening", "ALV"]
    assert '<time datetime="2023-06-13T09:30:00+02:00">09:30</time> Opening' in content
    assert "Geheim" not in content
    assert (
        '<a class="button button--secondary" href="/programma/?soort=middagsessie">'
        "1 middagsessie</a>"
    ) in content


def test_home_shows_the_main_venues_and_counts_the_regional_ones(client, congress):
    VenueFactory(name="Forum Groningen", slug="forum", kind=VenueKind.EVENING, order=2)
    VenueFactory(name="Martiniplaza", slug="martiniplaza", kind=VenueKind.PLENARY, order=1)
    VenueFactory(kind=VenueKind.REGIONAL, municipality="Het Hogeland")
    VenueFactory(kind=VenueKind.REGIONAL, municipality="Het Hogeland")
    VenueFactory(kind=VenueKind.REGIONAL, municipality="Eemsdelta")

    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert [venue.name for venue in response.context["main_venues"]] == [
        "Martiniplaza",
        "Forum Groningen",
    ]
    assert '<a href="/locaties/martiniplaza/">Martiniplaza</a>' in content
    assert '<p class="small">3 locaties in 2 gemeenten</p>' in content


def test_home_counts_a_single_regional_municipality_in_the_singular(client, congress):
    VenueFactory.create_batch(2, kind=VenueKind.REGIONAL, municipality="Het Hogeland")

    response = client.get(reverse("congress:home"))

    assert '<p class="small">2 locaties in 1 gemeente</p>' in response.content.decode()


def test_home_without_regional_venues_leaves_out_the_regional_card(client, congress):
    VenueFactory(name="Martiniplaza", kind=VenueKind.PLENARY)

    response = client.get(reverse("congress:home"))

    assert response.context["regional_venue_count"] == 0
    assert "#groep-regio" not in response.content.decode()


def test_home_livestream_notice_lists_every_livestreamed_session(client, congress):
    SessionFactory(
        title="Jaarrede", kind=SessionKind.PLENARY, livestream=True, start=at(SECOND_DAY, "09:30")
    )
    SessionFactory(title="ALV", kind=SessionKind.GENERAL_ASSEMBLY, livestream=False)
    SessionFactory(
        title="Debat in de regio",
        slug="debat",
        kind=SessionKind.AFTERNOON,
        livestream=True,
        start=at(FIRST_DAY, "13:30"),
    )
    SessionFactory(title="Geheim live", livestream=True, status=PublicationStatus.DRAFT)

    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert titles(response.context["livestream_sessions"]) == ["Debat in de regio", "Jaarrede"]
    assert '<h2 id="livestream-titel">Volg het congres online</h2>' in content
    assert (
        '<li><a href="/programma/debat/">Debat in de regio</a>, dinsdag 13 juni, 13:30 uur</li>'
        in content
    )
    assert "Geheim live" not in content


def test_home_has_no_livestream_notice_without_livestreamed_sessions(client, congress):
    SessionFactory(title="Opening", kind=SessionKind.PLENARY, livestream=False)

    response = client.get(reverse("congress:home"))

    assert response.context["livestream_sessions"] == []
    assert "Volg het congres online" not in response.content.decode()


def test_home_summarises_about_the_vng_when_that_page_is_published(client, congress):
    PageFactory(
        slug="over-de-vng", title="Over de VNG", summary="De vereniging van alle gemeenten."
    )

    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert '<h2 id="over-vng-titel">Over de VNG</h2>' in content
    assert "<p>De vereniging van alle gemeenten.</p>" in content
    assert '<a href="/over-de-vng/">Lees verder: Over de VNG</a>' in content


def test_home_leaves_out_about_the_vng_while_that_page_is_a_draft(client, congress):
    PageFactory(slug="over-de-vng", title="Over de VNG", status=PublicationStatus.DRAFT)

    response = client.get(reverse("congress:home"))

    assert response.context["about_page"] is None
    assert "over-vng-titel" not in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/", "/programma/", "/sprekers/", "/locaties/", "/livestream/", "/over-de-vng/"]
)
def test_site_without_a_current_congress_answers_404_not_500(client, db, path):
    response = client.get(path)

    assert response.status_code == 404


def test_home_without_a_current_congress_says_so_kindly(client, db):
    CongressFactory(
        name="VNG Jaarcongres 2022", slug="vng-jaarcongres-2022", year=2022, is_current=False
    )

    response = client.get(reverse("congress:home"))

    content = response.content.decode()
    assert response.status_code == 404
    assert NO_CONGRESS in content
    assert "VNG Jaarcongres 2022" not in content


@pytest.mark.parametrize("size", [1, 10])
def test_home_query_count_does_not_grow_with_the_congress(
    client, congress, django_assert_num_queries, size
):
    PageFactory(slug="over-de-vng", show_in_navigation=True)
    for index in range(size):
        ThemeFactory()
        VenueFactory(kind=VenueKind.PLENARY)
        VenueFactory(kind=VenueKind.REGIONAL, municipality=f"Gemeente {index}")
        plenary = SessionFactory(kind=SessionKind.PLENARY, livestream=True)
        plenary.themes.add(ThemeFactory())
        SessionSpeakerFactory(session=plenary)
        SessionFactory(kind=SessionKind.AFTERNOON, livestream=True)

    # congress (with the content version), highlights and livestream sessions, their themes,
    # their speakers, main venues, the counts, themes, the about page with the menu pages
    with django_assert_num_queries(8):
        response = client.get(reverse("congress:home"))

    assert (len(response.context["highlights"]), len(response.context["livestream_sessions"])) == (
        size,
        2 * size,
    )


# Information pages


def test_published_page_renders_its_body(client, congress):
    PageFactory(
        slug="praktische-informatie",
        title="Praktische informatie",
        summary="Alles voor uw bezoek.",
        body=(
            "Welkom in Groningen.\nTot snel.\n\n"
            "## Vervoer\n\n"
            "- Trein tot Groningen\n- Bus 5 naar Martiniplaza\n\n"
            "Vragen? Mail ons."
        ),
    )

    response = client.get(page_url("praktische-informatie"))

    content = response.content.decode()
    assert '<h1 id="page-title">Praktische informatie</h1>' in content
    assert '<p class="lead">Alles voor uw bezoek.</p>' in content
    assert prose(content) == (
        "<p>Welkom in Groningen.<br>\nTot snel.</p>\n"
        "<h2>Vervoer</h2>\n"
        "<ul>\n<li>Trein tot Groningen</li>\n<li>Bus 5 naar Martiniplaza</li>\n</ul>\n"
        "<p>Vragen? Mail ons.</p>"
    )
    assert DRAFT_NOTICE not in content


def test_page_body_is_sanitised(client, congress):
    PageFactory(
        slug="privacy",
        title="Privacy <b>",
        body="<script>alert(1)</script>\n\n## <i>Kop</i>\n\n- <img src=x onerror=alert(2)>",
    )

    response = client.get(page_url("privacy"))

    content = response.content.decode()
    assert prose(content) == "<h2>Kop</h2>\n<ul>\n<li></li>\n</ul>"
    assert '<h1 id="page-title">Privacy &lt;b&gt;</h1>' in content
    assert "<script>" not in content


def test_draft_page_is_404_for_visitors(client, congress):
    PageFactory(slug="privacy", status=PublicationStatus.DRAFT)

    response = client.get(page_url("privacy"))

    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in response.content.decode()


def test_draft_page_is_shown_to_staff_with_a_draft_notice(client, congress):
    PageFactory(slug="privacy", title="Privacyverklaring", status=PublicationStatus.DRAFT)
    client.force_login(EditorFactory())

    response = client.get(page_url("privacy"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="page-title">Privacyverklaring</h1>' in content
    assert DRAFT_NOTICE in content


def test_unknown_page_is_404(client, congress):
    response = client.get(page_url("bestaat-niet"))

    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in response.content.decode()


def test_page_of_another_congress_is_404(client, congress):
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    PageFactory(congress=last_year, slug="oud")

    response = client.get(page_url("oud"))

    assert response.status_code == 404


def test_pages_in_the_navigation_appear_in_the_menu(client, congress):
    PageFactory(slug="praktische-informatie", title="Praktisch", show_in_navigation=True)
    PageFactory(slug="privacy", title="Privacy", show_in_navigation=False)
    PageFactory(
        slug="geheim", title="Geheim", show_in_navigation=True, status=PublicationStatus.DRAFT
    )

    response = client.get(page_url("praktische-informatie"))

    menu = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S).group(0)
    assert re.findall(r"<li><a [^>]*>([^<]+)</a></li>", menu)[4:] == ["Praktisch"]
    assert '<a href="/praktische-informatie/" aria-current="page">Praktisch</a>' in menu


# Livestream


def test_livestream_page_lists_only_published_livestreamed_sessions(client, congress):
    congress.livestream_text = "Kijk mee via de website van de VNG."
    congress.livestream_url = "https://vng.nl/live"
    congress.save()
    SessionFactory(title="ALV", livestream=True, start=at(SECOND_DAY, "11:30"))
    SessionFactory(title="Jaarrede", livestream=True, start=at(SECOND_DAY, "09:30"))
    SessionFactory(title="Wandeling", livestream=False)
    SessionFactory(title="Geheim", livestream=True, status=PublicationStatus.DRAFT)

    response = client.get(reverse("congress:livestream"))

    content = response.content.decode()
    assert titles(response.context["sessions"]) == ["Jaarrede", "ALV"]
    assert '<div class="prose"><p>Kijk mee via de website van de VNG.</p></div>' in content
    assert '<a class="button" href="https://vng.nl/live" rel="external">' in content
    assert ("Wandeling" in content, "Geheim" in content) == (False, False)


def test_livestream_page_says_so_when_nothing_is_streamed(client, congress):
    SessionFactory(livestream=False)

    response = client.get(reverse("congress:livestream"))

    assert response.context["sessions"] == []
    assert "Er zijn (nog) geen onderdelen die via de livestream te volgen zijn." in (
        response.content.decode()
    )


@pytest.mark.parametrize("size", [1, 10])
def test_livestream_query_count_does_not_grow_with_the_sessions(
    client, congress, django_assert_num_queries, size
):
    for _ in range(size):
        session = SessionFactory(livestream=True)
        session.themes.add(ThemeFactory())
        SessionSpeakerFactory(session=session)

    # congress, sessions with venue and room, their themes, their speakers, menu pages
    with django_assert_num_queries(5):
        response = client.get(reverse("congress:livestream"))

    assert len(response.context["sessions"]) == size


# Error pages and pages for machines


def test_server_error_page_is_dutch_and_styled(db):
    request = RequestFactory().get("/")

    response = server_error(request)

    content = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Er ging aan onze kant iets mis</h1>" in content
    assert "Probeer het over een paar minuten opnieuw." in content
    assert '<html lang="nl">' in content


def test_healthz_reports_ok(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_robots_txt_keeps_crawlers_out_of_the_back_office(client, db):
    response = client.get(reverse("robots_txt"))

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    assert "Disallow: /beheer/" in lines


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/programma/", 200),
        ("/programma/wandeling/", 200),
        ("/sprekers/", 200),
        ("/sprekers/mark-boumans/", 200),
        ("/locaties/", 200),
        ("/locaties/martiniplaza/", 200),
        ("/livestream/", 200),
        ("/over-de-vng/", 200),
        ("/bestaat-niet/", 404),
    ],
)
def test_every_page_is_dutch_and_has_a_skip_link_to_the_content(client, congress, path, status):
    venue = VenueFactory(slug="martiniplaza")
    session = SessionFactory(slug="wandeling", venue=venue)
    SessionSpeakerFactory(session=session, speaker__slug="mark-boumans")
    PageFactory(slug="over-de-vng")

    response = client.get(path)

    content = response.content.decode()
    assert response.status_code == status
    assert content.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in content
    assert '<main id="inhoud" tabindex="-1" class="site-main">' in content


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2023, 6, 13), date(2023, 6, 14), "13–14 juni 2023"),
        (date(2024, 6, 30), date(2024, 7, 1), "30 juni – 1 juli 2024"),
        (date(2025, 6, 4), date(2025, 6, 4), "4 juni 2025"),
    ],
)
def test_footer_gives_the_congress_dates_as_a_readable_range(client, db, start, end, expected):
    CongressFactory(start_date=start, end_date=end)

    response = client.get("/programma/")

    footer = response.content.decode().split('<footer class="site-footer">')[1]
    assert f"VNG Jaarcongres 2023 · {expected} · Groningen" in footer


def test_home_does_not_count_a_blank_municipality(client, congress):
    VenueFactory(municipality="Het Hogeland")
    VenueFactory(municipality="")

    response = client.get("/")

    assert (
        response.context["regional_venue_count"],
        response.context["regional_municipality_count"],
    ) == (2, 1)


def test_menu_lists_published_pages_of_this_congress_in_their_order_for_every_visitor(
    client, congress
):
    PageFactory(slug="b-pagina", title="Zeta & “Café”", show_in_navigation=True, order=1)
    PageFactory(slug="a-pagina", title="Alfa", show_in_navigation=True, order=2)
    PageFactory(slug="c-pagina", title="Beta <b>", show_in_navigation=True, order=1)
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    PageFactory(congress=last_year, slug="oud", title="Oud", show_in_navigation=True)
    logged_in = Client()
    logged_in.force_login(UserFactory())

    menus = []
    for visitor in (client, logged_in):
        content = visitor.get("/").content.decode()
        menu = re.search(r'<nav class="site-nav".*?</nav>', content, re.S).group(0)
        menus.append(re.findall(r"<li><a [^>]*>([^<]+)</a></li>", menu)[4:])

    expected = ["Beta &lt;b&gt;", "Zeta &amp; “Café”", "Alfa"]
    assert menus == [expected, expected]


def test_about_page_is_linked_from_home_without_being_in_the_menu(client, congress):
    PageFactory(
        slug="over-de-vng", title="Over de VNG", summary="Sinds 1912.", show_in_navigation=False
    )

    content = client.get("/").content.decode()

    menu = re.search(r'<nav class="site-nav".*?</nav>', content, re.S).group(0)
    assert "Over de VNG" not in menu
    assert "<p>Sinds 1912.</p>" in content
    assert '<a href="/over-de-vng/">Lees verder: Over de VNG</a>' in content


def test_draft_about_page_is_not_linked_from_home(client, congress):
    PageFactory(slug="over-de-vng", title="Over de VNG", status=PublicationStatus.DRAFT)

    assert "Lees verder: Over de VNG" not in client.get("/").content.decode()
