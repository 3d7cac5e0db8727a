from datetime import timedelta

import factory
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    CongressFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    VenueFactory,
    VenuePhotoFactory,
)

pytestmark = pytest.mark.django_db


def test_session_must_end_after_it_starts():
    session = SessionFactory()
    session.end = session.start

    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_session_clean_explains_a_wrong_end_time_in_dutch():
    session = SessionFactory()
    session.end = session.start - timedelta(minutes=5)

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict["end"] == ["Het einde ligt na het begin."]


def test_session_slug_is_unique_per_congress_only():
    SessionFactory(slug="energie")
    other = CongressFactory(slug="vng-jaarcongres-2024", year=2024, is_current=False)
    SessionFactory(congress=other, slug="energie")

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(slug="energie")


def test_session_room_must_belong_to_its_venue():
    session = SessionFactory()
    room_elsewhere = RoomFactory(venue=VenueFactory(congress=session.congress))
    session.room = room_elsewhere

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict["room"] == ["Deze zaal hoort niet bij de gekozen locatie."]


def test_session_room_of_its_own_venue_is_accepted():
    session = SessionFactory()
    session.room = RoomFactory(venue=session.venue)

    session.full_clean()


def test_session_without_venue_cannot_have_a_room():
    session = SessionFactory()
    session.room = RoomFactory(venue=session.venue)
    session.venue = None

    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_session_capacity_is_at_least_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(capacity=0)


def test_speaker_photo_needs_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(photo=factory.django.ImageField(width=40, height=40), photo_alt="")


def test_venue_photo_needs_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        VenuePhotoFactory(alt_text="")


def test_venue_needs_both_coordinates_or_neither():
    with pytest.raises(IntegrityError), transaction.atomic():
        VenueFactory(latitude="53.2", longitude=None)


def test_venue_slug_is_unique_per_congress():
    VenueFactory(slug="martiniplaza")

    with pytest.raises(IntegrityError), transaction.atomic():
        VenueFactory(slug="martiniplaza")


def test_public_objects_know_their_urls():
    session = SessionFactory(slug="energie")
    speaker = SpeakerFactory(slug="jan-van-zanen")
    venue = VenueFactory(slug="martiniplaza")

    assert [session.get_absolute_url(), speaker.get_absolute_url(), venue.get_absolute_url()] == [
        "/programma/energie/",
        "/sprekers/jan-van-zanen/",
        "/locaties/martiniplaza/",
    ]


def test_venue_links_to_its_spot_on_openstreetmap():
    venue = VenueFactory(latitude="53.202780", longitude="6.556390")

    assert venue.openstreetmap_url == (
        "https://www.openstreetmap.org/?mlat=53.202780&mlon=6.556390#map=17/53.202780/6.556390"
    )
