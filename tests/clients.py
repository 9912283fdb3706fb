"""Test clients that share their loaded middleware chain within a test, as the requests served
by one process do. A Django test client loads the chain on its first request, and WhiteNoise
then scans every static file: tests that sign in as each role in turn made hundreds of clients.
The chain is dropped after each test and whenever a setting changes, as middleware reads
settings when it is built: all but ``GRAPHQL_SPEEDUPS``, read by the engines alone, which the
differential check (tests/api/speedups_twin.py) flips around every request."""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test import Client
from django.test.client import ClientHandler

_handlers: dict[bool, ClientHandler] = {}
_READ_BY_THE_ENGINES_ALONE = frozenset({"GRAPHQL_SPEEDUPS"})


def shared_client(*, enforce_csrf_checks: bool = True, **defaults: Any) -> Client:
    """A ``django.test.Client`` with its own cookies and the test's shared handler."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks, **defaults)
    client.handler = _handlers.setdefault(enforce_csrf_checks, client.handler)
    return client


@receiver(setting_changed)
def forget_handlers(*, setting: str = "", **_: Any) -> None:
    if setting not in _READ_BY_THE_ENGINES_ALONE:
        _handlers.clear()
