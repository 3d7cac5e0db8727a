"""Signing up for sessions with limited places: the rules of programme/services.py, one by one."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from congress import content
from congress.models import PublicationStatus
from programme import services
from programme.models import Favourite, Registration, RegistrationStatus
from tests.factories import (
    FIRST_DAY,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db

NOW = at(FIRST_DAY - timedelta(days=12), "10:00")  # 1 June 2023, well before the congress
LATER = NOW + timedelta(hours=1)


def sign_up(user, session, now=NOW):
    return services.sign_up(user=user, session=session, now=now)


def statuses(session):
    """Who holds what in this session: confirmed places first, then the waitlist in its order."""
    registrations = Registration.objects.filter(session=session).select_related("user")
    confirmed = sorted(registration.user.email for registration in registrations.confirmed())
    waitlist = [
        (registration.user.email, services.waitlist_position(registration))
        for registration in registrations.waitlisted().in_queue_order()
    ]
    return confirmed, waitlist


def refusal_of(call):
    with pytest.raises(services.SignupRefused) as refusal:
        call()
    return refusal.value.message


# Places and the waitlist


def test_sign_up_confirms_a_place_while_places_are_left(congress):
    session = SessionFactory(capacity=2)
    user = UserFactory()

    registration = sign_up(user, session)

    assert (registration.status, registration.created_at, registration.confirmed_at) == (
        RegistrationStatus.CONFIRMED,
        NOW,
        NOW,
    )
    assert services.waitlist_position(registration) is None


def test_sign_up_for_a_full_session_puts_the_person_on_the_waitlist_instead_of_refusing(congress):
    session = SessionFactory(capacity=1)
    sign_up(UserFactory(email="eerste@gemeente.example"), session)

    registration = sign_up(UserFactory(email="tweede@gemeente.example"), session)

    assert (registration.status, registration.confirmed_at) == (RegistrationStatus.WAITLISTED, None)
    assert services.waitlist_position(registration) == 1
    assert statuses(session) == (["eerste@gemeente.example"], [("tweede@gemeente.example", 1)])


def test_sign_up_puts_the_session_in_my_programme(congress):
    session = SessionFactory(capacity=1)
    user = UserFactory()

    sign_up(user, session)

    assert list(Favourite.objects.filter(user=user).values_list("session", flat=True)) == [
        session.pk
    ]


def test_waitlist_positions_follow_sign_up_order(congress):
    session = SessionFactory(capacity=1)
    for minutes, name in enumerate(["a", "b", "c", "d"]):
        sign_up(
            UserFactory(email=f"{name}@gemeente.example"), session, NOW + timedelta(minutes=minutes)
        )

    assert statuses(session) == (
        ["a@gemeente.example"],
        [("b@gemeente.example", 1), ("c@gemeente.example", 2), ("d@gemeente.example", 3)],
    )


def test_waitlist_position_orders_sign_ups_at_the_same_moment_by_arrival(congress):
    session = SessionFactory(capacity=1)
    for name in ["a", "b", "c", "d"]:
        sign_up(UserFactory(email=f"{name}@gemeente.example"), session, NOW)

    assert statuses(session) == (
        ["a@gemeente.example"],
        [("b@gemeente.example", 1), ("c@gemeente.example", 2), ("d@gemeente.example", 3)],
    )


def test_waitlist_positions_close_up_when_someone_in_the_middle_leaves(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    users = {name: UserFactory(email=f"{name}@gemeente.example") for name in "abcd"}
    for minutes, user in enumerate(users.values()):
        sign_up(user, session, NOW + timedelta(minutes=minutes))

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(user=users["b"], session=session, now=LATER)

    assert statuses(session) == (
        ["a@gemeente.example"],
        [("c@gemeente.example", 1), ("d@gemeente.example", 2)],
    )
    assert mail.outbox == []


# Overlapping sessions


def test_sign_up_refuses_a_session_overlapping_a_confirmed_place(congress):
    walk = SessionFactory(
        title="Wandeling door Winsum", start=at(FIRST_DAY, "13:30"), end=at(FIRST_DAY, "16:30")
    )
    workshop = SessionFactory(start=at(FIRST_DAY, "14:00"), end=at(FIRST_DAY, "15:00"))
    user = UserFactory()
    sign_up(user, walk)

    message = refusal_of(lambda: sign_up(user, workshop))

    assert message == (
        "U bent al aangemeld voor ‘Wandeling door Winsum’ (13:30–16:30), die tegelijk "
        "plaatsvindt. Meld u daar eerst af als u liever naar deze sessie gaat."
    )
    assert Registration.objects.filter(session=workshop).count() == 0


def test_sign_up_refuses_a_session_overlapping_a_waitlist_spot(congress):
    walk = SessionFactory(
        title="Wandeling door Winsum",
        capacity=1,
        start=at(FIRST_DAY, "13:30"),
        end=at(FIRST_DAY, "16:30"),
    )
    workshop = SessionFactory(start=at(FIRST_DAY, "16:00"), end=at(FIRST_DAY, "17:30"))
    sign_up(UserFactory(), walk)
    user = UserFactory()
    sign_up(user, walk)

    message = refusal_of(lambda: sign_up(user, workshop))

    assert message == (
        "U staat al op de wachtlijst voor ‘Wandeling door Winsum’ (13:30–16:30), die tegelijk "
        "plaatsvindt. Meld u daar eerst af als u liever naar deze sessie gaat."
    )
    assert Registration.objects.filter(session=workshop).count() == 0


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["earlier-first", "later-first"])
def test_sessions_that_only_touch_do_not_overlap(congress, order):
    sessions = [
        SessionFactory(start=at(FIRST_DAY, "13:30"), end=at(FIRST_DAY, "15:00")),
        SessionFactory(start=at(FIRST_DAY, "15:00"), end=at(FIRST_DAY, "16:30")),
    ]
    user = UserFactory()

    registrations = [sign_up(user, sessions[index]) for index in order]

    assert [registration.status for registration in registrations] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
    ]


# When sign-up is closed


def test_sign_up_closes_at_the_congress_deadline(congress):
    congress.signup_deadline = at(FIRST_DAY - timedelta(days=4), "17:00")
    congress.save()
    session = SessionFactory()

    message = refusal_of(lambda: sign_up(UserFactory(), session, congress.signup_deadline))

    assert message == "De aanmelding is gesloten sinds 9 juni 2023, 17:00 uur."
    assert Registration.objects.count() == 0


def test_sign_up_is_open_until_just_before_the_deadline(congress):
    congress.signup_deadline = at(FIRST_DAY - timedelta(days=4), "17:00")
    congress.save()
    session = SessionFactory()

    registration = sign_up(UserFactory(), session, congress.signup_deadline - timedelta(seconds=1))

    assert registration.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    "now",
    [at(FIRST_DAY, "13:30"), at(FIRST_DAY, "15:00"), at(FIRST_DAY + timedelta(days=1), "09:00")],
)
def test_sign_up_refuses_a_session_that_has_started_or_is_over(congress, now):
    session = SessionFactory(start=at(FIRST_DAY, "13:30"), end=at(FIRST_DAY, "16:30"))

    message = refusal_of(lambda: sign_up(UserFactory(), session, now))

    assert message == "Deze sessie is al begonnen of voorbij; aanmelden kan niet meer."
    assert Registration.objects.count() == 0


def test_sign_up_refuses_a_session_without_limited_places(congress):
    session = SessionFactory(capacity=None)

    message = refusal_of(lambda: sign_up(UserFactory(), session))

    assert message == "Voor deze sessie hoeft u zich niet aan te melden."
    assert Registration.objects.count() == 0


def test_sign_up_refuses_a_draft_session(congress):
    session = SessionFactory(status=PublicationStatus.DRAFT)

    message = refusal_of(lambda: sign_up(UserFactory(), session))

    assert message == "Deze sessie is niet gepubliceerd."
    assert Registration.objects.count() == 0


def test_sign_up_twice_is_refused(congress):
    session = SessionFactory()
    user = UserFactory()
    sign_up(user, session)

    message = refusal_of(lambda: sign_up(user, session, LATER))

    assert message == "U bent al aangemeld voor deze sessie."
    assert Registration.objects.filter(user=user).count() == 1


def test_sign_up_while_on_the_waitlist_is_refused(congress):
    session = SessionFactory(capacity=1)
    sign_up(UserFactory(), session)
    user = UserFactory()
    sign_up(user, session)

    message = refusal_of(lambda: sign_up(user, session, LATER))

    assert message == "U staat al op de wachtlijst voor deze sessie."
    assert Registration.objects.filter(user=user).count() == 1


# Cancelling


def test_cancel_without_a_registration_is_refused(congress):
    session = SessionFactory()

    message = refusal_of(lambda: services.cancel(user=UserFactory(), session=session, now=NOW))

    assert message == "U was niet aangemeld voor deze sessie."


def test_cancel_after_the_session_started_is_refused(congress):
    session = SessionFactory(start=at(FIRST_DAY, "13:30"))
    user = UserFactory()
    sign_up(user, session)

    message = refusal_of(
        lambda: services.cancel(user=user, session=session, now=at(FIRST_DAY, "13:45"))
    )

    assert message == "Deze sessie is al begonnen of voorbij; afmelden kan niet meer."
    assert Registration.objects.filter(user=user).count() == 1


def test_cancel_gives_the_place_to_the_first_on_the_waitlist_at_once(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    leaving = UserFactory(email="weg@gemeente.example")
    sign_up(leaving, session, NOW)
    sign_up(UserFactory(email="eerste@gemeente.example"), session, NOW + timedelta(minutes=1))
    sign_up(UserFactory(email="tweede@gemeente.example"), session, NOW + timedelta(minutes=2))

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(user=leaving, session=session, now=LATER)

    assert [(registration.user.email, registration.confirmed_at) for registration in promoted] == [
        ("eerste@gemeente.example", LATER)
    ]
    assert statuses(session) == (["eerste@gemeente.example"], [("tweede@gemeente.example", 1)])
    assert [message.to for message in mail.outbox] == [["eerste@gemeente.example"]]


def test_cancel_of_a_waitlist_spot_promotes_nobody(congress, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    sign_up(UserFactory(email="binnen@gemeente.example"), session, NOW)
    waiting = UserFactory(email="wacht@gemeente.example")
    sign_up(waiting, session, NOW + timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(user=waiting, session=session, now=LATER)

    assert promoted == []
    assert statuses(session) == (["binnen@gemeente.example"], [])
    assert mail.outbox == []


# The email to the person who got a place


def test_promotion_email_names_the_session_and_links_to_it(
    congress, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://jaarcongres.vng.example/"
    session = SessionFactory(
        title="Wandeling door Winsum", slug="wandeling-door-winsum", capacity=1
    )
    leaving = UserFactory()
    sign_up(leaving, session, NOW)
    sign_up(UserFactory(email="anna@gemeente.example", first_name="Anna"), session, LATER)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(user=leaving, session=session, now=LATER)

    [email] = mail.outbox
    assert (email.subject, email.to) == (
        "U heeft een plaats bij ‘Wandeling door Winsum’",
        ["anna@gemeente.example"],
    )
    assert email.body.startswith("Beste Anna,\n")
    assert "https://jaarcongres.vng.example/programma/wandeling-door-winsum/" in email.body


def test_promotion_email_is_sent_only_when_the_transaction_commits(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    leaving = UserFactory()
    sign_up(leaving, session, NOW)
    sign_up(UserFactory(), session, LATER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cancel(user=leaving, session=session, now=LATER)

    emails = [callback for callback in callbacks if callback is not content.bump_now]
    assert (len(emails), mail.outbox) == (1, [])


# Editors


def test_promote_gives_a_waitlisted_person_a_place_when_one_is_free(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    sign_up(UserFactory(email="binnen@gemeente.example"), session, NOW)
    sign_up(UserFactory(email="eerste@gemeente.example"), session, NOW + timedelta(minutes=1))
    chosen = sign_up(UserFactory(email="gekozen@gemeente.example"), session, LATER)
    session.capacity = 2
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.promote(registration=chosen, now=LATER)

    assert (registration.status, registration.confirmed_at) == (RegistrationStatus.CONFIRMED, LATER)
    assert statuses(session) == (
        ["binnen@gemeente.example", "gekozen@gemeente.example"],
        [("eerste@gemeente.example", 1)],
    )
    assert [message.to for message in mail.outbox] == [["gekozen@gemeente.example"]]


def test_promote_refuses_when_the_session_is_full(congress, django_capture_on_commit_callbacks):
    session = SessionFactory(title="Wandeling door Winsum", capacity=1)
    sign_up(UserFactory(), session, NOW)
    waiting = sign_up(UserFactory(email="wacht@gemeente.example"), session, LATER)

    with django_capture_on_commit_callbacks(execute=True):
        message = refusal_of(lambda: services.promote(registration=waiting, now=LATER))

    assert message == "‘Wandeling door Winsum’ is vol. Verhoog eerst het aantal plaatsen."
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert mail.outbox == []


def test_promote_refuses_someone_who_already_has_a_place(congress):
    session = SessionFactory(capacity=2)
    registration = sign_up(UserFactory(email="binnen@gemeente.example"), session)

    message = refusal_of(lambda: services.promote(registration=registration, now=LATER))

    assert message == "Deze persoon (binnen@gemeente.example) heeft al een plaats."


def test_fill_free_places_after_raising_capacity_confirms_the_first_in_line(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    for minutes, name in enumerate(["binnen", "een", "twee", "drie"]):
        sign_up(
            UserFactory(email=f"{name}@gemeente.example"), session, NOW + timedelta(minutes=minutes)
        )
    session.capacity = 3
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.fill_free_places(session=session, now=LATER)

    assert [registration.user.email for registration in promoted] == [
        "een@gemeente.example",
        "twee@gemeente.example",
    ]
    assert statuses(session) == (
        ["binnen@gemeente.example", "een@gemeente.example", "twee@gemeente.example"],
        [("drie@gemeente.example", 1)],
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "een@gemeente.example",
        "twee@gemeente.example",
    ]


def test_fill_free_places_does_nothing_while_the_session_is_full(congress):
    session = SessionFactory(capacity=1)
    sign_up(UserFactory(), session, NOW)
    sign_up(UserFactory(), session, LATER)

    assert services.fill_free_places(session=session, now=LATER) == []


# Deleting an account


def test_delete_account_gives_a_confirmed_place_to_the_first_on_the_waitlist(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    leaving = UserFactory(email="weg@gemeente.example")
    sign_up(leaving, session, NOW)
    sign_up(UserFactory(email="eerste@gemeente.example"), session, NOW + timedelta(minutes=1))
    sign_up(UserFactory(email="tweede@gemeente.example"), session, NOW + timedelta(minutes=2))

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user=leaving, now=LATER)

    assert statuses(session) == (["eerste@gemeente.example"], [("tweede@gemeente.example", 1)])
    assert [message.to for message in mail.outbox] == [["eerste@gemeente.example"]]
    assert (
        type(leaving).objects.filter(email="weg@gemeente.example").count(),
        Favourite.objects.filter(user_id=leaving.pk).count(),
    ) == (0, 0)


def test_delete_account_of_someone_waiting_moves_the_waitlist_up(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    sign_up(UserFactory(email="binnen@gemeente.example"), session, NOW)
    leaving = UserFactory(email="weg@gemeente.example")
    sign_up(leaving, session, NOW + timedelta(minutes=1))
    sign_up(UserFactory(email="achter@gemeente.example"), session, NOW + timedelta(minutes=2))

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user=leaving, now=LATER)

    assert statuses(session) == (["binnen@gemeente.example"], [("achter@gemeente.example", 1)])
    assert mail.outbox == []


# The database itself


def test_database_forbids_two_registrations_of_one_person_for_one_session(congress):
    registration = RegistrationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(
            session=registration.session,
            user=registration.user,
            status=RegistrationStatus.WAITLISTED,
        )
