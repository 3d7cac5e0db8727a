"""What search engines and link previews read: head tags, JSON-LD, robots, the sitemap."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from congress.models import PublicationStatus
from programme.models import Session, SessionStatus
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    PageFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    VenuePhotoFactory,
    at,
)
from venues.models import VenueKind

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ORGANIZER = {
    "@type": "Organization",
    "name": "Vereniging van Nederlandse Gemeenten",
    "url": "https://vng.nl/",
}
NOINDEX = '<meta name="robots" content="noindex">'


class _HeadReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta = {}
        self.canonical = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])


def head(response):
    reader = _HeadReader()
    reader.feed(response.content.decode())
    return reader


def json_ld(response):
    """Each JSON-LD block of the page, parsed; the first </script> ends a block, as in browsers."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


def venue_place(slug, name, street, *, latitude=53.33, longitude=6.52):
    return {
        "@type": "Place",
        "name": name,
        "url": f"http://testserver/locaties/{slug}/",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": street,
            "postalCode": "9700 AA",
            "addressLocality": "Winsum",
            "addressRegion": "Het Hogeland",
            "addressCountry": "NL",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude},
    }


def session_url(slug):
    return reverse("programme:detail", kwargs={"slug": slug})


# Head tags


def test_canonical_url_is_absolute_and_leaves_out_the_query_string(client, congress):
    response = client.get("/programma/", {"soort": "middagsessie", "utm_source": "nieuwsbrief"})

    assert head(response).canonical == ["http://testserver/programma/"]


def test_session_page_describes_itself_for_link_previews(client, congress):
    SessionFactory(slug="wandeling", title="Wandeling door Beijum", summary="Lopen en praten.")

    response = client.get(session_url("wandeling"), {"thema": "x"})

    meta = head(response).meta
    keys = ["description", "og:type", "og:title", "og:description", "og:url", "og:image"]
    keys += ["og:site_name", "og:locale", "twitter:card"]
    assert {key: meta.get(key) for key in keys} == {
        "description": "Lopen en praten.",
        "og:type": "article",
        "og:title": "Wandeling door Beijum",
        "og:description": "Lopen en praten.",
        "og:url": "http://testserver/programma/wandeling/",
        "og:image": "http://testserver/static/img/og-vng-jaarcongres.png",
        "og:site_name": "VNG Jaarcongres 2023",
        "og:locale": "nl_NL",
        "twitter:card": "summary_large_image",
    }


def test_home_page_describes_the_congress_for_link_previews(client, congress):
    response = client.get("/")

    meta = head(response).meta
    assert {key: meta.get(key) for key in ["og:type", "og:title", "og:description", "og:url"]} == {
        "og:type": "website",
        "og:title": "VNG Jaarcongres 2023: Gemeenten zetten een stap naar voren",
        "og:description": "VNG Jaarcongres 2023: Gemeenten zetten een stap naar voren",
        "og:url": "http://testserver/",
    }


def test_venue_page_shares_its_first_photo(client, congress):
    photo = VenuePhotoFactory(venue=VenueFactory(slug="martiniplaza"))

    response = client.get("/locaties/martiniplaza/")

    assert head(response).meta["og:image"] == f"http://testserver{photo.image.url}"


def test_default_share_image_exists(db):
    assert finders.find("img/og-vng-jaarcongres.png") is not None


# JSON-LD


def test_home_page_describes_the_congress_as_an_event_at_its_main_venues(client, congress):
    VenueFactory(
        slug="martiniplaza",
        name="Martiniplaza",
        street="Leonard Springerlaan 2",
        order=1,
        kind=VenueKind.PLENARY,
    )
    VenueFactory(
        slug="forum", name="Forum", street="Nieuwe Markt 1", order=2, kind=VenueKind.EVENING
    )
    VenueFactory(slug="dorpshuis", kind=VenueKind.REGIONAL)

    response = client.get("/")

    assert json_ld(response) == [
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": "VNG Jaarcongres 2023",
            "url": "http://testserver/",
            "startDate": "2023-06-13",
            "endDate": "2023-06-14",
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
            "inLanguage": "nl",
            "organizer": ORGANIZER,
            "location": [
                venue_place("martiniplaza", "Martiniplaza", "Leonard Springerlaan 2"),
                venue_place("forum", "Forum", "Nieuwe Markt 1"),
            ],
            "description": "Gemeenten zetten een stap naar voren",
        }
    ]


