"""Signing up and cancelling from the session page, and what the programme shows each person."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.models import Registration, RegistrationStatus
from tests.factories import (
    FIRST_DAY,
    FavouriteFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db

# The 2023 congress lies in the past; sessions that can still be signed up for lie ahead.
SOON = timezone.localdate() + timedelta(days=14)


def upcoming(**kwargs):
    kwargs.setdefault("start", at(SOON, "13:30"))
    kwargs.setdefault("capacity", 10)
    return SessionFactory(**kwargs)


def session_url(session):
    return reverse("programme:detail", kwargs={"slug": session.slug})


def sign_up_url(session):
    return reverse("programme:sign_up", kwargs={"slug": session.slug})


def cancel_url(session):
    return reverse("programme:cancel", kwargs={"slug": session.slug})


def shown_messages(response):
    """The messages on the page as (level, text), in the order the person reads them."""
    return re.findall(
        r'<li class="message message--(\w+)">(.*?)</li>', response.content.decode(), re.S
    )


def registrations(session):
    return sorted(Registration.objects.filter(session=session).values_list("user__email", "status"))


def titles(response):
    return [
        session.title
        for day in response.context["days"]
        for slot in day.slots
        for session in slot.sessions
    ]


def personal_badges(response):
    """The personal badge on each session card, by session slug ('' when there is none)."""
    cards = re.findall(
        r'<article class="session-card[^"]*" id="([\w-]+)"(.*?)</article>',
        response.content.decode(),
        re.S,
    )
    return {
        slug: "".join(re.findall(r'<span class="badge badge--mine">(.*?)</span>', card))
        for slug, card in cards
    }


# Signing up


def test_sign_up_confirms_a_place_and_says_so_on_the_session_page(client, congress):
    session = upcoming(title="Wandeling door Beijum", capacity=2)
    user = UserFactory(email="wethouder@gemeente.example")
    client.force_login(user)

    response = client.post(sign_up_url(session), follow=True)

    assert response.redirect_chain == [(session_url(session), 302)]
    assert shown_messages(response) == [
        ("success", "U bent aangemeld voor ‘Wandeling door Beijum’.")
    ]
    assert registrations(session) == [("wethouder@gemeente.example", RegistrationStatus.CONFIRMED)]
    assert (
        '<p class="signup-panel__status signup-panel__status--confirmed">'
        "<strong>U bent aangemeld: uw plaats is bevestigd.</strong></p>"
    ) in response.content.decode()


def test_sign_up_for_a_full_session_puts_the_person_on_the_waitlist_with_their_position(
    client, congress
):
    session = upcoming(title="Waterstof in de Eemshaven", capacity=1)
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)
    client.force_login(UserFactory())

    response = client.post(sign_up_url(session), follow=True)

    assert shown_messages(response) == [
        (
            "warning",
            "‘Waterstof in de Eemshaven’ is vol. U staat op de wachtlijst, op plaats 2. Komt er "
            "een plaats vrij, dan krijgt u die meteen en sturen we u een e-mail.",
        )
    ]
    assert "<strong>U staat op de wachtlijst, op plaats 2.</strong>" in response.content.decode()


def test_full_session_offers_the_waitlist_instead_of_a_place(client, congress):
    session = upcoming(title="Volle zaal", capacity=1)
    RegistrationFactory(session=session)
    client.force_login(UserFactory())

    response = client.get(session_url(session))

    content = response.content.decode()
    assert (
        '<button type="submit" class="button">Op de wachtlijst zetten'
        '<span class="visually-hidden">: Volle zaal</span></button>'
    ) in content
    assert "Deze sessie is vol. Meldt u zich aan, dan komt u op de wachtlijst." in content


def test_session_with_places_left_offers_to_sign_up(client, congress):
    session = upcoming(title="Lege zaal", capacity=5)
    client.force_login(UserFactory())

    response = client.get(session_url(session))

    assert (
        '<button type="submit" class="button">Aanmelden'
        '<span class="visually-hidden">: Lege zaal</span></button>'
    ) in response.content.decode()


def test_sign_up_refuses_an_overlapping_session_and_names_it(client, congress):
    user = UserFactory()
    other = upcoming(title="Energie in de wijk", start=at(SOON, "13:00"), end=at(SOON, "15:00"))
    RegistrationFactory(session=other, user=user)
    session = upcoming(start=at(SOON, "14:00"))
    client.force_login(user)

    response = client.post(sign_up_url(session), follow=True)

    assert response.redirect_chain == [(session_url(session), 302)]
    assert shown_messages(response) == [
        (
            "error",
            "U bent al aangemeld voor ‘Energie in de wijk’ (13:00–15:00), die tegelijk "
            "plaatsvindt. Meld u daar eerst af als u liever naar deze sessie gaat.",
        )
    ]
    assert registrations(session) == []


def test_sign_up_after_the_deadline_is_refused_with_the_deadline(client, congress):
    congress.signup_deadline = at(date(2024, 6, 1), "17:00")
    congress.save()
    session = upcoming()
    client.force_login(UserFactory())

    response = client.post(sign_up_url(session), follow=True)

    message = "De aanmelding is gesloten sinds 1 juni 2024, 17:00 uur."
    assert shown_messages(response) == [("error", message)]
    assert f'<p class="signup-panel__status">{message}</p>' in response.content.decode()
    assert registrations(session) == []


def test_sign_up_for_a_past_session_is_refused(client, congress):
    session = SessionFactory(start=at(FIRST_DAY, "13:30"), capacity=10)
    client.force_login(UserFactory())

    response = client.post(sign_up_url(session), follow=True)

    assert shown_messages(response) == [
        ("error", "Deze sessie is al begonnen of voorbij; aanmelden kan niet meer.")
    ]
    assert registrations(session) == []


def test_sign_up_twice_is_refused(client, congress):
    user = UserFactory()
    session = upcoming()
    RegistrationFactory(session=session, user=user)
    client.force_login(user)

    response = client.post(sign_up_url(session), follow=True)

    assert shown_messages(response) == [("error", "U bent al aangemeld voor deze sessie.")]


def test_sign_up_when_not_logged_in_leads_to_the_login_page_and_back(client, congress):
    session = upcoming(slug="wandeling")

    response = client.post(sign_up_url(session))
    login_page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/programma/wandeling/"
    assert shown_messages(login_page) == [
        ("info", "Log in of maak een account om u aan te melden.")
    ]
    assert registrations(session) == []


def test_sign_up_by_get_is_not_allowed(client, congress):
    session = upcoming()
    client.force_login(UserFactory())

    response = client.get(sign_up_url(session))

    assert response.status_code == 405
    assert registrations(session) == []


def test_sign_up_returns_to_the_page_it_came_from(client, congress):
    session = upcoming()
    client.force_login(UserFactory())

    response = client.post(sign_up_url(session), {"next": "/programma/?soort=middagsessie"})

    assert response["Location"] == "/programma/?soort=middagsessie"


def test_sign_up_never_returns_to_another_site(client, congress):
    session = upcoming()
    client.force_login(UserFactory())

    response = client.post(sign_up_url(session), {"next": "https://kwaadwillend.example/"})

    assert response["Location"] == session_url(session)


# Cancelling


def test_cancel_gives_up_the_place_and_says_so(client, congress):
    user = UserFactory()
    session = upcoming(title="Wandeling door Beijum")
    RegistrationFactory(session=session, user=user)
    client.force_login(user)

    response = client.post(cancel_url(session), follow=True)

    assert response.redirect_chain == [(session_url(session), 302)]
    assert shown_messages(response) == [
        ("success", "U bent afgemeld voor ‘Wandeling door Beijum’.")
    ]
    assert registrations(session) == []


def test_cancel_without_a_place_is_refused(client, congress):
    session = upcoming()
    client.force_login(UserFactory())

    response = client.post(cancel_url(session), follow=True)

    assert shown_messages(response) == [("error", "U was niet aangemeld voor deze sessie.")]


def test_cancel_when_not_logged_in_leads_to_the_login_page(client, congress):
    session = upcoming(slug="wandeling")
    RegistrationFactory(session=session)

    response = client.post(cancel_url(session))

    assert response["Location"] == "/account/login/?next=/programma/wandeling/"
    assert len(registrations(session)) == 1


# The session page


def test_session_page_asks_an_anonymous_visitor_to_log_in_to_sign_up(client, congress):
    session = upcoming(slug="wandeling")

    response = client.get(session_url(session))

    content = response.content.decode()
    assert (
        '<a class="button" href="/account/login/?next=/programma/wandeling/">'
        "Log in om u aan te melden</a>"
    ) in content
    assert 'action="/programma/wandeling/aanmelden/"' not in content


def test_session_page_counts_the_places_left(client, congress):
    session = upcoming(capacity=10)
    for _ in range(3):
        RegistrationFactory(session=session)

    response = client.get(session_url(session))

    assert '<span class="seats">nog 7 plaatsen</span>' in response.content.decode()


def test_full_session_page_shows_the_waitlist_length(client, congress):
    session = upcoming(capacity=2)
    for _ in range(2):
        RegistrationFactory(session=session)
    for _ in range(3):
        RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)

    response = client.get(session_url(session))

    assert '<span class="seats seats--full">vol – wachtlijst: 3</span>' in response.content.decode()


# The programme


def test_programme_filter_shows_only_sessions_with_places_left(client, congress):
    upcoming(title="Nog plaats", capacity=2)
    full = upcoming(title="Vol", capacity=1)
    RegistrationFactory(session=full)
    upcoming(title="Zonder aanmelding", capacity=None)

    response = client.get(reverse("programme:list"), {"plaats": "ja"})

    assert titles(response) == ["Nog plaats"]
    assert 'name="plaats" id="id_plaats" value="ja" checked' in response.content.decode()


def test_programme_refuses_an_unknown_places_filter_in_dutch(client, congress):
    upcoming(title="Nog plaats", capacity=2)
    full = upcoming(title="Vol", capacity=1)
    RegistrationFactory(session=full)

    response = client.get(reverse("programme:list"), {"plaats": "nee"})

    assert response.status_code == 400
    assert (
        '<li><a href="#id_plaats">Alleen sessies met nog plaats</a>: '
        "De gekozen waarde ‘nee’ bestaat niet; dit filter is niet toegepast.</li>"
    ) in response.content.decode()
    assert titles(response) == ["Nog plaats", "Vol"]


@pytest.fixture
def my_choices(congress):
    """One person with a session in their programme, a place, a waitlist spot, and one untouched."""
    me = UserFactory()
    chosen = SessionFactory(slug="gekozen", start=at(FIRST_DAY, "09:00"))
    FavouriteFactory(session=chosen, user=me)
    placed = SessionFactory(slug="aangemeld", start=at(FIRST_DAY, "10:00"))
    RegistrationFactory(session=placed, user=me)
    FavouriteFactory(session=placed, user=me)
    waiting = SessionFactory(slug="wachtend", start=at(FIRST_DAY, "11:00"))
    RegistrationFactory(session=waiting, user=me, status=RegistrationStatus.WAITLISTED)
    SessionFactory(slug="niets", start=at(FIRST_DAY, "12:00"))
    return me


def test_programme_cards_show_my_own_state(client, my_choices):
    client.force_login(my_choices)

    response = client.get(reverse("programme:list"))

    assert personal_badges(response) == {
        "gekozen": "In mijn programma",
        "aangemeld": "U bent aangemeld",
        "wachtend": "U staat op de wachtlijst",
        "niets": "",
    }


def test_programme_cards_never_show_another_persons_state(client, my_choices):
    client.force_login(UserFactory())

    response = client.get(reverse("programme:list"))

    assert personal_badges(response) == {
        "gekozen": "",
        "aangemeld": "",
        "wachtend": "",
        "niets": "",
    }


def test_programme_cards_show_no_personal_state_to_anonymous_visitors(client, my_choices):
    response = client.get(reverse("programme:list"))

    content = response.content.decode()
    assert personal_badges(response) == {
        "gekozen": "",
        "aangemeld": "",
        "wachtend": "",
        "niets": "",
    }
    assert "my-programme-form" not in content


@pytest.mark.parametrize("size", [1, 10])
def test_programme_query_count_for_a_logged_in_person_is_fixed(
    client, congress, django_assert_num_queries, size
):
    me = UserFactory()
    theme = ThemeFactory()
    for index in range(size):
        session = SessionFactory(capacity=20)
        session.themes.add(theme)
        SessionSpeakerFactory(session=session)
        FavouriteFactory(session=session, user=me)
        status = RegistrationStatus.CONFIRMED if index % 2 else RegistrationStatus.WAITLISTED
        RegistrationFactory(session=session, user=me, status=status)
        RegistrationFactory(session=session)
    client.force_login(me)

    # session, user, congress, themes and venues for the form, sessions (with my favourites and
    # registrations), their themes, their speakers, menu pages
    with django_assert_num_queries(7):
        response = client.get(reverse("programme:list"))

    assert response.context["session_count"] == size
    assert sorted(personal_badges(response).values()) == sorted(
        ["U bent aangemeld" if index % 2 else "U staat op de wachtlijst" for index in range(size)]
    )
