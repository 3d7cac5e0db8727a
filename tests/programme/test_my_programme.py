"""My programme: the page, adding and removing sessions, and the personal calendar feed."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from programme.models import Favourite, RegistrationStatus
from tests.factories import (
    FIRST_DAY,
    FavouriteFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY + timedelta(days=1)
MY_PROGRAMME = "/mijn-programma/"
JSON = {"HTTP_ACCEPT": "application/json"}


def add_url(session):
    return reverse("my_programme:add", kwargs={"slug": session.slug})


def remove_url(session):
    return reverse("my_programme:remove", kwargs={"slug": session.slug})


def feed_url(user):
    return reverse("my_programme:feed", kwargs={"token": user.calendar_token})


def shown_messages(response):
    return re.findall(
        r'<li class="message message--(\w+)">(.*?)</li>', response.content.decode(), re.S
    )


def favourites(user):
    return sorted(Favourite.objects.filter(user=user).values_list("session__slug", flat=True))


def titles(response):
    return [
        session.title
        for day in response.context["days"]
        for slot in day.slots
        for session in slot.sessions
    ]


def feed(client, user):
    response = client.get(feed_url(user))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(calendar):
    """The calendar's events by title, in the order the feed lists them."""
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


# The page


def test_my_programme_needs_a_login(client, congress):
    response = client.get(MY_PROGRAMME)

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/mijn-programma/"


def test_my_programme_lists_chosen_and_signed_up_sessions_by_day_and_time(client, congress):
    me = UserFactory()
    FavouriteFactory(user=me, session=SessionFactory(title="ALV", start=at(SECOND_DAY, "11:00")))
    FavouriteFactory(user=me, session=SessionFactory(title="Middag", start=at(FIRST_DAY, "13:30")))
    RegistrationFactory(
        user=me, session=SessionFactory(title="Ochtend", start=at(FIRST_DAY, "09:30"))
    )
    RegistrationFactory(
        user=me,
        session=SessionFactory(title="Wachtend", start=at(SECOND_DAY, "09:00")),
        status=RegistrationStatus.WAITLISTED,
    )
    SessionFactory(title="Niet gekozen", start=at(FIRST_DAY, "10:00"))
    FavouriteFactory(session=SessionFactory(title="Van een ander", start=at(FIRST_DAY, "11:00")))
    client.force_login(me)

    response = client.get(MY_PROGRAMME)

    assert [day.date for day in response.context["days"]] == [FIRST_DAY, SECOND_DAY]
    assert titles(response) == ["Ochtend", "Middag", "Wachtend", "ALV"]
    assert "4 sessies in uw programma" in response.content.decode()


def test_empty_programme_says_how_to_fill_it(client, congress):
    client.force_login(UserFactory())

    response = client.get(MY_PROGRAMME)

    content = response.content.decode()
    assert "<h2>Uw programma is nog leeg</h2>" in content
    assert "0 sessies in uw programma" in content


def test_my_programme_warns_about_overlapping_sessions_and_names_both(client, congress):
    me = UserFactory()
    first = SessionFactory(
        title="Energie in de wijk", start=at(FIRST_DAY, "13:30"), end=at(FIRST_DAY, "15:00")
    )
    second = SessionFactory(
        title="Wonen in het dorp", start=at(FIRST_DAY, "14:00"), end=at(FIRST_DAY, "16:00")
    )
    apart = SessionFactory(
        title="Later op de dag", start=at(FIRST_DAY, "16:00"), end=at(FIRST_DAY, "17:00")
    )
    for session in (first, second, apart):
        FavouriteFactory(user=me, session=session)
    client.force_login(me)

    response = client.get(MY_PROGRAMME)

    content = response.content.decode()
    assert [(a.title, b.title) for a, b in response.context["clashes"]] == [
        ("Energie in de wijk", "Wonen in het dorp")
    ]
    assert "<li>‘Energie in de wijk’ en ‘Wonen in het dorp’ overlappen (14:00–15:00).</li>" in (
        content
    )
    assert re.findall(r'<p class="clash-note" id="([\w-]+)-clash">', content) == [
        first.slug,
        second.slug,
    ]


