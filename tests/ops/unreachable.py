"""A cache that is down, for the probe and logging tests (import the fixture where it is used)."""

from typing import Any

import pytest
from django.core.cache.backends.base import BaseCache
from pytest_django import Settings


class UnreachableCache(BaseCache):
    """Every call fails the way a cache server that is down does."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _down(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache server unreachable")

    add = get = set = touch = delete = incr = clear = has_key = _down


@pytest.fixture
def unreachable_cache(settings: Settings) -> None:
    settings.CACHES = {"default": {"BACKEND": "tests.ops.unreachable.UnreachableCache"}}
