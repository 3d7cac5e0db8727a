"""The site in gunicorn speaking https itself (a self-signed certificate), and behind a proxy.

Login, sign-up, CSRF-protected posts, the admin with its second factor and static files must all
work when the site runs as in production: HTTPS=true, secure cookies, HSTS, http redirected.
The client checks the server's certificate against the one the test made.
"""

import re
import socket
import ssl
import time

import pytest

from .servers import (
    Gunicorn,
    demo_site_over_tls,
    http_client,
    log_in,
    post_form,
    running,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_site_over_tls(tmp_path_factory.mktemp("tls")) as server:
        yield server


@pytest.fixture
def https_client(site):
    """An HTTP client that trusts exactly the test's certificate."""
    with http_client(verify=str(site.certificate.cert)) as http:
        yield http


def cookie_header(response, name):
    return next(
        value
        for key, value in response.raw.headers.items()
        if key.lower() == "set-cookie" and value.startswith(f"{name}=")
    )


def test_login_over_https_gives_secure_httponly_cookies(site, https_client):
    page = https_client.get(f"{site.url}/account/login/", timeout=30)

    response = log_in(https_client, site.url, "raadslid@gemeente.example")
    account = https_client.get(f"{site.url}/account/profiel/", timeout=30)

    assert response.url == f"{site.url}/"
    assert "Uitloggen" in response.text
    assert account.url == f"{site.url}/account/profiel/"
    assert "<h1>Mijn gegevens</h1>" in account.text
    for name, from_response in [("csrftoken", page), ("sessionid", response.history[0])]:
        flags = [flag.strip().lower() for flag in cookie_header(from_response, name).split(";")]
        assert {"secure", "httponly", "samesite=lax"} <= set(flags), flags


def test_pages_over_https_carry_hsts_for_a_year_with_subdomains(site, https_client):
    response = https_client.get(f"{site.url}/programma/", timeout=30)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "upgrade-insecure-requests" in response.headers["Content-Security-Policy"]


def test_static_files_are_served_over_https(site, https_client):
    page = https_client.get(f"{site.url}/", timeout=30)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)
    script = re.search(r'<script src="([^"]+)" defer>', page.text).group(1)

    css = https_client.get(site.url + stylesheet, timeout=30)
    js = https_client.get(site.url + script, timeout=30)

    assert (css.status_code, js.status_code) == (200, 200)
    assert css.headers["Content-Type"].startswith("text/css")
    assert "javascript" in js.headers["Content-Type"]


def test_sign_up_over_https(site, https_client):
    response = post_form(
        https_client,
        f"{site.url}/account/signup/",
        {
            "email": "wethouder@gemeente.example",
            "password1": "een-lang-wachtwoord",
            "password2": "een-lang-wachtwoord",
            "first_name": "Sanne",
            "last_name": "Bakker",
            "municipality": "Groningen",
            "role": "wethouder",
        },
    )

    assert response.status_code == 200
    assert response.url == f"{site.url}/account/confirm-email/"


def test_a_post_from_another_site_is_refused_with_the_dutch_page(site, https_client):
    page = https_client.get(f"{site.url}/account/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    response = https_client.post(
        f"{site.url}/account/login/",
        data={"csrfmiddlewaretoken": token, "login": "a@b.nl", "password": "x"},
        headers={
            "Origin": "https://kwaadwillend.example",
            "Referer": "https://kwaadwillend.example/",
        },
        timeout=30,
    )

    assert response.status_code == 403
    assert "<h1>Het formulier is verlopen</h1>" in response.text


def test_editor_reaches_the_admin_with_password_and_authenticator_code(site, https_client):
    log_in(https_client, site.url, "redacteur@vng.example", totp_secret=site.totp_secret)

    response = https_client.get(f"{site.url}/beheer/programme/session/", timeout=30)

    assert response.status_code == 200
    assert response.url == f"{site.url}/beheer/programme/session/"
    assert "Beheer VNG Jaarcongres" in response.text


def test_an_upload_over_the_limit_gets_the_dutch_413_page_not_a_broken_connection(
    site, https_client
):
    response = https_client.post(
        f"{site.url}/beheer/venues/venuephoto/add/",
        files={"image": ("zaal.jpg", b"\xff" * (31 * 1024 * 1024), "image/jpeg")},
        timeout=60,
    )

    assert response.status_code == 413
    assert "<h1>Wat u verstuurde is te groot</h1>" in response.text


def test_idle_tls_connections_do_not_hold_up_other_visitors(site, https_client):
    """Browsers open spare connections and leave them idle after the handshake.

    Eight of them against two workers of two threads each: with gunicorn's plain gthread worker
    every thread would wait on one of them and the next request would hang
    (config/gunicorn_worker.py).
    """
    context = ssl.create_default_context(cafile=str(site.certificate.cert))
    spare = []
    try:
        for _ in range(8):
            raw = socket.create_connection(("127.0.0.1", site.port), timeout=5)
            spare.append(context.wrap_socket(raw, server_hostname="127.0.0.1"))  # handshake
        time.sleep(0.5)

        started = time.monotonic()
        response = https_client.get(f"{site.url}/healthz", timeout=10)
        seconds = time.monotonic() - started
    finally:
        for connection in spare:
            connection.close()

    assert response.status_code == 200
    assert seconds < 2


# Behind a proxy that terminates TLS and speaks plain http to gunicorn.


class ProxiedBrowser:
    """Requests as they reach gunicorn from a TLS-terminating proxy on 127.0.0.1.

    The proxy sets X-Forwarded-Proto: https and passes the browser's cookies along (the browser
    holds them for https, so they travel even though this last hop is plain http).
    """

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = {}
        self.http = http_client()

    def request(self, method, path, **kwargs):
        headers = {"X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method,
            self.base_url + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        for key, value in response.raw.headers.items():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response


@pytest.fixture(scope="module")
def proxied_site(site, tmp_path_factory):
    directory = tmp_path_factory.mktemp("proxy")
    env = dict(site.env)
    for name in ("GUNICORN_CERTFILE", "GUNICORN_KEYFILE", "PORT", "WEB_CONCURRENCY"):
        env.pop(name, None)
    env["BEHIND_PROXY"] = "true"
    server = Gunicorn(env, directory, name="behind-proxy", workers=1)
    with running(server):
        yield server


def test_behind_a_proxy_login_works_and_cookies_stay_secure(proxied_site):
    browser = ProxiedBrowser(proxied_site.url)
    page = browser.request("GET", "/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    public = f"https://127.0.0.1:{proxied_site.port}"

    login = browser.request(
        "POST",
        "/account/login/",
        data={
            "csrfmiddlewaretoken": token,
            "login": "raadslid@gemeente.example",
            "password": "een-lang-wachtwoord",
        },
        headers={"Origin": public, "Referer": f"{public}/account/login/"},
    )
    account = browser.request("GET", "/account/profiel/")

    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert login.status_code == 302, login.text[:500]
    assert "Secure" in cookie_header(login, "sessionid")
    assert account.status_code == 200
    assert "<h1>Mijn gegevens</h1>" in account.text


def test_behind_a_proxy_plain_http_is_redirected_to_https_but_healthz_is_not(proxied_site):
    http = http_client()
    page = http.get(f"{proxied_site.url}/programma/", allow_redirects=False, timeout=30)
    health = http.get(f"{proxied_site.url}/healthz", allow_redirects=False, timeout=30)

    assert page.status_code == 301
    assert page.headers["Location"] == f"https://127.0.0.1:{proxied_site.port}/programma/"
    assert health.status_code == 200
