"""Changes to a published session: recorded, announced on its page, listed and fed, cancellation."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.models import Registration, Session, SessionChange, SessionStatus
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    EditorFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    at,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CHANGES_URL = "/programma/wijzigingen/"
FEED_URL = "/programma/wijzigingen/feed/"
SITE = "http://vngjaarcongres.nl"  # the Site the feed names its links with
# The 2023 congress lies in the past; a session people could still sign up for lies ahead.
SOON = timezone.localdate() + timedelta(days=14)


def session_url(session):
    return reverse("programme:detail", kwargs={"slug": session.slug})


def recorded(session):
    """Every change kept for a session, oldest first, as (field, old, new, minor)."""
    return list(
        SessionChange.objects.filter(session=session)
        .order_by("pk")
        .values_list("field", "old_value", "new_value", "minor")
    )


def move(session, start, end=None, *, when=None, minor=False):
    """Give a session a new time the way an editor would: load it, change it, save it."""
    session = Session.objects.get(pk=session.pk)
    session.start = at(FIRST_DAY, start)
    session.end = at(FIRST_DAY, end) if end else session.start + timedelta(hours=3)
    session.minor_change = minor
    session.save()
    if when is not None:
        SessionChange.objects.filter(session=session).update(changed_at=when)
    return session


def sequence_of(session):
    return Session.objects.values_list("sequence", flat=True).get(pk=session.pk)


def shown_messages(response):
    return re.findall(
        r'<li class="message message--(\w+)">(.*?)</li>', response.content.decode(), re.S
    )


def card_badges(response, kind):
    """Slugs of the session cards on a page that carry the badge of this kind."""
    cards = re.findall(
        r'<article class="session-card[^"]*" id="([\w-]+)"(.*?)</article>',
        response.content.decode(),
        re.S,
    )
    return sorted(slug for slug, card in cards if f'class="badge badge--{kind}"' in card)


def change_list_titles(response):
    return re.findall(
        r'<p class="change-list__title"><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )


def feed_entries(response):
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


# What is recorded


def test_moving_a_published_session_records_its_old_and_new_time(congress):
    session = SessionFactory()

    move(session, "14:00", "17:00")

    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 14:00–17:00", False)
    ]


def test_ending_earlier_records_the_time_with_the_same_start(congress):
    session = Session.objects.get(pk=SessionFactory().pk)

    session.end = at(FIRST_DAY, "15:30")
    session.save()

    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 13:30–15:30", False)
    ]


def test_moving_to_another_venue_and_room_records_both_by_name(congress):
    session = Session.objects.get(pk=SessionFactory(venue__name="Dorpshuis Winsum").pk)
    new_venue = VenueFactory(name="Martiniplaza")

    session.venue = new_venue
    session.room = RoomFactory(venue=new_venue, name="Zaal Groningen")
    session.save()

    assert recorded(session) == [
        ("locatie", "Dorpshuis Winsum", "Martiniplaza", False),
        ("zaal", "–", "Zaal Groningen", False),
    ]


def test_cancelling_a_published_session_records_its_status(congress):
    session = Session.objects.get(pk=SessionFactory().pk)

    session.status = SessionStatus.CANCELLED
    session.save()

    assert recorded(session) == [("status", "Gepubliceerd", "Vervallen", False)]


def test_changes_to_a_draft_are_not_recorded(congress):
    session = SessionFactory(status=SessionStatus.DRAFT)

    move(session, "14:00")

    assert recorded(session) == []


def test_publishing_a_draft_is_not_recorded_as_a_change(congress):
    session = Session.objects.get(pk=SessionFactory(status=SessionStatus.DRAFT).pk)

    session.status = SessionStatus.PUBLISHED
    session.save()

    assert recorded(session) == []


def test_changes_of_a_session_that_was_cancelled_are_still_recorded(congress):
    session = SessionFactory(status=SessionStatus.CANCELLED)

    move(session, "14:00", "17:00")

    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 14:00–17:00", False)
    ]


def test_a_change_marked_minor_is_recorded_as_minor(congress):
    session = SessionFactory()

    move(session, "13:45", "16:45", minor=True)

    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 13:45–16:45", True)
    ]


def test_saving_again_without_changes_records_nothing_more(congress):
    session = move(SessionFactory(), "14:00")

    session.title = "Een nieuwe titel"
    session.save()
    session.save()

    assert (len(recorded(session)), sequence_of(session)) == (1, 1)


def test_edits_other_than_time_place_and_status_keep_the_sequence(congress):
    session = Session.objects.get(pk=SessionFactory().pk)

    session.title = "Andere titel"
    session.summary = "Andere samenvatting."
    session.capacity = 12
    session.save()

    assert (sequence_of(session), recorded(session)) == (0, [])


@pytest.mark.parametrize("field", ["start", "end", "venue", "room", "status"])
def test_every_change_of_time_place_or_status_raises_the_sequence(congress, field):
    created = SessionFactory()
    session = Session.objects.get(pk=created.pk)
    new_values = {
        "start": at(FIRST_DAY, "13:00"),
        "end": at(FIRST_DAY, "17:00"),
        "venue": VenueFactory(),
        "room": RoomFactory(venue=created.venue),
        "status": SessionStatus.CANCELLED,
    }

    setattr(session, field, new_values[field])
    session.save()

    assert sequence_of(session) == 1


def test_draft_changes_raise_the_sequence_too(congress):
    session = SessionFactory(status=SessionStatus.DRAFT)

    move(session, "14:00")
    move(session, "15:00")

    assert sequence_of(session) == 2


def test_saving_only_the_changed_field_still_stores_the_sequence(congress):
    session = Session.objects.get(pk=SessionFactory().pk)

    session.start = at(FIRST_DAY, "13:00")
    session.save(update_fields=["start"])

    assert sequence_of(session) == 1
    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 13:00–16:30", False)
    ]


def test_published_sessions_include_cancelled_ones_but_not_drafts(congress):
    SessionFactory(title="Gaat door")
    SessionFactory(title="Gaat niet door", status=SessionStatus.CANCELLED)
    SessionFactory(title="Nog geheim", status=SessionStatus.DRAFT)

    titles = sorted(Session.objects.published().values_list("title", flat=True))

    assert titles == ["Gaat door", "Gaat niet door"]


def test_programme_sessions_are_marked_changed_only_for_announced_changes(congress):
    move(SessionFactory(slug="verplaatst"), "14:00")
    move(SessionFactory(slug="tikfout"), "13:35", minor=True)
    SessionFactory(slug="ongewijzigd")

    changed = {s.slug: s.is_changed for s in Session.objects.for_programme()}

    assert changed == {"verplaatst": True, "tikfout": False, "ongewijzigd": False}


# The session page and the programme


def test_changed_session_page_shows_each_change_with_old_and_new_value(client, congress):
    session = SessionFactory(slug="verplaatst", venue__name="Dorpshuis Winsum")
    move(session, "14:00", "17:00", when=at(FIRST_DAY - timedelta(days=3), "09:15"))
    session = Session.objects.get(pk=session.pk)
    session.venue = VenueFactory(name="Martiniplaza")
    session.save()
    SessionChange.objects.filter(field="locatie").update(
        changed_at=at(FIRST_DAY - timedelta(days=2), "10:30")
    )

    response = client.get(session_url(session))

    content = response.content.decode()
    assert (
        "<p><strong>Gewijzigd.</strong> Deze sessie is gewijzigd sinds de publicatie:</p>"
    ) in content
    assert re.findall(r'<span class="change-line">(.*?)</span>\s*<span class="small', content) == [
        '<strong>Locatie:</strong> <del><span class="visually-hidden">was </span>'
        'Dorpshuis Winsum</del> → <ins><span class="visually-hidden">wordt </span>'
        "Martiniplaza</ins>",
        '<strong>Tijd:</strong> <del><span class="visually-hidden">was </span>'
        "dinsdag 13 juni 13:30–16:30</del> → <ins><span "
        'class="visually-hidden">wordt </span>dinsdag 13 juni 14:00–17:00</ins>',
    ]
    assert '<span class="small muted">(11 juni, 10:30)</span>' in content


def test_minor_change_is_not_announced_on_the_session_page(client, congress):
    session = move(SessionFactory(), "13:35", minor=True)

    response = client.get(session_url(session))

    assert response.context["changes"] == []
    assert "Gewijzigd." not in response.content.decode()


def test_cancelled_session_page_says_it_is_vervallen(client, congress):
    session = SessionFactory(title="Wandeling", status=SessionStatus.CANCELLED)

    response = client.get(session_url(session))

    content = response.content.decode()
    assert (
        '<div class="notice notice--error" role="note"><p><strong>Vervallen.</strong> '
        "Deze sessie gaat niet door.</p></div>"
    ) in content
    assert '<h1 id="session-title">Wandeling</h1>' in content


def test_cancelled_session_page_offers_no_sign_up(client, congress):
    session = SessionFactory(status=SessionStatus.CANCELLED, start=at(SOON, "13:30"), capacity=10)
    client.force_login(UserFactory())

    response = client.get(session_url(session))

    content = response.content.decode()
    assert (
        '<p class="signup-panel__status">Deze sessie is vervallen; aanmelden kan niet.</p>'
    ) in content
    assert reverse("programme:sign_up", kwargs={"slug": session.slug}) not in content


def test_signing_up_for_a_cancelled_session_is_refused(client, congress):
    session = SessionFactory(status=SessionStatus.CANCELLED, start=at(SOON, "13:30"), capacity=10)
    client.force_login(UserFactory())

    response = client.post(reverse("programme:sign_up", kwargs={"slug": session.slug}), follow=True)

    assert shown_messages(response) == [("error", "Deze sessie is vervallen; aanmelden kan niet.")]
    assert Registration.objects.filter(session=session).count() == 0


def test_programme_shows_cancelled_and_changed_sessions_with_their_badge(client, congress):
    SessionFactory(slug="gaat-niet-door", status=SessionStatus.CANCELLED)
    move(SessionFactory(slug="later"), "15:00")
    move(SessionFactory(slug="tikfout"), "13:35", minor=True)
    SessionFactory(slug="gewoon")

    response = client.get(reverse("programme:list"))

    content = response.content.decode()
    assert card_badges(response, "cancelled") == ["gaat-niet-door"]
    assert card_badges(response, "changed") == ["later"]
    assert '<span class="badge badge--cancelled">Vervallen</span>' in content
    assert '<span class="badge badge--changed">Gewijzigd</span>' in content


# /programma/wijzigingen/


def test_changes_page_lists_announced_changes_newest_first(client, congress):
    move(SessionFactory(title="Eerst verplaatst"), "14:00", when=at(FIRST_DAY, "08:00"))
    move(SessionFactory(title="Laatst verplaatst"), "15:00", when=at(FIRST_DAY, "10:00"))
    move(SessionFactory(title="Daarna verplaatst"), "16:00", when=at(FIRST_DAY, "09:00"))

    response = client.get(CHANGES_URL)

    content = response.content.decode()
    assert change_list_titles(response) == [
        "Laatst verplaatst",
        "Daarna verplaatst",
        "Eerst verplaatst",
    ]
    assert (
        '<time datetime="2023-06-13T10:00:00+02:00">dinsdag 13 juni 2023, 10:00</time>' in content
    )


def test_changes_page_links_each_change_to_its_session_and_marks_cancellation(client, congress):
    session = Session.objects.get(pk=SessionFactory(title="Wandeling", slug="wandeling").pk)
    session.status = SessionStatus.CANCELLED
    session.save()

    response = client.get(CHANGES_URL)

    assert (
        '<p class="change-list__title"><a href="/programma/wandeling/">Wandeling</a> '
        '<span class="badge badge--cancelled">Vervallen</span></p>'
    ) in response.content.decode()


def test_changes_page_leaves_out_minor_changes_drafts_and_other_congresses(client, congress):
    move(SessionFactory(title="Aangekondigd"), "14:00")
    move(SessionFactory(title="Tikfout"), "13:35", minor=True)
    unpublished = move(SessionFactory(title="Teruggetrokken"), "14:00")
    unpublished.status = SessionStatus.DRAFT
    unpublished.save()
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    move(SessionFactory(congress=last_year, title="Vorig jaar"), "14:00")

    response = client.get(CHANGES_URL)

    assert change_list_titles(response) == ["Aangekondigd"]


def test_changes_page_without_changes_says_so(client, congress):
    SessionFactory()

    response = client.get(CHANGES_URL)

    assert (
        '<p class="empty-state">Er zijn nog geen wijzigingen in het gepubliceerde programma.</p>'
    ) in response.content.decode()


def test_changes_page_points_feed_readers_to_the_atom_feed(client, congress):
    response = client.get(CHANGES_URL)

    content = response.content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Wijzigingen in het programma" href="/programma/wijzigingen/feed/">'
    ) in content
    assert (
        '<a href="/programma/wijzigingen/feed/">Volg de wijzigingen in uw feedlezer (Atom)</a>'
    ) in content


@pytest.mark.parametrize("size", [1, 10])
def test_changes_page_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    for _ in range(size):
        move(SessionFactory(), "14:00")

    # congress, changes with their sessions, menu pages
    with django_assert_num_queries(3):
        response = client.get(CHANGES_URL)

    assert len(change_list_titles(response)) == size


# /programma/wijzigingen/feed/


def test_feed_is_atom_with_an_entry_per_announced_change_newest_first(client, congress):
    move(SessionFactory(title="Wandeling", slug="wandeling"), "14:00", when=at(FIRST_DAY, "08:00"))
    cancelled = Session.objects.get(pk=SessionFactory(title="Debat", slug="debat").pk)
    cancelled.status = SessionStatus.CANCELLED
    cancelled.save()

    response = client.get(FEED_URL)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed_entries(response) == [
        {
            "title": "Vervallen: Debat",
            "link": f"{SITE}/programma/debat/",
            "summary": "Status: was Gepubliceerd, wordt Vervallen.",
        },
        {
            "title": "Gewijzigd: Wandeling",
            "link": f"{SITE}/programma/wandeling/",
            "summary": "Tijd: was dinsdag 13 juni 13:30–16:30, wordt dinsdag 13 juni 14:00–17:00.",
        },
    ]


def test_feed_names_the_congress(client, congress):
    response = client.get(FEED_URL)

    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "Wijzigingen in het programma – VNG Jaarcongres 2023"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}{CHANGES_URL}"


def test_feed_leaves_out_minor_changes_drafts_and_other_congresses(client, congress):
    move(SessionFactory(title="Aangekondigd"), "14:00")
    move(SessionFactory(title="Tikfout"), "13:35", minor=True)
    unpublished = move(SessionFactory(title="Teruggetrokken"), "14:00")
    unpublished.status = SessionStatus.DRAFT
    unpublished.save()
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    move(SessionFactory(congress=last_year, title="Vorig jaar"), "14:00")

    response = client.get(FEED_URL)

    assert [entry["title"] for entry in feed_entries(response)] == ["Gewijzigd: Aangekondigd"]


# The back office


def admin_change_url(session):
    return reverse("admin:programme_session_change", args=[session.pk])


def admin_form(client, session):
    data = form_data(client.get(admin_change_url(session)).content.decode(), "session_form")
    data["_save"] = ["Opslaan"]
    return data


def test_session_admin_form_offers_the_kleine_wijziging_checkbox(client, congress):
    session = SessionFactory()
    client.force_login(EditorFactory())

    response = client.get(admin_change_url(session))

    content = response.content.decode()
    assert (
        '<input type="checkbox" name="minor_change" aria-describedby="id_minor_change_helptext" '
        'id="id_minor_change"><label class="vCheckboxLabel" for="id_minor_change">'
        "Kleine wijziging</label>"
    ) in content


def test_moving_a_session_in_the_admin_records_an_announced_change(client, congress):
    session = SessionFactory()
    client.force_login(EditorFactory())
    data = admin_form(client, session)
    data["start_1"] = ["14:00:00"]
    data["end_1"] = ["17:00:00"]

    response = client.post(admin_change_url(session), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 14:00–17:00", False)
    ]
    assert sequence_of(session) == 1


def test_kleine_wijziging_in_the_admin_records_a_minor_change(client, congress):
    session = SessionFactory()
    client.force_login(EditorFactory())
    data = admin_form(client, session)
    data["start_1"] = ["13:45:00"]
    data["minor_change"] = ["on"]

    response = client.post(admin_change_url(session), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert recorded(session) == [
        ("tijd", "dinsdag 13 juni 13:30–16:30", "dinsdag 13 juni 13:45–16:30", True)
    ]
    assert sequence_of(session) == 1


def test_saving_the_admin_form_unchanged_records_nothing(client, congress):
    session = SessionFactory()
    client.force_login(EditorFactory())

    response = client.post(admin_change_url(session), admin_form(client, session))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (recorded(session), sequence_of(session)) == ([], 0)


def test_cancel_action_marks_sessions_vervallen_and_records_it(client, congress):
    sessions = [SessionFactory(), SessionFactory()]
    client.force_login(EditorFactory())

    response = client.post(
        reverse("admin:programme_session_changelist"),
        {"action": "cancel_sessions", "_selected_action": [s.pk for s in sessions]},
        follow=True,
    )

    assert [m.message for m in response.context["messages"]] == ["2 sessie(s) nu: vervallen."]
    assert [recorded(s) for s in sessions] == [[("status", "Gepubliceerd", "Vervallen", False)]] * 2
    assert sorted(Session.objects.values_list("status", "sequence")) == [("vervallen", 1)] * 2


def test_cancel_action_is_offered_as_markeer_als_vervallen(client, congress):
    SessionFactory()
    client.force_login(EditorFactory())

    response = client.get(reverse("admin:programme_session_changelist"))

    assert '<option value="cancel_sessions">Markeer als vervallen</option>' in (
        response.content.decode()
    )


def test_unpublish_and_publish_actions_record_status_changes_of_public_sessions(client, congress):
    session = SessionFactory()
    client.force_login(EditorFactory())
    changelist = reverse("admin:programme_session_changelist")

    client.post(changelist, {"action": "unpublish", "_selected_action": [session.pk]})
    client.post(changelist, {"action": "publish", "_selected_action": [session.pk]})

    # Going back to draft is recorded; publishing a draft again is not a change of a public one.
    assert recorded(session) == [("status", "Gepubliceerd", "Concept", False)]
    assert sequence_of(session) == 2
