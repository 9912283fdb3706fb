"""A GraphQL request that runs past DJANGO_REQUEST_DEADLINE_SECONDS stops: its next database query
is refused, it answers a retryable TIMEOUT with its request id on both engines, logged once, and
a mutation caught by it leaves nothing behind (kernel/deadlines.py)."""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from pytest_django import Settings

from api.errors import TIMEOUT_MESSAGE
from engagement.counters import totals
from engagement.models import Like, Notification, Video
from tests.api.conftest import gid
from tests.factories import make_user, make_video
from tests.ops.conftest import answer, post

pytestmark = pytest.mark.django_db

READ = "query($id: ID!) { video(id: $id) { caption owner { username } } }"
LIKE = "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }"
DEADLINE = 0.3


def assert_timeout(response: Any) -> None:
    """A 200 with no data and one error: TIMEOUT, the request id, and no detail."""
    body = answer(response)
    assert body.status == 200 and body.data is None, body
    assert [error["message"] for error in body.errors] == [TIMEOUT_MESSAGE]
    assert body.errors[0]["extensions"] == {"code": "TIMEOUT", "requestId": response["X-Request-ID"]}


@contextmanager
def deadline_passes_after(sql_prefix: str) -> Iterator[list[str]]:
    """Sleeps past ``DEADLINE`` right after the request's first statement starting with
    ``sql_prefix`` has run; yields the statements it saw, so a test knows the moment came."""
    seen: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if sql.startswith(sql_prefix) and not seen:
            seen.append(sql)
            time.sleep(DEADLINE * 1.5)
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


def test_a_query_past_its_deadline_answers_timeout_with_the_request_id(
    gql: Any, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Given a deadline already past when the first query would run, then the answer is a
    retryable TIMEOUT carrying the request id, logged once with that id."""
    video = make_video(make_user("creator"))
    settings.REQUEST_DEADLINE_SECONDS = 1e-9

    with caplog.at_level(logging.WARNING, logger="api"):
        response = post(gql(None), READ, {"id": gid(video)})

    assert_timeout(response)
    logged = [record.getMessage() for record in caplog.records if record.name == "api"]
    assert len(logged) == 1 and response["X-Request-ID"] in logged[0]


def test_a_query_stops_at_the_first_refused_field(gql: Any, settings: Settings) -> None:
    """Given a deadline that passes while a query runs, then its remaining fields run no query:
    one error for the whole operation, not one for each field still to come."""
    videos = [make_video(make_user(f"creator{n}")) for n in range(3)]
    query = "query(" + ", ".join(f"$v{n}: ID!" for n in range(3)) + ") {"
    query += " ".join(f"v{n}: video(id: $v{n}) {{ caption owner {{ username }} }}" for n in range(3)) + " }"
    client = gql(None)
    client._csrf()
    settings.REQUEST_DEADLINE_SECONDS = DEADLINE
    statements: list[str] = []

    def record(execute: Callable[..., Any], sql: str, *rest: Any) -> Any:
        statements.append(sql)
        return execute(sql, *rest)

    with deadline_passes_after("SELECT"), connection.execute_wrapper(record):
        response = post(client, query, {f"v{n}": gid(video) for n, video in enumerate(videos)})

    assert_timeout(response)
    assert len(statements) == 2  # the one that ran, and the one refused


def test_a_mutation_past_its_deadline_changes_nothing(gql: Any, settings: Settings) -> None:
    """Given a like whose deadline passes after its row was written and before its counter and
    notification were, then it answers TIMEOUT and the like is rolled back whole."""
    fan, video = make_user("fan"), make_video(make_user("creator"))
    client = gql(fan)
    client._csrf()
    settings.REQUEST_DEADLINE_SECONDS = DEADLINE

    with deadline_passes_after('INSERT INTO "engagement_like"') as seen:
        response = post(client, LIKE, {"id": gid(video)})

    assert_timeout(response)
    assert seen, "the like's row was never written: the deadline passed too early to test a rollback"
    assert Like.objects.filter(video=video).count() == 0
    assert totals(Video.objects.get(pk=video.pk))["like_count"] == 0
    assert Notification.objects.filter(recipient=video.owner).count() == 0


def test_without_a_deadline_nothing_is_refused(gql: Any, settings: Settings) -> None:
    """0 turns the deadline off: a request slower than any deadline still answers."""
    video = make_video(make_user("creator"))
    settings.REQUEST_DEADLINE_SECONDS = 0

    with deadline_passes_after("SELECT"):
        body = answer(post(gql(None), READ, {"id": gid(video)}))

    assert body.errors == [] and body.data["video"]["owner"]["username"] == "creator"
