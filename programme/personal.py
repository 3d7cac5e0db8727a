"""A visitor's own state on the sessions a page shows: in my programme, signed up, waitlisted."""

from .models import Favourite, Registration


def mark_personal_state(sessions, user):
    """Set `in_my_programme` and `my_registration` on each session.

    Sessions read with `with_personal_state(user)` carry it already (no query); others cost two
    queries when the person is logged in. Anonymous visitors have none.
    """
    sessions = list(sessions)
    if user.is_authenticated and sessions and hasattr(sessions[0], "my_registration_pk"):
        for session in sessions:
            session.my_registration = _registration_from_annotations(session, user)
            session.in_my_programme = (
                session.my_favourite_pk is not None or session.my_registration is not None
            )
        return sessions
    favourites, registrations = set(), {}
    if user.is_authenticated and sessions:
        ids = [session.pk for session in sessions]
        favourites = set(
            Favourite.objects.filter(user=user, session_id__in=ids).values_list(
                "session_id", flat=True
            )
        )
        registrations = {
            registration.session_id: registration
            for registration in Registration.objects.filter(user=user, session_id__in=ids)
        }
    for session in sessions:
        session.my_registration = registrations.get(session.pk)
        session.in_my_programme = session.pk in favourites or session.my_registration is not None
    return sessions


def _registration_from_annotations(session, user):
    """The person's registration for the session, as read with the session's own row."""
    if session.my_registration_pk is None:
        return None
    return Registration.from_db(
        session._state.db,
        ["id", "session_id", "user_id", "status", "created_at", "confirmed_at"],
        [
            session.my_registration_pk,
            session.pk,
            user.pk,
            session.my_registration_status,
            session.my_registration_created_at,
            session.my_registration_confirmed_at,
        ],
    )
