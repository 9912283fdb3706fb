"""How the benchmarks call the application and time it.

Requests go through Django's real WSGI handler in-process: URL routing, every middleware (session,
CSRF, authentication, the GraphQL transport checks), the view and the response, with no sockets or
HTTP parser in between, so that neither side pays a cost that is not its own. Database
connections stay open between requests, as in production with ``CONN_MAX_AGE``.

API and baseline are timed the same way in the same run: interleaved rounds (the order rotates
each round), throughput per round, medians compared.
"""

import gc
import io
import json
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, connections
from django.middleware.csrf import _get_new_csrf_string
from django.test.utils import CaptureQueriesContext

from accounts.models import User

ENDPOINTS = {"strawberry": "/graphql/", "graphene": "/graphql/graphene/"}


@contextmanager
def persistent_connections() -> Iterator[None]:
    """Keep the database connection across requests (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class WsgiClient:
    """A browser-like client (session cookie, CSRF token) calling the WSGI handler directly."""

    def __init__(self, handler: WSGIHandler | None = None) -> None:
        self.handler = handler or WSGIHandler()
        self.csrf = _get_new_csrf_string()
        self.cookie = f"{settings.CSRF_COOKIE_NAME}={self.csrf}"
        self.user_id: int | None = None

    def sign_in(self, user_id: int) -> "WsgiClient":
        """A session as ``login()`` would create it, without a password round."""
        user = User.objects.get(pk=user_id)
        self.user_id = user.pk
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={self.csrf}"
        return self

    def _environ(self, method: str, path: str, query: str = "", body: bytes = b"") -> dict[str, Any]:
        return {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": self.cookie,
            "HTTP_X_CSRFTOKEN": self.csrf,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: bytes = b"") -> Response:
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            status.append(line)

        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        result = self.handler(self._environ(method, path, query, body), start_response)  # type: ignore[arg-type]
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return Response(int(status[0].split(" ", 1)[0]), content)

    def get(self, path: str, **params: Any) -> Response:
        return self.call("GET", path, params=params)

    def post(self, path: str, payload: dict[str, Any]) -> Response:
        return self.call("POST", path, body=json.dumps(payload).encode())

    def graphql(self, engine: str, query: str, variables: dict[str, Any] | None = None) -> Response:
        return self.post(ENDPOINTS[engine], {"query": query, "variables": variables or {}})


def count_queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def interleaved(
    variants: dict[str, Callable[[], Any]], *, rounds: int, requests: int, warmup: int = 3
) -> dict[str, list[float]]:
    """Requests per second of each variant, one sample per round; the order rotates each round
    so that no variant always runs first (cold caches) or last (a warm, or a tired, machine)."""
    for call in variants.values():
        for _ in range(warmup):
            call()
    names = list(variants)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            call = variants[name]
            gc.collect()
            started = time.perf_counter()
            for _ in range(requests):
                call()
            samples[name].append(requests / (time.perf_counter() - started))
    return samples


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class ClientOutcome:
    ops: int = 0
    errors: int = 0
    locked: int = 0
    seconds: float = 0.0


def run_concurrently(
    clients: int,
    work: Callable[[int], ClientOutcome],
    *,
    warmup: Callable[[int], Any] | None = None,
    timeout: float = 300.0,
) -> tuple[list[ClientOutcome], float]:
    """Run ``work(index)`` in ``clients`` forked processes, released together by a barrier; each
    has its own database connection, opened (with ``warmup(index)``) before the barrier so that
    no process start-up is timed. Returns what each did and the wall time from release until
    the last one finished."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients + 1)
    results: Any = context.Queue()
    connections.close_all()

    def child(index: int) -> None:
        outcome = ClientOutcome(errors=1)
        try:
            connection.ensure_connection()
            if warmup is not None:
                warmup(index)
            barrier.wait(timeout)
            started = time.perf_counter()
            outcome = work(index)
            outcome.seconds = time.perf_counter() - started
        finally:
            results.put((index, outcome))
            connections.close_all()

    processes = [context.Process(target=child, args=(index,), daemon=True) for index in range(clients)]
    gc.freeze()  # the children then do not copy every page of the parent's heap on their first GC
    try:
        for process in processes:
            process.start()
    finally:
        gc.unfreeze()
    barrier.wait(timeout)
    started = time.perf_counter()
    outcomes: dict[int, ClientOutcome] = {}
    deadline = started + timeout
    while len(outcomes) < clients and time.perf_counter() < deadline:
        index, outcome = results.get(timeout=max(deadline - time.perf_counter(), 0.1))
        outcomes[index] = outcome
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()
    return [outcomes.get(index, ClientOutcome(errors=1)) for index in range(clients)], elapsed


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": database,
    }
