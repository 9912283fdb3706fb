"""The two secret keys the service runs on, and the rule that it does not start without them.

``DJANGO_SECRET_KEY`` signs sessions and everything else Django signs. ``settings.py`` falls back on
``DEVELOPMENT_SECRET_KEY`` so that ``make run`` and the tests work from nothing, and that key is
public: anyone who has read this file could sign a session with it. ``DJANGO_PRIVACY_NOISE_KEY``
keys the noise on insight breakdowns (``engagement/analytics/privacy.py``): whoever knows it can
compute the noise and subtract it, and the breakdowns are exact again. So the noise key is a secret
of its own, never derived from the other key and never a development default.

With DEBUG off (the default) the service refuses to start unless both are real: the secret key set
and not the development one, the noise key at least ``MIN_NOISE_KEY_LENGTH`` characters and equal
to neither. The rule is applied in two places: as a system check (registered in ``backend/apps.py``),
which ``runserver``, ``migrate`` and ``manage.py check`` (``--deploy`` too) run, and by
``backend/wsgi.py`` and ``backend/asgi.py`` once the application is built, because gunicorn and
uvicorn run no system checks. With DEBUG on nothing is refused.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
MIN_NOISE_KEY_LENGTH = 32
MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
_OR_DEVELOP = "For development instead, set DJANGO_DEBUG=1."


@dataclass(frozen=True)
class KeyProblem:
    id: str
    message: str
    hint: str


def key_problems() -> list[KeyProblem]:
    """Why the settings may not serve with DEBUG off; nothing when DEBUG is on."""
    if settings.DEBUG:
        return []
    try:
        secret_key = str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's answer to an empty SECRET_KEY
        secret_key = ""
    noise_key = str(getattr(settings, "PRIVACY_NOISE_KEY", "") or "")
    problems = []
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY:
        problems.append(
            KeyProblem(
                "backend.E001",
                "DJANGO_SECRET_KEY is not set (or is the public development key): with DEBUG off the service does "
                "not run on it.",
                f"Set DJANGO_SECRET_KEY to a new random key; make one with: {MAKE_A_KEY}. {_OR_DEVELOP}",
            )
        )
    keep_it = (
        f"make one with: {MAKE_A_KEY}. Keep it: rotating it draws fresh noise, which gives an attacker a second "
        "sample, so rotate it only when it is compromised."
    )
    if not noise_key:
        problems.append(
            KeyProblem(
                "backend.E002",
                "DJANGO_PRIVACY_NOISE_KEY is not set: with DEBUG off insight breakdowns need a secret noise key "
                "of their own.",
                f"Set DJANGO_PRIVACY_NOISE_KEY to a new random key of at least {MIN_NOISE_KEY_LENGTH} characters, "
                f"different from DJANGO_SECRET_KEY; {keep_it} {_OR_DEVELOP}",
            )
        )
    elif len(noise_key) < MIN_NOISE_KEY_LENGTH:
        problems.append(
            KeyProblem(
                "backend.E003",
                f"DJANGO_PRIVACY_NOISE_KEY is shorter than {MIN_NOISE_KEY_LENGTH} characters.",
                f"Set DJANGO_PRIVACY_NOISE_KEY to a new random key; {keep_it}",
            )
        )
    elif noise_key in (secret_key, DEVELOPMENT_SECRET_KEY):
        problems.append(
            KeyProblem(
                "backend.E004",
                "DJANGO_PRIVACY_NOISE_KEY is the same as a secret key: the noise key must be a secret of its own.",
                f"Set DJANGO_PRIVACY_NOISE_KEY to a new random key, different from DJANGO_SECRET_KEY; {keep_it}",
            )
        )
    return problems


def check_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The rule as a system check: ``runserver``, ``migrate`` and ``manage.py check`` refuse."""
    return [checks.Error(problem.message, hint=problem.hint, id=problem.id) for problem in key_problems()]


def require_keys() -> None:
    """The rule where no system check runs (the WSGI and ASGI entry points)."""
    problems = key_problems()
    if problems:
        lines = "\n".join(f"{problem.message}\n  HINT: {problem.hint}" for problem in problems)
        raise ImproperlyConfigured(f"The service does not start with DEBUG off without its keys:\n{lines}")
