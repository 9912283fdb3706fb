"""Read replicas: GraphQL queries read from a PostgreSQL replica when ``DATABASE_REPLICA_URL`` is
set; everything else (mutations, services, sessions, commands) stays on the primary.

What may go to the replica is decided per *operation*, not per model: a query operation only
reads, so its selectors (profiles, videos, favorites, insights and the analytics rollups) may run
on a copy that lags a little. Three rules keep that invisible to users:

- read-your-writes: after a viewer's mutation, their queries read from the primary for
  ``DATABASE_REPLICA_PIN_SECONDS`` (a marker in the cache, shared by all app processes);
- a read inside a transaction uses the primary, which holds what the transaction wrote;
- only this project's apps are routed: sessions, auth tokens and permissions are read where they
  are written (a session created by ``logIn`` must be found by the very next request).

Without a replica configured the router does nothing, so tests and SQLite are unaffected.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ROUTED_APPS = frozenset({"accounts", "engagement"})
_reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.databases


@contextmanager
def replica_reads(enabled: bool = True) -> Iterator[None]:
    """Let the reads inside go to the replica (when one is configured)."""
    token = _reads_on_replica.set(enabled)
    try:
        yield
    finally:
        _reads_on_replica.reset(token)


def _pin_key(user_id: Any) -> str:
    return f"replica-pin:{user_id}"


def pin_to_primary(user: Any) -> None:
    """After ``user`` wrote: their next reads see the primary for a few seconds."""
    if replica_configured() and getattr(user, "pk", None) is not None:
        seconds = int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5))
        cache.set(_pin_key(user.pk), time.time() + seconds, seconds)


def may_read_replica(user: Any) -> bool:
    """Whether a query by ``user`` may read from the replica now."""
    if not replica_configured():
        return False
    user_id = getattr(user, "pk", None)
    return user_id is None or cache.get(_pin_key(user_id)) is None


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _reads_on_replica.get() or model._meta.app_label not in ROUTED_APPS:
            return None
        if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows on both
