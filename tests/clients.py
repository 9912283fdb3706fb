"""Test clients that share one loaded middleware chain, as the requests served by one process
do: a Django test client loads the chain on its first request, and WhiteNoise then scans every
static file, while tests that sign in as each role in turn make hundreds of clients.

Each request takes the shared chain of the moment. The chain is dropped after each test module
(middleware such as the GraphQL metrics' remembers what it has seen) and whenever a setting
changes, since middleware may read settings when it is built. The exceptions are settings read
only below the middleware, while requests run, that tests change all the time: the speed-ups
switch and the cache the differential check sets around every request
(tests/api/speedups_twin.py), each test's media folder (tests/conftest.py), and the analytics
tests' privacy and insights settings."""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test import Client
from django.test.client import ClientHandler

_handlers: dict[bool, ClientHandler] = {}
_READ_WHEN_RUN = frozenset({"GRAPHQL_SPEEDUPS", "CACHES", "MEDIA_ROOT"})
_READ_WHEN_RUN_PREFIXES = ("PRIVACY_", "INSIGHTS_")


class SharedChainClient(Client):
    """A ``django.test.Client`` with its own cookies that sends each request through the shared
    handler of the moment, so a setting changed after the client was made still applies."""

    def request(self, **request: Any) -> Any:
        csrf = self.handler.enforce_csrf_checks
        self.handler = _handlers.get(csrf) or _handlers.setdefault(csrf, ClientHandler(csrf))
        return super().request(**request)


def shared_client(*, enforce_csrf_checks: bool = True) -> Client:
    return SharedChainClient(enforce_csrf_checks=enforce_csrf_checks)


@receiver(setting_changed)
def forget_handlers(*, setting: str = "", **_: Any) -> None:
    if setting not in _READ_WHEN_RUN and not setting.startswith(_READ_WHEN_RUN_PREFIXES):
        _handlers.clear()
