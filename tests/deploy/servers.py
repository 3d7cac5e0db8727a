"""Real servers for the deployment tests: redis-server, gunicorn, a database of their own.

Nothing here stands in for anything: each helper starts the real program on a free port on
127.0.0.1 and stops it again. A program that is missing skips the test locally, with the reason,
and fails it under CI (CI=true), where everything must run.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
START_TIMEOUT = 30  # seconds for a server to start listening


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(program):
    """The path of a program on PATH; skips locally (fails in CI) when it is not installed."""
    path = shutil.which(program)
    if path is None:
        reason = f"{program} is not installed; this test starts a real one."
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port():
    """A port on 127.0.0.1 where nothing listens (connections are refused at once)."""
    return free_port()


def wait_for_port(port, process, log_path, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{tail(log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"not listening on {port} after {timeout} s:\n{tail(log_path)}")


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def stop(process, timeout=15):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


class RedisServer:
    """A redis-server of the test's own, on a free port, keeping nothing on disk."""

    def __init__(self, directory):
        self.program = require("redis-server")
        self.directory = Path(directory)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = self.directory / f"redis-{self.port}.log"
        self.process = None

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                self.program,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.log),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, self.log)
        return self

    def stop(self):
        if self.process is not None:
            stop(self.process)

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None


def site_env(**changes):
    """The environment for the site in a process of its own, as production sets it.

    Starts from this process's environment without the test run's own settings, so that nothing
    of the test database or a developer's shell leaks in.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "GUNICORN_CMD_ARGS",
            "WEB_CONCURRENCY",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="false",
        STATIC_MANIFEST="false",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in changes.items()})
    return env


def run_python(code, env, timeout=120):
    """Run Python code with Django set up, in a process of its own; its stdout on success."""
    script = "import django\ndjango.setup()\n" + code
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def migrate(env, timeout=300):
    result = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py, on a free port."""

    def __init__(self, env, directory, *, name="gunicorn", workers=2, threads=2, tls=None):
        self.directory = Path(directory)
        self.port = free_port()
        self.scheme = "https" if tls else "http"
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self.log = self.directory / f"{name}-{self.port}.log"
        self.env = dict(env)
        self.env.update(PORT=str(self.port), WEB_CONCURRENCY=str(workers))
        self.env["GUNICORN_THREADS"] = str(threads)
        if tls:
            self.env.update(GUNICORN_CERTFILE=str(tls.cert), GUNICORN_KEYFILE=str(tls.key))
        self.process = None

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process, self.log)
        return self

    def stop(self):
        if self.process is not None:
            stop(self.process, timeout=40)

    def output(self):
        return Path(self.log).read_text(errors="replace")

    def log_lines_with(self, text, timeout=5):
        """The log lines containing text, waiting a little: gunicorn logs after it answered."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [line for line in self.output().splitlines() if text in line]
            if lines or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)


class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, made with openssl."""

    def __init__(self, directory):
        openssl = require("openssl")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.cert = directory / "cert.pem"
        self.key = directory / "key.pem"
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
            ],  # fmt: skip
            check=True,
            capture_output=True,
            timeout=60,
        )


@contextmanager
def running(*servers):
    """Start the servers in order; stop them all (in reverse) however the block ends."""
    started = []
    try:
        for server in servers:
            server.start()
            started.append(server)
        yield servers
    finally:
        for server in reversed(started):
            server.stop()


# The demo congress in gunicorn over https, as the site is checked in a browser.

DEMO_SEED = """
import io, json
from django.core.management import call_command
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from tests.factories import EditorFactory, UserFactory
call_command("load_demo", "--upcoming", stdout=io.StringIO())
UserFactory(email="raadslid@gemeente.example")
editor = EditorFactory(email="redacteur@vng.example")
secret = decrypt(Authenticator.objects.get(user=editor).data["secret"])
print(json.dumps({"totp_secret": secret}))
"""


@contextmanager
def demo_site_over_tls(directory):
    """The demo congress (as if ahead) in gunicorn on https://127.0.0.1:<port>, production mode.

    Its own SQLite database and self-signed certificate (`.certificate`); an attendee
    raadslid@gemeente.example and an editor redacteur@vng.example with TOTP (`.totp_secret`),
    both with the factories' password.
    """
    import json

    directory = Path(directory)
    certificate = Certificate(directory / "tls")
    env = site_env(DATABASE_URL=f"sqlite:///{directory / 'site.sqlite3'}", HTTPS="true")
    migrate(env)
    seeded = json.loads(run_python(DEMO_SEED, env).strip().splitlines()[-1])
    server = Gunicorn(env, directory, name="tls", tls=certificate)
    server.certificate = certificate
    server.totp_secret = seeded["totp_secret"]
    with running(server):
        yield server


# PostgreSQL: a database of the test's own, next to the one DATABASE_URL names.


def postgres_url_for(database_url, name):
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def unique_database_name(prefix):
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@contextmanager
def postgres_database(database_url, prefix):
    """Create an empty database with a unique name; drop it afterwards, whatever happened."""
    import psycopg
    from psycopg import sql

    name = unique_database_name(prefix)
    admin_url = postgres_url_for(database_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield postgres_url_for(database_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# Talking to the site as a browser does.


def http_client(verify=True):
    """A requests session that ignores this machine's proxy and CA-bundle variables."""
    import requests

    http = requests.Session()
    http.trust_env = False
    http.verify = verify
    return http


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def totp_code(secret):
    """The code an authenticator app with this secret shows right now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def post_form(http, url, data, *, referer=None, **kwargs):
    """POST a form on the page at `referer` (default: `url`) with that page's CSRF token.

    Sends Referer and Origin as a browser does; Django checks them on https.
    """
    page_url = referer or url
    page = http.get(page_url, timeout=30)
    origin = re.match(r"https?://[^/]+", page_url).group(0)
    return http.post(
        url,
        data={"csrfmiddlewaretoken": csrf_token(page.text), **data},
        headers={"Referer": page_url, "Origin": origin},
        timeout=30,
        **kwargs,
    )


def log_in(http, base_url, email, password="een-lang-wachtwoord", *, totp_secret=None):
    """Log in through /account/login/ (and the second step when the account has TOTP)."""
    response = post_form(http, f"{base_url}/account/login/", {"login": email, "password": password})
    assert response.status_code == 200, response.status_code
    if totp_secret is not None:
        assert response.url == f"{base_url}/account/2fa/authenticate/", response.url
        response = post_form(
            http, f"{base_url}/account/2fa/authenticate/", {"code": totp_code(totp_secret)}
        )
        assert response.status_code == 200
    return response
