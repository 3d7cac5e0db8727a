"""The project as a whole: settings, migrations, static files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_python(code, **env_changes):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_site_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_python("import django; django.setup()", DJANGO_SETTINGS_MODULE="config.settings")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_site_starts_without_secret_key_in_debug_mode():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_settings_speak_dutch_in_amsterdam_time():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "nl",
        "Europe/Amsterdam",
        True,
    )


def test_database_url_selects_the_database():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        DATABASE_URL="postgres://someone@127.0.0.1:5432/congres",
    )

    assert result.stdout.split() == ["config.db.postgresql", "congres"]


def test_allowed_hosts_come_from_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS)",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="congres.vng.nl, www.congres.vng.nl",
    )

    assert result.stdout.strip() == "['congres.vng.nl', 'www.congres.vng.nl']"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('collectstatic', '--noinput', verbosity=0)",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="x" * 50,
        STATIC_MANIFEST="true",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    css = sorted(path.name for path in (tmp_path / "css").iterdir())

    hashed = [name for name in css if name.startswith("site.") and name.endswith(".css")]
    assert len(hashed) == 2  # site.css and site.<hash>.css
    assert any(name.endswith(".css.gz") for name in css)
    assert any(name.endswith(".css.br") for name in css)
