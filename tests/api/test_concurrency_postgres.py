"""Concurrency through the API on PostgreSQL: many clients on one hot video, and follow races.
Totals stay exact, no duplicate rows, no 500s, no deadlocks."""

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Follow, FollowStatus, User
from engagement.counters import counter_drift, totals
from engagement.models import Favorite, Like, Video
from tests.api.conftest import ENDPOINTS, gid
from tests.factories import make_user, make_video

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.both_engines]

CLIENTS = 16
ROUNDS = 6
SAVE = "mutation($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { id } } }"
UNSAVE = "mutation($id: ID!) { unfavoriteVideo(input: {videoId: $id}) { removed } }"
LIKE = "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { id } } }"
FOLLOW = "mutation($u: String!) { follow(input: {username: $u}) { status } }"
UNFOLLOW = "mutation($u: String!) { unfollow(input: {username: $u}) { removed } }"
# A client that never reaches the barrier (its setup failed) breaks it for the others, which then
# end instead of waiting for ever.
BARRIER_TIMEOUT_SECONDS = 30
# A request that waited longer than PostgreSQL's lock_timeout for a contended row answers the
# retryable TIMEOUT: on a loaded machine (two cores, other processes) thirty threads queueing on
# one row can wait that long. A client retries it; the totals must still equal the rows.
TIMEOUT_RETRIES = 5
RETRIED = "retried after TIMEOUT"


def _send(client: Client, engine: str, query: str, variables: dict[str, Any]) -> str:
    response = client.post(
        ENDPOINTS[engine], data=json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors") or []]
    return str(response.status_code) if response.status_code != 200 else (codes[0] if codes else "ok")


def run_clients(
    engine: str, users: list[User], script: Callable[[Client, int], list[tuple[str, dict[str, Any]]]]
) -> Counter[str]:
    """Each user runs their script from a thread of its own, all released together; returns
    the outcome of every request: 'ok', an error code, or the HTTP status when not 200 (and the
    exception's name for a client that stopped on one). A TIMEOUT is retried as the API tells
    clients to (it is retryable), and each retry is counted under ``RETRIED``."""
    outcomes: Counter[str] = Counter()
    lock, barrier = threading.Lock(), threading.Barrier(len(users), timeout=BARRIER_TIMEOUT_SECONDS)

    def client_thread(index: int, user: User) -> None:
        try:
            client = Client()
            client.force_login(user)
            steps = script(client, index)
            barrier.wait()
            for query, variables in steps:
                for attempt in range(1 + TIMEOUT_RETRIES):
                    outcome = _send(client, engine, query, variables)
                    if outcome != "TIMEOUT" or attempt == TIMEOUT_RETRIES:
                        break
                    with lock:
                        outcomes[RETRIED] += 1
                    time.sleep(0.05 * (attempt + 1))
                with lock:
                    outcomes[outcome] += 1
        except Exception as error:  # a broken barrier, or a view's exception the client raised
            with lock:
                outcomes[type(error).__name__] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client_thread, args=(n, user)) for n, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client hung (deadlock?)"
    return outcomes


def test_many_clients_saving_unsaving_and_liking_one_hot_video(engine: str) -> None:
    video = make_video(make_user("creator"))
    users = [make_user(f"fan{n}") for n in range(CLIENTS)]
    variables = {"id": gid(video)}

    def script(client: Client, index: int) -> list[tuple[str, dict[str, Any]]]:
        steps = [(SAVE, variables), (SAVE, variables), (UNSAVE, variables)] * ROUNDS + [(SAVE, variables)]
        return [*steps, (LIKE, variables), (LIKE, variables)]

    outcomes = run_clients(engine, users, script)

    shown = totals(Video.objects.get(pk=video.pk))  # the row plus any spilled slots, as reads show it
    print(
        f"\n[{engine}] {CLIENTS} clients, {sum(outcomes.values())} requests: {dict(outcomes)}; "
        f"save_count={shown['save_count']} rows={Favorite.objects.count()}, "
        f"like_count={shown['like_count']} rows={Like.objects.count()}"
    )
    assert set(outcomes) - {RETRIED} == {"ok"}
    assert shown["save_count"] == Favorite.objects.filter(video=video).count() == CLIENTS
    assert shown["like_count"] == Like.objects.filter(video=video).count() == CLIENTS
    assert counter_drift() == []


def test_follow_and_unfollow_races_keep_follower_counts_exact(engine: str) -> None:
    star = make_user("star")
    users = [make_user(f"follower{n}") for n in range(CLIENTS)]
    variables = {"u": "star"}

    def script(client: Client, index: int) -> list[tuple[str, dict[str, Any]]]:
        steps = [(FOLLOW, variables), (FOLLOW, variables), (UNFOLLOW, variables)] * ROUNDS
        return steps + ([(FOLLOW, variables)] if index % 2 == 0 else [])

    outcomes = run_clients(engine, users, script)

    star.refresh_from_db()
    accepted = Follow.objects.filter(followee=star, status=FollowStatus.ACCEPTED).count()
    print(f"\n[{engine}] follow races: {dict(outcomes)}; follower_count={star.follower_count} rows={accepted}")
    assert set(outcomes) - {RETRIED} == {"ok"}
    assert star.follower_count == accepted == CLIENTS // 2
    following = {user.pk: user.following_count for user in User.objects.filter(pk__in=[u.pk for u in users])}
    assert all(following[user.pk] == (1 if n % 2 == 0 else 0) for n, user in enumerate(users))
