"""Shared fixtures. Tests marked ``postgres`` prove concurrency and only mean something there."""

import pytest
from django.core.cache import cache
from django.db import connection, connections


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Budgets and throttles live in the cache: each test starts with full allowances."""
    cache.clear()
