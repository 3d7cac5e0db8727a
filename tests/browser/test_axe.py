"""axe-core (WCAG 2.0/2.1 A and AA) on the pages not in the sitemap, and in their other states.

test_every_page.py walks /sitemap.xml on a phone; these tests add the desktop layout, every
programme filter, the pages behind a login, every allauth page, the 404 page and open form errors.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from programme.models import Session, SessionKind
from tests.factories import (
    EditorFactory,
    FavouriteFactory,
    RegistrationFactory,
    UserFactory,
)

from .conftest import DESKTOP
from .helpers import (
    axe_violations,
    current_totp_code,
    heading_problems,
    landmark_problems,
    link_in_mail,
    log_in,
    path_of,
)

pytestmark = pytest.mark.browser


def problems_on(page):
    return axe_violations(page) + heading_problems(page) + landmark_problems(page)


def visit_all(page, paths, *, status=200):
    problems = []
    for path in paths:
        response = page.goto(path)
        assert (path, response.status) == (path, status)
        problems += problems_on(page)
    return problems


def test_public_pages_and_every_programme_filter_on_a_desktop(demo, new_context):
    page = new_context(viewport=DESKTOP).new_page()
    session = (
        Session.objects.filter(kind=SessionKind.AFTERNOON, speakers__isnull=False)
        .order_by("start", "slug")
        .first()
    )
    speaker = session.speakers.order_by("slug")[0]
    first_day = session.congress.start_date.isoformat()
    last_day = session.congress.end_date.isoformat()
    theme = session.themes.order_by("slug")[0]

    problems = visit_all(
        page,
        [
            "/",
            "/programma/",
            # Each filter on its own (values that keep the page short: axe is slow on long
            # pages, and the whole programme is checked above and in test_every_page.py).
            f"/programma/?dag={last_day}",
            "/programma/?soort=plenair",
            f"/programma/?thema={theme.slug}",
            "/programma/?locatie=martiniplaza",
            "/programma/?plaats=ja&locatie=dorpshuis-grootegast",
            "/programma/?q=energie",
            f"/programma/?dag={first_day}&soort=middagsessie&thema={theme.slug}&plaats=ja",
            "/programma/?q=geen-enkele-sessie-heet-zo",
            session.get_absolute_url() + f"?thema={theme.slug}",
            "/sprekers/",
            speaker.get_absolute_url(),
            "/locaties/",
            "/locaties/martiniplaza/",
            "/livestream/",
            "/programma/wijzigingen/",
            "/toegankelijkheidsverklaring/",
        ],
    )
    # An unknown filter value: the page answers 400 with the error in the form.
    problems += visit_all(page, ["/programma/?soort=onbekend&dag=gisteren"], status=400)
    problems += visit_all(page, ["/bestaat-niet/", "/programma/bestaat-niet/"], status=404)

    assert problems == []


def test_account_pages_for_visitors_including_open_form_errors(demo, new_context):
    user = UserFactory(email="vergeten@gemeente.example")
    page = new_context(viewport=DESKTOP).new_page()

    problems = visit_all(page, ["/account/login/", "/account/signup/", "/account/inactive/"])
    # Sign-up with errors: an address that already has an account, a short, mismatched password.
    page.goto("/account/signup/")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_first_name").fill("Anna")
    page.locator("#id_last_name").fill("de Vries")
    page.locator("#id_role").select_option(index=1)
    page.locator("#id_password1").fill("kort")
    page.locator("#id_password2").fill("anders")
    page.locator("form[action='/account/signup/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    problems += problems_on(page)
    # Log in with a wrong password.
    log_in(page, user.email, "een-verkeerd-wachtwoord")
    assert page.locator(".errorlist, .form-errors, [role=alert]").count() >= 1
    problems += problems_on(page)
    # Reset the password: the form, its "sent" page, the link from the email and the new password.
    problems += visit_all(page, ["/account/password/reset/"])
    page.locator("#id_email").fill(user.email)
    page.locator("form[action='/account/password/reset/'] button[type=submit]").click()
    page.wait_for_url("**/account/password/reset/done/")
    problems += problems_on(page)
    page.goto(link_in_mail(mail.outbox, "/account/password/reset/key/"))
    problems += problems_on(page)
    page.locator("#id_password1").fill("een-nieuw-lang-wachtwoord")
    page.locator("#id_password2").fill("een-nieuw-lang-wachtwoord")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/account/password/reset/key/done/")
    problems += problems_on(page)

    assert problems == []


def test_pages_of_a_logged_in_attendee(demo, new_context):
    user = UserFactory()
    afternoon = Session.objects.filter(kind=SessionKind.AFTERNOON).order_by("start", "slug")
    RegistrationFactory(user=user, session=afternoon[0])
    FavouriteFactory(user=user, session=afternoon[1])  # overlaps the first: a clash is shown
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, user.email)
    page.wait_for_url("**/")

    # My programme with a place, a choice and the clash between them.
    problems = visit_all(page, ["/mijn-programma/"])
    expect(page.locator(".clash-note")).to_have_count(2)
    problems += visit_all(
        page,
        [
            "/programma/?soort=middagsessie",
            afternoon[0].get_absolute_url(),
            afternoon[2].get_absolute_url(),
            "/account/profiel/",
            "/account/profiel/verwijderen/",
            "/account/email/",
            "/account/password/change/",
            "/account/2fa/",
            "/account/2fa/totp/activate/",
            "/account/reauthenticate/",
            "/account/logout/",
        ],
    )

    assert problems == []


def test_two_factor_pages_of_an_editor(demo, new_context):
    editor = EditorFactory()
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, editor.email)
    page.wait_for_url("**/account/2fa/authenticate/")
    problems = problems_on(page)
    page.locator("#id_code").fill(current_totp_code(editor))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/")

    problems += visit_all(
        page,
        [
            "/account/2fa/",
            "/account/2fa/totp/deactivate/",
            "/account/2fa/recovery-codes/generate/",
            "/account/2fa/reauthenticate/",
        ],
    )

    assert problems == []
    assert path_of(page) == "/account/2fa/reauthenticate/"
