"""Editions: copying one congress to start the next, and switching which one the site shows."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congress import services
from congress.models import Congress, Page, Theme
from programme.models import (
    Favourite,
    Registration,
    RegistrationStatus,
    Session,
    SessionChange,
    SessionSpeaker,
    SessionStatus,
    Speaker,
    SpeakerRole,
)
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    EditorFactory,
    FavouriteFactory,
    PageFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    ThemeFactory,
    VenueFactory,
    VenuePhotoFactory,
    at,
)
from tests.html_forms import form_data
from venues.models import Room, Venue, VenuePhoto

pytestmark = pytest.mark.django_db

NEXT_FIRST_DAY = date(2024, 6, 4)  # 357 days after 13 June 2023


@pytest.fixture
def edition(congress):
    """The 2023 congress with everything an edition has, and an older edition beside it."""
    congress.signup_deadline = at(FIRST_DAY - timedelta(days=2), "17:00")
    congress.save()
    older = CongressFactory(
        name="VNG Jaarcongres 2022", slug="vng-jaarcongres-2022", year=2022, is_current=False
    )
    SessionFactory(congress=older)
    themes = [ThemeFactory(congress=congress, order=n) for n in range(2)]
    PageFactory(congress=congress, slug="over-de-vng")
    PageFactory(congress=congress, slug="privacy")
    forum = VenueFactory(congress=congress, name="Forum", slug="forum-groningen")
    hall = RoomFactory(venue=forum, name="Zaal 1")
    RoomFactory(venue=forum, name="Studio")
    VenuePhotoFactory(venue=forum)
    village = VenueFactory(congress=congress, name="Dorpshuis", slug="dorpshuis")
    RoomFactory(venue=village, name="Grote zaal")
    afternoon = SessionFactory(
        congress=congress, slug="wonen", venue=forum, room=hall, capacity=2, title="Wonen"
    )
    afternoon.themes.set(themes)
    chair, speaker = SpeakerFactory(congress=congress), SpeakerFactory(congress=congress)
    SessionSpeakerFactory(session=afternoon, speaker=speaker, order=1)
    SessionSpeakerFactory(session=afternoon, speaker=chair, order=0, role=SpeakerRole.CHAIR)
    SpeakerFactory(congress=congress, name="Nog zonder sessie")
    evening = SessionFactory(
        congress=congress,
        slug="avond",
        venue=village,
        room=None,
        start=at(FIRST_DAY, "19:00"),
        status=SessionStatus.CANCELLED,
    )
    SessionSpeakerFactory(session=evening, speaker=speaker)
    RegistrationFactory(session=afternoon)
    RegistrationFactory(session=afternoon, status=RegistrationStatus.WAITLISTED)
    FavouriteFactory(session=evening)
    moved = Session.objects.get(pk=afternoon.pk)
    moved.start += timedelta(minutes=30)
    moved.save()  # a published session: the change is recorded
    return congress


def copy(congress, **kwargs):
    return services.copy_edition(
        congress=congress,
        year=2024,
        name="VNG Jaarcongres 2024",
        slug="vng-jaarcongres-2024",
        start_date=NEXT_FIRST_DAY,
        **kwargs,
    )


def snapshot(congress):
    """Every row of the congress and what hangs from it, as plain values."""
    return {
        "congress": list(Congress.objects.filter(pk=congress.pk).values()),
        "themes": list(Theme.objects.filter(congress=congress).values()),
        "pages": list(Page.objects.filter(congress=congress).values()),
        "venues": list(Venue.objects.filter(congress=congress).values()),
        "rooms": list(Room.objects.filter(venue__congress=congress).values()),
        "photos": list(VenuePhoto.objects.filter(venue__congress=congress).values()),
        "sessions": list(Session.objects.filter(congress=congress).values()),
        "session_themes": list(
            Session.themes.through.objects.filter(session__congress=congress).values()
        ),
        "speakers": list(Speaker.objects.filter(congress=congress).values()),
        "links": list(SessionSpeaker.objects.filter(session__congress=congress).values()),
        "registrations": list(Registration.objects.filter(session__congress=congress).values()),
        "favourites": list(Favourite.objects.filter(session__congress=congress).values()),
        "changes": list(SessionChange.objects.filter(session__congress=congress).values()),
    }


def test_copy_without_sessions_copies_the_congress_themes_pages_and_venues(edition):
    new = copy(edition)

    new.refresh_from_db()
    assert (new.name, new.slug, new.year, new.is_current) == (
        "VNG Jaarcongres 2024",
        "vng-jaarcongres-2024",
        2024,
        False,
    )
    assert (new.start_date, new.end_date) == (NEXT_FIRST_DAY, NEXT_FIRST_DAY + timedelta(days=1))
    assert new.signup_deadline == at(NEXT_FIRST_DAY - timedelta(days=2), "17:00")
    assert (new.city, new.motto) == (edition.city, edition.motto)
    assert list(new.themes.values_list("name", flat=True)) == list(
        edition.themes.values_list("name", flat=True)
    )
    assert sorted(new.pages.values_list("slug", flat=True)) == ["over-de-vng", "privacy"]
    assert sorted(new.venues.values_list("slug", flat=True)) == ["dorpshuis", "forum-groningen"]
    assert sorted(Room.objects.filter(venue__congress=new).values_list("venue__slug", "name")) == [
        ("dorpshuis", "Grote zaal"),
        ("forum-groningen", "Studio"),
        ("forum-groningen", "Zaal 1"),
    ]
    assert new.sessions.count() == 0
    assert new.speakers.count() == 0


def test_copied_photos_refer_to_the_same_stored_image(edition):
    original = VenuePhoto.objects.get(venue__congress=edition)

    new = copy(edition)

    photo = VenuePhoto.objects.get(venue__congress=new)
    assert photo.venue.slug == "forum-groningen"
    assert photo.pk != original.pk
    assert (photo.image.name, photo.alt_text, photo.width) == (
        original.image.name,
        original.alt_text,
        original.width,
    )
    assert photo.image.storage.exists(photo.image.name)


def test_copy_with_sessions_makes_drafts_moved_to_the_new_dates(edition):
    new = copy(edition, with_sessions=True)

    sessions = {s.slug: s for s in new.sessions.select_related("venue", "room")}
    assert sorted(sessions) == ["avond", "wonen"]
    assert sorted(s.status for s in sessions.values()) == ["concept", "concept"]
    afternoon, evening = sessions["wonen"], sessions["avond"]
    assert (afternoon.start, afternoon.end) == (
        at(NEXT_FIRST_DAY, "14:00"),
        at(NEXT_FIRST_DAY, "16:30"),
    )
    assert evening.start == at(NEXT_FIRST_DAY, "19:00")
    assert (afternoon.title, afternoon.capacity, afternoon.sequence) == ("Wonen", 2, 0)


def test_copy_with_sessions_maps_venue_room_and_themes_to_the_copies(edition):
    new = copy(edition, with_sessions=True)

    afternoon = new.sessions.select_related("venue", "room__venue").get(slug="wonen")
    evening = new.sessions.select_related("venue").get(slug="avond")
    assert (afternoon.venue.congress_id, afternoon.venue.slug) == (new.pk, "forum-groningen")
    assert (afternoon.room.venue_id, afternoon.room.name) == (afternoon.venue.pk, "Zaal 1")
    assert (evening.venue.congress_id, evening.venue.slug, evening.room) == (
        new.pk,
        "dorpshuis",
        None,
    )
    assert sorted(afternoon.themes.values_list("congress_id", "name")) == sorted(
        (new.pk, name) for name in edition.themes.values_list("name", flat=True)
    )


def test_copy_with_sessions_copies_the_speakers_once_and_links_them_in_order(edition):
    new = copy(edition, with_sessions=True)

    assert sorted(new.speakers.values_list("name", flat=True)) == sorted(
        edition.speakers.values_list("name", flat=True)
    )
    afternoon = new.sessions.get(slug="wonen")
    links = list(afternoon.session_speakers.select_related("speaker").order_by("order"))
    original = list(
        edition.sessions.get(slug="wonen")
        .session_speakers.select_related("speaker")
        .order_by("order")
    )
    assert [(link.speaker.name, link.role, link.order) for link in links] == [
        (link.speaker.name, link.role, link.order) for link in original
    ]
    assert {link.speaker.congress_id for link in links} == {new.pk}
    evening = new.sessions.get(slug="avond")
    assert evening.speakers.get() == links[1].speaker  # one copy, in both sessions


def test_copy_never_copies_registrations_favourites_or_changes(edition):
    new = copy(edition, with_sessions=True)

    assert Registration.objects.filter(session__congress=new).count() == 0
    assert Favourite.objects.filter(session__congress=new).count() == 0
    assert SessionChange.objects.filter(session__congress=new).count() == 0
    assert Registration.objects.filter(session__congress=edition).count() == 2


def test_copy_leaves_the_original_unchanged(edition):
    before = snapshot(edition)
    older_before = snapshot(Congress.objects.get(year=2022))

    copy(edition, with_sessions=True)

    assert snapshot(edition) == before
    assert snapshot(Congress.objects.get(year=2022)) == older_before
    assert Congress.objects.current() == edition


def test_copy_keeps_the_wall_clock_time_across_a_change_to_winter_time(edition):
    new = services.copy_edition(
        congress=edition,
        year=2024,
        name="VNG Jaarcongres 2024",
        slug="vng-jaarcongres-2024",
        start_date=date(2024, 1, 9),
        with_sessions=True,
    )

    assert new.sessions.get(slug="wonen").start == at(date(2024, 1, 9), "14:00")


def test_copy_to_a_taken_year_refuses_and_creates_nothing(edition):
    counts = (Congress.objects.count(), Venue.objects.count(), Theme.objects.count())

    with pytest.raises(ValidationError) as refusal:
        services.copy_edition(
            congress=edition,
            year=2022,
            name="Nog een",
            slug="nog-een",
            start_date=NEXT_FIRST_DAY,
        )

    assert list(refusal.value.message_dict) == ["year"]
    assert (Congress.objects.count(), Venue.objects.count(), Theme.objects.count()) == counts


def test_make_current_switches_the_edition_the_site_shows(edition, client):
    new = copy(edition)

    services.make_current(congress=new)

    assert list(Congress.objects.filter(is_current=True)) == [new]
    assert Congress.objects.current() == new
    response = client.get("/")
    assert response.context["congress"] == new


def test_make_current_of_the_current_edition_keeps_it_current(edition):
    services.make_current(congress=edition)

    assert list(Congress.objects.filter(is_current=True)) == [edition]


# The admin: the action, its intermediate page, and switching the current edition.


def run_action(client, action, congresses):
    return client.post(
        reverse("admin:congress_congress_changelist"),
        {"action": action, "_selected_action": [c.pk for c in congresses]},
    )


def test_copy_action_leads_to_a_form_with_a_proposal_for_the_next_year(client, edition):
    client.force_login(EditorFactory())

    response = run_action(client, "copy_to_new_edition", [edition])
    page = client.get(response["Location"])

    copy_url = reverse("admin:congress_congress_copy", args=[edition.pk])
    assert (response.status_code, response["Location"]) == (302, copy_url)
    data = form_data(page.content.decode(), "copy_edition_form")
    assert (data["year"], data["name"], data["slug"], data["start_date"]) == (
        ["2024"],
        ["VNG Jaarcongres 2024"],
        ["vng-jaarcongres-2024"],
        ["2024-06-13"],
    )
    assert "with_sessions" not in data
    assert "Ook de sessies kopiëren" in page.content.decode()


def test_copy_form_creates_the_edition_and_opens_it(client, edition):
    client.force_login(EditorFactory())
    copy_url = reverse("admin:congress_congress_copy", args=[edition.pk])
    data = form_data(client.get(copy_url).content.decode(), "copy_edition_form")
    data["start_date"] = [NEXT_FIRST_DAY.isoformat()]
    data["with_sessions"] = ["on"]

    response = client.post(copy_url, data)

    new = Congress.objects.get(year=2024)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:congress_congress_change", args=[new.pk])
    assert (new.start_date, new.is_current, new.sessions.count()) == (NEXT_FIRST_DAY, False, 2)
    assert Congress.objects.current() == edition


def test_copy_form_refuses_a_year_that_is_taken(client, edition):
    client.force_login(EditorFactory())
    copy_url = reverse("admin:congress_congress_copy", args=[edition.pk])
    data = form_data(client.get(copy_url).content.decode(), "copy_edition_form")
    data["year"] = ["2022"]

    response = client.post(copy_url, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"year": ["Er is al een editie in dit jaar."]}
    assert Congress.objects.count() == 2


def test_copy_action_needs_exactly_one_edition(client, edition):
    client.force_login(EditorFactory())

    response = run_action(client, "copy_to_new_edition", Congress.objects.all())

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:congress_congress_changelist")
    assert Congress.objects.count() == 2


def test_make_current_action_switches_the_current_edition(client, edition):
    older = Congress.objects.get(year=2022)
    client.force_login(EditorFactory())

    response = run_action(client, "make_current", [older])

    assert response.status_code == 302
    assert list(Congress.objects.filter(is_current=True)) == [older]
