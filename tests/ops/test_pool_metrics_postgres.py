"""/metrics shows each PostgreSQL connection pool's usage, read at scrape time from the pool itself
(``kernel.metrics.DatabasePoolCollector``): its connections, the idle ones, the requests waiting
for one and its ceiling, by database alias only."""

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from prometheus_client import REGISTRY

from kernel.metrics import DatabasePoolCollector

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MAX = 3


@pytest.fixture
def small_pool() -> Iterator[Any]:
    """The default database through a pool of ``MAX`` connections (the suite's test database
    runs without one, tests/conftest.py); yields the pool."""
    connection.close()
    connection.settings_dict["OPTIONS"]["pool"] = {"min_size": 1, "max_size": MAX, "timeout": 5}
    try:
        connection.ensure_connection()  # this thread's connection: the first from the pool
        yield connection.pool  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it
    finally:
        connection.close()
        connection.close_pool()  # type: ignore[attr-defined]
        connection.settings_dict["OPTIONS"].pop("pool", None)


def gauge(name: str) -> float | None:
    return REGISTRY.get_sample_value(f"database_pool_{name}", {"alias": "default"})


def wait_for(condition: Any, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_gauges_follow_the_pool(small_pool: Any) -> None:
    """Given every connection of the pool handed out, then the gauges show it full with none idle;
    a request that then asks for one is seen waiting; once they are back, none waits and they idle."""
    held = [small_pool.getconn() for _ in range(MAX - 1)]
    waiter = threading.Thread(target=lambda: small_pool.putconn(small_pool.getconn(timeout=5)))
    try:
        full = (gauge("max_connections"), gauge("connections"), gauge("idle_connections"), gauge("waiting_requests"))
        waiter.start()
        seen_waiting = wait_for(lambda: gauge("waiting_requests") == 1)
    finally:
        for held_connection in held:
            small_pool.putconn(held_connection)
        waiter.join(5)

    assert full == (MAX, MAX, 0, 0)
    assert seen_waiting
    assert gauge("waiting_requests") == 0
    assert wait_for(lambda: gauge("idle_connections") == MAX - 1)  # this thread still holds one


def test_metrics_show_the_pool_by_alias_only(small_pool: Any) -> None:
    text = Client().get("/metrics").content.decode()

    for name in ("connections", "idle_connections", "waiting_requests"):
        assert f'# TYPE database_pool_{name} gauge\ndatabase_pool_{name}{{alias="default"}} ' in text
    assert f'database_pool_max_connections{{alias="default"}} {float(MAX)}' in text
    labels = [sample.labels for family in DatabasePoolCollector().collect() for sample in family.samples]
    assert labels and all(label == {"alias": "default"} for label in labels)
