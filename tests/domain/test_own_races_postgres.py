"""One user's own requests racing each other on PostgreSQL: the same person saving and unsaving
(and liking and unliking) one video from many connections at once, as a phone, a tab and a
retrying client do. Every call succeeds, counters equal the rows, and the final state is the
intent of the call that took effect last wherever the timings pin that call down.

Run with ``-s`` to see the figures.
"""

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from accounts.models import User
from engagement import selectors, services
from engagement.counters import counter_drift, totals
from engagement.models import Favorite, Like, Video
from tests.domain.test_concurrency_postgres import BARRIER_TIMEOUT_SECONDS, run_threads
from tests.factories import make_user, make_video

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONNECTIONS = 30
ROUNDS = 4
CALLS_PER_ROUND = 6


@dataclass(frozen=True)
class Call:
    """One finished service call: what it wanted (``True``: saved or liked), and when it
    started and returned."""

    kind: str
    intent: bool
    start: int
    end: int


def settled_intent(calls: list[Call]) -> bool | None:
    """The state the calls must leave, or None when the timings do not decide it. Each call takes
    effect at some instant between its start and its return, so the one that took effect last
    returned no earlier than the latest start of all: if every such call wanted the same thing,
    that is the final state."""
    latest_start = max(call.start for call in calls)
    intents = {call.intent for call in calls if call.end >= latest_start}
    return intents.pop() if len(intents) == 1 else None


def hammer(
    user: User, video: Video, operations: dict[str, tuple[str, bool, Callable[[User], object]]], seed: int
) -> tuple[list[Call], Counter[str]]:
    """Every connection runs ``CALLS_PER_ROUND`` random operations on the same video for the
    same user, released together; returns the finished calls and what the others raised."""
    calls: list[Call] = []
    failures: Counter[str] = Counter()
    lock, barrier = threading.Lock(), threading.Barrier(CONNECTIONS, timeout=BARRIER_TIMEOUT_SECONDS)
    names = sorted(operations)

    def work(index: int) -> None:
        actor = User.objects.get(pk=user.pk)
        chooser = random.Random(seed * 1000 + index)
        plan = [chooser.choice(names) for _ in range(CALLS_PER_ROUND)]
        barrier.wait()
        for name in plan:
            kind, intent, call = operations[name]
            start = time.monotonic_ns()
            try:
                call(actor)
            except Exception as error:
                with lock:
                    failures[f"{name}: {type(error).__name__}"] += 1
                continue
            end = time.monotonic_ns()
            with lock:
                calls.append(Call(kind, intent, start, end))

    errors = run_threads(CONNECTIONS, work)
    assert errors == []
    return calls, failures


def _operations(video: Video) -> dict[str, tuple[str, bool, Callable[[User], object]]]:
    return {
        "save": ("save", True, lambda actor: services.favorite_add(actor=actor, video_id=video.pk)),
        "unsave": ("save", False, lambda actor: services.favorite_remove(actor=actor, video_id=video.pk)),
        "like": ("like", True, lambda actor: services.like_add(actor=actor, video_id=video.pk)),
        "unlike": ("like", False, lambda actor: services.like_remove(actor=actor, video_id=video.pk)),
    }


def test_one_user_saving_unsaving_liking_and_unliking_on_30_connections() -> None:
    """Given one user on 30 connections saving, unsaving, liking and unliking one video at once,
    round after round, then no call fails, there is at most one save and one like, the totals
    equal the rows, and the final state is the last call's intent wherever that is decided."""
    user, video = make_user(), make_video(make_user())
    operations = _operations(video)
    failures: Counter[str] = Counter()
    decided = 0
    started = time.monotonic()

    for round_number in range(ROUNDS):
        calls, round_failures = hammer(user, video, operations, seed=round_number)
        failures += round_failures
        shown = totals(Video.objects.get(pk=video.pk))
        saved = Favorite.objects.filter(user=user, video=video).count()
        liked = Like.objects.filter(user=user, video=video).count()
        assert (shown["save_count"], shown["like_count"]) == (saved, liked), f"round {round_number}"
        for kind, present in (("save", saved), ("like", liked)):
            expected = settled_intent([call for call in calls if call.kind == kind])
            if expected is not None:
                decided += 1
                assert present == int(expected), f"round {round_number}: {kind} should be {expected}"

    print(
        f"\n[one user, {CONNECTIONS} connections] {ROUNDS} rounds x {CONNECTIONS * CALLS_PER_ROUND} calls "
        f"in {time.monotonic() - started:.2f}s; failures={dict(failures)}; final states decided by timing: "
        f"{decided}/{2 * ROUNDS}"
    )
    assert failures == Counter()
    assert counter_drift() == []


def test_an_unsave_waits_for_a_save_in_flight_on_the_same_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a saved video, when a second save has found the row and an unsave arrives before that
    save returns, then the unsave waits for it: the save returns its favorite (no NotFound), the
    unsave then removes the row, and the total is 0."""
    user, video = make_user(), make_video(make_user())
    services.favorite_add(actor=user, video_id=video.pk)
    in_save, release = threading.Event(), threading.Event()
    real_favorite_get = selectors.favorite_get

    def paused_favorite_get(**kwargs: Any) -> Favorite:
        if threading.current_thread().name == "save":
            in_save.set()
            release.wait(10)
        return real_favorite_get(**kwargs)

    monkeypatch.setattr(selectors, "favorite_get", paused_favorite_get)
    results: dict[str, object] = {}

    def call(name: str, service: Callable[..., object]) -> Callable[[], None]:
        def run() -> None:
            try:
                results[name] = service(actor=User.objects.get(pk=user.pk), video_id=video.pk)
            except Exception as error:
                results[name] = error
            finally:
                connection.close()

        return run

    save = threading.Thread(target=call("save", services.favorite_add), name="save")
    unsave = threading.Thread(target=call("unsave", services.favorite_remove), name="unsave")
    save.start()
    assert in_save.wait(10)
    unsave.start()
    unsave.join(0.5)
    unsave_waited = unsave.is_alive()
    release.set()
    save.join(10)
    unsave.join(10)

    assert unsave_waited, "the unsave did not wait for the save holding the row"
    assert isinstance(results["save"], Favorite), results["save"]
    assert results["unsave"] == results["save"].pk
    assert not Favorite.objects.filter(user=user, video=video).exists()
    assert totals(Video.objects.get(pk=video.pk))["save_count"] == 0
