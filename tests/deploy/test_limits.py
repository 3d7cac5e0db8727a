"""Limits: request and upload sizes, rate limits on login and sign-up, the admin behind MFA."""

import os
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import EditorFactory, UserFactory, VenueFactory
from venues.models import VenuePhoto

TOO_LARGE = "<h1>Wat u verstuurde is te groot</h1>"
MB = 1024 * 1024


def random_png(width, height):
    """A PNG of noise, which does not compress: about width x height x 3 bytes."""
    buffer = BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, format="PNG", compress_level=0
    )
    return buffer.getvalue()


# Request and upload sizes


def test_a_picture_of_almost_10_mb_can_still_be_uploaded_in_the_admin(client, db):
    venue = VenueFactory()
    image = random_png(1850, 1850)
    assert 10_000_000 < len(image) <= 10 * MB
    client.force_login(EditorFactory())

    response = client.post(
        reverse("admin:venues_venuephoto_add"),
        {
            "venue": venue.pk,
            "image": SimpleUploadedFile("zaal.png", image, content_type="image/png"),
            "alt_text": "De zaal",
            "caption": "",
            "credit": "Foto: VNG",
            "order": 0,
            "_save": "Opslaan",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert VenuePhoto.objects.get().alt_text == "De zaal"


def test_a_body_over_the_limit_gets_a_dutch_413_page_before_it_is_read(client, db, settings):
    body = b"x" * (settings.MAX_REQUEST_BODY_SIZE + 1)

    response = client.generic(
        "POST", "/beheer/venues/venuephoto/add/", body, content_type="multipart/form-data"
    )

    content = response.content.decode()
    assert settings.MAX_REQUEST_BODY_SIZE == 30 * MB
    assert response.status_code == 413
    assert TOO_LARGE in content
    assert "hoogstens 30 MB" in content
    assert '<html lang="nl">' in content


def test_too_much_form_data_gets_the_413_page(client, db):
    response = client.post("/account/login/", {"login": "x" * (3 * MB), "password": "y"})

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


def test_too_many_form_fields_get_the_413_page(client, db):
    fields = {f"veld{number}": "1" for number in range(2001)}

    response = client.post("/account/login/", fields)

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


# Rate limits (django-allauth's, counted in the cache: Redis in production)


def signup(number):
    return {
        "email": f"raadslid{number}@gemeente.example",
        "password1": "een-lang-wachtwoord",
        "password2": "een-lang-wachtwoord",
        "first_name": "Anne",
        "last_name": "de Vries",
        "municipality": "Het Hogeland",
        "role": "raadslid",
    }


def test_sign_up_is_limited_to_20_a_minute_from_one_address(client, congress):
    accepted = [client.post("/account/signup/", signup(number)) for number in range(20)]

    response = client.post("/account/signup/", signup(20))

    assert {answer.status_code for answer in accepted} == {302}
    assert response.status_code == 429
    assert "<h1>Te veel pogingen achter elkaar</h1>" in response.content.decode()


def test_failed_logins_from_one_address_are_limited_whatever_the_account(client, congress):
    UserFactory(email="griffier@gemeente.nl")
    for number in range(10):
        client.post("/account/login/", {"login": f"iemand{number}@gemeente.nl", "password": "x"})

    response = client.post(
        "/account/login/", {"login": "griffier@gemeente.nl", "password": "een-lang-wachtwoord"}
    )

    assert "Te veel inlogpogingen. Probeer het later nogmaals." in response.content.decode()
    assert "_auth_user_id" not in client.session


# The admin: only through allauth's login, and only with the second factor


def test_the_admin_has_no_login_form_of_its_own(client, db):
    response = client.post("/beheer/login/?next=/beheer/", {"username": "a@b.nl", "password": "x"})

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fbeheer%2F"


def test_an_editor_with_a_password_alone_does_not_reach_the_admin(client, congress):
    EditorFactory(email="redacteur@vng.nl")

    login = client.post(
        "/account/login/?next=/beheer/",
        {"login": "redacteur@vng.nl", "password": "een-lang-wachtwoord"},
    )
    admin = client.get("/beheer/")

    assert login["Location"] == "/account/2fa/authenticate/"
    assert admin.status_code == 302
    assert admin["Location"].startswith("/beheer/login/")
