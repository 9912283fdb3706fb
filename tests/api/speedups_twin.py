"""The differential check of ``GRAPHQL_SPEEDUPS``: every GraphQL request a test sends is first
answered with the speed-ups off, in a savepoint rolled back afterwards and with the cache put
back as it was, then answered for real with them on. The two answers must be the same: status,
JSON (data and errors) and the number of SQL queries. Both draw the same "random" values and read
one stopped clock, so a new token or a download link is the same in both, and the same ids (on
PostgreSQL the twin's rolled-back inserts would otherwise have used up the first ones, and a new
draft's upload link names its id); a row's timestamp set by the database layer is not the same,
so a time written during the request compares as "written then".

The role matrix, the fuzzer and the query-count suite run under it (``pytest.mark.differential``,
see tests/api/conftest.py), so their whole corpus is compared on both engines and both databases.
Requests that change who is signed in (``logIn``, ``logOut``, ``signUp``, ``deleteAccount``) are
answered once: a rolled-back twin would still have changed the request's session.
"""

import base64
import copy
import json
import random
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.utils import timezone
from graphql import OperationDefinitionNode, parse
from guardian.shortcuts import clear_ct_cache

from accounts.viewers import request_user
from kernel.graphql_http import on_graphql_path

_SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
SESSION_MUTATIONS = frozenset({"logIn", "logOut", "signUp", "deleteAccount"})
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "speedups-twin"}}


class SpeedupsDiffer(AssertionError):
    """The speed-ups changed an answer."""


def _changes_the_session(request: HttpRequest) -> bool:
    try:
        document = parse(json.loads(request.body)["query"])
    except Exception:  # not a document the engines run: the transport refused it, nothing to twin
        return True
    fields = {
        selection.name.value
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        for selection in definition.selection_set.selections
        if hasattr(selection, "name")
    }
    return bool(fields & SESSION_MUTATIONS)


def _answer(response: HttpResponse, since: datetime) -> tuple[int, Any]:
    try:
        return response.status_code, _times_written_since(json.loads(response.content), since)
    except ValueError:
        return response.status_code, response.content


