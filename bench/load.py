"""``python -m bench --load``: the API under load through a real multi-process server.

Each server (gunicorn with 3 sync workers, then uvicorn with 3 workers) serves the bench settings
on 127.0.0.1. Thirty client threads with keep-alive connections drive three workloads for a fixed
time each: the viewer's favorites page, the creator's insight totals, and a write mix (writers
saving and unsaving their own videos). Every workload runs against both engines and against the
hand-written baseline views of the same server, so each engine's figures are also a ratio to the
baseline's. ``--faults`` repeats the write mix and the favorites page with a private Redis as the
cache, stops that Redis for 15 seconds and kills the server's PostgreSQL sessions partway through,
and reports errors by kind and counter drift (which must be 0).

Traffic goes to 127.0.0.1 only; every loop is bounded by its duration.
"""

import functools
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.workloads import FAVORITE, UNFAVORITE, W1_QUERY, W2_QUERY

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3
SERVERS: dict[str, Callable[[int], list[str]]] = {
    "gunicorn": lambda port: [
        sys.executable, "-m", "gunicorn", "backend.wsgi:application", "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning",
    ],
    "uvicorn": lambda port: [
        sys.executable, "-m", "uvicorn", "backend.asgi:application", "--workers", str(WORKERS),
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ],
}  # fmt: skip
VARIANTS = ("strawberry", "graphene", "baseline")
ENDPOINT = {"strawberry": "/graphql/", "graphene": "/graphql/graphene/"}
FAULT_REDIS_PORT = 6391
# The servers run with DEBUG off (bench.settings), where they refuse to start without real keys
# (backend/secret_keys.py): each bench process makes fresh ones for them, and signs its clients'
# sessions with the same secret key. A secret key makes the settings production's, so plain HTTP
# on 127.0.0.1 is allowed explicitly, as on a private network.
SERVER_KEYS = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_PRIVACY_NOISE_KEY": secrets.token_urlsafe(48),
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes = b""


@dataclass
class Identity:
    """A signed-in session as a browser holds it: cookie and CSRF token."""

    cookie: str
    csrf: str


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, seconds: float, error: str | None) -> None:
        self.latencies.append(seconds)
        if error:
            self.errors[error] += 1


def _graphql(engine: str, query: str, variables: dict[str, Any]) -> Call:
    return Call("POST", ENDPOINT[engine], json.dumps({"query": query, "variables": variables}).encode())


def workload_calls(world: Any, variant: str, workload: str, client: int, step: int) -> Call:
    """The ``step``-th request of client ``client`` in a workload."""
    if workload == "favorites":
        if variant == "baseline":
            return Call("GET", "/bench/favorites/?first=20")
        return _graphql(variant, W1_QUERY, {"first": 20})
    if workload == "insights":
        if variant == "baseline":
            return Call("GET", "/bench/insights/?first=100")
        return _graphql(variant, W2_QUERY, {"first": 100})
    video = _video_gid(world.writer_videos[client % len(world.writer_videos)])
    save = step % 2 == 0
    if variant == "baseline":
        return Call(
            "POST", "/bench/favorite/" if save else "/bench/unfavorite/", json.dumps({"videoId": video}).encode()
        )
    return _graphql(variant, FAVORITE if save else UNFAVORITE, {"id": video})


def _video_gid(pk: int) -> str:
    from graphql_relay import to_global_id

    return str(to_global_id("Video", str(pk)))


def server_environment(database_url: str, **variables: str) -> dict[str, str]:
    """The environment of a server the load runs start: bench settings, the database, the keys."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        **SERVER_KEYS,
        **variables,
    }


def identity_of(user_id: int) -> Identity:
    """A session for ``user_id`` made as ``login()`` makes one (signed with the servers' secret
    key), and a CSRF token to match."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import override_settings

    from bench.harness import WsgiClient

    client = WsgiClient()
    with override_settings(SECRET_KEY=SERVER_KEYS["DJANGO_SECRET_KEY"]):
        client.sign_in(user_id)
    csrf = _get_new_csrf_string()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookie.split(';')[0].split('=', 1)[1]}; "
    return Identity(cookie=cookie + f"{settings.CSRF_COOKIE_NAME}={csrf}", csrf=csrf)


def _error_of(status: int, body: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}"
    try:
        answer = json.loads(body)
    except ValueError:
        return "not JSON"
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        return str((errors[0].get("extensions") or {}).get("code", "no code"))
    return None


