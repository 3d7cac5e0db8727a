"""Roles in /beheer/: the Redactie edits everything; a Sessiehouder only the sessions they host."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from programme.models import Session, SessionSpeaker, SessionStatus
from tests.factories import (
    EditorFactory,
    HostFactory,
    PageFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
    VenuePhotoFactory,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(session):
    return reverse("admin:programme_session_change", args=[session.pk])


def attendees_url(session):
    return reverse("admin:programme_session_attendees", args=[session.pk])


@pytest.fixture
def own(congress):
    """The session the Sessiehouder hosts, with one person signed up."""
    session = SessionFactory(congress=congress, title="Eigen sessie", summary="Oud.")
    RegistrationFactory(session=session, user=UserFactory(first_name="Anna", last_name="Bos"))
    return session


@pytest.fixture
def other(congress):
    return SessionFactory(congress=congress, title="Andermans sessie")


@pytest.fixture
def host(client, own):
    host = HostFactory(sessions=[own])
    client.force_login(host)
    return host


def test_the_host_group_holds_exactly_the_host_permission():
    group = Group.objects.get(name="Sessiehouder")

    codenames = sorted(group.permissions.values_list("content_type__app_label", "codename"))

    assert codenames == [("programme", "host_session")]


def test_editable_by_gives_editors_every_session_and_hosts_their_own(own, other):
    host = HostFactory(sessions=[own])

    assert set(Session.objects.editable_by(EditorFactory())) == {own, other}
    assert list(Session.objects.editable_by(host)) == [own]
    assert list(Session.objects.editable_by(UserFactory())) == []


def test_host_changes_the_summary_of_their_session(client, host, own):
    url = change_url(own)
    page = client.get(url)
    data = form_data(page.content.decode(), "session_form")
    data["summary"] = ["Nieuwe samenvatting."]
    data["_save"] = ["Opslaan"]

    response = client.post(url, data)

    own.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    assert own.summary == "Nieuwe samenvatting."
    assert own.history.latest().history_user == host


def test_host_form_offers_only_the_content_fields(client, host, own):
    response = client.get(change_url(own))

    form = response.context["adminform"].form
    assert sorted(form.fields) == ["description", "summary"]
    assert [formset.formset.prefix for formset in response.context["inline_admin_formsets"]] == [
        "session_speakers",
        "registrations",
    ]


def test_host_cannot_publish_change_the_time_or_the_hosts(client, host, own):
    own.status = SessionStatus.DRAFT
    own.save()
    start = own.start
    url = change_url(own)
    data = form_data(client.get(url).content.decode(), "session_form")
    data.update(
        status=["gepubliceerd"],
        start_0=["14-06-2023"],
        hosts=[str(UserFactory().pk)],
        capacity=["500"],
        _save=["Opslaan"],
    )

    client.post(url, data)

    own.refresh_from_db()
    assert (own.status, own.start, own.capacity) == (SessionStatus.DRAFT, start, 40)
    assert list(own.hosts.all()) == [host]


def test_host_gets_no_publish_actions(client, host, own):
    own.status = SessionStatus.DRAFT
    own.save()

    response = client.post(
        reverse("admin:programme_session_changelist"),
        {"action": "publish", "_selected_action": [own.pk]},
    )

    own.refresh_from_db()
    assert response.context["action_form"] is None
    assert own.status == SessionStatus.DRAFT


def test_host_adds_a_speaker_to_their_session(client, host, own):
    speaker = SpeakerFactory(congress=own.congress)
    url = change_url(own)
    data = form_data(client.get(url).content.decode(), "session_form")
    data.update(
        {
            "session_speakers-TOTAL_FORMS": ["1"],
            "session_speakers-0-speaker": [str(speaker.pk)],
            "session_speakers-0-role": ["spreker"],
            "session_speakers-0-order": ["0"],
            "_save": ["Opslaan"],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(SessionSpeaker.objects.filter(session=own).values_list("speaker", flat=True)) == [
        speaker.pk
    ]


def test_host_downloads_the_attendee_list_of_their_session(client, host, own):
    response = client.get(attendees_url(own))

    assert response.status_code == 200
    assert "Anna Bos" in response.content.decode("utf-8-sig")


def test_host_sees_who_signed_up_in_the_session_form(client, host, own):
    response = client.get(change_url(own))

    registrations = response.context["inline_admin_formsets"][1].formset.queryset
    assert [r.user.get_full_name() for r in registrations] == ["Anna Bos"]


def test_host_sees_only_their_own_sessions_in_the_list(client, host, own, other):
    response = client.get(reverse("admin:programme_session_changelist"))

    assert list(response.context["cl"].result_list) == [own]


@pytest.mark.parametrize(
    "url_of",
    [
        change_url,
        attendees_url,
        lambda s: reverse("admin:programme_session_history", args=[s.pk]),
        lambda s: reverse("admin:programme_session_delete", args=[s.pk]),
    ],
    ids=["change", "attendees", "history", "delete"],
)
def test_host_cannot_open_another_session(client, host, other, url_of):
    response = client.get(url_of(other))

    assert response.status_code in (403, 404)


def test_host_has_no_history_and_cannot_restore_a_version(client, host, own):
    version = own.history.earliest()
    version_url = reverse("admin:programme_session_simple_history", args=[own.pk, version.pk])

    history = client.get(reverse("admin:programme_session_history", args=[own.pk]))
    restore = client.post(version_url, {"summary": "Terug", "_save": "Terugzetten"})
    form = client.get(change_url(own))

    assert (history.status_code, restore.status_code) == (403, 403)
    assert 'class="historylink"' not in form.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/programme/session/add/",
        "/beheer/programme/speaker/",
        "/beheer/programme/sessionspeaker/",
        "/beheer/programme/registration/",
        "/beheer/venues/venue/",
        "/beheer/venues/room/",
        "/beheer/venues/venuephoto/",
        "/beheer/congress/congress/",
        "/beheer/congress/page/",
        "/beheer/congress/theme/",
        "/beheer/accounts/user/",
        "/beheer/auth/group/",
    ],
)
def test_host_cannot_reach_anything_else(client, host, path):
    response = client.get(path)

    assert response.status_code == 403


def test_host_cannot_open_the_pages_of_other_content(client, host, own):
    page = PageFactory(congress=own.congress)
    photo = VenuePhotoFactory(venue=own.venue)
    urls = [
        reverse("admin:congress_page_change", args=[page.pk]),
        reverse("admin:venues_venue_change", args=[own.venue.pk]),
        reverse("admin:venues_venuephoto_change", args=[photo.pk]),
        reverse("admin:congress_congress_change", args=[own.congress.pk]),
        reverse("admin:accounts_user_change", args=[host.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [403] * len(urls)


def test_host_cannot_search_speakers_through_the_autocomplete(client, host):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "programme", "model_name": "sessionspeaker", "field_name": "speaker"},
    )

    assert response.status_code == 403


def test_host_admin_index_shows_only_sessions(client, host):
    response = client.get(reverse("admin:index"))

    models = [
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    ]
    assert models == [("programme", "Session")]


def test_host_without_two_factor_is_sent_to_set_it_up(client, own):
    client.force_login(HostFactory(sessions=[own], two_factor=False))

    response = client.get(change_url(own))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_host_removed_from_the_group_loses_their_sessions(client, host, own):
    host.groups.clear()

    response = client.get(change_url(own))

    assert response.status_code == 403


# -- the Redactie ------------------------------------------------------------------------------


def test_editor_makes_a_host_of_a_session(client, own):
    host = HostFactory()
    UserFactory()  # not in the group: not offered
    client.force_login(EditorFactory())
    url = change_url(own)
    page = client.get(url)
    data = form_data(page.content.decode(), "session_form")
    data["hosts"] = [str(host.pk)]
    data["_save"] = ["Opslaan"]

    response = client.post(url, data)

    assert list(page.context["adminform"].form.fields["hosts"].queryset) == [host]
    assert response.status_code == 302
    assert list(own.hosts.all()) == [host]
    assert list(own.history.latest().hosts.values_list("user_id", flat=True)) == [host.pk]


def test_editor_still_sees_and_changes_every_session(client, own, other):
    client.force_login(EditorFactory())

    changelist = client.get(reverse("admin:programme_session_changelist"))
    form = client.get(change_url(other))

    assert set(changelist.context["cl"].result_list) == {own, other}
    actions = {name for name, _label in changelist.context["action_form"].fields["action"].choices}
    assert {"publish", "unpublish", "cancel_sessions", "delete_selected"} <= actions
    assert "status" in form.context["adminform"].form.fields
    assert 'class="historylink"' in form.content.decode()


def test_editor_downloads_any_attendee_list(client, own):
    client.force_login(EditorFactory())

    response = client.get(attendees_url(own))

    assert response.status_code == 200
    assert "Anna Bos" in response.content.decode("utf-8-sig")
