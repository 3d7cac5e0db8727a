"""Build the demo congress from congress/demo/vng2023.json.

The data holds what is known of the real 2023 congress and, marked `illustrative`, what the demo
invents. Loading is idempotent: the demo congress ends up exactly as the data describes, however
often it runs. Pictures are drawn once and kept.

`--sessions N` grows the afternoon programme beyond the data with illustrative copies of its
sessions, each with a speaker of its own, and one extra regional site per SESSIONS_PER_EXTRA_SITE
extra sessions. Those are written in bulk (a few INSERTs per table), so 6,000 sessions load in
seconds; generated speakers have no picture.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from congress.images import make_variants
from congress.models import Congress, Page, PublicationStatus, Theme
from programme.models import Session, SessionKind, SessionSpeaker, Speaker
from venues.models import Room, Venue, VenueKind, VenuePhoto

from .images import initials_picture, venue_picture

DATA_FILE = Path(__file__).with_name("vng2023.json")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
VENUE_KINDS = {
    "plenary": VenueKind.PLENARY,
    "evening": VenueKind.EVENING,
    "regional": VenueKind.REGIONAL,
}
SESSIONS_PER_EXTRA_SITE = 20
ILLUSTRATIVE_NOTE = (
    "Illustratief voorbeeld: deze inhoud is bedacht voor de demo-omgeving en beschrijft geen "
    "echte sessie van het congres 2023."
)


def sync(model, *, defaults, **lookup):
    """update_or_create that saves only what differs, so a second load leaves rows untouched."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if _differs(instance, name, value)]
    for name in changed:
        setattr(instance, name, defaults[name])
    if changed:
        instance.save()
    return instance, False


def _differs(instance, name, value):
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != getattr(value, "pk", value)
    return field.to_python(value) != getattr(instance, name)


def load_data():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class DemoResult:
    congress: Congress
    sessions: int
    afternoon_sessions: int
    speakers: int
    venues: int


