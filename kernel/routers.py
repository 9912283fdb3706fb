"""Read replicas: GraphQL queries read from a PostgreSQL replica when ``DATABASE_REPLICA_URL`` is
set; everything else (mutations, services, sessions, commands) stays on the primary.

What may go to the replica is decided per *operation*, not per model: a query operation only
reads, so its selectors (profiles, videos, favorites, insights and the analytics rollups) may run
on a copy that lags a little. Four rules keep that invisible to users:

- read-your-writes: after a viewer's mutation, their queries read from the primary for
  ``DATABASE_REPLICA_PIN_SECONDS`` (a marker in the cache, shared by all app processes);
- nobody reads what they may no longer see: a write that changes what *other* people may see
  pins them too, once it commits (``visibility_changed_for``: both sides of a follow edge;
  ``visibility_changed_for_everyone``: an account made private, a video hidden or deleted);
- a read inside a transaction uses the primary, which holds what the transaction wrote;
- only this project's apps are routed: sessions, auth tokens and permissions are read where they
  are written (a session created by ``logIn`` must be found by the very next request).

Without a replica configured the router does nothing, so tests and SQLite are unaffected.

When the cache cannot be reached (``kernel.ratelimit.shared_cache_or``), pins cannot be read, so
queries read the primary; a pin that could not be written keeps this process's reads on the
primary for the pin window, so that the cache coming back without the pin shows no stale rows here.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import monotonic
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from kernel.ratelimit import shared_cache_or

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


_EVERYONE = "replica-pin:*"


def _pin_key(user_id: Any) -> str:
    return f"replica-pin:{user_id}"


_primary_until = 0.0  # monotonic seconds: a pin this process could not write holds until then


def _pin(keys: list[str]) -> None:
    seconds = int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5))

    def write(store: BaseCache) -> None:
        store.set_many(dict.fromkeys(keys, time.time() + seconds), seconds)

    def hold_locally() -> None:
        global _primary_until
        _primary_until = max(_primary_until, monotonic() + seconds)

    shared_cache_or("replica_pin", write, hold_locally)


def pin_to_primary(user: Any) -> None:
    """After ``user`` wrote: their next reads see the primary for a few seconds."""
    if replica_configured() and getattr(user, "pk", None) is not None:
        _pin([_pin_key(user.pk)])


def visibility_changed_for(*users: Any) -> None:
    """The current transaction changes what ``users`` may see: once it commits, their reads use
    the primary for the pin window, so a lagging replica cannot show them what they lost.

    On commit, not now: the window must start when the change exists, and a rolled-back write
    changed nothing."""
    keys = [_pin_key(user.pk) for user in users if getattr(user, "pk", None) is not None]
    if keys and replica_configured():
        transaction.on_commit(lambda: _pin(keys), robust=True)


def visibility_changed_for_everyone() -> None:
    """Like ``visibility_changed_for``, for every viewer, anonymous ones included: the change
    (an account made private, a video hidden or deleted) may concern anyone."""
    if replica_configured():
        transaction.on_commit(lambda: _pin([_EVERYONE]), robust=True)


def may_read_replica(user: Any) -> bool:
    """Whether a query by ``user`` may read from the replica now."""
    if not replica_configured():
        return False
    if monotonic() < _primary_until:
        return False
    user_id = getattr(user, "pk", None)
    keys = [_EVERYONE] if user_id is None else [_EVERYONE, _pin_key(user_id)]
    return shared_cache_or("replica_pin", lambda store: not store.get_many(keys), lambda: False)


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
