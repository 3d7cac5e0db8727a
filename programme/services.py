"""Writes that must hold under concurrency: signing up for sessions, cancelling, the waitlist.

Every function takes keyword arguments only and runs in one transaction. The seats of a session are
counted while its row is locked (`select_for_update`), so two people can never take the last place
at once; the person's own row is locked first, so one person cannot take two overlapping places
from two browser tabs. Lock order is always person, then session.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congress.content import bump
from congress.services import copy_rows, shift_moment

from .models import (
    Favourite,
    Registration,
    RegistrationStatus,
    Session,
    SessionSpeaker,
    SessionStatus,
    Speaker,
)

logger = logging.getLogger(__name__)


class SignupRefused(Exception):
    """Sign-up or cancellation is not possible; `message` says why, in Dutch, for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def signup_closed_reason(session, *, now=None):
    """Why nobody can sign up for this session now, or None when sign-up is open."""
    now = now or timezone.now()
    if session.capacity is None:
        return _("Voor deze sessie hoeft u zich niet aan te melden.")
    if session.status == SessionStatus.CANCELLED:
        return _("Deze sessie is vervallen; aanmelden kan niet.")
    if session.status != SessionStatus.PUBLISHED:
        return _("Deze sessie is niet gepubliceerd.")
    if session.start <= now:
        return _("Deze sessie is al begonnen of voorbij; aanmelden kan niet meer.")
    if not session.congress.signup_is_open(now):
        deadline = formats.date_format(
            timezone.localtime(session.congress.signup_deadline), "j F Y, H:i"
        )
        return _("De aanmelding is gesloten sinds %(deadline)s uur.") % {"deadline": deadline}
    return None


def clash_message(clash):
    """Why a person cannot sign up: they hold a place (or waitlist spot) at the same time."""
    values = {
        "title": clash.session.title,
        "start": formats.time_format(timezone.localtime(clash.session.start), "H:i"),
        "end": formats.time_format(timezone.localtime(clash.session.end), "H:i"),
    }
    if clash.is_confirmed:
        text = _(
            "U bent al aangemeld voor ‘%(title)s’ (%(start)s–%(end)s), die tegelijk plaatsvindt. "
            "Meld u daar eerst af als u liever naar deze sessie gaat."
        )
    else:
        text = _(
            "U staat al op de wachtlijst voor ‘%(title)s’ (%(start)s–%(end)s), die tegelijk "
            "plaatsvindt. Meld u daar eerst af als u liever naar deze sessie gaat."
        )
    return text % values


def _lock_person(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _lock_session(session):
    # of=("self",): without it PostgreSQL also locks the joined congress row, which makes every
    # sign-up for every session of the congress wait for every other one.
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("congress")
        .get(pk=session.pk)
    )


@transaction.atomic
def sign_up(*, user, session, now=None):
    """Confirm a place while places are left, otherwise put the person on the waitlist."""
    _lock_person(user)
    session = _lock_session(session)
    # The moment is taken once the locks are held, so waitlist order is the order of arrival.
    now = now or timezone.now()
    reason = signup_closed_reason(session, now=now)
    if reason:
        raise SignupRefused(reason)
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing is not None:
        if existing.is_confirmed:
            raise SignupRefused(_("U bent al aangemeld voor deze sessie."))
        raise SignupRefused(_("U staat al op de wachtlijst voor deze sessie."))
    clash = (
        Registration.objects.filter(
            user=user,
            session__congress_id=session.congress_id,
            session__start__lt=session.end,
            session__end__gt=session.start,
        )
        .select_related("session")
        .order_by("session__start")
        .first()
    )
    if clash is not None:
        raise SignupRefused(clash_message(clash))
    taken = Registration.objects.filter(session=session).confirmed().count()
    if taken < session.capacity:
        registration = Registration.objects.create(
            session=session,
            user=user,
            status=RegistrationStatus.CONFIRMED,
            created_at=now,
            confirmed_at=now,
        )
    else:
        registration = Registration.objects.create(
            session=session, user=user, status=RegistrationStatus.WAITLISTED, created_at=now
        )
    Favourite.objects.get_or_create(session=session, user=user)
    return registration


