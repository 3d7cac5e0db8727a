"""The account page: profile, calendar address, data download, deleting the account, staff 2FA."""

import json
import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from accounts.middleware import has_two_factor
from programme.models import Favourite, Registration, RegistrationStatus
from tests.factories import (
    FIRST_DAY,
    EditorFactory,
    FavouriteFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

PROFILE = "/account/profiel/"
PROFILE_DATA = {
    "first_name": "Anne",
    "last_name": "de Vries",
    "municipality": "Het Hogeland",
    "role": "raadslid",
}


def shown_messages(response):
    return re.findall(
        r'<li class="message message--(\w+)">(.*?)</li>', response.content.decode(), re.S
    )


# The profile


def test_profile_needs_a_login(client):
    response = client.get(PROFILE)

    assert response["Location"] == "/account/login/?next=/account/profiel/"


def test_profile_page_shows_my_profile(client):
    client.force_login(UserFactory(first_name="Anne", municipality="Het Hogeland", role="raadslid"))

    response = client.get(PROFILE)

    content = response.content.decode()
    assert response.context["form"].initial["municipality"] == "Het Hogeland"
    assert 'name="first_name" value="Anne"' in content
    assert '<option value="Het Hogeland" selected>Het Hogeland</option>' in content
    assert '<option value="raadslid" selected>Raadslid</option>' in content
    assert 'class="site-header"' in content


def test_profile_offers_the_342_municipalities(client):
    client.force_login(UserFactory())

    response = client.get(PROFILE)

    choices = response.context["form"].fields["municipality"].choices
    assert len([value for value, label in choices if value]) == 342


def test_profile_saves_the_changes_and_says_so(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(PROFILE, PROFILE_DATA, follow=True)

    user.refresh_from_db()
    assert response.redirect_chain == [(PROFILE, 302)]
    assert shown_messages(response) == [("success", "Uw gegevens zijn opgeslagen.")]
    assert (user.first_name, user.last_name, user.municipality, user.role) == (
        "Anne",
        "de Vries",
        "Het Hogeland",
        "raadslid",
    )


def test_profile_may_leave_the_municipality_empty(client):
    user = UserFactory(municipality="Groningen")
    client.force_login(user)

    client.post(PROFILE, {**PROFILE_DATA, "municipality": ""})

    user.refresh_from_db()
    assert user.municipality == ""


def test_profile_refuses_an_unknown_municipality_in_dutch(client):
    user = UserFactory(municipality="Groningen")
    client.force_login(user)

    response = client.post(PROFILE, {**PROFILE_DATA, "municipality": "Atlantis"})

    user.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "municipality": ["Selecteer een geldige keuze. Atlantis is geen beschikbare keuze."]
    }
    assert (
        "<li>Selecteer een geldige keuze. Atlantis is geen beschikbare keuze.</li>"
        in response.content.decode()
    )
    assert user.municipality == "Groningen"


def test_profile_refuses_a_municipality_merged_away_before_2023(client):
    client.force_login(UserFactory())

    response = client.post(PROFILE, {**PROFILE_DATA, "municipality": "Weesp"})

    assert response.context["form"].errors["municipality"] == [
        "Selecteer een geldige keuze. Weesp is geen beschikbare keuze."
    ]


# The calendar address


def test_profile_shows_my_calendar_address(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(PROFILE)

    assert (
        f'value="http://testserver/mijn-programma/{user.calendar_token}.ics"'
        in response.content.decode()
    )


def test_renewing_the_calendar_address_retires_the_old_one(client, congress):
    user = UserFactory()
    FavouriteFactory(user=user, session=SessionFactory(title="Gekozen"))
    old_url = f"/mijn-programma/{user.calendar_token}.ics"
    client.force_login(user)

    response = client.post("/account/profiel/agenda-vernieuwen/", follow=True)

    user.refresh_from_db()
    new_url = f"/mijn-programma/{user.calendar_token}.ics"
    assert new_url != old_url
    assert response.redirect_chain == [(PROFILE, 302)]
    assert shown_messages(response) == [
        (
            "success",
            "Uw agenda-adres is vernieuwd. Het oude adres werkt niet meer; abonneer u opnieuw met "
            "het nieuwe adres.",
        )
    ]
    assert f'value="http://testserver{new_url}"' in response.content.decode()
    assert client.get(old_url).status_code == 404
    new_feed = client.get(new_url)
    assert (new_feed.status_code, b"SUMMARY:Gekozen" in new_feed.content) == (200, True)


def test_renewing_the_calendar_address_needs_a_post(client):
    user = UserFactory()
    token = user.calendar_token
    client.force_login(user)

    response = client.get("/account/profiel/agenda-vernieuwen/")

    user.refresh_from_db()
    assert (response.status_code, user.calendar_token) == (405, token)


# My data


def test_data_download_holds_my_account_programme_and_registrations(client, congress):
    user = UserFactory(
        email="raadslid@gemeente.example",
        first_name="Anne",
        last_name="de Vries",
        municipality="Het Hogeland",
        role="raadslid",
    )
    FavouriteFactory(user=user, session=SessionFactory(title="Gekozen"))
    RegistrationFactory(user=user, session=SessionFactory(title="Aangemeld"))
    RegistrationFactory(
        user=user, session=SessionFactory(title="Vol"), status=RegistrationStatus.WAITLISTED
    )
    FavouriteFactory(session=SessionFactory(title="Van een ander"))
    client.force_login(user)

    response = client.get("/account/profiel/mijn-gegevens.json")

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mijn-gegevens-{timezone.localdate().isoformat()}.json"'
    )
    account = data["account"]
    assert (
        account["e-mailadres"],
        account["voornaam"],
        account["achternaam"],
        account["gemeente"],
        account["functie"],
    ) == ("raadslid@gemeente.example", "Anne", "de Vries", "Het Hogeland", "Raadslid")
    assert data["e-mailadressen"] == [
        {"adres": "raadslid@gemeente.example", "bevestigd": True, "primair": True}
    ]
    assert [favourite["sessie"] for favourite in data["mijn_programma"]] == ["Gekozen"]
    assert sorted(
        (registration["sessie"], registration["status"]) for registration in data["aanmeldingen"]
    ) == [("Aangemeld", "Plaats bevestigd"), ("Vol", "Op de wachtlijst")]


def test_data_download_needs_a_login(client):
    response = client.get("/account/profiel/mijn-gegevens.json")

    assert response["Location"] == "/account/login/?next=/account/profiel/mijn-gegevens.json"


# Deleting the account


def test_delete_page_asks_to_type_the_email_address(client):
    client.force_login(UserFactory(email="raadslid@gemeente.example"))

    response = client.get("/account/profiel/verwijderen/")

    assert (
        '<label for="bevestig">Typ ter bevestiging uw e-mailadres: raadslid@gemeente.example'
        "</label>"
    ) in response.content.decode()


def test_delete_with_a_wrong_confirmation_keeps_the_account(client):
    user = UserFactory(email="raadslid@gemeente.example")
    client.force_login(user)

    response = client.post("/account/profiel/verwijderen/", {"bevestig": "iemand@anders.example"})

    assert response.status_code == 400
    assert shown_messages(response) == [
        ("error", "Typ uw e-mailadres precies zoals het hier staat om te bevestigen.")
    ]
    assert User.objects.filter(pk=user.pk).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_delete_removes_the_account_logs_out_and_passes_my_place_on(
    client, congress, django_capture_on_commit_callbacks
):
    soon = timezone.localdate() + timedelta(days=14)
    session = SessionFactory(title="Wandeling door Beijum", start=at(soon, "13:30"), capacity=1)
    user = UserFactory(email="vertrekt@gemeente.example")
    RegistrationFactory(session=session, user=user)
    FavouriteFactory(session=session, user=user)
    first = RegistrationFactory(
        session=session,
        user=UserFactory(email="eerste@gemeente.example"),
        status=RegistrationStatus.WAITLISTED,
        created_at=at(FIRST_DAY - timedelta(days=10), "09:00"),
    )
    RegistrationFactory(
        session=session,
        user=UserFactory(email="tweede@gemeente.example"),
        status=RegistrationStatus.WAITLISTED,
        created_at=at(FIRST_DAY - timedelta(days=9), "09:00"),
    )
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/profiel/verwijderen/", {"bevestig": "vertrekt@gemeente.example"}
        )
    home = client.get(response["Location"])

    first.refresh_from_db()
    assert response["Location"] == "/"
    assert shown_messages(home) == [("success", "Uw account en al uw gegevens zijn verwijderd.")]
    assert User.objects.filter(email="vertrekt@gemeente.example").exists() is False
    assert "_auth_user_id" not in client.session
    assert (Registration.objects.filter(user=user).count(), Favourite.objects.count()) == (0, 0)
    assert first.status == RegistrationStatus.CONFIRMED
    assert sorted(
        Registration.objects.filter(session=session).values_list("user__email", "status")
    ) == [
        ("eerste@gemeente.example", RegistrationStatus.CONFIRMED),
        ("tweede@gemeente.example", RegistrationStatus.WAITLISTED),
    ]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (
            ["eerste@gemeente.example"],
            "U heeft een plaats bij ‘Wandeling door Beijum’",
        )
    ]