def _times_written_since(value: Any, since: datetime) -> Any:
    if isinstance(value, dict):
        return {key: _times_written_since(item, since) for key, item in value.items()}
    if isinstance(value, list):
        return [_times_written_since(item, since) for item in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and "T" in value:
        try:
            written = datetime.fromisoformat(value)
        except ValueError:
            return value
        if written.tzinfo is not None and written >= since:
            return "(written during the request)"
    return value


@contextmanager
def _cache_kept() -> Iterator[None]:
    """Throttles, budgets and primary pins written by the twin are taken back."""
    stored, expiry = dict(cache._cache), dict(cache._expire_info)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        cache._cache.clear()  # type: ignore[attr-defined]
        cache._cache.update(stored)  # type: ignore[attr-defined]
        cache._expire_info.clear()  # type: ignore[attr-defined]
        cache._expire_info.update(expiry)  # type: ignore[attr-defined]


def _counted(
    view: Callable[..., HttpResponse], since: datetime, request: HttpRequest, *args: Any, **kwargs: Any
) -> Any:
    """The response, its answer with how many SQL queries it took, and those queries (logged
    like a test's own ``CaptureQueriesContext`` logs them, which this must not disturb)."""
    forced, connection.force_debug_cursor = connection.force_debug_cursor, True
    logged = len(connection.queries_log)
    try:
        response = view(request, *args, **kwargs)
    finally:
        connection.force_debug_cursor = forced
    sql = [query["sql"] for query in list(connection.queries_log)[logged:]]
    return response, (_answer(response, since), len(sql)), sql


@contextmanager
def _same_world(now: datetime, seed: int) -> Iterator[None]:
    """The clock stopped at ``now`` (Django's, and the one signed links read: an upload link
    names its second, which may tick between the two answers), the same sequence of secret draws
    (from ``seed``, new for each request) and the same cold content type caches (Django's and
    django-guardian's, process-wide: the first answer would fill them for the second) for each
    answer."""
    draws = random.Random(seed)
    ContentType.objects.clear_cache()
    clear_ct_cache()

    def token_bytes(size: int | None = None) -> bytes:
        return draws.randbytes(size or 32)

    def token_urlsafe(size: int | None = None) -> str:
        return base64.urlsafe_b64encode(token_bytes(size)).rstrip(b"=").decode()

    def timestamp(_signer: signing.TimestampSigner) -> str:
        return signing.b62_encode(int(now.timestamp()))

    with (
        mock.patch.object(timezone, "now", return_value=now),
        mock.patch.object(signing.TimestampSigner, "timestamp", timestamp),
        mock.patch.object(secrets, "token_bytes", token_bytes),
        mock.patch.object(secrets, "token_urlsafe", token_urlsafe),
    ):
        yield


_SEQUENCES = "SELECT schemaname, sequencename, last_value FROM pg_sequences"


@contextmanager
def _ids_drawn_again() -> Iterator[None]:
    """PostgreSQL's id sequences put back as they were when the block ends: a rollback leaves them
    advanced, where SQLite draws the rolled-back ids again."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(_SEQUENCES)
        before = {(schema, name): value for schema, name, value in cursor.fetchall()}
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(_SEQUENCES)
            for schema, name, value in cursor.fetchall():
                drawn = before.get((schema, name), value)
                if value != drawn:
                    sequence = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(name)}"
                    # A sequence never drawn from goes back to its start: its next id is its first.
                    cursor.execute("SELECT setval(%s::regclass, %s, %s)", [sequence, drawn or 1, drawn is not None])


def twinned(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST" or not on_graphql_path(request) or _changes_the_session(request):
            return view(request, *args, **kwargs)
        now, seed = timezone.now(), secrets.randbits(64)
        viewer = request_user(request) if hasattr(request, "user") else None  # the test's viewer, loaded once
        logged = len(connection.queries_log)
        if viewer is not None:
            request.user = copy.copy(viewer)  # the twin's own: permission caches it fills stay its own
        with (
            _ids_drawn_again(),
            _cache_kept(),
            override_settings(GRAPHQL_SPEEDUPS=False),
            transaction.atomic(),
            _same_world(now, seed),
        ):
            _, off, off_sql = _counted(view, now, request, *args, **kwargs)
            transaction.set_rollback(True)
        if viewer is not None:
            request.user = viewer
        while len(connection.queries_log) > logged:  # the twin's queries are not the test's
            connection.queries_log.pop()
        with _same_world(now, seed):
            response, on, on_sql = _counted(view, now, request, *args, **kwargs)
        if on != off:
            where, left, right = _first_difference(on, off)
            only_off = [sql for sql in off_sql if sql not in on_sql and not sql.startswith(_SAVEPOINTS)]
            raise SpeedupsDiffer(
                f"at {where}: speed-ups on: {left!r}\nspeed-ups off: {right!r}\nSQL only with them off: {only_off}\n"
                f"request: {request.body.decode(errors='replace')}"
            )
        return response

    return run


def _first_difference(left: Any, right: Any, path: str = "") -> tuple[str, Any, Any]:
    if isinstance(left, dict | list | tuple) and type(left) is type(right) and len(left) == len(right):
        keys = left.keys() if isinstance(left, dict) else range(len(left))
        for key in keys:
            if isinstance(left, dict) and key not in right:
                break
            if left[key] != right[key]:
                return _first_difference(left[key], right[key], f"{path}/{key}")
    return path or "/", left, right


@contextmanager
def speedups_twinned() -> Iterator[None]:
    """Every view Django runs goes through ``twinned`` (GraphQL POSTs only are twinned)."""
    make_view_atomic = BaseHandler.make_view_atomic

    def make_twinned(handler: BaseHandler, view: Callable[..., Any]) -> Callable[..., HttpResponse]:
        return twinned(make_view_atomic(handler, view))

    with override_settings(CACHES=LOCAL_CACHE), mock.patch.object(BaseHandler, "make_view_atomic", make_twinned):
        cache.clear()
        yield
