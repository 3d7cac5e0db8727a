"""The demo congress: `manage.py load_demo` builds the 2023 congress from the project's data."""

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from congress.models import Congress, Page, PublicationStatus, Theme
from programme.models import Session, SessionKind, SessionSpeaker, Speaker
from venues.models import Room, Venue, VenueKind, VenuePhoto

pytestmark = pytest.mark.django_db
ALL_MODELS = [Congress, Theme, Page, Venue, Room, VenuePhoto, Speaker, Session, SessionSpeaker]


def snapshot():
    rows = {model.__name__: sorted(model.objects.values_list(), key=str) for model in ALL_MODELS}
    rows["session_themes"] = sorted(Session.themes.through.objects.values_list())
    return rows


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Congress.objects.get(slug="vng-jaarcongres-2023")


def test_demo_is_the_current_2023_congress_in_groningen(demo):
    assert (demo.is_current, demo.start_date, demo.end_date, demo.city) == (
        True,
        date(2023, 6, 13),
        date(2023, 6, 14),
        "Groningen",
    )
    assert demo.motto == "Gemeenten zetten een stap naar voren"


def test_demo_has_the_real_plenary_venues_with_their_addresses(demo):
    martiniplaza = Venue.objects.get(slug="martiniplaza")
    forum = Venue.objects.get(slug="forum-groningen")

    assert (martiniplaza.kind, martiniplaza.street, martiniplaza.postcode, martiniplaza.town) == (
        VenueKind.PLENARY,
        "Leonard Springerlaan 2",
        "9727 KB",
        "Groningen",
    )
    assert (martiniplaza.latitude, martiniplaza.longitude) == (
        Decimal("53.202780"),
        Decimal("6.556390"),
    )
    assert forum.kind == VenueKind.EVENING
    forum_kinds = set(Session.objects.filter(venue=forum).values_list("kind", flat=True))
    assert forum_kinds == {SessionKind.RECEPTION, SessionKind.EVENING}


def test_demo_has_fifty_plus_afternoon_sessions_at_fifteen_plus_regional_sites(demo):
    afternoon = Session.objects.filter(congress=demo, kind=SessionKind.AFTERNOON)
    sites = Venue.objects.filter(pk__in=afternoon.values("venue"), kind=VenueKind.REGIONAL)

    assert afternoon.count() >= 50
    assert sites.count() >= 15
    assert sites.values("municipality").distinct().count() == 10
    assert all(session.start.date() == date(2023, 6, 13) for session in afternoon)
    assert afternoon.filter(capacity__isnull=True).count() == 0
    assert afternoon.filter(themes__isnull=True).count() < afternoon.count()


def test_demo_has_the_real_speakers_and_the_alv_with_its_agenda(demo):
    real = {
        "Jan van Zanen",
        "Koen Schuiling",
        "Myron Hamming",
        "Hanke Bruins Slot",
        "Sharon Dijksma",
    }
    alv = Session.objects.get(congress=demo, kind=SessionKind.GENERAL_ASSEMBLY)

    assert real <= set(Speaker.objects.values_list("name", flat=True))
    assert alv.livestream is True
    assert alv.start.date() == date(2023, 6, 14)
    assert "Verenigingsstrategie 2030" in alv.description
    assert set(alv.speakers.values_list("name", flat=True)) >= {"Jan van Zanen", "Sharon Dijksma"}


def test_demo_marks_invented_content_as_illustrative(demo):
    invented = Session.objects.filter(
        kind=SessionKind.AFTERNOON, description__contains="Illustratief voorbeeld"
    )

    assert invented.count() >= 50


def test_demo_content_passes_every_model_validation(demo):
    for model in ALL_MODELS:
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_publishes_sessions_and_the_information_pages(demo):
    pages = set(Page.objects.published().values_list("slug", flat=True))

    assert Session.objects.exclude(status=PublicationStatus.PUBLISHED).count() == 0
    assert pages == {
        "over-de-vng",
        "praktische-informatie",
        "toegankelijkheidsverklaring",
        "privacy",
    }


