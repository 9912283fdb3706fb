"""Budgets and throttles in Django's cache (Redis when REDIS_URL is set, local memory otherwise).

A budget is GitHub-style: each request spends its cost from an hourly allowance per credential:
the session, each personal token, each OAuth2 application's grant (refreshes keep its budget),
or the IP for anonymous requests. One budget per credential keeps one credential from watching
another's use through ``X-RateLimit-Used`` (an app would otherwise see the cost signature of the
pages its user opens in the browser). A throttle caps bursts of one action per person.

Windows slide (the two-bucket approximation): what counts now is this bucket's spending plus the
previous bucket's, weighted by the share of it still inside the window, so a burst just before a
boundary still counts just after it and a client cannot pass twice its limit across one.

When the shared cache cannot be reached or answers too slowly (``SOCKET_TIMEOUT``), budgets and
throttles count in a per-process memory instead, so the API answers rather than failing with
Redis: each process then allows the full limit, writes included (password guessing stays bounded
by django-axes, whose counts are in the database). Each request that falls back is logged once
and counted in ``metrics.CACHE_FALLBACKS``; after a failure the cache is left alone for
``CACHE_FALLBACK_RETRY_SECONDS`` (a stalled Redis then costs one timeout per pause and process,
not one per call) and the next request after that tries it again.
"""

import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import monotonic
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.http import HttpRequest
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from kernel import metrics
from kernel.errors import RateLimited

logger = logging.getLogger("backend.cache")
T = TypeVar("T")

HOUR = 3600


@dataclass(frozen=True)
class Budget:
    """The caller's hourly budget after this request."""

    limit: int
    cost: int
    used: int
    reset_at: int  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def reset_time(self) -> datetime:
        return datetime.fromtimestamp(self.reset_at, tz=UTC)


def token_budget_key(token: Any) -> str:
    """The budget of an access token: its grant's for an OAuth2 application, its own for a
    personal token."""
    if token.application_id is not None:
        return f"grant:{token.application_id}:{token.user_id}"
    return f"token:{token.pk}"


def budget_key(request: HttpRequest) -> tuple[str, int]:
    """Whose budget a request spends, and its size: the token's, the session's, or the IP's."""
    token = getattr(request, "access_token", None)
    if token is not None:
        return token_budget_key(token), int(settings.GRAPHQL_HOURLY_BUDGET_USER)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"session:{user.pk}", int(settings.GRAPHQL_HOURLY_BUDGET_USER)
    return f"ip:{client_ip(request)}", int(settings.GRAPHQL_HOURLY_BUDGET_IP)


def actor_key(request: HttpRequest) -> str:
    """Who a throttle counts: the person, whatever credential they use, or the IP."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``TRUSTED_PROXY_HOPS`` proxies of ours, each appends the
    address it saw to X-Forwarded-For, so the entry that many places from the right was written
    by our outermost proxy; entries left of it are the client's own claims and are ignored.
    Without this, every anonymous client behind the proxy would share one budget."""
    hops = int(settings.TRUSTED_PROXY_HOPS)
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops][:45]  # the longest IPv6 text
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def client_ip_address(request: HttpRequest) -> str | None:
    """``client_ip`` when it is an address, else None (a request built in code has none): for
    django-axes, which stores it in an IP column that PostgreSQL checks."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


# The shared cache and its per-process fallback -------------------------------------------------

# What an unreachable or stalled cache raises: redis-py's errors, django-redis's wrapper of them,
# and socket errors (a test's failing backend raises the builtin ConnectionError or TimeoutError).
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionInterrupted, OSError)

# Per process; large enough that culling never forgets a live count.
_local = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
_breaker_lock = threading.Lock()
_cache_down_until = 0.0  # monotonic seconds; the shared cache is not tried before then


@dataclass
class _RequestScope:
    """One request's fallbacks: logged once and counted once per operation."""

    request_id: str
    counted: set[str] = field(default_factory=set)
    logged: bool = False


_scope: ContextVar[_RequestScope | None] = ContextVar("cache_fallback_scope", default=None)


def _end_scope(**kwargs: Any) -> None:
    _scope.set(None)


# Cleared at both ends of a request: code run between requests is attributed to none of them.
request_started.connect(_end_scope, dispatch_uid="ratelimit-cache-fallback-scope-start")
request_finished.connect(_end_scope, dispatch_uid="ratelimit-cache-fallback-scope-end")


def begin_request(request: HttpRequest) -> None:
    """Name the request whose fallbacks follow (the transport does it by spending the budget)."""
    _scope.set(_RequestScope(request_id=str(getattr(request, "request_id", "") or "")))


def _note_fallback(operation: str, error: BaseException | None) -> None:
    scope = _scope.get()
    if scope is None or operation not in scope.counted:
        metrics.CACHE_FALLBACKS.labels(operation=operation).inc()
    if scope is not None:
        scope.counted.add(operation)
        if scope.logged:
            return
        scope.logged = True
    logger.warning(
        "Shared cache unavailable for %s (%s) in request %s: using the per-process fallback.",
        operation,
        repr(error) if error is not None else f"not retried for {settings.CACHE_FALLBACK_RETRY_SECONDS} s",
        scope.request_id if scope is not None and scope.request_id else "-",
    )


def shared_cache_or(operation: str, use: Callable[[BaseCache], T], fallback: Callable[[], T]) -> T:
    """``use(cache)``, or ``fallback()`` when the shared cache fails or failed moments ago."""
    global _cache_down_until
    error: BaseException | None = None
    if monotonic() >= _cache_down_until:
        try:
            return use(cache)
        except CACHE_ERRORS as failure:
            error = failure
            with _breaker_lock:
                _cache_down_until = monotonic() + float(settings.CACHE_FALLBACK_RETRY_SECONDS)
    _note_fallback(operation, error)
    return fallback()


