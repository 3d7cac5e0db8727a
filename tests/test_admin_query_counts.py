"""Every list page of /beheer/ runs a fixed number of queries, however many rows it shows.

Each page is opened as a superuser, the one person who sees every list; an N+1 (a query per row)
makes the count for 10 rows differ from the count for 1 and fails the test.
"""

import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.urls import reverse

from tests.factories import (
    CongressFactory,
    EditorFactory,
    PageFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenuePhotoFactory,
    activate_two_factor,
)

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def session_with_everything(congress):
    """A session with a room, a theme, a speaker and a registration: all a list row may show."""
    session = SessionFactory(congress=congress, room=None)
    session.room = RoomFactory(venue=session.venue)
    session.save()
    session.themes.add(ThemeFactory(congress=congress))
    SessionSpeakerFactory(session=session)
    RegistrationFactory(session=session)
    return session


def other_congress(congress):
    number = next(_numbers)
    return CongressFactory(
        slug=f"vng-jaarcongres-{1900 + number}", year=1900 + number, is_current=False
    )


# Per registered model: how to add one row (with what its list shows) and the number of queries
# of its list page, the same for 1 row as for 10.
CHANGELISTS = {
    "auth.group": (lambda congress: Group.objects.create(name=f"Groep {next(_numbers)}"), 5),
    "accounts.user": (lambda congress: UserFactory(), 6),
    "congress.congress": (other_congress, 5),
    "congress.theme": (lambda congress: ThemeFactory(congress=congress), 6),
    "congress.page": (lambda congress: PageFactory(congress=congress), 6),
    "venues.venue": (lambda congress: RoomFactory(venue__congress=congress).venue, 7),
    "venues.room": (lambda congress: RoomFactory(venue__congress=congress), 7),
    "venues.venuephoto": (lambda congress: VenuePhotoFactory(venue__congress=congress), 6),
    "programme.session": (session_with_everything, 10),
    "programme.speaker": (lambda congress: SessionSpeakerFactory(session__congress=congress), 6),
    "programme.sessionspeaker": (
        lambda congress: SessionSpeakerFactory(session__congress=congress),
        6,
    ),
    "programme.registration": (
        lambda congress: RegistrationFactory(session__congress=congress),
        9,
    ),
    "sites.site": (
        lambda congress: Site.objects.create(domain=f"site{next(_numbers)}.example", name="Site"),
        5,
    ),
    "account.emailaddress": (lambda congress: UserFactory(), 5),
    "mfa.authenticator": (lambda congress: activate_two_factor(UserFactory()), 5),
}


def test_every_registered_model_has_its_list_page_counted():
    registered = sorted(model._meta.label_lower for model in admin.site._registry)

    assert registered == sorted(CHANGELISTS)


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("label", sorted(CHANGELISTS))
def test_list_page_query_count_does_not_grow_with_the_rows(
    client, congress, django_assert_num_queries, label, size
):
    make, queries = CHANGELISTS[label]
    model = apps.get_model(label)
    client.force_login(EditorFactory(is_superuser=True))
    rows_before = model.objects.count()
    for _ in range(size):
        make(congress)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.context["cl"].result_count == rows_before + size
