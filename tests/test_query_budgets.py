"""Every public page asks the database a fixed number of times, whatever the size of the congress.

The demo congress is loaded at two sizes (`load_demo --sessions N`) and every public page is
opened once: anonymously (a miss of the page cache, so the page is rendered) and logged in (with
favourites and a registration). The counts must be the same at both sizes, and at most 8 for
every visitor. A page served from the page cache costs one query (tests/congress/
test_page_cache.py).
"""

import pytest
from django.core.management import call_command
from django.test import Client

from programme.models import Session, SessionKind, Speaker
from tests.factories import FavouriteFactory, RegistrationFactory, UserFactory
from venues.models import Venue

pytestmark = pytest.mark.django_db

# Anonymous: the content version first (all a page served from the page cache costs), then the
# page, rendered as the cache is missed.
ANONYMOUS = {
    "/": 8,
    "/programma/": 7,
    "/programma/?pagina=2": 7,
    "/programma/?dag=2023-06-13": 7,
    "/programma/?soort=middagsessie&thema=inwoners-meenemen": 7,
    "/programma/?q=wandeling&plaats=ja": 7,
    "session": 6,
    "/sprekers/": 5,
    "speaker": 6,
    "/locaties/": 3,
    "venue": 8,
    "/livestream/": 5,
    "/programma/wijzigingen/": 3,
    "/programma/schedule.json": 6,
    "/programma/schedule.xml": 6,
    "/programma.ics": 5,
    "session.ics": 4,
    "/sitemap.xml": 6,
}
# Logged in: no content version (never served from the cache) but the session, read with its
# user (accounts/sessions.py); personal state is read with the sessions. Exports and the sitemap
# do not look at the visitor.
LOGGED_IN = {
    **ANONYMOUS,
    "/programma/schedule.json": 5,
    "/programma/schedule.xml": 5,
    "/programma.ics": 4,
    "session.ics": 3,
    "/sitemap.xml": 5,
    "/mijn-programma/": 5,
}


def demo_of_size(sessions):
    call_command("load_demo", "--sessions", str(sessions), verbosity=0)
    afternoon = Session.objects.filter(kind=SessionKind.AFTERNOON).order_by("pk")
    session = afternoon.first()
    speaker = Speaker.objects.filter(session_links__isnull=False).order_by("pk").first()
    venue = Venue.objects.get(slug="martiniplaza")
    return {
        "session": session.get_absolute_url(),
        "session.ics": f"/programma/{session.slug}.ics",
        "speaker": speaker.get_absolute_url(),
        "venue": venue.get_absolute_url(),
    }, afternoon


def counted(client, urls, django_assert_max_num_queries):
    counts = {}
    for name in urls:
        url = urls.get(name) or name
        with django_assert_max_num_queries(100) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(captured)
    return counts


@pytest.mark.parametrize("size", [150, 600])
def test_every_public_page_runs_the_same_queries_at_every_size(size, django_assert_max_num_queries):
    urls, afternoon = demo_of_size(size)
    me = UserFactory()
    for session in afternoon[:5]:
        FavouriteFactory(user=me, session=session)
    RegistrationFactory(user=me, session=afternoon[5])
    mine = Client()
    mine.force_login(me)

    anonymous = counted(
        Client(), {name: urls.get(name) for name in ANONYMOUS}, django_assert_max_num_queries
    )
    logged_in = counted(
        mine, {name: urls.get(name) for name in LOGGED_IN}, django_assert_max_num_queries
    )

    assert anonymous == ANONYMOUS
    assert logged_in == LOGGED_IN
    assert max(anonymous.values()) <= 8
    assert max(logged_in.values()) <= 8
