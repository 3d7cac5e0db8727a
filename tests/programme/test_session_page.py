import re

import pytest
from django.urls import reverse

from congress.models import PublicationStatus
from tests.factories import (
    CongressFactory,
    EditorFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

DRAFT_NOTICE = "Deze pagina is nog niet gepubliceerd; alleen de redactie ziet haar."


def session_url(slug):
    return reverse("programme:detail", kwargs={"slug": slug})


def speaker_slugs(content):
    return re.findall(r'href="/sprekers/([\w-]+)/"', content)


def back_link(content):
    return re.search(r'<nav class="back-link"[^>]*>\s*<a href="([^"]*)"', content).group(1)


def test_session_page_shows_its_time_in_dutch(client, congress):
    SessionFactory(slug="wandeling")

    response = client.get(session_url("wandeling"))

    content = response.content.decode()
    assert response.context["session"].slug == "wandeling"
    assert (
        '<time datetime="2023-06-13T13:30:00+02:00">dinsdag 13 juni 2023, 13:30</time>'
        '–<time datetime="2023-06-13T16:30:00+02:00">16:30</time> uur'
    ) in content


def test_session_page_links_the_venue_and_names_the_room(client, congress):
    venue = VenueFactory(slug="martiniplaza", name="Martiniplaza", street="Leonard Springerlaan 2")
    room = RoomFactory(venue=venue, name="Zaal Groningen", floor="eerste verdieping")
    SessionFactory(slug="opening", venue=venue, room=room)

    response = client.get(session_url("opening"))

    assert (
        '<dd><a href="/locaties/martiniplaza/">Martiniplaza</a>, Zaal Groningen '
        "(eerste verdieping)<br>Leonard Springerlaan 2, 9700 AA Winsum</dd>"
    ) in response.content.decode()


def test_session_page_links_the_speakers_in_programme_order(client, congress):
    session = SessionFactory(slug="debat")
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="derde"), order=3)
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="eerste"), order=1)
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="tweede"), order=2)

    response = client.get(session_url("debat"))

    assert speaker_slugs(response.content.decode()) == ["eerste", "tweede", "derde"]


def test_session_page_shows_speaker_role_and_what_they_do(client, congress):
    session = SessionFactory(slug="debat")
    SessionSpeakerFactory(
        session=session,
        speaker=SpeakerFactory(
            slug="sharon-dijksma",
            name="Sharon Dijksma",
            role="burgemeester",
            organisation="Gemeente Utrecht",
        ),
        role="gespreksleider",
    )

    response = client.get(session_url("debat"))

    content = response.content.decode()
    assert '<a href="/sprekers/sharon-dijksma/">Sharon Dijksma</a>' in content
    assert '<span class="speaker-item__role">(gespreksleider)</span>' in content
    assert '<span class="speaker-item__line">burgemeester, Gemeente Utrecht</span>' in content


def test_session_page_links_its_themes_to_the_filtered_programme(client, congress):
    session = SessionFactory(slug="jong-en-oud")
    session.themes.add(
        ThemeFactory(slug="generaties", name="Generaties verbinden", order=2),
        ThemeFactory(slug="crisis", name="Een crisis als kans", order=1),
    )

    response = client.get(session_url("jong-en-oud"))

    assert (
        '<ul class="tag-list">'
        '<li><a class="tag" href="/programma/?thema=crisis">Een crisis als kans</a></li>'
        '<li><a class="tag" href="/programma/?thema=generaties">Generaties verbinden</a></li>'
        "</ul>"
    ) in response.content.decode()


def test_session_page_shows_host_and_capacity(client, congress):
    SessionFactory(slug="waterstof", host_organisation="Groninger Bodem Beweging", capacity=40)

    response = client.get(session_url("waterstof"))

    content = response.content.decode()
    assert "<dt>Organisatie</dt><dd>Groninger Bodem Beweging</dd>" in content
    assert (
        '<dt>Plaatsen</dt><dd>40 plaatsen: <span class="seats">nog 40 plaatsen</span></dd>'
        in content
    )


def test_session_page_says_one_place_in_the_singular(client, congress):
    SessionFactory(slug="klein", capacity=1)

    response = client.get(session_url("klein"))

    expected = '<dt>Plaatsen</dt><dd>1 plaats: <span class="seats">nog 1 plaats</span></dd>'
    assert expected in response.content.decode()


def test_session_without_capacity_or_host_leaves_those_facts_out(client, congress):
    SessionFactory(slug="borrel", host_organisation="", capacity=None)

    response = client.get(session_url("borrel"))

    content = response.content.decode()
    assert ("<dt>Organisatie</dt>" in content, "<dt>Plaatsen</dt>" in content) == (False, False)


