"""The back office at /beheer/: editors in "Redactie" edit all congress content and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from congress.editors import CONTENT_MODELS
from congress.models import PublicationStatus
from programme.models import Session
from tests.factories import (
    EditorFactory,
    PageFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenuePhotoFactory,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(congress):
    """One object of every content model, all of the current congress."""
    session = SessionFactory(congress=congress)
    session.room = RoomFactory(venue=session.venue)
    session.save()
    session.themes.add(ThemeFactory(congress=congress))
    link = SessionSpeakerFactory(session=session)
    return {
        "congress": congress,
        "theme": session.themes.get(),
        "page": PageFactory(congress=congress),
        "venue": session.venue,
        "room": session.room,
        "venuephoto": VenuePhotoFactory(venue=session.venue),
        "session": session,
        "speaker": link.speaker,
        "sessionspeaker": link,
    }


def admin_url(obj, action):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{action}", args=[obj.pk])


def test_editor_group_holds_exactly_the_content_permissions():
    group = Group.objects.get(name="Redactie")

    codenames = sorted(group.permissions.values_list("content_type__app_label", "codename"))

    expected = sorted(
        (app_label, f"{action}_{model}")
        for app_label, models in CONTENT_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ) + [
        ("programme", "change_registration"),
        ("programme", "view_registration"),
        ("programme", "change_sessionchange"),
        ("programme", "view_sessionchange"),
    ]
    assert codenames == sorted(expected)


@pytest.mark.parametrize(
    "model_name",
    [
        "congress",
        "theme",
        "page",
        "venue",
        "room",
        "venuephoto",
        "session",
        "speaker",
        "sessionspeaker",
    ],
)
def test_editor_can_open_and_save_every_content_change_form(client, content, model_name):
    obj = content[model_name]
    client.force_login(EditorFactory())
    change_url = admin_url(obj, "change")

    form_page = client.get(change_url)
    data = form_data(form_page.content.decode(), f"{obj._meta.model_name}_form")
    data["_save"] = ["Opslaan"]
    response = client.post(change_url, data)

    assert form_page.status_code == 200
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    assert response["Location"] == reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/accounts/user/",
        "/beheer/accounts/user/add/",
        "/beheer/auth/group/",
        "/beheer/auth/group/add/",
    ],
)
def test_editor_cannot_reach_user_management(client, path):
    client.force_login(EditorFactory())

    response = client.get(path)

    assert response.status_code == 403


def test_editor_admin_index_lists_content_but_not_users(client, content):
    client.force_login(EditorFactory())

    response = client.get(reverse("admin:index"))

    app_labels = sorted(app["app_label"] for app in response.context["app_list"])
    assert app_labels == ["congress", "programme", "venues"]


def test_admin_sends_visitors_to_the_allauth_login_page(client):
    response = client.get("/beheer/")
    login = client.get("/beheer/login/?next=/beheer/")

    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")
    assert login.status_code == 302
    assert login["Location"] == "/account/login/?next=%2Fbeheer%2F"


def test_admin_refuses_a_logged_in_attendee(client):
    client.force_login(UserFactory())

    response = client.get("/beheer/login/?next=/beheer/")

    assert response.status_code == 403


def test_publish_and_unpublish_actions_change_the_status(client, congress):
    drafts = [SessionFactory(status=PublicationStatus.DRAFT) for _ in range(2)]
    client.force_login(EditorFactory())
    changelist = reverse("admin:programme_session_changelist")

    client.post(
        changelist, {"action": "publish", "_selected_action": [s.pk for s in drafts]}, follow=True
    )
    published = sorted(Session.objects.values_list("status", flat=True))
    client.post(changelist, {"action": "unpublish", "_selected_action": [drafts[0].pk]})

    assert published == ["gepubliceerd", "gepubliceerd"]
    assert sorted(Session.objects.values_list("status", flat=True)) == ["concept", "gepubliceerd"]


def test_session_change_form_rejects_a_room_of_another_venue(client, content):
    session = content["session"]
    other_room = RoomFactory(venue=VenuePhotoFactory().venue)
    client.force_login(EditorFactory())
    change_url = admin_url(session, "change")
    data = form_data(client.get(change_url).content.decode(), "session_form")
    data["room"] = [str(other_room.pk)]

    response = client.post(change_url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["room"] == ["Deze zaal hoort niet bij de gekozen locatie."]


def test_session_admin_offers_view_on_site(client, content):
    client.force_login(EditorFactory())

    response = client.get(admin_url(content["session"], "change"))

    assert "/r/" in response.content.decode()  # Django's "Bekijk op site" redirect


@pytest.mark.parametrize("size", [1, 10])
def test_session_changelist_query_count_is_fixed(client, congress, django_assert_num_queries, size):
    editor = EditorFactory()
    client.force_login(editor)
    for _ in range(size):
        SessionSpeakerFactory(session=SessionFactory(room=None))

    with django_assert_num_queries(12):
        response = client.get(reverse("admin:programme_session_changelist"))

    assert response.context["cl"].result_count == size
