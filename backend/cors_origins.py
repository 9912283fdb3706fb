"""The origins trusted with visitors' sessions, checked before the service starts.

An origin in ``CORS_ALLOWED_ORIGINS`` gets its preflights answered with credentials, so its pages
may send JSON to the GraphQL endpoints with the visitor's cookie and read the answers (no CSRF token:
``kernel/preflight.py``). ``null`` is the origin of every sandboxed frame, ``file:`` page and
redirected request, so listing it would trust every site; a plain ``http://`` origin can be
impersonated by anyone on the visitor's network. The check refuses ``null`` and anything that is not
an http(s) origin always, and ``http://`` with DEBUG off except for loopback addresses.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


def origin_problem(origin: str, *, debug: bool) -> str | None:
    """Why ``origin`` may not be trusted with sessions, or None."""
    if origin.strip().lower() == "null":
        return "'null' is the origin of sandboxed frames and file: pages of any site"
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) origin"
    if parts.scheme == "http" and not debug and parts.netloc.rsplit(":", 1)[0] not in LOOPBACK_HOSTS:
        return "plain http can be impersonated on the visitor's network; use https"
    return None


def check_cors_origins(**_: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"DJANGO_CORS_ALLOWED_ORIGINS lists {origin!r}: {problem}.",
            hint="List only the https origins of your own frontends.",
            id="backend.E010",
        )
        for origin in settings.CORS_ALLOWED_ORIGINS
        if (problem := origin_problem(origin, debug=settings.DEBUG))
    ]