def test_demo_pictures_are_generated_with_alt_text(demo):
    photos = list(VenuePhoto.objects.all())
    speakers = list(Speaker.objects.exclude(photo=""))

    assert len(photos) >= 2
    assert all(photo.alt_text and default_storage.exists(photo.image.name) for photo in photos)
    assert all(photo.width and photo.height for photo in photos)
    assert all(s.photo_alt and default_storage.exists(s.photo.name) for s in speakers)


def test_load_demo_twice_changes_nothing(demo):
    before = snapshot()
    files_before = sorted(default_storage.listdir("venues")[0])

    call_command("load_demo", verbosity=0)

    assert snapshot() == before
    assert sorted(default_storage.listdir("venues")[0]) == files_before


def test_load_demo_upcoming_moves_the_congress_to_two_weeks_from_today(demo):
    plenary_before = Session.objects.filter(kind=SessionKind.PLENARY).order_by("start").first()

    call_command("load_demo", "--upcoming", verbosity=0)

    demo.refresh_from_db()
    plenary_after = Session.objects.get(pk=plenary_before.pk)
    today = timezone.localdate()
    assert demo.start_date == today + timedelta(days=14)
    assert demo.end_date == today + timedelta(days=15)
    local_before = timezone.localtime(plenary_before.start)
    local_after = timezone.localtime(plenary_after.start)
    assert local_after.date() == demo.start_date
    assert local_after.time() == local_before.time()
    assert Session.objects.count() == Session.objects.filter(start__date__gte=today).count()


def test_load_demo_sessions_grows_and_shrinks_the_afternoon_programme(demo):
    call_command("load_demo", "--sessions", "120", verbosity=0)
    grown = Session.objects.filter(kind=SessionKind.AFTERNOON).count()
    grown_venues = Venue.objects.count()

    call_command("load_demo", verbosity=0)

    assert grown == 120
    assert grown_venues > 22
    assert Session.objects.filter(kind=SessionKind.AFTERNOON).count() == 53
    assert Venue.objects.count() == 22


def test_load_demo_leaves_one_current_congress(db):
    Congress.objects.create(
        name="VNG Jaarcongres 2022",
        slug="vng-jaarcongres-2022",
        year=2022,
        start_date=date(2022, 6, 29),
        end_date=date(2022, 6, 30),
        city="Hoorn",
        is_current=True,
    )

    call_command("load_demo", verbosity=0)

    assert list(Congress.objects.filter(is_current=True).values_list("slug", flat=True)) == [
        "vng-jaarcongres-2023"
    ]


def test_load_demo_sessions_gives_each_grown_session_a_speaker_and_its_themes(demo):
    call_command("load_demo", "--sessions", "300", verbosity=0)
    grown = Session.objects.filter(kind=SessionKind.AFTERNOON, slug__endswith="-2")
    with_generated_speaker = Session.objects.filter(
        session_speakers__speaker__slug__startswith="demo-spreker-"
    )
    template = Session.objects.get(slug=grown.first().slug.removesuffix("-2"))

    assert Session.objects.filter(kind=SessionKind.AFTERNOON).count() == 300
    assert with_generated_speaker.distinct().count() == 300 - 53
    assert set(grown.first().themes.all()) == set(template.themes.all())
    assert Venue.objects.filter(slug__contains="-extra-").count() == (300 - 53) // 20
    assert grown.first().status == PublicationStatus.PUBLISHED


def test_load_demo_with_the_same_size_twice_changes_nothing(demo):
    call_command("load_demo", "--sessions", "200", verbosity=0)
    first = snapshot()

    call_command("load_demo", "--sessions", "200", verbosity=0)

    assert snapshot() == first


@pytest.mark.postgres
@pytest.mark.django_db
def test_load_demo_leaves_planner_statistics_for_what_it_loaded():
    from django.db import connection

    # A size of this run's own: statistics left by an earlier run on a reused test database
    # (ANALYZE writes the row estimate in place, outside the test's transaction) cannot match.
    call_command("load_demo", "--sessions", str(100 + os.getpid() % 400), verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'programme_session'")
        (estimated,) = cursor.fetchone()
    assert estimated == Session.objects.count()