def test_my_programme_without_overlaps_shows_no_warning(client, congress):
    me = UserFactory()
    FavouriteFactory(user=me, session=SessionFactory(start=at(FIRST_DAY, "09:00")))
    FavouriteFactory(user=me, session=SessionFactory(start=at(FIRST_DAY, "13:30")))
    client.force_login(me)

    response = client.get(MY_PROGRAMME)

    assert response.context["clashes"] == []
    assert "Let op: overlappende sessies" not in response.content.decode()


def test_my_programme_shows_my_calendar_address(client, congress):
    me = UserFactory()
    client.force_login(me)

    response = client.get(MY_PROGRAMME)

    content = response.content.decode()
    assert f'value="http://testserver/mijn-programma/{me.calendar_token}.ics"' in content
    assert f'href="webcal://testserver/mijn-programma/{me.calendar_token}.ics"' in content


@pytest.mark.parametrize("size", [1, 10])
def test_my_programme_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    me = UserFactory()
    theme = ThemeFactory()
    for index in range(size):
        session = SessionFactory(start=at(FIRST_DAY, "09:00") + timedelta(minutes=30 * index))
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)
        FavouriteFactory(user=me, session=session)
        if index % 2:
            RegistrationFactory(user=me, session=session)
    client.force_login(me)

    # session, user, congress, sessions (with my favourites and registrations), their themes,
    # their speakers, menu pages
    with django_assert_num_queries(5):
        response = client.get(MY_PROGRAMME)

    assert response.context["session_count"] == size


# Adding and removing


def test_add_puts_the_session_in_my_programme_and_returns_with_a_message(client, congress):
    me = UserFactory()
    session = SessionFactory(slug="wandeling", title="Wandeling door Beijum")
    client.force_login(me)

    response = client.post(add_url(session), follow=True)

    assert response.redirect_chain == [("/programma/wandeling/", 302)]
    assert shown_messages(response) == [
        ("success", "‘Wandeling door Beijum’ staat in uw programma.")
    ]
    assert favourites(me) == ["wandeling"]


def test_add_returns_to_the_programme_where_the_button_was(client, congress):
    session = SessionFactory(slug="wandeling")
    client.force_login(UserFactory())

    response = client.post(add_url(session), {"next": "/programma/?dag=2023-06-13#wandeling"})

    assert response["Location"] == "/programma/?dag=2023-06-13#wandeling"


def test_add_answers_json_to_the_script(client, congress):
    me = UserFactory()
    session = SessionFactory(slug="wandeling", title="Wandeling door Beijum")
    client.force_login(me)

    response = client.post(add_url(session), **JSON)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert json.loads(response.content) == {
        "in_my_programme": True,
        "message": "‘Wandeling door Beijum’ staat in uw programma.",
    }
    assert favourites(me) == ["wandeling"]


def test_adding_twice_keeps_one_favourite(client, congress):
    me = UserFactory()
    session = SessionFactory(slug="wandeling")
    client.force_login(me)

    client.post(add_url(session), **JSON)
    client.post(add_url(session), **JSON)

    assert favourites(me) == ["wandeling"]


def test_remove_takes_the_session_out_of_my_programme(client, congress):
    me = UserFactory()
    session = SessionFactory(slug="wandeling", title="Wandeling door Beijum")
    FavouriteFactory(user=me, session=session)
    client.force_login(me)

    response = client.post(remove_url(session), follow=True)

    assert response.redirect_chain == [("/programma/wandeling/", 302)]
    assert shown_messages(response) == [
        ("success", "‘Wandeling door Beijum’ is uit uw programma gehaald.")
    ]
    assert favourites(me) == []


