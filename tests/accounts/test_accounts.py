import pytest
from django.contrib.auth import get_user_model
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


def test_signup_creates_an_account_with_the_email_as_login(client):
    response = client.post(
        "/account/signup/",
        {
            "email": "raadslid@gemeente.nl",
            "password1": "Groningen-2023!",
            "password2": "Groningen-2023!",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="raadslid@gemeente.nl").count() == 1


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
