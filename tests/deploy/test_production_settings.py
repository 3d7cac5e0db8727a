"""Production settings come from the environment (config/settings.py, README's table)."""

import json
import subprocess

from .servers import PYTHON, ROOT, run_python, site_env

PRODUCTION = {
    "ALLOWED_HOSTS": "jaarcongres.vng.nl",
    "CSRF_TRUSTED_ORIGINS": "https://jaarcongres.vng.nl",
    "HTTPS": "true",
    "DATABASE_URL": "postgres://vng:geheim@db.internal:5432/jaarcongres",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def settings_in(env, *names):
    """The named settings as the site would have them with this environment."""
    code = (
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}},"
        " default=str))"
    )
    return json.loads(run_python(code, env).strip().splitlines()[-1])


def check_deploy(env):
    return subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_in_production_mode():
    result = check_deploy(site_env(**PRODUCTION))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_the_site_is_not_on_https():
    result = check_deploy(site_env(**{**PRODUCTION, "HTTPS": "false"}))

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W012" in result.stderr  # session cookie not secure


def test_https_makes_cookies_secure_and_turns_on_hsts_and_the_redirect():
    values = settings_in(
        site_env(**PRODUCTION),
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
    )

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_behind_a_proxy_the_forwarded_scheme_is_trusted():
    values = settings_in(site_env(**PRODUCTION, BEHIND_PROXY="true"), "SECURE_PROXY_SSL_HEADER")

    assert values == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def test_cookies_are_httponly_and_samesite_lax_in_every_mode():
    values = settings_in(
        site_env(HTTPS="false"),
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SESSION_COOKIE_SECURE",
    )

    assert values == {
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
    }


def test_postgresql_keeps_connections_and_checks_them_before_reuse():
    values = settings_in(site_env(**PRODUCTION), "DATABASES")

    database = values["DATABASES"]["default"]
    assert (database["ENGINE"], database["NAME"], database["HOST"]) == (
        "config.db.postgresql",
        "jaarcongres",
        "db.internal",
    )
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_redis_url_puts_the_cache_and_sessions_in_redis():
    values = settings_in(site_env(**PRODUCTION), "CACHES", "SESSION_ENGINE")

    cache = values["CACHES"]["default"]
    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "config.cache.TolerantRedisCache",
        "redis://cache.internal:6379/0",
    )
    assert values["SESSION_ENGINE"] == "accounts.cached_sessions"


def test_without_redis_each_process_has_a_local_cache_and_sessions_live_in_the_database():
    values = settings_in(site_env(), "CACHES", "SESSION_ENGINE")

    assert values["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )
    assert values["SESSION_ENGINE"] == "accounts.sessions"


def test_media_stay_on_disk_without_a_bucket():
    values = settings_in(site_env(**PRODUCTION), "STORAGES", "SERVE_MEDIA")

    assert values["STORAGES"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert values["SERVE_MEDIA"] is True


def test_a_bucket_puts_media_on_object_storage_and_allows_its_pictures():
    env = site_env(
        **PRODUCTION,
        AWS_STORAGE_BUCKET_NAME="vng-jaarcongres",
        AWS_S3_ENDPOINT_URL="https://s3.nl-ams.example.com",
        AWS_S3_REGION_NAME="nl-ams",
    )

    values = settings_in(env, "STORAGES", "SERVE_MEDIA", "CONTENT_SECURITY_POLICY")

    storage = values["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "vng-jaarcongres"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.nl-ams.example.com"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert values["SERVE_MEDIA"] is False
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == [
        "'self'",
        "data:",
        "https://s3.nl-ams.example.com",
        "https://vng-jaarcongres.s3.nl-ams.example.com",
    ]


def test_smtp_settings_come_from_the_environment():
    env = site_env(
        EMAIL_HOST="smtp.vng.nl",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="true",
        EMAIL_HOST_USER="congres",
        DEFAULT_FROM_EMAIL="VNG Jaarcongres <congres@vng.nl>",
    )

    values = settings_in(
        env,
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_SSL",
        "EMAIL_USE_TLS",
        "EMAIL_TIMEOUT",
        "DEFAULT_FROM_EMAIL",
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.vng.nl",
        "EMAIL_PORT": 465,
        "EMAIL_USE_SSL": True,
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "VNG Jaarcongres <congres@vng.nl>",
    }


def test_a_malformed_number_stops_the_start_with_a_clear_message():
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=site_env(CONN_MAX_AGE="een minuut", DATABASE_URL="postgres://x@127.0.0.1/vng"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number, not 'een minuut'." in result.stderr
