"""A long programme comes in pages of a fixed size (settings.PROGRAMME_PAGE_SIZE, 100 on the site).

Here the page size is 4, so a handful of sessions makes several pages.
"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from programme.models import SessionKind
from tests.factories import FIRST_DAY, SessionFactory, SessionSpeakerFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db
PROGRAMME = reverse("programme:list")


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.PROGRAMME_PAGE_SIZE = 4
    settings.SPEAKERS_PAGE_SIZE = 4


@pytest.fixture
def ten_sessions(congress):
    """Ten afternoon sessions: six at 13:30, four at 15:00 (the first page ends inside 13:30)."""
    return [
        SessionFactory(title=f"Sessie {number:02d}", slug=f"sessie-{number:02d}", start=start)
        for number, start in enumerate(
            [at(FIRST_DAY, "13:30")] * 6 + [at(FIRST_DAY, "15:00")] * 4, start=1
        )
    ]


def titles(response):
    return [
        session.title
        for day in response.context["days"]
        for slot in day.slots
        for session in slot.sessions
    ]


def page_links(response):
    nav = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(0)) if nav else []


def test_a_long_programme_shows_the_first_page_and_counts_every_session(client, ten_sessions):
    response = client.get(PROGRAMME)

    content = response.content.decode()
    assert titles(response) == ["Sessie 01", "Sessie 02", "Sessie 03", "Sessie 04"]
    assert "10 onderdelen in het programma" in content
    assert "Pagina 1 van 3, vanaf nummer 1." in content
    assert page_links(response) == [
        "/programma/",
        "/programma/?pagina=2",
        "/programma/?pagina=3",
        "/programma/?pagina=2",
    ]


def test_a_later_page_continues_the_day_and_the_time_slot(client, ten_sessions):
    response = client.get(PROGRAMME, {"pagina": "2"})

    content = response.content.decode()
    assert titles(response) == ["Sessie 05", "Sessie 06", "Sessie 07", "Sessie 08"]
    [day] = response.context["days"]
    assert (day.continued, [(slot.total, slot.continued) for slot in day.slots]) == (
        True,
        [(6, True), (4, False)],
    )
    assert 'dinsdag 13 juni 2023 <span class="programme-day__continued">(vervolg)</span>' in content
    assert "6 onderdelen tegelijk (vervolg)" in content


def test_filters_and_pages_combine_and_the_links_keep_the_filters(client, ten_sessions):
    SessionFactory(title="Opening", kind=SessionKind.PLENARY, start=at(FIRST_DAY, "09:30"))

    response = client.get(PROGRAMME, {"soort": "middagsessie", "pagina": "3"})

    content = response.content.decode()
    assert titles(response) == ["Sessie 09", "Sessie 10"]
    assert "10 sessies gevonden" in content
    assert page_links(response) == [
        "/programma/?soort=middagsessie&amp;pagina=2",
        "/programma/?soort=middagsessie",
        "/programma/?soort=middagsessie&amp;pagina=2",
        "/programma/?soort=middagsessie&amp;pagina=3",
    ]
    assert 'href="/programma/sessie-09/?soort=middagsessie&amp;pagina=3"' in content


def test_the_back_link_of_a_session_returns_to_its_page_with_the_filters(client, ten_sessions):
    response = client.get(
        reverse("programme:detail", kwargs={"slug": "sessie-09"}),
        {"soort": "middagsessie", "pagina": "3"},
    )

    assert (
        '<a href="/programma/?soort=middagsessie&amp;pagina=3#sessie-09">'
        in response.content.decode()
    )


# Not named `page`: that is pytest-playwright's browser page fixture.
@pytest.mark.parametrize("asked", ["99", "0", "twee", "-1", "9" * 40])
def test_a_page_that_does_not_exist_shows_the_first_page_with_a_dutch_message(
    client, ten_sessions, asked
):
    response = client.get(PROGRAMME, {"pagina": asked})

    content = response.content.decode()
    assert response.status_code == 400
    assert titles(response) == ["Sessie 01", "Sessie 02", "Sessie 03", "Sessie 04"]
    assert (
        f"Pagina ‘{asked[:20]}’ bestaat niet: er zijn 3 pagina’s. U ziet de eerste pagina."
        in content
    )


def test_a_filter_with_no_results_still_says_so_plainly(client, ten_sessions):
    response = client.get(PROGRAMME, {"q": "onvindbaar", "pagina": "2"})

    content = response.content.decode()
    assert (response.status_code, titles(response)) == (400, [])
    assert "Geen sessies gevonden" in content
    assert '<nav class="pagination"' not in content


def test_a_short_programme_has_no_page_links(client, congress):
    SessionFactory.create_batch(3)

    response = client.get(PROGRAMME)

    assert (len(titles(response)), page_links(response)) == (3, [])
    assert "Pagina 1 van" not in response.content.decode()


@pytest.mark.parametrize("size", [9, 40])
def test_paged_programme_query_count_is_the_same_at_every_size(
    client, congress, django_assert_num_queries, size
):
    for number in range(size):
        session = SessionFactory(start=at(FIRST_DAY, "13:30") + timedelta(minutes=number % 7))
        SessionSpeakerFactory(session=session)

    # congress, themes and venues, sessions per start time, the page's sessions, their themes,
    # their speakers, menu pages
    with django_assert_num_queries(7):
        response = client.get(PROGRAMME, {"pagina": "2"})

    assert (len(titles(response)), response.context["session_count"]) == (4, size)


def test_the_speakers_come_in_pages_too(client, congress):
    for number in range(6):
        SessionSpeakerFactory(
            speaker=SpeakerFactory(name=f"Spreker {number}", sort_name=f"{number}")
        )

    first = client.get(reverse("speakers:list"))
    second = client.get(reverse("speakers:list"), {"pagina": "2"})

    assert [s.name for s in first.context["speakers"]] == [f"Spreker {n}" for n in range(4)]
    assert [s.name for s in second.context["speakers"]] == ["Spreker 4", "Spreker 5"]
    assert "6 sprekers op het congres" in second.content.decode()
    assert page_links(second) == ["/sprekers/", "/sprekers/", "/sprekers/?pagina=2"]


def database_work(client, url):
    """The instructions SQLite's virtual machine ran to answer `url` (in steps of 100), with the
    page cache empty: a measure of the database's work that does not depend on the machine."""
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    connection.ensure_connection()
    steps = [0]

    def count():
        steps[0] += 1
        return 0

    connection.connection.set_progress_handler(count, 100)
    try:
        response = client.get(url)
    finally:
        connection.connection.set_progress_handler(None, 100)
    assert response.status_code == 200, url
    return steps[0], response.content.count(b'class="session-card ')


@pytest.mark.sqlite
def test_a_day_or_kind_filter_costs_the_database_no_more_than_the_whole_programme(client, db):
    call_command("load_demo", "--sessions", "400", verbosity=0)
    whole, shown = database_work(client, "/programma/")

    for url in (
        "/programma/?dag=2023-06-13",
        "/programma/?dag=2023-06-14",
        "/programma/?soort=middagsessie",
        "/programma/?soort=plenair",
        "/programma/?dag=2023-06-13&soort=middagsessie",
    ):
        work, filtered_shown = database_work(client, url)
        assert (url, filtered_shown <= shown, work <= whole) == (url, True, True), (work, whole)
