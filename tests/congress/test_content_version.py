"""Every way congress content is written bumps the content version, bulk writes included.

The page cache (congress/page_cache.py) relies on it: a write that did not bump would leave
stale pages in the cache until they expire.
"""

from datetime import date

import pytest
from django.core.management import call_command

from congress import services as congress_services
from congress.content import current_version
from programme import services as programme_services
from programme.models import Registration, Session, Speaker
from tests.factories import (
    CongressFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
    at,
)
from venues.models import Room

pytestmark = pytest.mark.django_db


def copy_edition(congress):
    SessionSpeakerFactory(session=SessionFactory())
    return lambda: congress_services.copy_edition(
        congress=congress,
        year=2024,
        name="VNG Jaarcongres 2024",
        slug="vng-jaarcongres-2024",
        start_date=date(2024, 6, 4),
        with_sessions=True,
    )


def make_current(congress):
    other = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    return lambda: congress_services.make_current(congress=other)


def move_public_session(congress):
    session, venue = SessionFactory(), VenueFactory()
    return lambda: programme_services.move_sessions(sessions=[session], venue=venue)


def duplicate_session(congress):
    session = SessionFactory()
    session.themes.add(ThemeFactory())
    SessionSpeakerFactory(session=session)
    return lambda: programme_services.duplicate_session(session=session)


def sign_up(congress):
    session = SessionFactory(start=at(date(2099, 6, 1), "13:30"), capacity=5)
    return lambda: programme_services.sign_up(user=UserFactory(), session=session)


def cancel(congress):
    registration = RegistrationFactory()
    return lambda: Registration.objects.filter(pk=registration.pk).delete()


def bulk_rooms(congress):
    venue = VenueFactory()
    return lambda: Room.objects.bulk_create([Room(venue=venue, name="Zaal 1")])


def bulk_update_speakers(congress):
    speaker = SpeakerFactory()
    speaker.role = "wethouder"
    return lambda: Speaker.objects.bulk_update([speaker], ["role"])


def queryset_update(congress):
    SessionFactory()
    return lambda: Session.objects.update(summary="Anders")


def queryset_delete(congress):
    RoomFactory()
    return lambda: Room.objects.all().delete()


def remove_theme(congress):
    session = SessionFactory()
    theme = ThemeFactory()
    session.themes.add(theme)
    return lambda: theme.sessions.clear()


def load_demo(congress):
    return lambda: call_command("load_demo", "--sessions", "70", verbosity=0)


WRITES = [
    copy_edition,
    make_current,
    move_public_session,
    duplicate_session,
    sign_up,
    cancel,
    bulk_rooms,
    bulk_update_speakers,
    queryset_update,
    queryset_delete,
    remove_theme,
    load_demo,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_every_kind_of_write_bumps_the_content_version(congress, committed, write):
    do_it = write(congress)
    before, _ = current_version()

    with committed():
        do_it()

    number, changed_at = current_version()
    assert number > before
    assert changed_at is not None


def test_a_write_to_something_no_page_shows_does_not_bump(congress, committed):
    user = UserFactory()
    before = current_version()

    with committed():
        user.first_name = "Anna"
        user.save()

    assert current_version() == before
