import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["%00", "abc", "a" * 65, "..%2F..%2Fetc", "é" * 20])
def test_malformed_calendar_tokens_are_not_found(client, congress, token):
    UserFactory()

    response = client.get(f"/mijn-programma/{token}.ics")

    assert response.status_code == 404


def test_post_without_csrf_token_gets_the_dutch_expired_form_page(congress):
    from django.test import Client

    from tests.factories import SessionFactory

    session = SessionFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())

    response = browser.post(f"/mijn-programma/toevoegen/{session.slug}/")

    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
