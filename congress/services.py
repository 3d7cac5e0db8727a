"""Writes on editions of the congress: copying one to start the next, and switching the current one.

Every function takes keyword arguments only and runs in one transaction.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .content import bump
from .models import Congress


def copy_rows(rows, **values):
    """Insert a copy of each row of the queryset `rows`; return {original pk: saved copy}.

    `values` are set on every copy; a value may be a function of the original row, e.g.
    `venue_id=lambda row: venues[row.venue_id]`. Every other field keeps its value, so a field added
    to a model later is copied too. A file or image field keeps pointing at the same stored file.
    One INSERT per model (bulk_create), so no save() logic and no signals run for the copies.
    """
    copies = {}
    for row in rows:
        original_pk = row.pk
        changes = {name: value(row) if callable(value) else value for name, value in values.items()}
        row.pk = None
        row._state.adding = True
        for name, value in changes.items():
            setattr(row, name, value)
        copies[original_pk] = row
    rows.model._base_manager.bulk_create(copies.values())
    bump()  # the base manager's bulk_create does not bump the content version itself
    return copies


def shift_moment(moment, days):
    """The same wall-clock time `days` later in the site's time zone (also across a DST change)."""
    if moment is None:
        return None
    local = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(local + timedelta(days=days))


@transaction.atomic
def copy_edition(*, congress, year, name, slug, start_date, with_sessions=False):
    """Start a new edition from `congress`: a copy that is not current, with its own content.

    Copied: the congress itself (dates moved to `start_date`), its themes, information pages (with
    their status), venues with their rooms and photos (a photo of the copy refers to the same
    stored image file as the original; nothing deletes image files, so sharing them is safe and
    costs no storage). With `with_sessions`, also its sessions (as drafts, times moved by the same
    number of days) and speakers; see programme.services.copy_sessions. Registrations, favourites
    and recorded changes are never copied. The original is not changed.

    Raises ValidationError when the year or slug is taken.
    """
    # Venues and programme depend on congress, not the other way round: the one place where an
    # edition reaches down into them imports their copying services here, at call time.
    from venues.services import copy_venues

    days = (start_date - congress.start_date).days
    edition = Congress.objects.get(pk=congress.pk)
    edition.pk = None
    edition._state.adding = True
    edition.name = name
    edition.slug = slug
    edition.year = year
    edition.start_date = start_date
    edition.end_date = congress.end_date + timedelta(days=days)
    edition.signup_deadline = shift_moment(congress.signup_deadline, days)
    edition.is_current = False
    edition.validate_unique()
    edition.validate_constraints()
    edition.save(force_insert=True)

    themes = copy_rows(congress.themes.all(), congress=edition)
    copy_rows(congress.pages.all(), congress=edition)
    venues, rooms = copy_venues(source=congress, target=edition)
    if with_sessions:
        from programme.services import copy_sessions

        copy_sessions(
            source=congress,
            target=edition,
            venues={pk: venue.pk for pk, venue in venues.items()},
            rooms={pk: room.pk for pk, room in rooms.items()},
            themes={pk: theme.pk for pk, theme in themes.items()},
            days=days,
        )
    return edition


@transaction.atomic
def make_current(*, congress):
    """Make `congress` the edition the site shows; the one that was current no longer is.

    The old one is switched off before the new one is switched on, inside one transaction, so
    the database's "only one current" constraint never sees two (and visitors never see none).
    """
    # Lock the rows involved, so two editors switching at the same moment take turns.
    list(Congress.objects.select_for_update().filter(Q(is_current=True) | Q(pk=congress.pk)))
    Congress.objects.filter(is_current=True).exclude(pk=congress.pk).update(is_current=False)
    Congress.objects.filter(pk=congress.pk).update(is_current=True)
    congress.is_current = True
    return congress