@transaction.atomic
def cancel(*, user, session, now=None):
    """Give up a place (or a place on the waitlist); a freed place goes to the first in line."""
    now = now or timezone.now()
    _lock_person(user)
    session = _lock_session(session)
    registration = Registration.objects.filter(session=session, user=user).first()
    if registration is None:
        raise SignupRefused(_("U was niet aangemeld voor deze sessie."))
    if session.start <= now:
        raise SignupRefused(_("Deze sessie is al begonnen of voorbij; afmelden kan niet meer."))
    registration.delete()
    return fill_free_places(session=session, now=now, locked=True)


@transaction.atomic
def fill_free_places(*, session, now=None, locked=False):
    """Confirm people from the waitlist, first in line first, while places are free.

    Returns the promoted registrations; each person gets an email once the transaction commits.
    """
    now = now or timezone.now()
    if not locked:
        session = _lock_session(session)
    if session.capacity is None:
        return []
    free = session.capacity - Registration.objects.filter(session=session).confirmed().count()
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(session=session)
        .waitlisted()
        .in_queue_order()
        .select_related("user")[:free]
    )
    for registration in promoted:
        _confirm(registration, now=now)
    return promoted


@transaction.atomic
def promote(*, registration, now=None):
    """An editor gives this person from the waitlist a place, if one is free."""
    now = now or timezone.now()
    session = _lock_session(registration.session)
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    if registration.is_confirmed:
        raise SignupRefused(
            _("Deze persoon (%(person)s) heeft al een plaats.") % {"person": registration.user}
        )
    taken = Registration.objects.filter(session=session).confirmed().count()
    if session.capacity is not None and taken >= session.capacity:
        raise SignupRefused(
            _("‘%(title)s’ is vol. Verhoog eerst het aantal plaatsen.") % {"title": session.title}
        )
    _confirm(registration, now=now)
    return registration


def _confirm(registration, *, now):
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["status", "confirmed_at"])
    transaction.on_commit(lambda: send_place_confirmed_email(registration))


def send_place_confirmed_email(registration):
    session = registration.session
    context = {
        "user": registration.user,
        "session": session,
        "session_url": settings.SITE_URL.rstrip("/") + session.get_absolute_url(),
        "programme_url": settings.SITE_URL.rstrip("/") + "/mijn-programma/",
    }
    subject = _("U heeft een plaats bij ‘%(title)s’") % {"title": session.title}
    body = render_to_string("programme/email/place_confirmed.txt", context)
    try:
        send_mail(subject, body, None, [registration.user.email])
    except Exception:  # noqa: BLE001 - the place stands even if the mail server is away
        logger.exception("Could not send the waitlist email for registration %s", registration.pk)


