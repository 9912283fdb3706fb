"""One run at a time of a job that must not run beside itself, across processes and machines.

On PostgreSQL a session-level advisory lock (``pg_try_advisory_lock``) named after the job: a
second run does not queue behind the first (it would wait past ``lock_timeout``), it learns that
the job is running and does nothing; the lock goes with the connection of a run whose process
dies. SQLite has one writer at a time and every write is an IMMEDIATE transaction, so there the
runs of a job whose transactions each redo their whole work already take turns.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def lock_key(name: str) -> int:
    """The signed 64-bit key ``pg_try_advisory_lock(bigint)`` takes, the same in every process."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """True while this run holds the job ``name``; False when another run holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
