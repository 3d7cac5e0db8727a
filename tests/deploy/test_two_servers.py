"""Two servers, one truth: two gunicorn instances share one PostgreSQL database and one Redis.

The test makes its own database (a unique name next to the test database, dropped afterwards) and
starts its own redis-server on a free port; then two gunicorn servers on two ports, each with two
worker processes, as two application servers behind a load balancer would run.
"""

import json
import os
import re
import threading
from html import unescape

import psycopg
import pytest

from tests.html_forms import form_data

from .servers import (
    Gunicorn,
    RedisServer,
    http_client,
    log_in,
    migrate,
    post_form,
    postgres_database,
    run_python,
    running,
    site_env,
)

pytestmark = pytest.mark.postgres

ATTENDEES = 10
PLACES = 3

SEED = f"""
import json
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from accounts.models import User
from tests.factories import CongressFactory, EditorFactory, SessionFactory, UserFactory, at

day = timezone.localdate() + timedelta(days=30)
congress = CongressFactory(start_date=day, end_date=day + timedelta(days=1))
edited = SessionFactory(congress=congress, title="Wandeling door Beijum", slug="wandeling",
                        start=at(day, "13:30"), end=at(day, "15:00"), capacity=None)
popular = SessionFactory(congress=congress, title="Fietsen langs de Hondsrug", slug="fietsen",
                         start=at(day, "15:30"), end=at(day, "17:00"), capacity={PLACES})
UserFactory(email="inlogger@gemeente.example")
for number in range({ATTENDEES}):
    UserFactory(email=f"deelnemer{{number}}@gemeente.example")
editor = EditorFactory(email="redacteur@vng.example")
# Every account has the factories' password; hashed once (PBKDF2 is slow on purpose).
User.objects.update(password=make_password("een-lang-wachtwoord"))
print(json.dumps({{
    "totp_secret": decrypt(Authenticator.objects.get(user=editor).data["secret"]),
    "edited_id": edited.pk,
    "popular_id": popular.pk,
}}))
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    directory = tmp_path_factory.mktemp("two-servers")
    redis = RedisServer(directory / "redis")
    with running(redis), postgres_database(os.environ["DATABASE_URL"], "vng_two_servers") as url:
        env = site_env(DATABASE_URL=url, REDIS_URL=redis.url)
        migrate(env)
        seeded = json.loads(run_python(SEED, env).strip().splitlines()[-1])
        a = Gunicorn(env, directory, name="server-a")
        b = Gunicorn(env, directory, name="server-b")
        with running(a, b):
            yield {"a": a, "b": b, "redis": redis, "database_url": url, **seeded}


def message_on(response):
    """The text of the message box on the page a sign-up redirected to."""
    match = re.search(r'<div class="messages"[^>]*>(.*?)</div>', response.text, re.S)
    assert match, response.text[:3000]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_logged_in_on_one_server_means_logged_in_on_the_other(servers):
    a, b = servers["a"].url, servers["b"].url
    http = http_client()  # cookies for 127.0.0.1 go to both ports, as to one site
    log_in(http, a, "inlogger@gemeente.example")

    on_b = http.get(f"{b}/account/profiel/", timeout=30)
    post_form(http, f"{b}/account/logout/", {})
    on_a_after_logout = http.get(f"{a}/account/profiel/", timeout=30)

    assert on_b.url == f"{b}/account/profiel/"
    assert "<h1>Mijn gegevens</h1>" in on_b.text
    assert on_a_after_logout.url == f"{a}/account/login/?next=/account/profiel/"


def test_an_editors_change_through_one_server_shows_on_the_other_at_once(servers):
    a, b = servers["a"].url, servers["b"].url
    before = http_client().get(f"{b}/programma/", timeout=30)
    editor = http_client()
    log_in(editor, a, "redacteur@vng.example", totp_secret=servers["totp_secret"])
    change_url = f"{a}/beheer/programme/session/{servers['edited_id']}/change/"
    data = form_data(editor.get(change_url, timeout=30).text, "session_form")
    data["title"] = ["Wandeling door Beijum en Lewenborg"]
    data["_save"] = ["Opslaan"]

    saved = editor.post(change_url, data=data, headers={"Referer": change_url}, timeout=30)

    after = http_client().get(f"{b}/programma/", timeout=30)
    detail = http_client().get(f"{b}/programma/wandeling/", timeout=30)
    assert saved.url == f"{a}/beheer/programme/session/", saved.text[:2000]
    assert "Wandeling door Beijum<" in before.text
    assert "Wandeling door Beijum en Lewenborg" in after.text
    assert "Wandeling door Beijum<" not in after.text
    assert '<h1 id="session-title">Wandeling door Beijum en Lewenborg</h1>' in detail.text


def test_concurrent_sign_ups_through_both_servers_never_exceed_the_places(servers):
    bases = [servers["a"].url, servers["b"].url]
    clients = []
    for number in range(ATTENDEES):
        base = bases[number % 2]
        http = http_client()
        log_in(http, base, f"deelnemer{number}@gemeente.example")
        page = http.get(f"{base}/programma/fietsen/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        clients.append((http, base, token))
    barrier = threading.Barrier(ATTENDEES)
    messages = [None] * ATTENDEES

    def sign_up(index):
        http, base, token = clients[index]
        # Logging everyone in takes longer than gunicorn keeps an idle connection open (5 s):
        # each sign-up opens a fresh one, as a browser does after a pause, rather than posting
        # on a connection the server may be closing at that very moment.
        http.close()
        barrier.wait(timeout=60)
        response = http.post(
            f"{base}/programma/fietsen/aanmelden/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/programma/fietsen/"},
            timeout=60,
        )
        messages[index] = message_on(response)

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(ATTENDEES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    confirmed = [m for m in messages if m == "U bent aangemeld voor ‘Fietsen langs de Hondsrug’."]
    positions = sorted(
        int(re.search(r"op plaats (\d+)", m).group(1)) for m in messages if "plaats " in m
    )
    assert len(confirmed) == PLACES, messages
    assert positions == list(range(1, ATTENDEES - PLACES + 1)), messages
    with psycopg.connect(servers["database_url"]) as conn:
        counts = dict(
            conn.execute(
                "SELECT status, count(*) FROM programme_registration WHERE session_id = %s "
                "GROUP BY status",
                [servers["popular_id"]],
            ).fetchall()
        )
    assert counts == {"bevestigd": PLACES, "wachtlijst": ATTENDEES - PLACES}
    for base in bases:
        page = http_client().get(f"{base}/programma/fietsen/", timeout=30)
        assert f"vol – wachtlijst: {ATTENDEES - PLACES}" in page.text


def test_with_redis_stopped_both_servers_serve_from_the_database(servers):
    """Run last: it stops the servers' Redis (for real) and leaves it stopped."""
    a, b = servers["a"], servers["b"]
    http = http_client()
    log_in(http, a.url, "inlogger@gemeente.example")

    servers["redis"].stop()
    pages = [http_client().get(f"{server.url}/programma/", timeout=30) for server in (a, b)]
    account = http.get(f"{b.url}/account/profiel/", timeout=30)
    health = [http_client().get(f"{server.url}/healthz", timeout=30) for server in (a, b)]

    assert [page.status_code for page in pages] == [200, 200]
    assert all("Fietsen langs de Hondsrug" in page.text for page in pages)
    assert account.url == f"{b.url}/account/profiel/"  # the session comes from the database
    assert [response.status_code for response in health] == [503, 503]
    assert health[0].json() == {"status": "unavailable", "database": "ok", "cache": "error"}
    assert b.log_lines_with("WARNING config.cache Redis at"), b.output()[-3000:]
