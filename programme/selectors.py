"""Reads for editors: what in the programme needs attention (the /beheer/ dashboard, its filters).

Two kinds of function. Those taking a queryset of sessions narrow it down (`without_speakers(qs)`)
and serve the session admin's list filters; those taking a congress answer the dashboard. Each asks
the database a fixed number of times, whatever the size of the programme.

A clash is two planned sessions (draft or published) whose times overlap, in the same room or with
the same speaker. Sessions that only touch (one ends at 12:00, the next begins at 12:00) do not
clash. A cancelled session takes no room and no speaker's time, so it never clashes, and it needs
no venue or speakers either.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import (
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    SessionStatus,
)

PLANNED_STATUSES = [SessionStatus.DRAFT, SessionStatus.PUBLISHED]

# From a session to the other sessions in its room, and to the other sessions of its speakers.
ROOM = "room__sessions"
SPEAKER = "session_speakers__speaker__session_links__session"


@dataclass(frozen=True)
class Clash:
    """Session `session_*` overlaps `other_*`: in room `where`, or both with speaker `where`."""

    ROOM = "zaal"
    SPEAKER = "spreker"

    kind: str
    where: str
    session_id: int
    session_title: str
    other_id: int
    other_title: str
    other_start: object
    other_end: object


def planned(sessions):
    return sessions.filter(status__in=PLANNED_STATUSES)


def _overlap(path, *, both_ways=True):
    """Q for: the session reached through `path` is another planned session at the same time.

    One filter() call, so every condition speaks of the same joined row. With `both_ways=False`
    only the other session with the higher primary key counts: each pair once.
    """
    other = Q(
        **{
            f"{path}__status__in": PLANNED_STATUSES,
            f"{path}__start__lt": F("end"),
            f"{path}__end__gt": F("start"),
        }
    )
    later = Q(**{f"{path}__pk__gt": F("pk")})
    if not both_ways:
        return other & later
    return other & (later | Q(**{f"{path}__pk__lt": F("pk")}))


def in_room_clash(sessions):
    """The sessions that overlap another session in their room."""
    return sessions.filter(pk__in=planned(Session.objects.filter(_overlap(ROOM))).values("pk"))


def in_speaker_clash(sessions):
    """The sessions with a speaker who is in another session at the same time."""
    return sessions.filter(pk__in=planned(Session.objects.filter(_overlap(SPEAKER))).values("pk"))


def in_clash(sessions):
    return sessions.filter(
        Q(pk__in=planned(Session.objects.filter(_overlap(ROOM))).values("pk"))
        | Q(pk__in=planned(Session.objects.filter(_overlap(SPEAKER))).values("pk"))
    )


def without_venue(sessions):
    return planned(sessions).filter(venue__isnull=True)


def without_speakers(sessions):
    """Planned sessions nobody speaks at; a break has no speakers by nature, so it is left out."""
    return (
        planned(sessions)
        .exclude(kind=SessionKind.BREAK)
        .filter(~Exists(SessionSpeaker.objects.filter(session=OuterRef("pk"))))
    )


def full(sessions):
    """Planned sessions with sign-up where every place is taken."""
    taken = (
        Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
        .order_by()
        .values("session")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        planned(sessions)
        .alias(places_taken=Coalesce(Subquery(taken), 0))
        .filter(capacity__isnull=False, capacity__lte=F("places_taken"))
    )


def _clashes(sessions, path, kind, where, *, both_ways):
    """One query: a Clash for each session of `sessions` and each other session it overlaps."""
    rows = (
        planned(sessions)
        .filter(_overlap(path, both_ways=both_ways))
        .order_by("start", "title", "pk", f"{path}__start", f"{path}__pk")
        .values_list(
            "pk", "title", f"{path}__pk", f"{path}__title", f"{path}__start", f"{path}__end", *where
        )
    )
    return [
        Clash(kind, " – ".join(filter(None, names)), pk, title, other_pk, other_title, start, end)
        for pk, title, other_pk, other_title, start, end, *names in rows
    ]


def room_clashes(congress):
    """Each pair of planned sessions of the congress at overlapping times in one room, once."""
    return _clashes(
        Session.objects.for_congress(congress),
        ROOM,
        Clash.ROOM,
        ["room__name", "room__venue__name"],
        both_ways=False,
    )


def speaker_clashes(congress):
    """Each pair of overlapping planned sessions with a speaker in common, once per speaker."""
    return _clashes(
        Session.objects.for_congress(congress),
        SPEAKER,
        Clash.SPEAKER,
        ["session_speakers__speaker__name"],
        both_ways=False,
    )


def clashes_with(session):
    """The clashes of one session, in its room and for each of its speakers: two queries."""
    sessions = Session.objects.filter(pk=session.pk)
    return _clashes(
        sessions, ROOM, Clash.ROOM, ["room__name", "room__venue__name"], both_ways=True
    ) + _clashes(
        sessions, SPEAKER, Clash.SPEAKER, ["session_speakers__speaker__name"], both_ways=True
    )


def full_sessions(congress):
    return full(Session.objects.for_congress(congress))


def sessions_without_venue(congress):
    return without_venue(Session.objects.for_congress(congress))


def sessions_without_speakers(congress):
    return without_speakers(Session.objects.for_congress(congress))


def session_counts(congress):
    """{(kind, status): number of sessions} for the kinds and statuses the congress has."""
    rows = (
        Session.objects.for_congress(congress)
        .order_by()
        .values_list("kind", "status")
        .annotate(number=Count("pk"))
    )
    return {(kind, status): number for kind, status, number in rows}


def registration_counts(congress):
    """{"confirmed": places taken, "waitlisted": people waiting}, over the whole congress."""
    return Registration.objects.filter(session__congress=congress).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