def test_remove_answers_json_to_the_script(client, congress):
    me = UserFactory()
    session = SessionFactory(title="Wandeling door Beijum")
    FavouriteFactory(user=me, session=session)
    client.force_login(me)

    response = client.post(remove_url(session), **JSON)

    assert (response.status_code, json.loads(response.content)) == (
        200,
        {
            "in_my_programme": False,
            "message": "‘Wandeling door Beijum’ is uit uw programma gehaald.",
        },
    )
    assert favourites(me) == []


def test_remove_leaves_other_peoples_programmes_alone(client, congress):
    me, other = UserFactory(), UserFactory()
    session = SessionFactory(slug="wandeling")
    FavouriteFactory(user=me, session=session)
    FavouriteFactory(user=other, session=session)
    client.force_login(me)

    client.post(remove_url(session), **JSON)

    assert (favourites(me), favourites(other)) == ([], ["wandeling"])


SIGNED_UP = "U bent voor deze sessie aangemeld. Meld u eerst af om haar uit uw programma te halen."


def test_a_session_i_signed_up_for_cannot_be_removed_json(client, congress):
    me = UserFactory()
    session = SessionFactory(slug="wandeling")
    FavouriteFactory(user=me, session=session)
    RegistrationFactory(user=me, session=session)
    client.force_login(me)

    response = client.post(remove_url(session), **JSON)

    assert (response.status_code, json.loads(response.content)) == (
        409,
        {"in_my_programme": True, "message": SIGNED_UP},
    )
    assert favourites(me) == ["wandeling"]


def test_a_session_i_signed_up_for_cannot_be_removed(client, congress):
    me = UserFactory()
    session = SessionFactory(slug="wandeling")
    FavouriteFactory(user=me, session=session)
    RegistrationFactory(user=me, session=session, status=RegistrationStatus.WAITLISTED)
    client.force_login(me)

    response = client.post(remove_url(session), follow=True)

    assert shown_messages(response) == [("error", SIGNED_UP)]
    assert favourites(me) == ["wandeling"]


@pytest.mark.parametrize("url", [add_url, remove_url])
def test_add_and_remove_need_a_login(client, congress, url):
    session = SessionFactory(slug="wandeling")

    response = client.post(url(session))

    assert response["Location"] == "/account/login/?next=/programma/wandeling/"
    assert Favourite.objects.count() == 0


@pytest.mark.parametrize("url", [add_url, remove_url])
def test_add_and_remove_only_answer_post(client, congress, url):
    session = SessionFactory()
    client.force_login(UserFactory())

    response = client.get(url(session))

    assert response.status_code == 405


# The calendar feed


@pytest.fixture
def me(congress):
    return UserFactory()


def test_feed_holds_my_chosen_sessions_and_confirmed_places_only(client, me):
    FavouriteFactory(user=me, session=SessionFactory(title="Gekozen"))
    RegistrationFactory(user=me, session=SessionFactory(title="Aangemeld"))
    SessionFactory(title="Niet gekozen")

    calendar = feed(client, me)

    assert sorted(events(calendar)) == ["Aangemeld", "Gekozen"]
    assert [str(event["STATUS"]) for event in calendar.walk("VEVENT")] == [
        "CONFIRMED",
        "CONFIRMED",
    ]


def test_feed_marks_a_waitlist_spot_as_tentative(client, me):
    session = SessionFactory(title="Vol")
    FavouriteFactory(user=me, session=session)  # signing up always puts it in my programme
    RegistrationFactory(user=me, session=session, status=RegistrationStatus.WAITLISTED)

    calendar = feed(client, me)

    event = events(calendar)["Wachtlijst: Vol"]
    assert str(event["STATUS"]) == "TENTATIVE"