def test_delete_needs_a_login(client):
    response = client.post("/account/profiel/verwijderen/", {"bevestig": "x@y.example"})

    assert response["Location"] == "/account/login/?next=/account/profiel/verwijderen/"


# Two-factor authentication for staff

TOTP_REQUIRED = (
    "Voor het beheer is tweestapsverificatie verplicht. Stel die eerst in met een "
    "authenticator-app; daarna komt u in het beheer."
)


def test_editor_without_two_factor_is_sent_to_set_it_up(client):
    client.force_login(EditorFactory(two_factor=False))

    response = client.get("/beheer/")

    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/totp/activate/?next=/beheer/"


@pytest.mark.parametrize("path", ["/beheer/programme/session/", "/beheer/programme/registration/"])
def test_editor_without_two_factor_reaches_no_admin_page(client, path):
    client.force_login(EditorFactory(two_factor=False))

    response = client.get(path)

    assert response["Location"] == f"/account/2fa/totp/activate/?next={path}"


def test_editor_without_two_factor_is_told_why_before_the_set_up(client):
    client.force_login(EditorFactory(two_factor=False))

    response = client.get("/beheer/", follow=True)

    # allauth asks for the password once more before any change to two-factor authentication.
    assert response.redirect_chain == [
        ("/account/2fa/totp/activate/?next=/beheer/", 302),
        (
            "/account/reauthenticate/"
            "?next=%2Faccount%2F2fa%2Ftotp%2Factivate%2F%3Fnext%3D%252Fbeheer%252F",
            302,
        ),
    ]
    assert shown_messages(response) == [("warning", TOTP_REQUIRED)]
    assert 'class="site-header"' in response.content.decode()


