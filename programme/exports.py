"""The programme as data: the c3voc/frab schedule (XML and JSON) for conference apps.

Apps such as Giggity, ConfClerk and EventFahrplan read these formats; the schemas are the ones of
the public voc/schedule repository. Both formats are built from one structure (`schedule`), so
they always say the same. The iCalendar exports live in ical.py.
"""

import hashlib
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Theme

# Stable identities for conference apps, next to Session.guid (SESSION_NAMESPACE).
SPEAKER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "sprekers.vngjaarcongres.nl")
ROOM_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "zalen.vngjaarcongres.nl")

GENERATOR = "VNG Jaarcongres-website"
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
LANGUAGE = "nl"
TIMESLOT = "00:05"
# Characters XML 1.0 does not allow, even escaped (pasted text sometimes holds them).
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


# What /programma/ answers a client that asks, with Accept, for something other than HTML.
NEGOTIATED_EXPORTS = {
    "application/json": "programme:schedule_json",
    "text/calendar": "programme_calendar",
}


def negotiated_redirect(request):
    """A 303 to the export the Accept header prefers (filters kept), or None for the HTML page.

    Browsers' Accept prefers text/html, and so does */* or no Accept at all.
    """
    preferred = request.get_preferred_type(["text/html", *NEGOTIATED_EXPORTS])
    if preferred not in NEGOTIATED_EXPORTS:
        return None
    location = reverse(NEGOTIATED_EXPORTS[preferred])
    if request.GET:
        location = f"{location}?{request.GET.urlencode()}"
    return HttpResponseSeeOther(location)


def for_calendar(sessions):
    """What an iCal event shows: venue, room and themes (2 queries)."""
    return (
        sessions.select_related("venue", "room")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
        .order_by("start", "end", "title")
    )


def for_schedule(sessions):
    """What a schedule event shows: as for_calendar, and the speakers (3 queries)."""
    return for_calendar(sessions).with_speakers()


def acronym(congress):
    """`vng-jaarcongres-2023` -> `vng_jaarcongres_2023`: the c3voc JSON schema forbids hyphens."""
    return congress.slug.replace("-", "_").lower()


def speaker_guid(speaker):
    return uuid.uuid5(SPEAKER_NAMESPACE, f"{speaker.congress_id}/{speaker.pk}")


def room_name(session):
    """The 'room' of conference apps: the venue, and the hall in it when known."""
    if session.venue is None:
        return _("Locatie volgt")
    if session.room is None:
        return session.venue.name
    return f"{session.venue.name} – {session.room.name}"


def _room_guid(session):
    return uuid.uuid5(
        ROOM_NAMESPACE, f"{session.congress_id}/{session.venue_id or '-'}/{session.room_id or '-'}"
    )


