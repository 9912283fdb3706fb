"""Caches that fail the way an unreachable or stalled Redis does, switchable while a test runs."""

import time
from typing import Any, ClassVar

from django.core.cache.backends.locmem import LocMemCache

STALL_SECONDS = 0.3  # what a socket timeout costs before the error


class FaultyCache(LocMemCache):
    """Local memory, unless ``mode`` says the cache is down ("refuse") or hangs ("stall")."""

    mode: ClassVar[str] = "ok"
    calls: ClassVar[int] = 0

    def _reach(self) -> None:
        type(self).calls += 1
        if self.mode == "refuse":
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        if self.mode == "stall":
            time.sleep(STALL_SECONDS)
            raise TimeoutError("Timeout reading from socket")

    def add(self, *args: Any, **kwargs: Any) -> bool:
        self._reach()
        return super().add(*args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self._reach()
        return super().get(*args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        self._reach()
        return super().get_many(*args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._reach()
        super().set(*args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        self._reach()
        return super().set_many(*args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        self._reach()
        return super().incr(*args, **kwargs)
