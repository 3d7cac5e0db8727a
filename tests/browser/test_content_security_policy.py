"""The Content-Security-Policy holds everywhere: Chromium reports no violation on any page.

Public pages, account and two-factor pages, and the back office with Django's admin widgets,
django-import-export and django-simple-history, each opened in Chromium under the site's real
policy (no 'unsafe-inline', no 'unsafe-eval'). The browser's own report of a violation (the
`securitypolicyviolation` event and its "Refused to ..." console line) fails the test.
"""

import pytest

from congress.models import Congress, Page, PublicationStatus
from programme.models import Session, Speaker
from tests.factories import UserFactory, activate_two_factor, editor_group
from venues.models import Venue

from .conftest import DESKTOP
from .helpers import current_totp_code, log_in, path_of

pytestmark = pytest.mark.browser

# Collects violations inside the page. Added through the DevTools protocol, so the policy it
# watches does not apply to it.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile || location.pathname}:${event.lineNumber})`
    );
});
"""


def watched_page(new_context):
    context = new_context(viewport=DESKTOP)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{path_of(page)}: {message.text}")
            if "Content Security Policy" in message.text or message.text.startswith("Refused to")
            else None
        ),
    )
    return page, refused


def violations(page):
    return [f"{path_of(page)}: {text}" for text in page.evaluate("window.__cspViolations")]


def visit(page, paths):
    found = []
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, f"{path}: {response.status}"
        page.wait_for_load_state("load")
        found += violations(page)
    return found


def test_the_detector_sees_a_violation(demo, new_context):
    """So that the tests below cannot pass because nothing was listening."""
    page, refused = watched_page(new_context)
    page.goto("/")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)

    assert len(violations(page)) == 1
    assert refused and "style-src" in refused[0]


def test_public_and_account_pages_break_no_rule(demo, new_context):
    session = Session.objects.filter(capacity__isnull=False).first()
    speaker = Speaker.objects.first()
    venue = Venue.objects.get(slug="martiniplaza")
    info = Page.objects.filter(status=PublicationStatus.PUBLISHED).first()
    page, refused = watched_page(new_context)

    found = visit(
        page,
        [
            "/",
            "/programma/",
            "/programma/?soort=middagsessie",
            session.get_absolute_url(),
            "/programma/wijzigingen/",
            "/sprekers/",
            speaker.get_absolute_url(),
            "/locaties/",
            venue.get_absolute_url(),
            "/livestream/",
            info.get_absolute_url(),
            "/account/login/",
            "/account/signup/",
            "/account/password/reset/",
        ],
    )
    UserFactory(email="raadslid@gemeente.example")
    log_in(page, "raadslid@gemeente.example")
    page.goto(session.get_absolute_url())
    page.locator("form[action$='/aanmelden/'] button").click()  # sign up: a plain form post
    page.wait_for_load_state("load")
    found += violations(page)
    page.locator("form[data-enhance='my-programme'] button").first.click()  # site.js's fetch
    page.wait_for_timeout(500)
    found += violations(page)
    found += visit(page, ["/mijn-programma/", "/account/profiel/", "/account/email/"])

    assert found == []
    assert refused == []


def test_two_factor_set_up_with_its_qr_code_breaks_no_rule(demo, new_context):
    UserFactory(email="nieuw@vng.example", is_staff=True)
    page, refused = watched_page(new_context)
    log_in(page, "nieuw@vng.example")

    page.goto("/beheer/")  # staff without two factors are sent to set it up
    if page.locator("#id_password").count():  # allauth asks for the password again first
        page.locator("#id_password").fill("een-lang-wachtwoord")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state("load")
    qr_code = page.locator("img[src^='data:image/svg+xml']")

    assert path_of(page).startswith("/account/2fa/totp/activate/")
    assert qr_code.count() == 1
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    assert violations(page) == []
    assert refused == []


def test_back_office_pages_and_widgets_break_no_rule(demo, new_context):
    admin = UserFactory(email="beheer@vng.example", is_staff=True, is_superuser=True)
    activate_two_factor(admin)
    session = Session.objects.filter(capacity__isnull=False).first()
    venue = Venue.objects.get(slug="martiniplaza")
    congress = Congress.objects.get()
    page, refused = watched_page(new_context)
    log_in(page, admin.email)
    page.locator("#id_code").fill(current_totp_code(admin))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/")
    base = "/beheer/programme/session"

    found = visit(
        page,
        [
            "/beheer/",
            f"{base}/",
            f"{base}/?status__exact={PublicationStatus.PUBLISHED}&o=2",
            f"{base}/add/",
            f"{base}/{session.pk}/change/",
            f"{base}/{session.pk}/history/",
            f"{base}/import/",
            f"{base}/export/",
            "/beheer/programme/speaker/",
            "/beheer/programme/registration/",
            f"/beheer/venues/venue/{venue.pk}/change/",
            "/beheer/congress/congress/",
            f"/beheer/congress/congress/{congress.pk}/change/",
            "/beheer/congress/page/",
            f"/beheer/accounts/user/{admin.pk}/change/",
            f"/beheer/auth/group/{editor_group().pk}/change/",
            "/account/2fa/",
        ],
    )
    # Widgets that scripts build: the calendar and clock beside a date, the live Markdown
    # preview, the select-all box and the action bar of a list.
    page.goto(f"{base}/{session.pk}/change/")
    page.locator(".datetimeshortcuts a").first.click()
    page.locator("textarea[name=description]").fill("## Nieuw\n\nMet **vet**.")
    page.wait_for_timeout(1200)  # the preview asks the server after 400 ms
    found += violations(page)
    page.goto(f"{base}/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(index=1)
    found += violations(page)
    # A version from the history (django-simple-history's page to restore it).
    page.goto(f"{base}/{session.pk}/history/")
    page.locator("#change-history a").first.click()
    page.wait_for_load_state("load")
    found += violations(page)

    assert found == []
    assert refused == []
