"""The database down: visitors get a friendly Dutch 503 page, never a traceback.

The site runs in gunicorn with DATABASE_URL pointing at a port on 127.0.0.1 where nothing
listens, so every connection attempt is refused for real.
"""

import re

import pytest

from .servers import Gunicorn, closed_port, http_client, running, site_env

PAGES = ["/", "/programma/", "/programma/wandeling/", "/sprekers/", "/over-de-vng/"]


@pytest.fixture(scope="module")
def site_without_database(tmp_path_factory):
    directory = tmp_path_factory.mktemp("database-down")
    env = site_env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/vng_congres")
    server = Gunicorn(env, directory, workers=1)
    with running(server):
        yield server


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_503_with_a_friendly_dutch_page(site_without_database, path):
    response = http_client().get(site_without_database.url + path, timeout=30)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "<h1>De website is even niet bereikbaar</h1>" in response.text
    assert '<html lang="nl">' in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text


def test_a_logged_in_visitor_gets_the_same_page(site_without_database):
    response = http_client().get(
        site_without_database.url + "/mijn-programma/",
        cookies={"sessionid": "abcdefghijklmnopqrstuvwxyz123456"},
        timeout=30,
    )

    assert response.status_code == 503
    assert "<h1>De website is even niet bereikbaar</h1>" in response.text


def test_the_503_page_keeps_the_security_headers_and_its_stylesheet(site_without_database):
    page = http_client().get(site_without_database.url + "/", timeout=30)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)

    css = http_client().get(site_without_database.url + stylesheet, timeout=30)

    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")


def test_healthz_names_the_database(site_without_database):
    response = http_client().get(site_without_database.url + "/healthz", timeout=30)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error", "cache": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_the_failure_is_logged_on_one_line_per_request(site_without_database):
    http_client().get(site_without_database.url + "/locaties/", timeout=30)

    access = site_without_database.log_lines_with(
        ' ACCESS 127.0.0.1 "GET /locaties/ HTTP/1.1" 503 '
    )
    errors = site_without_database.log_lines_with(
        "ERROR django.request Service Unavailable: /locaties/"
    )
    lines = site_without_database.output().splitlines()

    assert len(access) == 1
    assert len(errors) == 1
    assert "Traceback (most recent call last):\\n" in errors[0]
    assert "OperationalError" in errors[0]
    assert not [line for line in lines if line.startswith(("Traceback", "  File "))]
