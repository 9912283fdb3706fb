"""Under ASGI (uvicorn), concurrent requests share the process's pool: each request runs in its
own thread (Django's ThreadSensitiveContext) and hands its connection back when it ends, so the
server never sees more than DATABASE_POOL_MAX connections from one process, however many arrive."""

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from graphql_relay import to_global_id

from tests.factories import make_user, make_video

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONCURRENT = 60
QUERY = "query($id: ID!) { video(id: $id) { caption likeCount owner { username } } }"


async def _get(application: Any, path: str, query_string: str) -> tuple[int, bytes]:
    """One request through the ASGI application, as a server would send it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []
    bodies = [{"type": "http.request", "body": b"", "more_body": False}]
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if bodies:
            return bodies.pop()
        await done.wait()  # the client stays connected until the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await application(scope, receive, send)
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return status, body


class Watcher:
    """Samples the test database's server connections from its own (unpooled) session."""

    def __init__(self) -> None:
        params = connection.get_connection_params()
        keep = {"dbname", "user", "password", "host", "port"}
        self.session = psycopg.connect(**{key: value for key, value in params.items() if key in keep}, autocommit=True)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def count(self) -> int:
        row = self.session.execute(
            "select count(*) from pg_stat_activity where datname = current_database()"
        ).fetchone()
        return int(row[0]) if row else 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.count())
            self._stop.wait(0.005)

    def __enter__(self) -> "Watcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def pooled() -> Iterator[dict[str, Any]]:
    """The pool the settings give PostgreSQL, which the suite's test database goes without
    (tests/conftest.py), turned on for this test."""
    if not settings.DATABASE_POOL:
        pytest.skip("DATABASE_POOL=0")
    options = {
        "min_size": min(settings.DATABASE_POOL_MIN, settings.DATABASE_POOL_MAX),
        "max_size": settings.DATABASE_POOL_MAX,
        "timeout": settings.DATABASE_POOL_TIMEOUT_SECONDS,
    }
    connection.close()
    connection.settings_dict["OPTIONS"]["pool"] = options
    try:
        yield options
    finally:
        connection.close()
        connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it
        connection.settings_dict["OPTIONS"].pop("pool", None)


def test_sixty_concurrent_asgi_requests_stay_within_the_pool(pooled: dict[str, Any], production_keys: None) -> None:
    from backend.asgi import application  # with DEBUG off it refuses to start without production's keys

    assert pooled["max_size"] == settings.DATABASE_POOL_MAX
    video = make_video(make_user("creator"))
    query_string = urlencode({"query": QUERY, "variables": json.dumps({"id": to_global_id("Video", str(video.pk))})})

    async def burst() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(_get(application, "/graphql/", query_string) for _ in range(CONCURRENT)))

    watcher = Watcher()
    try:
        with watcher:
            first = async_to_sync(burst)()
            second = async_to_sync(burst)()  # a second wave reuses the pool: no leak
            after = watcher.count()
    finally:
        watcher.session.close()

    print(f"{2 * CONCURRENT} requests: at most {watcher.peak} server connections, {after} after")
    answers = [json.loads(body) for _, body in first + second]
    assert [status for status, _ in first + second] == [200] * 2 * CONCURRENT
    assert all(
        answer == {"data": {"video": {"caption": video.caption, "likeCount": 0, "owner": {"username": "creator"}}}}
        for answer in answers
    )
    # The pool (the test's own connection among them) plus the watcher's session.
    assert 2 <= watcher.peak <= settings.DATABASE_POOL_MAX + 1
    assert after <= settings.DATABASE_POOL_MAX + 1
