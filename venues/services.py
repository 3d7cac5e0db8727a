"""Writes on venues that touch several rows: copying them into a new edition of the congress."""

from django.db import transaction

from congress.services import copy_rows

from .models import Room, Venue, VenuePhoto


@transaction.atomic
def copy_venues(*, source, target):
    """Copy the venues of congress `source`, with their rooms and photos, into congress `target`.

    Photos of the copies refer to the same stored image files. Returns two mappings from the
    original's primary key to the copy: ({venue pk: venue}, {room pk: room}). Three inserts.
    """
    venues = copy_rows(Venue.objects.filter(congress=source), congress=target)
    rooms = copy_rows(
        Room.objects.filter(venue__congress=source), venue_id=lambda room: venues[room.venue_id].pk
    )
    copy_rows(
        VenuePhoto.objects.filter(venue__congress=source),
        venue_id=lambda photo: venues[photo.venue_id].pk,
    )
    return venues, rooms
