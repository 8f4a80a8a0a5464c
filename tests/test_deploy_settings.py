"""The production settings (docker/siap.env) pass Django's deployment checks, and SIAP refuses to start where it
would be reachable from a network with the embedded SECRET_KEY or with DEBUG on."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
SIAP_ENV = ROOT / "docker" / "siap.env"


def production_environment(**overrides):
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "DATABASE_URL"}}
    for line in SIAP_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            env[name] = value
    # what compose gives the containers, moved here: the database of this test run, folders of this machine
    env.update(DATABASE_URL=os.environ["DATABASE_URL"], MEDIA_ROOT="/tmp/siap-deploy-check/media",
               STATIC_ROOT="/tmp/siap-deploy-check/static", SECRET_KEY=secrets.token_urlsafe(50))
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run(argv, **overrides):
    return subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True,
                          env=production_environment(**overrides), timeout=120)


def manage(*arguments, **overrides):
    return run(["manage.py", *arguments], **overrides)


def test_the_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_the_production_settings_turn_the_security_headers_on():
    result = manage("shell", "-v", "0", "-c", "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
                    "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
                    "'script-src' in s.CONTENT_SECURITY_POLICY['DIRECTIVES'])")
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True"], result.stderr


@pytest.mark.parametrize("overrides, message", [
    ({"SECRET_KEY": None}, "SECRET_KEY is the embedded default while ALLOWED_HOSTS names a real host"),
    ({"DEBUG": "1"}, "DEBUG is on while ALLOWED_HOSTS names a real host"),
])
@pytest.mark.parametrize("argv", [
    ["manage.py", "check"],
    ["manage.py", "migrate", "--check"],
    # what gunicorn and the celery worker load, without any system check
    ["-c", "from project.wsgi import application"],
    ["-c", "from project.celery import app; app.loader.import_default_modules()"],
])
def test_siap_refuses_to_start_on_a_real_host_with_the_embedded_key_or_debug(overrides, message, argv):
    result = run(argv, **overrides)
    assert result.returncode != 0 and message in result.stderr


def test_a_local_host_may_use_the_embedded_key_and_debug():
    result = manage("check", SECRET_KEY=None, DEBUG="1", ALLOWED_HOSTS="127.0.0.1,localhost",
                    SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_a_rotated_secret_key_keeps_people_signed_in_while_the_old_one_is_a_fallback(settings, org):
    """Sessions are signed with SECRET_KEY. Rotating it with the old key in SECRET_KEY_FALLBACKS signs nobody out,
    and each session is signed again with the new key at its next request; once the fallback is dropped, only
    sessions that came back in between remain."""
    active, away = Client(), Client()
    active.force_login(org.registrar)
    away.force_login(org.chair)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = secrets.token_urlsafe(50), [old_key]
    assert active.get("/").status_code == 200, "still signed in under the new key"
    settings.SECRET_KEY_FALLBACKS = []
    assert active.get("/").status_code == 200, "its session was signed again with the new key"
    assert away.get("/").status_code == 302, "a session only the old key signed no longer counts"
