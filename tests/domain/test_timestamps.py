"""``kernel.timestamps``: on PostgreSQL, timestamps are parsed by psycopg's C loader and come out
exactly as Django's own loader gives them (same instant, same time zone object)."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from kernel.timestamps import TIMESTAMPTZ, CParsedTimestamptzLoader

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LITERALS = (
    "2026-11-30 12:34:56.789012+00",
    "2026-03-29 01:59:59.999999+01:00",
    "1999-12-31 23:59:59-08",
    "0044-03-15 12:00:00+00",
    "2000-02-29 00:00:00+05:30",
    "9999-12-31 23:59:59.999999+00",
)
QUERY = "SELECT " + ", ".join(f"'{literal}'::timestamptz" for literal in LITERALS)


def _read(*, django_loader: bool) -> tuple[datetime, ...]:
    with connection.cursor() as cursor:
        if django_loader:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(QUERY)
        row = cursor.fetchone()
        assert row is not None
        return tuple(row)


def test_connections_parse_timestamps_in_c() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)

    assert loader is not None and issubclass(loader, CParsedTimestamptzLoader)
    assert loader.timezone == connection.timezone  # so Django's cursors keep it
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is loader


def test_values_are_what_djangos_own_loader_gives() -> None:
    ours, djangos = _read(django_loader=False), _read(django_loader=True)

    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos]
    assert all(value.tzinfo is connection.timezone for value in ours)