def test_session_page_describes_the_session_as_an_event(client, congress):
    venue = VenueFactory(slug="martiniplaza", name="Martiniplaza", street="Leonard Springerlaan 2")
    session = SessionFactory(
        slug="debat",
        title="Het grote debat",
        summary="Over wonen.",
        venue=venue,
        room=RoomFactory(venue=venue),
        capacity=40,
        livestream=True,
    )
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="b", name="Bea"), order=2)
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="a", name="Anton"), order=1)

    response = client.get(session_url("debat"))

    assert json_ld(response) == [
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": "Het grote debat",
            "url": "http://testserver/programma/debat/",
            "startDate": "2023-06-13T13:30:00+02:00",
            "endDate": "2023-06-13T16:30:00+02:00",
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
            "inLanguage": "nl",
            "organizer": ORGANIZER,
            "superEvent": {
                "@type": "Event",
                "name": "VNG Jaarcongres 2023",
                "url": "http://testserver/",
            },
            "description": "Over wonen.",
            "location": venue_place("martiniplaza", "Martiniplaza", "Leonard Springerlaan 2"),
            "performer": [
                {"@type": "Person", "name": "Anton", "url": "http://testserver/sprekers/a/"},
                {"@type": "Person", "name": "Bea", "url": "http://testserver/sprekers/b/"},
            ],
            "maximumAttendeeCapacity": 40,
        }
    ]


def test_session_without_livestream_is_attended_offline(client, congress):
    SessionFactory(slug="wandeling", livestream=False)

    response = client.get(session_url("wandeling"))

    (event,) = json_ld(response)
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def _moved(session, *, minor=False):
    session = Session.objects.get(pk=session.pk)
    session.start += timedelta(minutes=30)
    session.end += timedelta(minutes=30)
    session.minor_change = minor
    session.save()


def _cancelled(session):
    session = Session.objects.get(pk=session.pk)
    session.status = SessionStatus.CANCELLED
    session.save()


@pytest.mark.parametrize(
    ("what_happened", "status"),
    [
        (lambda session: None, "EventScheduled"),
        (_moved, "EventRescheduled"),
        (lambda session: _moved(session, minor=True), "EventScheduled"),
        (_cancelled, "EventCancelled"),
    ],
    ids=["unchanged", "moved", "minor-correction", "cancelled"],
)
def test_session_event_status_follows_its_changes(client, congress, what_happened, status):
    session = SessionFactory(slug="wandeling")
    what_happened(session)

    response = client.get(session_url("wandeling"))

    (event,) = json_ld(response)
    assert event["eventStatus"] == f"https://schema.org/{status}"


def test_session_times_carry_the_summer_time_offset(client, congress):
    SessionFactory(slug="avond", start=at(FIRST_DAY, "19:00"), end=at(FIRST_DAY, "23:30"))

    response = client.get(session_url("avond"))

    (event,) = json_ld(response)
    assert (event["startDate"], event["endDate"]) == (
        "2023-06-13T19:00:00+02:00",
        "2023-06-13T23:30:00+02:00",
    )


def test_venue_page_describes_the_venue_as_a_place(client, congress):
    VenueFactory(
        slug="martiniplaza",
        name="Martiniplaza",
        street="Leonard Springerlaan 2",
        latitude="53.202400",
        longitude="6.553800",
    )

    response = client.get("/locaties/martiniplaza/")

    assert json_ld(response) == [
        {
            "@context": "https://schema.org",
            **venue_place(
                "martiniplaza",
                "Martiniplaza",
                "Leonard Springerlaan 2",
                latitude=53.2024,
                longitude=6.5538,
            ),
        }
    ]


def test_script_tag_in_a_session_title_stays_inside_the_json_ld_block(client, congress):
    title = 'Wonen </script><script>alert("x")</script> & <!-- meer -->'
    SessionFactory(slug="listig", title=title, summary="")

    response = client.get(session_url("listig"))

    content = response.content.decode()
    (event,) = json_ld(response)
    assert event["name"] == title
    assert "<script>alert" not in content
    assert content.count("<script") == 2  # the JSON-LD block and site.js


# Pages that stay out of search results


