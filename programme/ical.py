"""iCalendar (RFC 5545) for sessions, with the icalendar library."""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vText

AMSTERDAM = ZoneInfo(settings.TIME_ZONE)


def session_event(session, *, base_url, waitlisted=False, categories=False):
    """One VEVENT. `categories=True` adds the kind and themes (prefetch `themes` for that)."""
    event = Event()
    event.add("uid", session.uid)
    # Calendars replace an event they know only when its SEQUENCE goes up.
    event.add("sequence", session.sequence)
    if session.is_cancelled:
        summary = f"Vervallen: {session.title}"
    elif waitlisted:
        summary = f"Wachtlijst: {session.title}"
    else:
        summary = session.title
    event.add("summary", summary)
    event.add("dtstart", timezone.localtime(session.start, AMSTERDAM))
    event.add("dtend", timezone.localtime(session.end, AMSTERDAM))
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("created", session.created_at)
    url = base_url.rstrip("/") + session.get_absolute_url()
    event.add("url", url)
    description = "\n\n".join(part for part in [session.summary, url] if part)
    event.add("description", description)
    if session.venue:
        place = [session.venue.name]
        if session.room:
            place.append(session.room.name)
        if session.venue.address_line:
            place.append(session.venue.address_line)
        event.add("location", vText(", ".join(place)))
        if session.venue.latitude is not None:
            event.add("geo", (float(session.venue.latitude), float(session.venue.longitude)))
    if categories:
        names = [session.get_kind_display(), *(theme.name for theme in session.themes.all())]
        event.add("categories", names)
    if session.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if waitlisted else "CONFIRMED")
    return event


def calendar_response(
    sessions,
    *,
    name,
    base_url,
    filename,
    waitlisted_ids=frozenset(),
    categories=False,
):
    """A text/calendar response with one event per session, times in Europe/Amsterdam."""
    calendar = Calendar()
    calendar.add("prodid", "-//VNG//Jaarcongres//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval;value=duration", "PT1H")
    sessions = list(sessions)
    for session in sessions:
        calendar.add_component(
            session_event(
                session,
                base_url=base_url,
                waitlisted=session.pk in waitlisted_ids,
                categories=categories,
            )
        )
    # Describe the time zone only around the congress, not for every year since 1970.
    if sessions:
        first = min(session.start for session in sessions).date()
        last = max(session.end for session in sessions).date()
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 1, 12, 31)
        )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
