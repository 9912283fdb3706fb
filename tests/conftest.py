"""Shared fixtures. Tests marked ``postgres`` prove concurrency and only mean something there."""

import pytest
from django.core.cache import cache
from django.db import connection


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="concurrency test: runs in the PostgreSQL pass of `make test`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Budgets and throttles live in the cache: each test starts with full allowances."""
    cache.clear()