def test_totp_set_up_page_renders_in_the_site_layout(client):
    client.force_login(EditorFactory(two_factor=False))
    reauthenticate = client.get("/beheer/", follow=True).redirect_chain[-1][0]

    response = client.post(reauthenticate, {"password": "een-lang-wachtwoord"}, follow=True)

    content = response.content.decode()
    assert response.redirect_chain == [("/account/2fa/totp/activate/?next=%2Fbeheer%2F", 302)]
    assert response.status_code == 200
    assert 'class="site-header"' in content
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in content
    assert 'name="code"' in content


def test_editor_who_sets_up_two_factor_gets_into_the_admin(client):
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
    )

    editor = EditorFactory(two_factor=False)
    client.force_login(editor)
    reauthenticate = client.get("/beheer/", follow=True).redirect_chain[-1][0]
    set_up = client.post(reauthenticate, {"password": "een-lang-wachtwoord"}, follow=True)
    secret = client.session[SECRET_SESSION_KEY]  # what the QR code on the page holds
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    client.post(set_up.redirect_chain[-1][0], {"code": code})
    response = client.get("/beheer/")

    assert has_two_factor(editor) is True
    assert response.status_code == 200
    assert response.context["site_header"] == "Beheer VNG Jaarcongres"


def test_editor_with_two_factor_gets_into_the_admin(client):
    client.force_login(EditorFactory())

    response = client.get("/beheer/")

    assert response.status_code == 200
    assert response.context["site_header"] == "Beheer VNG Jaarcongres"
    assert TOTP_REQUIRED not in response.content.decode()


def test_attendee_without_two_factor_may_use_the_rest_of_the_site(client):
    client.force_login(UserFactory())

    response = client.get(PROFILE)

    assert (response.status_code, shown_messages(response)) == (200, [])
