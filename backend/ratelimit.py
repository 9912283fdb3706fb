"""Budgets and throttles in Django's cache (Redis when REDIS_URL is set, local memory otherwise).

A budget is GitHub-style: each request spends its cost from an hourly allowance per credential:
the session, each personal token, each OAuth2 application's grant (refreshes keep its budget),
or the IP for anonymous requests. One budget per credential keeps one credential from watching
another's use through ``X-RateLimit-Used`` (an app would otherwise see the cost signature of the
pages its user opens in the browser). A throttle caps bursts of one action per person.
"""

import ipaddress
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from backend.errors import RateLimited

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


def _window(seconds: int) -> tuple[int, int]:
    now = int(time.time())
    start = now - now % seconds
    return start, start + seconds


def _add(key: str, amount: int, ttl: int) -> int:
    """Atomic add in the cache (incr is atomic on Redis and under locmem's lock)."""
    cache.add(key, 0, ttl)
    try:
        return int(cache.incr(key, amount))
    except ValueError:  # expired between add and incr
        cache.set(key, amount, ttl)
        return amount


def _budget_cache_key(who: str, start: int) -> str:
    return f"graphql-budget:{who}:{start}"


def budget_used(who: str) -> int:
    """Points spent this hour from the budget ``who`` names (see ``budget_key``)."""
    start, _ = _window(HOUR)
    return int(cache.get(_budget_cache_key(who, start)) or 0)


def budget_spend(request: HttpRequest, cost: int) -> Budget:
    """Spend ``cost`` from the caller's hourly budget; raise ``RateLimited`` when it is gone."""
    who, limit = budget_key(request)
    start, reset_at = _window(HOUR)
    used = _add(_budget_cache_key(who, start), cost, HOUR + 60)
    budget = Budget(limit=limit, cost=cost, used=used, reset_at=reset_at)
    if used > limit:
        raise RateLimited(
            f"The hourly budget of {limit} points is spent; it resets at {reset_at} (epoch seconds).",
            retry_after=max(reset_at - int(time.time()), 1),
        )
    return budget


def throttle(*, actor_key: str, action: str, limit: int, per_seconds: int) -> None:
    """Allow ``limit`` of ``action`` per actor in each window of ``per_seconds``."""
    start, end = _window(per_seconds)
    count = _add(f"throttle:{action}:{actor_key}:{start}", 1, per_seconds + 5)
    if count > limit:
        wait = max(end - int(time.time()), 1)
        raise RateLimited(f"Too many {action} actions; try again in {wait} seconds.", retry_after=wait)
