"""Shared fixtures. Tests marked ``postgres`` prove concurrency and only mean something there."""

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import uvicorn
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import override_settings
from pytest_django import DjangoDbBlocker, Settings

from backend.celery import app as celery_app
from tests.api.conftest import ENDPOINTS
from tests.clients import forget_handlers
from tests.module_data import ModuleData, module_transaction, transactional_tests_beside_module_data

# Fixed, so that noisy figures repeat from run to run; 55 characters, as backend/secret_keys.py asks.
TEST_NOISE_KEY = "test-noise-key-" + "n" * 40


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Behaviour tests of the API run on strawberry: both engines are built from one declaration
    of each type, resolve through the same functions and are held to one schema. A test marked
    ``both_engines`` runs on each engine: the role matrix (every field by every role), the fuzzer,
    the query counts, and whatever tests each engine's own HTTP view (CSRF, bodies, errors)."""
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", sorted(ENDPOINTS), indirect=True)


_REFUSED = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture, so that the refused test's flush never runs."""
    if item.stash.get(_REFUSED, False):
        pytest.fail(
            "a transactional test cannot share a module with rows built once per module "
            "(tests/module_data.py): move it to a module of its own",
            pytrace=False,
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    refused = set(transactional_tests_beside_module_data(items))
    for item in items:
        if item.nodeid in refused:
            item.stash[_REFUSED] = True
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="concurrency test: runs in the PostgreSQL pass of `make test`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The test database connects without the pool: concurrency tests hold more connections at
    once than one process's pool gives (tests/ops/test_pool_asgi_postgres.py turns it on)."""
    for alias in connections:
        connections[alias].settings_dict["OPTIONS"].pop("pool", None)


@pytest.fixture(scope="module")
def module_data(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[ModuleData]:
    """Rows built once for the module and rolled back after it (tests/module_data.py)."""
    with module_transaction(django_db_blocker) as data:
        yield data


@pytest.fixture(scope="module", autouse=True)
def _middleware_chain_per_module() -> Iterator[None]:
    """The API clients share a middleware chain within a module (tests/clients.py)."""
    yield
    forget_handlers()


@pytest.fixture(scope="session", autouse=True)
def _cache_per_worker() -> Iterator[None]:
    """Under pytest-xdist every worker is a process: local memory is already its own, a Redis from
    REDIS_URL is not, and each test's ``cache.clear()`` flushes the whole Redis database. Worker
    gwN uses the database N after the configured one, so workers never see each other's keys."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    default = django_settings.CACHES["default"]
    if not worker or not default["BACKEND"].startswith("django_redis"):
        yield
        return
    url = urlsplit(default["LOCATION"])
    database = int(url.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    location = urlunsplit(url._replace(path=f"/{database}"))
    with override_settings(CACHES={**django_settings.CACHES, "default": {**default, "LOCATION": location}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _noise_key() -> Iterator[None]:
    """pytest-django runs with DEBUG off, where breakdown noise needs a key of its own
    (engagement/analytics/privacy.py) and the environment need not give one."""
    with override_settings(PRIVACY_NOISE_KEY=TEST_NOISE_KEY):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """PBKDF2 is slow on purpose; the tests sign many people in and never test hashing strength.
    Session-wide, so that data built once per module (tests/module_data.py) hashes alike."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_outside_the_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes into the project's var/: the files stored by rows built once per module
    (tests/module_data.py) go to a folder of this run, and the worker's jobs run in the process
    that queues them, after the commit, so nothing waits in a broker's folder either."""
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"), CELERY_TASK_ALWAYS_EAGER=True, CELERY_TASK_EAGER_PROPAGATES=True
    ):
        yield


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Settings) -> Path:
    """Each test's stored files in a folder of its own, so that a test can tell what it left."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def eager_retries() -> Iterator[None]:
    """The worker's retries run eagerly too: Celery raises ``Retry`` to the caller instead when
    eager tasks propagate their errors (``CELERY_TASK_EAGER_PROPAGATES``, which the other tests keep
    so that a task's bug fails them). Celery's own configuration, which it read once."""
    propagates = celery_app.conf["task_eager_propagates"]
    celery_app.conf["task_eager_propagates"] = False
    yield
    celery_app.conf["task_eager_propagates"] = propagates


@pytest.fixture
def production_keys(settings: Settings) -> None:
    """A real secret key beside the noise key, for tests that run the system checks or import the
    WSGI/ASGI application: with DEBUG off both refuse the development key (backend/secret_keys.py)."""
    settings.SECRET_KEY = "test-secret-key-" + "s" * 40


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Budgets and throttles live in the cache: each test starts with full allowances."""
    cache.clear()


@pytest.fixture
def asgi_application(production_keys: None) -> Any:
    """The ASGI application as served, HTTP and WebSockets (imported once: with DEBUG off it needs
    the keys), with the channel layer emptied: the in-memory one outlives each test's event loop."""
    from backend.asgi import application

    with ThreadPoolExecutor(1) as thread:  # a thread of its own: Playwright may run a loop in this one
        thread.submit(async_to_sync(get_channel_layer().flush)).result()
    return application


@pytest.fixture
def asgi_live_server(asgi_application: Any, transactional_db: None) -> Iterator[str]:
    """The ASGI application served by uvicorn in a thread of this process, HTTP and WebSockets
    (Django's ``live_server`` is WSGI, without WebSockets); its URL. In this process, so that it
    sees the test database, in-memory SQLite included."""
    config = uvicorn.Config(asgi_application, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