class DemoLoader:
    def __init__(self, *, upcoming=False, afternoon_sessions=None, today=None):
        self.data = load_data()
        original_start = date.fromisoformat(self.data["congress"]["start_date"])
        today = today or timezone.localdate()
        self.shift = (today + timedelta(days=14) - original_start) if upcoming else timedelta(0)
        self.afternoon_sessions = afternoon_sessions

    # -- helpers -------------------------------------------------------------------------------
    def day(self, iso):
        return date.fromisoformat(iso) + self.shift

    def moment(self, iso_day, hhmm):
        return datetime.combine(self.day(iso_day), time.fromisoformat(hhmm), tzinfo=AMSTERDAM)

    # -- the whole load ------------------------------------------------------------------------
    @transaction.atomic
    def run(self):
        congress = self.load_congress()
        themes = self.load_themes(congress)
        venues, rooms = self.load_venues(congress)
        speakers = self.load_speakers(congress)
        session_data = self.session_data()
        sessions = self.load_sessions(congress, session_data, themes, venues, rooms, speakers)
        grown_sessions, grown_speakers = self.grow_programme(congress, themes, venues, rooms)
        self.load_pages(congress)
        # The demo congress holds exactly what the data says: drop what a larger run added.
        Session.objects.filter(congress=congress).exclude(
            pk__in=[s.pk for s in sessions] + grown_sessions
        ).delete()
        Speaker.objects.filter(congress=congress).exclude(
            pk__in=[s.pk for s in speakers.values()] + grown_speakers
        ).delete()
        Venue.objects.filter(congress=congress).exclude(
            pk__in=[v.pk for v in venues.values()]
        ).delete()
        return DemoResult(
            congress=congress,
            sessions=len(sessions) + len(grown_sessions),
            afternoon_sessions=sum(1 for s in sessions if s.kind == SessionKind.AFTERNOON)
            + len(grown_sessions),
            speakers=len(speakers) + len(grown_speakers),
            venues=len(venues),
        )

    def load_congress(self):
        data = self.data["congress"]
        Congress.objects.exclude(slug=data["slug"]).filter(is_current=True).update(is_current=False)
        congress, _ = sync(
            Congress,
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "year": data["year"],
                "start_date": self.day(data["start_date"]),
                "end_date": self.day(data["end_date"]),
                "city": data["city"],
                "host_municipality": data.get("host_municipality", ""),
                "motto": data.get("motto", ""),
                "introduction": data.get("introduction", ""),
                "livestream_url": data.get("livestream_url", ""),
                "livestream_text": data.get("livestream_text", ""),
                "signup_deadline": (
                    self.moment(data["signup_deadline"]["day"], data["signup_deadline"]["time"])
                    if data.get("signup_deadline")
                    else None
                ),
                "is_current": True,
            },
        )
        return congress

    def load_themes(self, congress):
        themes = {}
        for order, item in enumerate(self.data["themes"]):
            themes[item["slug"]], _ = sync(
                Theme,
                congress=congress,
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "description": item.get("description", ""),
                    "order": order,
                },
            )
        Theme.objects.filter(congress=congress).exclude(slug__in=themes).delete()
        return themes

    def venue_items(self):
        items = list(self.data["venues"])
        extra_sessions = max(0, (self.afternoon_sessions or 0) - self.base_afternoon_count())
        extra_sites = extra_sessions // SESSIONS_PER_EXTRA_SITE
        regional = [item for item in self.data["venues"] if item["kind"] == "regional"]
        for number in range(extra_sites):
            template = regional[number % len(regional)]
            items.append(
                {
                    **template,
                    "slug": f"{template['slug']}-extra-{number + 1}",
                    "name": f"{template['name']} (extra locatie {number + 1})",
                    "illustrative": True,
                    "photos": [],
                }
            )
        return items

    def load_venues(self, congress):
        venues, rooms = {}, {}
        for order, item in enumerate(self.venue_items()):
            venue, _ = sync(
                Venue,
                congress=congress,
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "kind": VENUE_KINDS[item["kind"]],
                    "street": item.get("street", ""),
                    "postcode": item.get("postcode", ""),
                    "town": item["town"],
                    "municipality": item.get("municipality", ""),
                    "latitude": item.get("latitude"),
                    "longitude": item.get("longitude"),
                    "description": item.get("description", ""),
                    "route_public_transport": item.get("route_public_transport", ""),
                    "route_car": item.get("route_car", ""),
                    "parking": item.get("parking", ""),
                    "accessibility": item.get("accessibility", ""),
                    "website": item.get("website", ""),
                    "order": order,
                },
            )
            venues[venue.slug] = venue
            room_names = []
            for room_order, room_item in enumerate(item.get("rooms", [])):
                room, _ = sync(
                    Room,
                    venue=venue,
                    name=room_item["name"],
                    defaults={
                        "capacity": room_item.get("capacity"),
                        "floor": room_item.get("floor", ""),
                        "accessibility": room_item.get("accessibility", ""),
                        "order": room_order,
                    },
                )
                rooms[(venue.slug, room.name)] = room
                room_names.append(room.name)
            Room.objects.filter(venue=venue).exclude(name__in=room_names).delete()
            self.load_photos(venue, item.get("photos", []))
        return venues, rooms

    def load_photos(self, venue, photos):
        kept = []
        for order, photo_item in enumerate(photos):
            name = f"venues/{venue.slug}/{venue.slug}-{order + 1}.jpg"
            if not default_storage.exists(name):
                name = default_storage.save(name, venue_picture(venue.name, venue.town))
            make_variants(default_storage, name)
            photo, _ = sync(
                VenuePhoto,
                venue=venue,
                order=order,
                defaults={
                    "image": name,
                    "alt_text": photo_item["alt_text"],
                    "caption": photo_item.get("caption", ""),
                    "credit": photo_item.get("credit", ""),
                },
            )
            kept.append(photo.pk)
        VenuePhoto.objects.filter(venue=venue).exclude(pk__in=kept).delete()

    def speaker_defaults(self, item):
        name = f"speakers/{item['slug']}.jpg"
        if not default_storage.exists(name):
            name = default_storage.save(name, initials_picture(item["name"]))
        make_variants(default_storage, name)
        return {
            "name": item["name"],
            "sort_name": item.get("sort_name") or sort_name(item["name"]),
            "role": item.get("role", ""),
            "organisation": item.get("organisation", ""),
            "bio": item.get("bio", ""),
            "photo": name,
            "photo_alt": f"Illustratie met de initialen van {item['name']} (geen foto)",
            "photo_credit": "Illustratie: VNG demo",
        }

    def load_speakers(self, congress):
        speakers = {}
        for item in self.data["speakers"]:
            speakers[item["slug"]], _ = sync(
                Speaker, congress=congress, slug=item["slug"], defaults=self.speaker_defaults(item)
            )
        return speakers

    # -- sessions ------------------------------------------------------------------------------
    def base_afternoon_count(self):
        return sum(1 for item in self.data["sessions"] if item["kind"] == SessionKind.AFTERNOON)

    def session_data(self):
        """The data's sessions to load, with the afternoon programme cut to size if asked."""
        items = list(self.data["sessions"])
        wanted = self.afternoon_sessions
        if wanted is None:
            return items
        afternoon = [item for item in items if item["kind"] == SessionKind.AFTERNOON]
        others = [item for item in items if item["kind"] != SessionKind.AFTERNOON]
        return others + afternoon[:wanted]

    def grown_items(self, venues):
        """The illustrative afternoon sessions beyond the data's, up to `afternoon_sessions`."""
        afternoon = [
            item for item in self.data["sessions"] if item["kind"] == SessionKind.AFTERNOON
        ]
        extra_venues = [slug for slug in venues if "-extra-" in slug]
        for number in range(len(afternoon), self.afternoon_sessions or 0):
            template = afternoon[number % len(afternoon)]
            round_number = number // len(afternoon) + 1
            venue = extra_venues[number % len(extra_venues)] if extra_venues else template["venue"]
            yield {
                **template,
                "slug": f"{template['slug']}-{round_number}"[:80],
                "title": f"{template['title']} ({round_number})",
                "venue": venue,
                "room": template.get("room", "") if venue == template["venue"] else "",
                "livestream": False,
                "speaker": f"demo-spreker-{number + 1}",
                "number": number + 1,
            }

    def grow_programme(self, congress, themes, venues, rooms):
        """Write the grown sessions and their speakers in bulk; return (session pks, speaker pks).

        Rows a previous run made are kept (and their times put right, for --upcoming); only what
        is missing is inserted.
        """
        items = list(self.grown_items(venues))
        if not items:
            return [], []
        speaker_pks = self.grow_speakers(congress, items)
        existing = {
            session.slug: session
            for session in Session.objects.filter(
                congress=congress, slug__in=[item["slug"] for item in items]
            ).only("slug", "start", "end", "venue_id", "room_id")
        }
        new, moved = [], []
        for item in items:
            venue = venues[item["venue"]]
            room = rooms.get((venue.slug, item["room"] or ""))
            place = {
                "start": self.moment(item["day"], item["start"]),
                "end": self.moment(item["day"], item["end"]),
                "venue_id": venue.pk,
                "room_id": room.pk if room else None,
            }
            session = existing.get(item["slug"])
            if session is None:
                new.append(
                    Session(
                        congress=congress,
                        slug=item["slug"],
                        title=item["title"],
                        kind=SessionKind.AFTERNOON,
                        summary=item.get("summary", ""),
                        description=item.get("description", "") + "\n\n" + ILLUSTRATIVE_NOTE,
                        host_organisation=item.get("host") or "",
                        capacity=item.get("capacity"),
                        livestream=False,
                        status=PublicationStatus.PUBLISHED,
                        **place,
                    )
                )
            elif any(getattr(session, name) != value for name, value in place.items()):
                for name, value in place.items():
                    setattr(session, name, value)
                moved.append(session)
        Session.objects.bulk_update(moved, ["start", "end", "venue", "room"], batch_size=500)
        created = Session.objects.bulk_create(new, batch_size=500)
        made = list(zip(created, [i for i in items if i["slug"] not in existing], strict=True))
        theme_links = Session.themes.through
        theme_links.objects.bulk_create(
            [
                theme_links(session_id=session.pk, theme_id=themes[slug].pk)
                for session, item in made
                for slug in item.get("themes", [])
            ],
            batch_size=500,
        )
        SessionSpeaker.objects.bulk_create(
            [
                SessionSpeaker(session_id=session.pk, speaker_id=speaker_pks[item["speaker"]])
                for session, item in made
            ],
            batch_size=500,
        )
        return [s.pk for s in existing.values()] + [s.pk for s in created], list(
            speaker_pks.values()
        )

    def grow_speakers(self, congress, items):
        """A generated speaker (no picture) for each grown session: {slug: pk}."""
        wanted = {item["speaker"]: item["number"] for item in items}
        pks = dict(
            Speaker.objects.filter(congress=congress, slug__in=wanted).values_list("slug", "pk")
        )
        created = Speaker.objects.bulk_create(
            [
                Speaker(
                    congress=congress,
                    slug=slug,
                    name=f"Demo Spreker {number}",
                    sort_name=f"Spreker {number:06d}",
                    role="spreker (illustratief)",
                    organisation="Demo-organisatie",
                    bio=ILLUSTRATIVE_NOTE,
                )
                for slug, number in wanted.items()
                if slug not in pks
            ],
            batch_size=500,
        )
        pks.update((speaker.slug, speaker.pk) for speaker in created)
        return pks

    def load_sessions(self, congress, session_data, themes, venues, rooms, speakers):
        sessions = []
        for item in session_data:
            venue = venues.get(item.get("venue") or "")
            room = rooms.get((venue.slug, item.get("room") or "")) if venue else None
            description = item.get("description", "")
            agenda = item.get("agenda")
            if agenda:
                description += "\n\n## Agenda\n\n" + "\n".join(
                    f"{number}. {point}" for number, point in enumerate(agenda, start=1)
                )
            session, _ = sync(
                Session,
                congress=congress,
                slug=item["slug"],
                defaults={
                    "title": item["title"],
                    "kind": item["kind"],
                    "summary": item.get("summary", ""),
                    "description": description,
                    "start": self.moment(item["day"], item["start"]),
                    "end": self.moment(item["day"], item["end"]),
                    "venue": venue,
                    "room": room,
                    "host_organisation": item.get("host") or "",
                    "capacity": item.get("capacity"),
                    "livestream": bool(item.get("livestream")),
                    "status": PublicationStatus.PUBLISHED,
                },
            )
            session.themes.set([themes[slug] for slug in item.get("themes", [])])
            links = []
            for order, link in enumerate(item.get("speakers", [])):
                speaker_link, _ = sync(
                    SessionSpeaker,
                    session=session,
                    speaker=speakers[link["slug"]],
                    defaults={"role": link.get("role", "spreker"), "order": order},
                )
                links.append(speaker_link.pk)
            SessionSpeaker.objects.filter(session=session).exclude(pk__in=links).delete()
            sessions.append(session)
        return sessions

    def load_pages(self, congress):
        slugs = []
        for item in self.data["pages"]:
            sync(
                Page,
                congress=congress,
                slug=item["slug"],
                defaults={
                    "title": item["title"],
                    "summary": item.get("summary", ""),
                    "body": item.get("body", ""),
                    "order": item.get("order", 0),
                    "status": PublicationStatus.PUBLISHED,
                    "show_in_navigation": item["slug"] == "praktische-informatie",
                },
            )
            slugs.append(item["slug"])
        Page.objects.filter(congress=congress).exclude(slug__in=slugs).delete()


def sort_name(name):
    """'Jan van Zanen' -> 'Zanen, Jan van': Dutch names sort on the surname without its prefix.

    Double surnames ('Bruins Slot') cannot be told apart from a given name here; the data can
    give a `sort_name` for those.
    """
    words = name.split()
    if len(words) < 2:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"
