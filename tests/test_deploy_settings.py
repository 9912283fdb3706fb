"""Production settings: DEBUG off with a real secret key, a noise key of its own and hosts passes
Django's deploy checks; without either key the service refuses to start (backend/secret_keys.py),
under ``manage.py`` and under the WSGI and ASGI entry points alike."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_django import Settings

from backend.secret_keys import DEVELOPMENT_SECRET_KEY, key_problems

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_PRIVACY_NOISE_KEY")


def _environment(**variables: str) -> dict[str, str]:
    """This process's environment without DEBUG or either key, then ``variables``."""
    env = {key: value for key, value in os.environ.items() if key not in KEYS}
    return {**env, "DATABASE_URL": "sqlite:///:memory:", **variables}


def _production(**variables: str) -> dict[str, str]:
    return _environment(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_PRIVACY_NOISE_KEY=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="api.example.com",
        **variables,
    )


def _without(env: dict[str, str], name: str) -> dict[str, str]:
    return {key: value for key, value in env.items() if key != name}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_with_production_environment() -> None:
    result = _check_deploy(_production())

    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_deploy_checks_fail() -> None:
    """The development fallback key is never mistaken for a production set-up."""
    result = _check_deploy(_without(_production(), "DJANGO_SECRET_KEY"))

    assert result.returncode != 0
    assert "backend.E001" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_without_a_noise_key_deploy_checks_fail_and_say_how_to_make_one() -> None:
    result = _check_deploy(_without(_production(), "DJANGO_PRIVACY_NOISE_KEY"))

    assert result.returncode != 0
    assert "DJANGO_PRIVACY_NOISE_KEY is not set" in result.stderr
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in result.stderr


def test_a_plain_check_refuses_too_so_runserver_and_migrate_do() -> None:
    """Not only ``--deploy``: the check is an error of every run (runserver and migrate run it)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_environment(DJANGO_DEBUG="0"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "backend.E001" in result.stderr
    assert "backend.E002" in result.stderr


@pytest.mark.parametrize("module", ["backend.wsgi", "backend.asgi"])
def test_the_server_entry_points_refuse_to_start_without_a_noise_key(module: str) -> None:
    """gunicorn and uvicorn run no system checks: importing the application refuses instead."""
    env = _without(_production(), "DJANGO_PRIVACY_NOISE_KEY")
    refused = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    started = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        env=_production(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert refused.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in refused.stderr
    assert "DJANGO_PRIVACY_NOISE_KEY is not set" in refused.stderr
    assert started.returncode == 0, started.stderr


def test_with_debug_on_nothing_is_refused() -> None:
    code = "import backend.wsgi, backend.asgi; from django.core.management import call_command; call_command('check')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("noise_key", "problem"),
    [
        ("", "backend.E002"),
        ("short-" * 5, "backend.E003"),
        ("same-as-the-secret-key-" * 3, "backend.E004"),
        (DEVELOPMENT_SECRET_KEY, "backend.E004"),
        ("a-noise-key-of-its-own-" * 3, None),
    ],
)
def test_the_noise_key_must_be_long_and_a_secret_of_its_own(
    settings: Settings, noise_key: str, problem: str | None
) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = "same-as-the-secret-key-" * 3
    settings.PRIVACY_NOISE_KEY = noise_key

    assert [found.id for found in key_problems()] == ([problem] if problem else [])


def test_the_development_secret_key_is_refused(settings: Settings) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = DEVELOPMENT_SECRET_KEY
    settings.PRIVACY_NOISE_KEY = "a-noise-key-of-its-own-" * 3

    assert [found.id for found in key_problems()] == ["backend.E001"]
    settings.DEBUG = True
    assert key_problems() == []
