"""schema.org Event for a session, for search engines and sharing (JSON-LD)."""

from django.utils import timezone

from venues.structured_data import place

ORGANIZER = {
    "@type": "Organization",
    "name": "Vereniging van Nederlandse Gemeenten",
    "url": "https://vng.nl/",
}


def event_status(session, changed=False):
    if session.is_cancelled:
        return "https://schema.org/EventCancelled"
    if changed:
        return "https://schema.org/EventRescheduled"
    return "https://schema.org/EventScheduled"


def session_event(session, *, absolute, congress, changed=False):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title,
        "url": absolute(session.get_absolute_url()),
        "startDate": timezone.localtime(session.start).isoformat(),
        "endDate": timezone.localtime(session.end).isoformat(),
        "eventStatus": event_status(session, changed),
        "eventAttendanceMode": (
            "https://schema.org/MixedEventAttendanceMode"
            if session.livestream
            else "https://schema.org/OfflineEventAttendanceMode"
        ),
        "inLanguage": "nl",
        "organizer": ORGANIZER,
        "superEvent": {"@type": "Event", "name": congress.name, "url": absolute("/")},
    }
    if session.summary:
        data["description"] = session.summary
    if session.venue:
        data["location"] = place(session.venue, absolute=absolute)
    performers = [
        {
            "@type": "Person",
            "name": link.speaker.name,
            "url": absolute(link.speaker.get_absolute_url()),
        }
        for link in session.session_speakers.all()
    ]
    if performers:
        data["performer"] = performers
    if session.capacity:
        data["maximumAttendeeCapacity"] = session.capacity
    return data


def congress_event(congress, *, absolute, venues):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": congress.name,
        "url": absolute("/"),
        "startDate": congress.start_date.isoformat(),
        "endDate": congress.end_date.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
        "inLanguage": "nl",
        "organizer": ORGANIZER,
        "location": [place(venue, absolute=absolute) for venue in venues],
    }
    if congress.motto:
        data["description"] = congress.motto
    return data
