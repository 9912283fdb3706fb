"""PostgreSQL timestamps parsed in C.

On every PostgreSQL connection Django registers a ``timestamptz`` loader of its own, to pin the
time zone of what it reads; it subclasses psycopg's pure-Python loader, which parses each value
with a regular expression, a cost paid on every value read (docs/PERFORMANCE.md has the figures).
Where psycopg has its C implementation (``psycopg[binary]``, as ``requirements.txt`` installs it),
this loader does exactly what Django's does, with the parse done by psycopg's C loader, and is
registered in Django's stead when a connection opens (``backend.apps``).
"""

from datetime import datetime, tzinfo
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import abc
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid


def _native_loader() -> type[abc.Loader] | None:
    """psycopg's own ``timestamptz`` text loader when it is the C one, else None."""
    if psycopg.pq.__impl__ == "python":
        return None
    return psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class CParsedTimestamptzLoader(Loader):
    """Django's ``BaseTzLoader`` (parse, then set ``timezone``) with psycopg's C parser."""

    timezone: tzinfo | None = None  # Django's cursors compare it with the connection's
    native: type[abc.Loader]

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._parse = self.native(oid, context).load

    def load(self, data: Any) -> datetime:
        parsed: datetime = self._parse(data)
        return parsed if parsed.tzinfo is self.timezone else parsed.replace(tzinfo=self.timezone)


def use_c_parsed_timestamps(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: swap Django's loader for the C-parsed one, same time zone."""
    native = _native_loader()
    if connection.vendor != "postgresql" or native is None:
        return
    loader = type("TimestamptzLoader", (CParsedTimestamptzLoader,), {"timezone": connection.timezone, "native": native})
    connection.connection.adapters.register_loader(TIMESTAMPTZ, loader)