def waitlist_position(registration):
    """1 for the first in line, and so on; None for a confirmed place."""
    if registration.is_confirmed:
        return None
    ahead = (
        Registration.objects.filter(session_id=registration.session_id)
        .waitlisted()
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


@transaction.atomic
def delete_account(*, user, now=None):
    """Delete a person and everything about them; their places go to the waitlists first."""
    now = now or timezone.now()
    _lock_person(user)
    registrations = Registration.objects.filter(user=user).select_related("session")
    for registration in registrations.order_by("session_id"):
        session = _lock_session(registration.session)
        # Read under the session's lock: a cancellation may have just promoted this spot.
        registration.refresh_from_db(fields=["status"])
        was_confirmed = registration.is_confirmed
        registration.delete()
        if was_confirmed and session.start > now:
            fill_free_places(session=session, now=now, locked=True)
    user.delete()


def add_favourite(*, user, session):
    Favourite.objects.get_or_create(user=user, session=session)


def remove_favourite(*, user, session):
    """Take a session out of my programme; a place or waitlist spot must be cancelled first."""
    if Registration.objects.filter(user=user, session=session).exists():
        raise SignupRefused(
            _(
                "U bent voor deze sessie aangemeld. Meld u eerst af om haar uit uw programma "
                "te halen."
            )
        )
    Favourite.objects.filter(user=user, session=session).delete()


@transaction.atomic
def copy_sessions(*, source, target, venues, rooms, themes, days):
    """Copy the sessions and speakers of congress `source` into the new edition `target`.

    `venues`, `rooms` and `themes` map the primary keys of the originals to those of their copies.
    Each session becomes a draft, moved `days` days (same wall-clock times), in the copied venue,
    room and themes; each speaker of the congress is copied once and linked to the copied sessions
    in the same order and role. Registrations, favourites and changes are not copied. Five inserts.
    """
    sessions = copy_rows(
        Session.objects.filter(congress=source),
        congress=target,
        status=SessionStatus.DRAFT,
        sequence=0,
        start=lambda session: shift_moment(session.start, days),
        end=lambda session: shift_moment(session.end, days),
        venue_id=lambda session: venues.get(session.venue_id),
        # A room only with its venue (the database requires it); both belong to the copy.
        room_id=lambda session: (
            rooms.get(session.room_id) if venues.get(session.venue_id) else None
        ),
    )
    theme_links = Session.themes.through.objects.filter(session__congress=source)
    Session.themes.through.objects.bulk_create(
        Session.themes.through(
            session_id=sessions[link.session_id].pk, theme_id=themes[link.theme_id]
        )
        for link in theme_links
        if link.theme_id in themes
    )
    bump()  # the links' own manager sends no signal
    speakers = copy_rows(Speaker.objects.filter(congress=source), congress=target)
    copy_rows(
        SessionSpeaker.objects.filter(session__congress=source, speaker__congress=source),
        session_id=lambda link: sessions[link.session_id].pk,
        speaker_id=lambda link: speakers[link.speaker_id].pk,
    )
    return sessions


# -- Bulk changes from the session list in /beheer/ ----------------------------------------------
# One Session.save() per session, never queryset.update(): a change of time, place or status of a
# public session is then recorded and announced, as for an edit in the change form.


@transaction.atomic
def move_sessions(*, sessions, venue, room=None):
    """Put each session in `venue` and `room` (None: no room); return the sessions that moved.

    Raises ValidationError, and moves none, when the room is not one of the venue's or the venue
    belongs to another congress than a session.
    """
    if room is not None and room.venue_id != venue.pk:
        raise ValidationError(
            {
                "room": _("Zaal ‘%(room)s’ hoort niet bij locatie ‘%(venue)s’.")
                % {"room": room.name, "venue": venue.name}
            }
        )
    room_id = room.pk if room is not None else None
    moved = []
    for session in sessions:
        if session.venue_id == venue.pk and session.room_id == room_id:
            continue
        session.venue, session.room = venue, room
        session.clean()
        session.save()
        moved.append(session)
    return moved


@transaction.atomic
def shift_sessions(*, sessions, minutes):
    """Move the start and end of each session `minutes` later (earlier when negative).

    The length of each session stays the same, so each still ends after it begins.
    """
    delta = timedelta(minutes=minutes)
    shifted = []
    for session in sessions:
        session.start += delta
        session.end += delta
        session.save()
        shifted.append(session)
    return shifted


def copy_slug(session):
    """A free slug for a copy of `session` in its congress: '<slug>-kopie', '<slug>-kopie-2', …"""
    taken = set(
        Session.objects.filter(
            congress_id=session.congress_id, slug__startswith=session.slug[:40]
        ).values_list("slug", flat=True)
    )
    max_length = Session._meta.get_field("slug").max_length
    number = 1
    while True:
        suffix = "-kopie" if number == 1 else f"-kopie-{number}"
        slug = session.slug[: max_length - len(suffix)] + suffix
        if slug not in taken:
            return slug
        number += 1


@transaction.atomic
def duplicate_session(*, session):
    """A draft copy of `session` under a new slug, with the same themes and speakers (in order).

    Registrations, favourites, recorded changes and session hosts are not copied.
    """
    themes = list(session.themes.all())
    links = list(SessionSpeaker.objects.filter(session=session).order_by("order", "pk"))
    copy = Session.objects.get(pk=session.pk)  # a plain row, without the admin list's annotations
    copy.pk = None
    copy._state.adding = True
    copy.slug = copy_slug(session)
    copy.status = SessionStatus.DRAFT
    copy.sequence = 0
    copy.save()
    copy.themes.set(themes)
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=copy, speaker_id=link.speaker_id, role=link.role, order=link.order)
        for link in links
    )
    return copy
