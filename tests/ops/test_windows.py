"""Budgets and throttles slide (two buckets, the previous one weighted by what is left of it), so a
burst across a boundary cannot pass twice the limit; throttles can be set from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from pytest_django import Settings

from backend.settings import throttles_from_environment
from kernel import ratelimit
from kernel.errors import RateLimited

BOUNDARY = 1_800_000_000  # a multiple of 3600 and of 60
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    now = SimpleNamespace(value=float(BOUNDARY))
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now.value))
    return now


def spend_until_refused(cost: int, attempts: int = 100) -> tuple[int, int]:
    """(spends that passed, the refusal's retry_after) for one anonymous caller."""
    request = RequestFactory().post("/graphql/")
    request.user = AnonymousUser()
    for passed in range(attempts):
        try:
            ratelimit.budget_spend(request, cost)
        except RateLimited as refusal:
            return passed, refusal.retry_after
    return attempts, 0


def test_a_burst_across_the_hour_cannot_pass_twice_the_budget(clock: SimpleNamespace, settings: Settings) -> None:
    settings.GRAPHQL_HOURLY_BUDGET_IP = 100
    clock.value = BOUNDARY - 1
    before, _ = spend_until_refused(10)
    clock.value = BOUNDARY + 1
    after, wait = spend_until_refused(10)
    clock.value = BOUNDARY + 1800  # half of the previous hour still counts
    halfway, _ = spend_until_refused(10)

    assert (before, after, halfway) == (10, 0, 5)
    assert 1 <= wait <= 3600


def test_retry_after_is_true_and_a_refusal_spends_nothing(clock: SimpleNamespace, settings: Settings) -> None:
    settings.GRAPHQL_HOURLY_BUDGET_IP = 100
    clock.value = BOUNDARY - 600
    spend_until_refused(10)
    clock.value = BOUNDARY + 600
    passed, wait = spend_until_refused(10)
    used = ratelimit.budget_used("ip:127.0.0.1")

    clock.value = BOUNDARY + 600 + wait - 60
    assert spend_until_refused(10, attempts=1)[0] == 0  # a minute early: still refused
    clock.value = BOUNDARY + 600 + wait
    assert spend_until_refused(10, attempts=1)[0] == 1  # on time: it fits
    # 5/6 of the previous hour's 100 points (84, rounded up) and one spend of 10: refusals spent nothing.
    assert (passed, used) == (1, 94)


def test_a_throttle_burst_across_the_minute_is_held_to_the_limit(clock: SimpleNamespace) -> None:
    def burst() -> int:
        for passed in range(100):
            try:
                ratelimit.throttle(actor_key="user:1", action="likeVideo", limit=20, per_seconds=60)
            except RateLimited:
                return passed
        return 100

    clock.value = BOUNDARY - 1
    first = burst()
    clock.value = BOUNDARY + 1
    second = burst()
    clock.value = BOUNDARY + 61  # a whole window later: the allowance is back
    third = burst()

    assert (first, second, third) == (20, 0, 20)


def test_throttles_are_read_from_the_environment() -> None:
    defaults = {"likeVideo": (60, 60), "logIn": (20, 300), "follow": (30, 60)}
    environ = {
        "GRAPHQL_THROTTLE_LIKE_VIDEO": "5/30",
        "GRAPHQL_THROTTLE_LOG_IN": "off",
        "GRAPHQL_THROTTLE_SHARE_VIDEO": "10/60",
        "GRAPHQL_HOURLY_BUDGET_IP": "7",
    }

    assert throttles_from_environment(defaults, environ) == {
        "likeVideo": (5, 30),
        "follow": (30, 60),
        "shareVideo": (10, 60),
    }
    for bad in ("60", "a/60", "5/0", "-1/60"):
        with pytest.raises(ImproperlyConfigured, match="GRAPHQL_THROTTLE_FOLLOW"):
            throttles_from_environment(defaults, {"GRAPHQL_THROTTLE_FOLLOW": bad})


def _settings_in_a_process(**environ: str) -> dict:
    """Settings as a fresh process reads them from ``environ`` (settings are read once)."""
    code = (
        "import json; from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(json.dumps({'throttles': s.GRAPHQL_MUTATION_THROTTLES, 'options': d.get('OPTIONS', {}),"
        " 'conn_max_age': d.get('CONN_MAX_AGE'), 'caches': s.CACHES}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings", **environ}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_environment_reaches_the_settings() -> None:
    sqlite = _settings_in_a_process(
        DATABASE_URL="sqlite:///:memory:",
        GRAPHQL_THROTTLE_LIKE_VIDEO="3/10",
        DATABASE_SQLITE_BUSY_TIMEOUT_SECONDS="1.5",
        REDIS_URL="redis://127.0.0.1:6390/0",
        REDIS_SOCKET_TIMEOUT_SECONDS="0.4",
    )
    postgres = _settings_in_a_process(
        DATABASE_URL="postgres://app@db.invalid:5432/app?conn_max_age=60",
        DATABASE_STATEMENT_TIMEOUT_MS="1234",
        DATABASE_LOCK_TIMEOUT_MS="567",
        DATABASE_POOL_MAX="7",
    )

    assert sqlite["throttles"]["likeVideo"] == [3, 10]
    assert sqlite["options"]["timeout"] == 1.5
    redis_options = sqlite["caches"]["default"]["OPTIONS"]
    assert redis_options == {"SOCKET_CONNECT_TIMEOUT": 0.4, "SOCKET_TIMEOUT": 0.4}
    assert postgres["options"]["options"] == "-c statement_timeout=1234 -c lock_timeout=567"
    assert postgres["options"]["pool"]["max_size"] == 7 and postgres["conn_max_age"] == 0