def test_feed_gives_times_in_amsterdam_with_its_time_zone(client, me):
    FavouriteFactory(
        user=me,
        session=SessionFactory(
            title="Middag", start=at(FIRST_DAY, "13:30"), end=at(FIRST_DAY, "16:30")
        ),
    )

    calendar = feed(client, me)

    timezones = [str(component["TZID"]) for component in calendar.walk("VTIMEZONE")]
    event = events(calendar)["Middag"]
    start, end = event["DTSTART"], event["DTEND"]
    assert timezones == ["Europe/Amsterdam"]
    assert (start.params["TZID"], end.params["TZID"]) == ("Europe/Amsterdam", "Europe/Amsterdam")
    assert (start.dt.strftime("%Y-%m-%d %H:%M"), end.dt.strftime("%H:%M")) == (
        "2023-06-13 13:30",
        "16:30",
    )
    assert start.dt == at(FIRST_DAY, "13:30")
    assert b"DTSTART;TZID=Europe/Amsterdam:20230613T133000" in calendar.to_ical()


def test_feed_gives_the_place_with_its_address(client, me):
    venue = VenueFactory(
        name="Martiniplaza", street="Leonard Springerlaan 2", postcode="9727 KB", town="Groningen"
    )
    session = SessionFactory(title="Opening", venue=venue)
    session.room = RoomFactory(venue=venue, name="Zaal Groningen")
    session.save()
    FavouriteFactory(user=me, session=session)

    calendar = feed(client, me)

    assert str(events(calendar)["Opening"]["LOCATION"]) == (
        "Martiniplaza, Zaal Groningen, Leonard Springerlaan 2, 9727 KB Groningen"
    )


def test_feed_keeps_each_sessions_uid_across_fetches_and_edits(client, me):
    session = SessionFactory(title="Oude titel")
    FavouriteFactory(user=me, session=session)

    first = feed(client, me)
    again = feed(client, me)
    session.title = "Nieuwe titel"
    session.start += timedelta(minutes=30)
    session.end += timedelta(minutes=30)
    session.save()
    edited = feed(client, me)

    uids = [
        [str(event["UID"]) for event in calendar.walk("VEVENT")]
        for calendar in (first, again, edited)
    ]
    assert uids == [[session.uid]] * 3
    assert uids[0][0].endswith("@vngjaarcongres.nl")
    assert sorted(events(edited)) == ["Nieuwe titel"]


def test_feed_answers_as_a_private_calendar(client, me):
    response = client.get(feed_url(me))

    assert (
        response["Content-Type"],
        response["Cache-Control"],
        response["X-Robots-Tag"],
    ) == ("text/calendar; charset=utf-8", "private, no-store", "noindex")


def test_feed_with_an_unknown_token_is_404(client, congress):
    response = client.get("/mijn-programma/bestaat-niet-0123456789.ics")

    assert response.status_code == 404


def test_feed_at_the_old_address_is_404_after_renewal(client, me):
    FavouriteFactory(user=me, session=SessionFactory(title="Gekozen"))
    old_url = feed_url(me)

    me.renew_calendar_token()
    old = client.get(old_url)
    new = feed(client, me)

    assert old.status_code == 404
    assert sorted(events(new)) == ["Gekozen"]


def test_feed_of_one_person_never_holds_another_persons_sessions(client, me):
    other = UserFactory()
    FavouriteFactory(user=me, session=SessionFactory(title="Van mij"))
    FavouriteFactory(user=other, session=SessionFactory(title="Van de ander"))
    RegistrationFactory(user=other, session=SessionFactory(title="Plaats van de ander"))
    RegistrationFactory(
        user=other,
        session=SessionFactory(title="Wachtlijst van de ander"),
        status=RegistrationStatus.WAITLISTED,
    )
    client.force_login(other)  # even while the other person is logged in

    mine = feed(client, me)

    assert sorted(events(mine)) == ["Van mij"]


def test_feed_of_a_deactivated_account_is_404(client, me):
    me.is_active = False
    me.save()

    response = client.get(feed_url(me))

    assert response.status_code == 404