def _hours_minutes(delta):
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _event_slug(congress, session):
    """c3voc's `<acronym>-<id>-<slug>`, the form the XML schema asks for."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", session.slug.lower()).strip("-_")
    return f"{acronym(congress)}-{session.pk}-{slug}".rstrip("-_")


def _version(sessions):
    """Changes whenever a session is added, removed or saved (moved, cancelled, edited).

    Apps compare versions to spot changes. Edits to a speaker or theme alone do not change it.
    """
    if not sessions:
        return "0"
    latest = timezone.localtime(max(session.updated_at for session in sessions))
    fingerprint = hashlib.sha256(
        " ".join(f"{s.pk}:{s.updated_at.isoformat()}" for s in sessions).encode()
    ).hexdigest()[:8]
    return f"{latest:%Y-%m-%d %H:%M:%S} {fingerprint}"


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _event(congress, session, *, base_url):
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    themes = list(session.themes.all())
    return {
        "guid": str(session.guid),
        "id": session.pk,
        "date": start.isoformat(),
        "start": f"{start:%H:%M}",
        "end": end.isoformat(),
        "duration": _hours_minutes(end - start),
        "room": room_name(session),
        "slug": _event_slug(congress, session),
        "url": base_url + session.get_absolute_url(),
        "title": session.title,
        "subtitle": session.host_organisation,
        "track": themes[0].name if themes else session.get_kind_display(),
        "type": session.get_kind_display(),
        "language": LANGUAGE,
        "abstract": session.summary,
        "description": session.description,
        "persons": [
            {
                "id": link.speaker.pk,
                "guid": str(speaker_guid(link.speaker)),
                "public_name": link.speaker.name,
            }
            for link in session.session_speakers.all()
        ],
        "links": [],
    }


def schedule(congress, sessions, *, base_url):
    """The c3voc JSON document for these sessions (ordered by start, from `for_schedule`).

    Cancelled sessions are left out: neither schema can mark an event as cancelled, and the apps
    show an event that disappears from a newer `version` as cancelled.
    """
    base_url = base_url.rstrip("/")
    sessions = list(sessions)
    shown = [session for session in sessions if not session.is_cancelled]

    rooms, tracks, by_day = {}, {}, {}
    for session in shown:
        name = room_name(session)
        if name not in rooms:
            rooms[name] = {"name": name, "guid": str(_room_guid(session))}
            if session.venue is not None:
                rooms[name]["url"] = base_url + session.venue.get_absolute_url()
        event = _event(congress, session, base_url=base_url)
        tracks.setdefault(event["track"], {"name": event["track"]})
        by_day.setdefault(session.day, []).append((session.start, session.end, event))

    days = []
    for index, day in enumerate(sorted({*congress.days, *by_day}), start=1):
        entries = by_day.get(day, [])
        if entries:
            day_start = min(start for start, end, event in entries)
            day_end = max(end for start, end, event in entries)
        else:
            day_start, day_end = _midnight(day), _midnight(day + timedelta(days=1))
        day_rooms = {}
        for _start, _end, event in entries:
            day_rooms.setdefault(event["room"], []).append(event)
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": timezone.localtime(day_start).isoformat(),
                "day_end": timezone.localtime(day_end).isoformat(),
                # Rooms in the conference's order, so that apps show the same columns each day.
                "rooms": {name: day_rooms[name] for name in rooms if name in day_rooms},
            }
        )

    conference = {
        "acronym": acronym(congress),
        "title": congress.name,
        "start": days[0]["date"],
        "end": days[-1]["date"],
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": settings.TIME_ZONE,
        "url": base_url + reverse("congress:home"),
        "tracks": list(tracks.values()),
        "rooms": list(rooms.values()),
        "days": days,
    }
    if congress.motto:
        conference["description"] = congress.motto
    return {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": GENERATOR},
        "schedule": {
            "version": _version(sessions),
            "base_url": base_url + "/",
            "conference": conference,
        },
    }


def _text(value):
    return NOT_IN_XML.sub("", str(value))


def _add(parent, tag, text=None, **attributes):
    element = ET.SubElement(
        parent, tag, {key: _text(value) for key, value in attributes.items() if value is not None}
    )
    if text is not None:
        element.text = _text(text)
    return element


# The XML event's elements, in the order frab writes them (the schema accepts any order).
_XML_EVENT_FIELDS = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
)


def schedule_xml(document, *, url):
    """The frab/c3voc schedule.xml for a `schedule()` document, as UTF-8 bytes."""
    data = document["schedule"]
    conference = data["conference"]
    root = ET.Element("schedule")
    _add(root, "generator", name=GENERATOR)
    _add(root, "url", url)
    _add(root, "version", data["version"])
    element = _add(root, "conference")
    for tag in ("title", "acronym", "start", "end"):
        _add(element, tag, conference[tag])
    _add(element, "days", conference["daysCount"])
    _add(element, "timeslot_duration", conference["timeslot_duration"])
    _add(element, "base_url", data["base_url"])
    _add(element, "url", conference["url"])
    _add(element, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        _add(element, "track", track["name"], name=track["name"])
    room_guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = _add(
            root,
            "day",
            index=day["index"],
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for name, events in day["rooms"].items():
            room_element = _add(day_element, "room", name=name, guid=room_guids[name])
            for event in events:
                event_element = _add(room_element, "event", id=event["id"], guid=event["guid"])
                for tag in _XML_EVENT_FIELDS:
                    _add(event_element, tag, event[tag])
                persons = _add(event_element, "persons")
                for person in event["persons"]:
                    _add(
                        persons,
                        "person",
                        person["public_name"],
                        id=person["id"],
                        guid=person["guid"],
                    )
                _add(event_element, "links")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
