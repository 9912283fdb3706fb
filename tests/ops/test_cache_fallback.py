"""When the shared cache is down or stalled the API still answers: budgets and throttles count
per process, replica pins fall back to the primary, each request is logged once and counted, and
the cache is used again once it answers (``kernel.ratelimit.shared_cache_or``)."""

import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from prometheus_client import REGISTRY
from pytest_django import Settings

from engagement.models import Like
from kernel import ratelimit, routers
from tests.api.conftest import gid
from tests.factories import make_user, make_video, password_of
from tests.ops.conftest import answer, post
from tests.ops.faults import STALL_SECONDS, FaultyCache

pytestmark = pytest.mark.django_db

PROBE = "{ rateLimit { cost remaining } me { id } }"
LIKE = "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }"
LOG_IN = "mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { username } } }"
FAULTS = ["refuse", "stall"]


def fallbacks(operation: str) -> float:
    return REGISTRY.get_sample_value("cache_fallbacks_total", {"operation": operation}) or 0.0


@pytest.mark.parametrize("fault", FAULTS)
def test_queries_answer_json_and_each_fallback_is_counted(gql: Any, faulty_cache: Any, fault: str) -> None:
    client = gql(None)
    client._csrf()  # the CSRF cookie, fetched before the cache breaks
    faulty_cache.mode = fault
    before = fallbacks("budget")

    responses = [post(client, PROBE) for _ in range(3)]

    for response in responses:
        body = answer(response)
        assert body.status == 200 and body.errors == [] and body.data["me"] is None
        assert response["X-RateLimit-Remaining"] == str(body.data["rateLimit"]["remaining"])
    assert [answer(r).data["rateLimit"]["remaining"] for r in responses] == [
        django_settings.GRAPHQL_HOURLY_BUDGET_IP - n * 2 for n in (1, 2, 3)
    ]
    assert fallbacks("budget") == before + 3


@pytest.mark.parametrize("fault", FAULTS)
def test_budgets_still_apply_per_process(gql: Any, faulty_cache: Any, settings: Settings, fault: str) -> None:
    settings.GRAPHQL_HOURLY_BUDGET_IP = 6  # three probes of cost 2
    client = gql(None)
    client._csrf()
    faulty_cache.mode = fault

    statuses = [post(client, PROBE).status_code for _ in range(4)]
    refused = answer(post(client, PROBE))

    assert statuses == [200, 200, 200, 429]
    assert refused.codes == ["RATE_LIMITED"] and refused.errors[0]["extensions"]["retryAfter"] >= 1


@pytest.mark.parametrize("fault", FAULTS)
def test_writes_pass_the_per_process_throttle_not_more(
    gql: Any, faulty_cache: Any, settings: Settings, fault: str
) -> None:
    """Writes do not fail closed: the mutation runs, held to the throttle each process counts."""
    settings.GRAPHQL_MUTATION_THROTTLES = {"likeVideo": (2, 60)}
    liker, videos = make_user("liker"), [make_video(make_user(f"creator{n}")) for n in range(3)]
    client = gql(liker)
    client._csrf()
    faulty_cache.mode = fault
    before = fallbacks("throttle")

    answers = [answer(post(client, LIKE, {"id": gid(video)})) for video in videos]

    assert [a.codes for a in answers] == [[], [], ["RATE_LIMITED"]]
    assert Like.objects.filter(user=liker).count() == 2
    assert fallbacks("throttle") == before + 3


