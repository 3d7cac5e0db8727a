"""Many people at once: the row locks in programme/services.py keep places and the waitlist right.

Each thread has its own database connection (Django's connections are per thread) and commits for
real, so these tests need PostgreSQL: SQLite has no `select_for_update` and locks the whole file.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from programme import services
from programme.models import Registration, Session
from tests.factories import SessionFactory, UserFactory, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JOIN_TIMEOUT = 60  # seconds; a deadlock fails the test instead of hanging it


def future_session(**kwargs):
    """A session a month from now, so the services can use the real clock, as the views do."""
    day = timezone.localdate() + timedelta(days=30)
    return SessionFactory(start=at(day, "13:30"), end=at(day, "16:30"), **kwargs)


def run_together(calls):
    """Run every call on its own thread and connection, all released at once by a barrier.

    Returns, per call, what it returned or the exception it raised.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def work(index, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test, which checks them all
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(index, call), daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    assert [thread.name for thread in threads if thread.is_alive()] == []
    return outcomes


def errors(outcomes):
    """Everything raised that is not a refusal the person would see."""
    return [
        repr(outcome)
        for outcome in outcomes
        if isinstance(outcome, Exception) and not isinstance(outcome, services.SignupRefused)
    ]


def refusals(outcomes):
    return [outcome.message for outcome in outcomes if isinstance(outcome, services.SignupRefused)]


def sign_up_call(user, session):
    return lambda: services.sign_up(user=user, session=session)


def cancel_call(user, session):
    return lambda: services.cancel(user=user, session=session)


def waitlist_positions(session):
    return sorted(
        services.waitlist_position(registration)
        for registration in Registration.objects.filter(session=session).waitlisted()
    )


def test_forty_people_at_once_fill_exactly_the_places_left_and_queue_the_rest():
    session = future_session(capacity=10)
    for _ in range(5):
        services.sign_up(user=UserFactory(), session=session)
    users = UserFactory.create_batch(40)

    outcomes = run_together([sign_up_call(user, session) for user in users])

    assert (errors(outcomes), refusals(outcomes)) == ([], [])
    registrations = Registration.objects.filter(session=session)
    assert (registrations.confirmed().count(), registrations.waitlisted().count()) == (10, 35)
    assert sorted(outcome.is_confirmed for outcome in outcomes) == [False] * 35 + [True] * 5
    assert waitlist_positions(session) == list(range(1, 36))
    assert Registration.objects.filter(user__in=users).count() == 40


def test_cancellations_and_sign_ups_at_once_never_exceed_capacity():
    session = future_session(capacity=5)
    confirmed = UserFactory.create_batch(5)
    waiting = UserFactory.create_batch(10)
    for user in confirmed + waiting:  # sign-up order: the waitlist is `waiting`, in this order
        services.sign_up(user=user, session=session)
    newcomers = UserFactory.create_batch(10)

    outcomes = run_together(
        [cancel_call(user, session) for user in confirmed]
        + [sign_up_call(user, session) for user in newcomers]
    )

    assert (errors(outcomes), refusals(outcomes)) == ([], [])
    registrations = Registration.objects.filter(session=session)
    in_queue = registrations.waitlisted().in_queue_order().select_related("user")
    assert sorted(registrations.confirmed().values_list("user__email", flat=True)) == sorted(
        user.email for user in waiting[:5]
    )
    assert [registration.user for registration in in_queue[:5]] == waiting[5:]
    assert sorted(registration.user.email for registration in in_queue[5:]) == sorted(
        user.email for user in newcomers
    )
    assert waitlist_positions(session) == list(range(1, 16))
    assert Registration.objects.filter(user__in=confirmed).count() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in waiting[:5]
    )
    assert {message.subject for message in mail.outbox} == {
        f"U heeft een plaats bij ‘{session.title}’"
    }


def test_one_person_in_twenty_tabs_gets_one_of_twenty_overlapping_sessions():
    sessions = [future_session(capacity=10) for _ in range(20)]
    user = UserFactory()

    outcomes = run_together([sign_up_call(user, session) for session in sessions])

    assert errors(outcomes) == []
    [registration] = Registration.objects.filter(user=user).select_related("session")
    local = timezone.localtime
    clash = (
        f"U bent al aangemeld voor ‘{registration.session.title}’ "
        f"({local(registration.session.start):%H:%M}–{local(registration.session.end):%H:%M}), "
        "die tegelijk plaatsvindt. Meld u daar eerst af als u liever naar deze sessie gaat."
    )
    assert refusals(outcomes) == [clash] * 19


def test_one_person_signing_up_for_one_session_in_ten_tabs_gets_one_place():
    session = future_session(capacity=10)
    user = UserFactory()

    outcomes = run_together([sign_up_call(user, session) for _ in range(10)])

    assert errors(outcomes) == []
    assert refusals(outcomes) == ["U bent al aangemeld voor deze sessie."] * 9
    assert [outcome.pk for outcome in outcomes if isinstance(outcome, Registration)] == [
        Registration.objects.get(user=user).pk
    ]


def test_sign_ups_for_different_sessions_do_not_wait_for_each_other():
    walk, workshop = future_session(capacity=10), future_session(capacity=10)
    elsewhere = []
    other = threading.Thread(
        target=lambda: (
            elsewhere.append(services.sign_up(user=UserFactory(), session=workshop)),
            connection.close(),
        ),
        daemon=True,
    )

    with transaction.atomic():
        services.sign_up(user=UserFactory(), session=walk)  # holds its locks until the commit
        other.start()
        other.join(timeout=10)
        finished_meanwhile = not other.is_alive()
    other.join(timeout=JOIN_TIMEOUT)

    assert (finished_meanwhile, [registration.session for registration in elsewhere]) == (
        True,
        [workshop],
    )


def wait_until_a_query_waits_for_a_lock():
    deadline = time.monotonic() + JOIN_TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("No query started waiting for the session's lock.")


def test_deleting_an_account_whose_waitlist_spot_just_became_a_place_passes_the_place_on():
    session = future_session(capacity=1)
    leaving = UserFactory(email="weg@gemeente.example")
    deleted = UserFactory(email="verwijderd@gemeente.example")
    next_in_line = UserFactory(email="volgende@gemeente.example")
    for user in [leaving, deleted, next_in_line]:
        services.sign_up(user=user, session=session)
    outcomes = []

    def delete():
        try:
            outcomes.append(services.delete_account(user=deleted))
        except Exception as error:  # noqa: BLE001 - the test checks it
            outcomes.append(error)
        finally:
            connection.close()

    deletion = threading.Thread(target=delete, daemon=True)

    with transaction.atomic():
        # Hold the session while the deletion reads the registrations, then waits for it.
        Session.objects.select_for_update().get(pk=session.pk)
        deletion.start()
        wait_until_a_query_waits_for_a_lock()
        services.cancel(user=leaving, session=session)  # the place goes to `deleted`
    deletion.join(timeout=JOIN_TIMEOUT)

    assert (deletion.is_alive(), outcomes) == (False, [None])
    assert list(
        Registration.objects.filter(session=session).values_list("user__email", "status")
    ) == [("volgende@gemeente.example", "bevestigd")]
