"""A visitor's own state on the sessions a page shows: in my programme, signed up, waitlisted."""

from .models import Favourite, Registration


def mark_personal_state(sessions, user):
    """Set `in_my_programme` and `my_registration` on each session (two queries when logged in)."""
    sessions = list(sessions)
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