def test_each_request_is_logged_once_with_its_request_id(
    gql: Any, faulty_cache: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A mutation falls back twice (budget, throttle): one warning, naming the request."""
    video = make_video(make_user("creator"))
    client = gql(make_user("liker"))
    client._csrf()
    faulty_cache.mode = "refuse"

    with caplog.at_level(logging.WARNING, logger="backend.cache"):
        first = post(client, LIKE, {"id": gid(video)})
        second = post(client, PROBE)

    warnings = [record.getMessage() for record in caplog.records if record.name == "backend.cache"]
    assert answer(first).codes == [] and answer(second).codes == []
    assert len(warnings) == 2
    assert first["X-Request-ID"] in warnings[0] and second["X-Request-ID"] in warnings[1]


def test_sign_in_does_not_need_the_cache(gql: Any, faulty_cache: Any) -> None:
    """Sessions are in the database: signing in and using the session work with the cache down."""
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    make_user("someone")
    client = gql(None)
    client._csrf()
    faulty_cache.mode = "refuse"

    signed_in = client(LOG_IN, {"u": "someone", "p": password_of("someone")})
    me = client("{ me { username } }")

    assert signed_in.codes == [] and me.data == {"me": {"username": "someone"}}


@pytest.mark.parametrize("fault", FAULTS)
def test_the_cache_is_used_again_after_the_pause(
    gql: Any, faulty_cache: Any, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """After a failure the cache is left alone for the pause (a stall costs one timeout, not
    one per request), then the next request uses it again."""
    clock = [1000.0]
    monkeypatch.setattr(ratelimit, "monotonic", lambda: clock[0])
    client = gql(None)
    client._csrf()
    faulty_cache.mode = fault

    started = time.monotonic()
    down = [post(client, PROBE).status_code for _ in range(3)]
    elapsed = time.monotonic() - started
    tried_while_down = FaultyCache.calls

    faulty_cache.mode = "ok"
    clock[0] += django_settings.CACHE_FALLBACK_RETRY_SECONDS / 2
    assert post(client, PROBE).status_code == 200
    assert FaultyCache.calls == tried_while_down  # still paused: not tried
    clock[0] += django_settings.CACHE_FALLBACK_RETRY_SECONDS
    before = fallbacks("budget")
    back = answer(post(client, PROBE))

    assert down == [200, 200, 200] and tried_while_down == 1
    if fault == "stall":
        assert elapsed < 3 * STALL_SECONDS  # one timeout paid, not three
    assert back.errors == [] and fallbacks("budget") == before
    assert FaultyCache.calls > tried_while_down
    assert ratelimit.budget_used("ip:127.0.0.1") == 2  # counted in the shared cache again, afresh


def test_replica_pins_fall_back_to_the_primary(faulty_cache: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    clock = [1000.0]
    monkeypatch.setattr(routers, "monotonic", lambda: clock[0])
    user, other = make_user("writer"), make_user("reader")
    assert routers.may_read_replica(other)

    faulty_cache.mode = "refuse"
    before = fallbacks("replica_pin")
    assert not routers.may_read_replica(other)  # pins unreadable: the primary
    ratelimit.reset_fallback()
    routers.pin_to_primary(user)  # does not raise
    faulty_cache.mode = "ok"
    ratelimit.reset_fallback()

    assert fallbacks("replica_pin") == before + 2
    # The pin that could not be written holds in this process for the pin window...
    assert not routers.may_read_replica(other)
    clock[0] += django_settings.DATABASE_REPLICA_PIN_SECONDS + 1
    # ...and then the cache decides again.
    assert routers.may_read_replica(other)
    routers.pin_to_primary(user)
    assert not routers.may_read_replica(user) and routers.may_read_replica(other)


# A real django-redis client, with the settings' timeouts ------------------------------------------


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


@pytest.mark.parametrize("where", ["closed", "stalled"])
def test_a_real_redis_client_down_or_hung_still_answers(
    gql: Any, settings: Settings, stalled_port: int, where: str
) -> None:
    port = 6390 if where == "closed" else stalled_port  # nothing listens on 6390
    client = gql(None)
    client._csrf()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": django_settings.REDIS_SOCKET_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": django_settings.REDIS_SOCKET_TIMEOUT_SECONDS,
            },
        }
    }
    before = fallbacks("budget")

    started = time.monotonic()
    bodies = [answer(post(client, PROBE)) for _ in range(2)]
    elapsed = time.monotonic() - started

    assert [(body.status, body.errors) for body in bodies] == [(200, [])] * 2
    assert fallbacks("budget") == before + 2
    assert elapsed < django_settings.REDIS_SOCKET_TIMEOUT_SECONDS * 2 + 1.5
    assert cache.__class__ is not None  # the shared cache object itself is untouched
