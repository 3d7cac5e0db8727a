"""Chromium against the site in gunicorn over https, as the site is checked for real.

gunicorn terminates TLS itself with a self-signed certificate (the browser is told to accept it),
and the site runs in production mode: secure cookies, HSTS, hashed static files are not needed
but every security header is on. Sign-up, login, a sign-up for a session (a CSRF-protected post),
the admin behind its second factor and the stylesheet all have to work.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.deploy.servers import demo_site_over_tls, totp_code

from .conftest import DESKTOP
from .helpers import path_of

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_site_over_tls(tmp_path_factory.mktemp("browser-tls")) as server:
        yield server


@pytest.fixture
def page(site, browser):
    """A fresh Chromium window on the gunicorn site, accepting its self-signed certificate."""
    context = browser.new_context(
        viewport=DESKTOP,
        base_url=site.url,
        ignore_https_errors=True,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    page = context.new_page()
    page.refused = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            page.refused.append(message.text)

    page.on("console", on_console)
    yield page
    context.close()


def log_in(page, email):
    page.goto("/account/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form[action='/account/login/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_an_attendee_signs_up_logs_in_and_takes_a_place_over_https(site, page):
    page.goto("/")
    header_colour = page.locator(".site-header").evaluate(
        "header => getComputedStyle(header).backgroundColor"
    )

    page.goto("/account/signup/")
    page.locator("#id_email").fill("wethouder@gemeente.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_first_name").fill("Sanne")
    page.locator("#id_last_name").fill("Bakker")
    page.locator("#id_municipality").select_option("Groningen")
    page.locator("#id_role").select_option(index=1)
    page.locator("form[action='/account/signup/'] button[type=submit]").click()
    page.wait_for_url("**/account/confirm-email/")

    log_in(page, "raadslid@gemeente.example")
    expect(page.get_by_role("link", name="Uitloggen")).to_be_visible()
    page.goto("/programma/?soort=middagsessie")
    page.locator(".session-card__title a").first.click()
    page.locator("form[action$='/aanmelden/'] button").click()
    page.wait_for_load_state()

    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert header_colour not in {"", "rgba(0, 0, 0, 0)"}  # the stylesheet was loaded and applied
    expect(page.locator(".messages")).to_contain_text(re.compile("aangemeld|wachtlijst"))
    assert (cookies["sessionid"]["secure"], cookies["sessionid"]["httpOnly"]) == (True, True)
    assert (cookies["csrftoken"]["secure"], cookies["csrftoken"]["httpOnly"]) == (True, True)
    assert page.refused == []


def test_an_editor_reaches_the_admin_with_the_authenticator_code_over_https(site, page):
    log_in(page, "redacteur@vng.example")
    page.wait_for_url("**/account/2fa/authenticate/")
    page.locator("#id_code").fill(totp_code(site.totp_secret))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{site.url}/")

    page.goto("/beheer/programme/session/")
    page.locator("#result_list tbody tr th a").first.click()
    page.locator("#id_summary").fill("Bijgewerkt over https.")
    page.get_by_role("button", name="Opslaan", exact=True).first.click()

    expect(page.locator(".messagelist")).to_contain_text("gewijzigd")
    assert path_of(page) == "/beheer/programme/session/"
    assert page.refused == []
