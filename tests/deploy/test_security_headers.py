"""Every response carries the security headers: pages, errors, redirects, exports, static files."""

import pytest

from tests.factories import SessionFactory, UserFactory

PATHS = [
    ("/", 200),
    ("/programma/", 200),
    ("/programma/wandeling/", 200),
    ("/programma.ics", 200),
    ("/account/login/", 200),
    ("/beheer/", 302),
    ("/bestaat-niet/", 404),
    ("/healthz", 200),
    ("/robots.txt", 200),
    ("/static/css/site.css", 200),
]


@pytest.fixture
def responses(client, congress):
    SessionFactory(slug="wandeling")
    return {path: client.get(path) for path, _ in PATHS}


@pytest.mark.parametrize(("path", "status"), PATHS)
def test_content_security_policy_allows_only_our_own_files_and_nothing_inline(
    responses, path, status
):
    response = responses[path]
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )

    assert response.status_code == status
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "media-src": "'self'",
        "object-src": "'none'",
        "frame-src": "'none'",
        "worker-src": "'none'",
        "manifest-src": "'self'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(("path", "status"), PATHS)
def test_browsers_are_told_not_to_sniff_leak_referrers_or_share_a_window(responses, path, status):
    response = responses[path]

    assert (
        response["X-Content-Type-Options"],
        response["Referrer-Policy"],
        response["Cross-Origin-Opener-Policy"],
    ) == ("nosniff", "strict-origin-when-cross-origin", "same-origin")


@pytest.mark.parametrize(("path", "status"), PATHS)
def test_permissions_policy_turns_off_features_the_site_does_not_use(responses, path, status):
    features = dict(
        item.strip().split("=") for item in responses[path]["Permissions-Policy"].split(",")
    )

    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]:
        assert features[feature] == "()"


@pytest.mark.parametrize(("path", "status"), [("/", 200), ("/programma/", 200)])
def test_pages_cannot_be_framed(responses, path, status):
    assert responses[path]["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_over_https_only(client, congress, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    plain = client.get("/")
    secure = client.get("/", secure=True)

    assert "Strict-Transport-Security" not in plain
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(client, congress):
    UserFactory(email="griffier@gemeente.nl")
    client.get("/account/login/")
    csrf = client.cookies["csrftoken"]

    client.post(
        "/account/login/", {"login": "griffier@gemeente.nl", "password": "een-lang-wachtwoord"}
    )
    session = client.cookies["sessionid"]

    assert (csrf["httponly"], csrf["samesite"]) == (True, "Lax")
    assert (session["httponly"], session["samesite"]) == (True, "Lax")


# Never indexed: the back office and the account pages.


@pytest.mark.parametrize(
    "path", ["/beheer/", "/beheer/login/", "/account/login/", "/account/signup/"]
)
def test_back_office_and_account_pages_tell_search_engines_to_stay_away(client, congress, path):
    response = client.get(path)

    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("path", ["/", "/programma/"])
def test_public_pages_have_no_robots_header(client, congress, path):
    response = client.get(path)

    assert "X-Robots-Tag" not in response


def test_robots_txt_disallows_the_back_office(client, db):
    response = client.get("/robots.txt")

    assert "Disallow: /beheer/" in response.content.decode().splitlines()