def reset_fallback() -> None:
    """Forget the per-process counts and try the shared cache at once (for tests)."""
    global _cache_down_until
    _local.clear()
    _cache_down_until = 0.0
    _scope.set(None)


# Sliding windows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    """One actor's window after a step: the previous and current buckets, and the estimate."""

    start: int  # the current bucket's start (epoch seconds)
    elapsed: int  # seconds into the current bucket
    previous: int
    current: int

    def used(self, seconds: int) -> int:
        # Rounded up: a burst just before a boundary must not lose a unit just after it.
        weighted = -(-self.previous * (seconds - self.elapsed) // seconds)
        return weighted + self.current

    def wait(self, *, seconds: int, limit: int, amount: int) -> int:
        """Seconds until ``amount`` more fits under ``limit``, if nothing more is spent."""
        if self.current + amount <= limit:
            if self.previous <= 0:
                return 1
            fraction_left = (limit - self.current - amount) / self.previous  # of the previous bucket
            return max(int(seconds * (1 - fraction_left)) - self.elapsed + 1, 1)
        until_next = seconds - self.elapsed
        if amount > limit or self.current <= 0:
            return until_next + (seconds if amount > limit else 0)
        fraction_left = (limit - amount) / self.current
        return until_next + max(int(seconds * (1 - fraction_left)) + 1, 1)


def _bucket_start(seconds: int) -> tuple[int, int]:
    now = int(time.time())
    return now - now % seconds, now % seconds


def _add(store: BaseCache, key: str, amount: int, ttl: int) -> int:
    """Atomic add in the cache (incr is atomic on Redis and under locmem's lock)."""
    store.add(key, 0, ttl)
    try:
        return int(store.incr(key, amount))
    except ValueError:  # expired between add and incr
        store.set(key, amount, ttl)
        return amount


def _peek(store: BaseCache, prefix: str, seconds: int) -> _Count:
    start, elapsed = _bucket_start(seconds)
    keys = [f"{prefix}:{start - seconds}", f"{prefix}:{start}"]
    found = store.get_many(keys)
    return _Count(start, elapsed, int(found.get(keys[0]) or 0), int(found.get(keys[1]) or 0))


def _step(store: BaseCache, prefix: str, seconds: int, amount: int, limit: int) -> tuple[_Count, bool]:
    """Count ``amount`` in the window; a step that would pass ``limit`` is taken back (a refused
    request spends nothing, so ``Retry-After`` holds for a client that waits it out)."""
    start, elapsed = _bucket_start(seconds)
    previous = int(store.get(f"{prefix}:{start - seconds}") or 0)
    key = f"{prefix}:{start}"
    current = _add(store, key, amount, 2 * seconds + 60)
    count = _Count(start, elapsed, previous, current)
    if count.used(seconds) <= limit:
        return count, True
    current = _add(store, key, -amount, 2 * seconds + 60)
    return _Count(start, elapsed, previous, current), False


def _budget_prefix(who: str) -> str:
    return f"graphql-budget:{who}"


def _budget_count(who: str) -> _Count:
    prefix = _budget_prefix(who)
    return shared_cache_or("budget", lambda store: _peek(store, prefix, HOUR), lambda: _peek(_local, prefix, HOUR))


def budget_used(who: str) -> int:
    """Points spent in the last hour (sliding) from the budget ``who`` names (see ``budget_key``)."""
    return _budget_count(who).used(HOUR)


def budget_standing(request: HttpRequest) -> Budget:
    """The caller's budget as it stands, spending nothing: for an answer that charged no cost."""
    who, limit = budget_key(request)
    count = _budget_count(who)
    return Budget(limit=limit, cost=0, used=count.used(HOUR), reset_at=_reset_at(count))


def _reset_at(count: _Count) -> int:
    """When everything counted now has left the sliding window, if nothing more is spent."""
    return count.start + 2 * HOUR


def budget_spend(request: HttpRequest, cost: int) -> Budget:
    """Spend ``cost`` from the caller's hourly budget; raise ``RateLimited`` when it is gone."""
    begin_request(request)
    who, limit = budget_key(request)
    prefix = _budget_prefix(who)
    count, allowed = shared_cache_or(
        "budget",
        lambda store: _step(store, prefix, HOUR, cost, limit),
        lambda: _step(_local, prefix, HOUR, cost, limit),
    )
    if not allowed:
        metrics.RATE_LIMIT_REFUSALS.labels(kind="budget").inc()
        wait = count.wait(seconds=HOUR, limit=limit, amount=cost)
        raise RateLimited(
            f"The hourly budget of {limit} points is spent; {cost} more fit in {wait} seconds.",
            retry_after=wait,
        )
    return Budget(limit=limit, cost=cost, used=count.used(HOUR), reset_at=_reset_at(count))


def throttle(*, actor_key: str, action: str, limit: int, per_seconds: int) -> None:
    """Allow ``limit`` of ``action`` per actor in any window of ``per_seconds`` (sliding)."""
    prefix = f"throttle:{action}:{actor_key}"
    count, allowed = shared_cache_or(
        "throttle",
        lambda store: _step(store, prefix, per_seconds, 1, limit),
        lambda: _step(_local, prefix, per_seconds, 1, limit),
    )
    if not allowed:
        metrics.RATE_LIMIT_REFUSALS.labels(kind=action).inc()
        wait = count.wait(seconds=per_seconds, limit=limit, amount=1)
        raise RateLimited(f"Too many {action} actions; try again in {wait} seconds.", retry_after=wait)
