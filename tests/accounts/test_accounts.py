import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_user_logs_in_with_email_and_has_no_username():
    user = User.objects.create_user(email="Wethouder@Gemeente.NL", password="een-lang-wachtwoord")

    assert (User.USERNAME_FIELD, user.email, str(user)) == (
        "email",
        "Wethouder@gemeente.nl",
        "Wethouder@gemeente.nl",
    )
    assert not hasattr(user, "username")


def test_email_is_unique_regardless_of_case():
    UserFactory(email="griffier@gemeente.nl")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="GRIFFIER@gemeente.nl")


def test_superuser_has_staff_and_superuser_flags():
    admin = User.objects.create_superuser(email="beheer@vng.nl", password="een-lang-wachtwoord")

    assert (admin.is_staff, admin.is_superuser) == (True, True)


def test_signup_page_asks_for_email_and_password_in_dutch(client):
    response = client.get("/account/signup/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in content
    assert 'name="username"' not in content
    assert "Registreren" in content
    assert 'class="site-header"' in content  # allauth pages carry the site's own layout


SIGNUP = {
    "email": "raadslid@gemeente.nl",
    "password1": "Groningen-2023!",
    "password2": "Groningen-2023!",
    "first_name": "Anne",
    "last_name": "de Vries",
    "municipality": "Het Hogeland",
    "role": "raadslid",
}


def test_signup_keeps_the_profile_and_asks_to_verify_the_email(client):
    response = client.post("/account/signup/", SIGNUP)

    user = User.objects.get(email="raadslid@gemeente.nl")
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert (user.first_name, user.last_name, user.municipality, user.role) == (
        "Anne",
        "de Vries",
        "Het Hogeland",
        "raadslid",
    )
    assert "_auth_user_id" not in client.session  # not logged in before verifying
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["raadslid@gemeente.nl"]


def test_verification_link_confirms_the_address_and_logs_in(client):
    client.post("/account/signup/", SIGNUP)
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]

    page = client.get(path)
    response = client.post(path)

    assert page.status_code == 200
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="raadslid@gemeente.nl").verified is True
    assert client.session["_auth_user_id"]


def test_unverified_account_cannot_log_in(client):
    UserFactory(email="nog@niet.nl", verified_email=False)

    response = client.post(
        "/account/login/", {"login": "nog@niet.nl", "password": "een-lang-wachtwoord"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_signup_offers_the_342_municipalities_of_2023(client):
    response = client.get("/account/signup/")

    choices = response.context["form"].fields["municipality"].choices
    names = [value for value, label in choices if value]
    assert len(names) == 342
    assert {"Groningen", "Het Hogeland", "Voorne aan Zee", "Súdwest-Fryslân"} <= set(names)
    assert "Weesp" not in names


def test_signup_refuses_an_unknown_municipality_in_dutch(client):
    response = client.post("/account/signup/", {**SIGNUP, "municipality": "Atlantis"})

    assert response.status_code == 200
    assert response.context["form"].errors["municipality"] == [
        "Selecteer een geldige keuze. Atlantis is geen beschikbare keuze."
    ]
    assert User.objects.count() == 0


def test_login_with_email_and_password(client):
    UserFactory(email="burgemeester@gemeente.nl")

    response = client.post(
        "/account/login/", {"login": "burgemeester@gemeente.nl", "password": "een-lang-wachtwoord"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_failed_login_shows_a_dutch_error_on_the_form(client):
    UserFactory(email="burgemeester@gemeente.nl")

    response = client.post(
        "/account/login/", {"login": "burgemeester@gemeente.nl", "password": "fout"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "e-mailadres en/of wachtwoord is niet correct" in content


def test_password_reset_page_is_in_the_site_layout(client):
    response = client.get("/account/password/reset/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Wachtwoord vergeten?" in content or "Wachtwoord opnieuw instellen" in content
    assert 'href="#inhoud"' in content


def test_logout_asks_for_confirmation_and_logs_out_on_post(client):
    client.force_login(UserFactory())

    page = client.get("/account/logout/")
    response = client.post("/account/logout/")

    assert page.status_code == 200
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_slowed_with_a_dutch_message(client):
    UserFactory(email="wethouder@gemeente.nl")
    for _ in range(5):
        client.post("/account/login/", {"login": "wethouder@gemeente.nl", "password": "fout"})

    response = client.post(
        "/account/login/", {"login": "wethouder@gemeente.nl", "password": "een-lang-wachtwoord"}
    )

    assert "Te veel inlogpogingen. Probeer het later nogmaals." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_mail_goes_to_the_console_without_smtp_settings():
    from django.conf import settings

    assert settings.EMAIL_BACKEND in {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",  # Django's test runner swaps it
    }