@pytest.mark.parametrize(
    "path",
    ["/bestaat-niet/", "/programma/bestaat-niet/", "/account/login/", "/account/signup/"],
)
def test_error_and_account_pages_for_visitors_are_noindex(client, congress, path):
    response = client.get(path)

    assert NOINDEX in response.content.decode()


@pytest.mark.parametrize("path", ["/account/profiel/", "/account/email/", "/mijn-programma/"])
def test_personal_pages_are_noindex(client, congress, path):
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == 200
    assert NOINDEX in response.content.decode()


def test_forbidden_page_is_noindex(client, congress):
    client.force_login(UserFactory())

    response = client.get("/beheer/login/?next=/beheer/")

    assert response.status_code == 403
    assert NOINDEX in response.content.decode()


def test_bad_request_page_is_noindex(client, congress):
    response = client.get("/", HTTP_HOST="niet-onze-site.example")

    content = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Dit verzoek kunnen we niet verwerken</h1>" in content
    assert NOINDEX in content


def test_server_error_page_is_noindex(db):
    response = server_error(RequestFactory().get("/"))

    assert NOINDEX in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/programma/", "/programma/wandeling/", "/over-de-vng/"])
def test_public_pages_may_be_indexed(client, congress, path):
    SessionFactory(slug="wandeling")
    PageFactory(slug="over-de-vng")

    response = client.get(path)

    assert response.status_code == 200
    assert 'name="robots"' not in response.content.decode()


# /robots.txt and /sitemap.xml


def test_robots_txt_keeps_crawlers_out_of_private_parts_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /account/",
        "Disallow: /mijn-programma/",
        "",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def sitemap_locations(response):
    root = ET.fromstring(response.content)
    return [url.findtext(f"{SITEMAP_NS}loc") for url in root.findall(f"{SITEMAP_NS}url")]


def test_sitemap_lists_every_public_page_of_the_current_congress(client, congress):
    SessionFactory(slug="wandeling", venue=VenueFactory(slug="dorpshuis"))
    SessionFactory(slug="vervallen-debat", status=SessionStatus.CANCELLED, venue=None)
    SessionFactory(slug="nog-geheim", status=PublicationStatus.DRAFT, venue=None)
    SessionSpeakerFactory(session__slug="opening", session__venue=None, speaker__slug="spreker")
    SessionSpeakerFactory(
        session__slug="concept",
        session__venue=None,
        session__status=PublicationStatus.DRAFT,
        speaker__slug="nog-niet-bekend",
    )
    VenueFactory(slug="martiniplaza")
    PageFactory(slug="over-de-vng")
    PageFactory(slug="in-de-maak", status=PublicationStatus.DRAFT)
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    SessionFactory(congress=last_year, slug="vorig-jaar")
    PageFactory(congress=last_year, slug="oud-nieuws")

    response = client.get("/sitemap.xml")

    locations = sitemap_locations(response)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert sorted(urlsplit(location).path for location in locations) == sorted(
        [
            "/",
            "/programma/",
            "/sprekers/",
            "/locaties/",
            "/livestream/",
            "/programma/wijzigingen/",
            "/programma/wandeling/",
            "/programma/vervallen-debat/",
            "/programma/opening/",
            "/sprekers/spreker/",
            "/locaties/dorpshuis/",
            "/locaties/martiniplaza/",
            "/over-de-vng/",
        ]
    )
    # Addresses are on the host that was asked, as robots.txt names it (not a fixed Site domain).
    assert {urlsplit(location)[:2] for location in locations} == {("http", "testserver")}


def test_sitemap_without_a_current_congress_lists_only_the_fixed_pages(client, db):
    CongressFactory(is_current=False)
    SessionFactory(slug="wandeling")

    response = client.get("/sitemap.xml")

    assert sorted(urlsplit(loc).path for loc in sitemap_locations(response)) == [
        "/",
        "/livestream/",
        "/locaties/",
        "/programma/",
        "/programma/wijzigingen/",
        "/sprekers/",
    ]


@pytest.mark.parametrize("size", [1, 10])
def test_sitemap_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    for _ in range(size):
        SessionSpeakerFactory()
        PageFactory()
    # the congress (with the content version), then one list per content sitemap
    with django_assert_num_queries(6):
        response = client.get("/sitemap.xml")

    assert len(sitemap_locations(response)) == 6 + 4 * size