def test_livestream_badge_shows_only_for_livestreamed_sessions(client, congress):
    SessionFactory(slug="jaarrede", livestream=True)
    SessionFactory(slug="wandeling", livestream=False)

    live = client.get(session_url("jaarrede")).content.decode()
    not_live = client.get(session_url("wandeling")).content.decode()

    assert '<span class="badge badge--live">Ook via livestream</span>' in live
    assert "Deze sessie is ook via de livestream te volgen" in live
    assert "badge--live" not in not_live
    assert "Deze sessie is ook via de livestream te volgen" not in not_live


def test_back_link_without_filters_leads_to_the_session_in_the_programme(client, congress):
    SessionFactory(slug="wandeling")

    response = client.get(session_url("wandeling"))

    content = response.content.decode()
    assert back_link(content) == "/programma/#wandeling"
    assert '<span aria-hidden="true">←</span> Terug naar het programma</a>' in content


def test_back_link_keeps_valid_filters(client, congress):
    ThemeFactory(slug="x")
    SessionFactory(slug="wandeling")

    response = client.get(session_url("wandeling"), {"soort": "middagsessie", "thema": "x"})

    content = response.content.decode()
    assert back_link(content) == "/programma/?soort=middagsessie&amp;thema=x#wandeling"
    assert '<span aria-hidden="true">←</span> Terug naar het gefilterde programma</a>' in content


def test_back_link_drops_invalid_and_unknown_parameters(client, congress):
    SessionFactory(slug="wandeling")

    response = client.get(session_url("wandeling"), {"soort": "bogus", "evil": "1"})

    assert back_link(response.content.decode()) == "/programma/#wandeling"


def test_back_link_keeps_the_good_filters_and_drops_the_bad_ones(client, congress):
    SessionFactory(slug="wandeling")

    response = client.get(
        session_url("wandeling"),
        {"dag": "2023-06-13", "thema": "<script>", "q": "water stof", "evil": "1"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert back_link(content) == "/programma/?dag=2023-06-13&amp;q=water+stof#wandeling"
    assert "<script>" not in content


def test_draft_session_is_404_for_visitors(client, congress):
    SessionFactory(slug="geheim", status=PublicationStatus.DRAFT)

    response = client.get(session_url("geheim"))

    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in response.content.decode()


def test_draft_session_is_404_for_a_signed_in_visitor_who_is_not_staff(client, congress):
    SessionFactory(slug="geheim", status=PublicationStatus.DRAFT)
    client.force_login(UserFactory())

    response = client.get(session_url("geheim"))

    assert response.status_code == 404


def test_draft_session_is_previewable_by_staff_with_a_draft_notice(client, congress):
    SessionFactory(slug="geheim", title="Nog geheim", status=PublicationStatus.DRAFT)
    client.force_login(EditorFactory())

    response = client.get(session_url("geheim"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="session-title">Nog geheim</h1>' in content
    assert DRAFT_NOTICE in content


def test_published_session_shows_no_draft_notice_to_staff(client, congress):
    SessionFactory(slug="open")
    client.force_login(EditorFactory())

    response = client.get(session_url("open"))

    assert response.context["session"].slug == "open"
    assert DRAFT_NOTICE not in response.content.decode()


def test_session_of_another_congress_is_404(client, congress):
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    SessionFactory(congress=last_year, slug="oud-nieuws")

    response = client.get(session_url("oud-nieuws"))

    assert response.status_code == 404


def test_unknown_session_gets_the_site_styled_404(client, congress):
    response = client.get(session_url("bestaat-niet"))

    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Deze pagina bestaat niet (meer)</h1>" in content
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in content


@pytest.mark.parametrize("size", [1, 10])
def test_session_page_query_count_does_not_grow_with_speakers_and_themes(
    client, congress, django_assert_num_queries, size
):
    session = SessionFactory(slug="groot", room=None)
    session.room = RoomFactory(venue=session.venue)
    session.save()
    for _ in range(size):
        session.themes.add(ThemeFactory())
        SessionSpeakerFactory(session=session)

    # congress, session with venue and room, its themes, its speakers, its changes, menu pages
    with django_assert_num_queries(6):
        response = client.get(session_url("groot"))

    assert len(speaker_slugs(response.content.decode())) == size


@pytest.mark.parametrize("size", [1, 10])
def test_filtered_session_page_query_count_is_fixed(
    client, congress, django_assert_num_queries, size
):
    session = SessionFactory(slug="groot")
    for _ in range(size):
        theme = ThemeFactory()
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)
        VenueFactory()

    # as above, plus the themes and venues (one query) that check the filters for the back link
    with django_assert_num_queries(7):
        response = client.get(session_url("groot"), {"thema": theme.slug})

    assert back_link(response.content.decode()) == f"/programma/?thema={theme.slug}#groot"