def drive(
    port: int,
    identities: list[Identity],
    make_call: Callable[[int, int], Call],
    *,
    clients: int,
    seconds: float,
) -> Tally:
    """``clients`` threads, each on its own keep-alive connection, for ``seconds``."""
    tally, lock = Tally(), threading.Lock()
    deadline = time.monotonic() + seconds

    def run(index: int) -> None:
        who = identities[index % len(identities)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        step = 0
        while time.monotonic() < deadline:
            call = make_call(index, step)
            headers = {"Cookie": who.cookie, "X-CSRFToken": who.csrf, "Content-Type": "application/json"}
            started = time.perf_counter()
            try:
                connection.request(call.method, call.path, body=call.body or None, headers=headers)
                response = connection.getresponse()
                error = _error_of(response.status, response.read())
            except (OSError, http.client.HTTPException) as failure:
                error = type(failure).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                tally.add(time.perf_counter() - started, error)
            step += 1
        connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def summary(tally: Tally, seconds: float) -> dict[str, Any]:
    ordered = sorted(tally.latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(int(p * len(ordered)), len(ordered) - 1)], 1) if ordered else 0.0

    return {
        "requests_per_s": round(len(ordered) / seconds, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "requests": len(ordered),
        "errors": sum(tally.errors.values()),
        "errors_by_kind": dict(tally.errors),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(server: str, env: dict[str, str]) -> Iterator[int]:
    """Start ``server`` on a free port, wait until it answers, stop it after."""
    port = _free_port()
    process = subprocess.Popen(SERVERS[server](port), cwd=ROOT, env=env, start_new_session=True)
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/graphql/?query=%7B__typename%7D")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not answer within 60 s")


def run_load(world: Any, database_url: str, *, seconds: float, clients: int, servers: list[str]) -> dict[str, Any]:
    """Every server, workload and variant, with ratios of each engine to the baseline."""
    from bench import workloads

    env = server_environment(database_url)
    people = {
        "favorites": [identity_of(world.viewer)],
        "insights": [identity_of(world.creator)],
        "writes": [identity_of(writer) for writer in world.writers],
    }
    results: dict[str, Any] = {}
    for server in servers:
        with serving(server, env) as port:
            for workload, identities in people.items():
                if workload == "writes":
                    workloads.reset_writers(world)
                figures = {}
                for variant in VARIANTS:
                    calls = functools.partial(workload_calls, world, variant, workload)
                    tally = drive(port, identities, calls, clients=clients, seconds=seconds)
                    figures[variant] = summary(tally, seconds)
                    print(_line(server, workload, variant, figures[variant]), flush=True)
                base = figures["baseline"]["requests_per_s"] or 1.0
                for variant in ("strawberry", "graphene"):
                    figures[variant]["ratio"] = round(figures[variant]["requests_per_s"] / base, 2)
                results[f"{server}:{workload}"] = figures
    return results


def _line(server: str, workload: str, variant: str, figures: dict[str, Any]) -> str:
    values = " ".join(f"{key}={value}" for key, value in figures.items() if key != "errors_by_kind")
    kinds = ",".join(f"{kind}:{count}" for kind, count in figures["errors_by_kind"].items()) or "-"
    return f"LOAD {server} {workload} {variant} {values} error_kinds={kinds}"


@contextmanager
def private_redis() -> Iterator[Callable[[float], None]]:
    """A Redis of the bench's own on ``FAULT_REDIS_PORT``; yields ``outage(seconds)``, which stops
    it for that long and starts it again. The machine's own Redis is never touched."""

    def start() -> subprocess.Popen[bytes]:
        command = ["redis-server", "--port", str(FAULT_REDIS_PORT), "--bind", "127.0.0.1", "--save", ""]
        return subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)

    current = [start()]

    def outage(seconds: float) -> None:
        current[0].terminate()
        current[0].wait()
        time.sleep(seconds)
        current[0] = start()

    try:
        yield outage
    finally:
        current[0].terminate()
        current[0].wait()


def kill_sessions() -> int:
    """Terminate every PostgreSQL session of the bench database but this process's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def run_faults(world: Any, database_url: str, *, seconds: float, clients: int, servers: list[str]) -> dict[str, Any]:
    """The write mix and the favorites page on each engine while the cache goes away for 15 s and
    the server's database sessions are killed; errors by kind, and counter drift afterwards."""
    from django.db import connections

    from bench import workloads
    from engagement.counters import counter_drift

    seconds = max(seconds, 30.0)
    env = server_environment(database_url, REDIS_URL=f"redis://127.0.0.1:{FAULT_REDIS_PORT}/0")
    writers = [identity_of(writer) for writer in world.writers]
    results: dict[str, Any] = {}
    with private_redis() as outage:
        for server in servers:
            with serving(server, env) as port:
                for variant in ("strawberry", "graphene"):
                    workloads.reset_writers(world)
                    faults = threading.Thread(target=_inject, args=(outage, seconds))
                    faults.start()
                    calls = functools.partial(workload_calls, world, variant, "writes")
                    tally = drive(port, writers, calls, clients=clients, seconds=seconds)
                    faults.join()
                    for alias in connections:  # this process's sessions were killed too
                        connections[alias].close()
                        getattr(connections[alias], "close_pool", lambda: None)()
                    figures = summary(tally, seconds)
                    figures["counter_drift"] = len(counter_drift())
                    print(_line(server, "faults", variant, figures) + f" drift={figures['counter_drift']}", flush=True)
                    results[f"{server}:faults:{variant}"] = figures
    return results


def _inject(outage: Callable[[float], None], seconds: float) -> None:
    """The cache is gone from 3 s to 18 s; the database sessions are killed at 20 s and 5 s
    before the end."""
    from django.db import connection

    started = time.monotonic()
    time.sleep(3)
    outage(15)
    for at in (20.0, seconds - 5):
        time.sleep(max(at - (time.monotonic() - started), 0))
        kill_sessions()
    connection.close()
