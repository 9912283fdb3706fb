"""On PostgreSQL every session carries the deadlines of DATABASE_STATEMENT_TIMEOUT_MS and
DATABASE_LOCK_TIMEOUT_MS: a request stuck behind a lock answers a retryable TIMEOUT with its request
id once the lock or statement timeout passes, on both engines, and its worker is free, instead of
hanging until the server kills it (kernel/deadlines.py)."""

import json
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from graphql_relay import to_global_id

from tests.api.conftest import ENDPOINTS
from tests.factories import make_user, make_video

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

UPDATE_PROFILE = 'mutation { updateProfile(input: {displayName: "New name"}) { me { displayName } } }'
READ_COUNTS = "query($id: ID!) { video(id: $id) { caption likeCount viewCount } }"


@pytest.fixture
def other_session() -> Iterator[psycopg.Connection[Any]]:
    """A second connection to the test database, outside the app: it holds locks."""
    params = connection.get_connection_params()
    keep = {"dbname", "user", "password", "host", "port"}
    with psycopg.connect(**{key: value for key, value in params.items() if key in keep}) as other:
        yield other
        other.rollback()


def _post(
    client: Client, query: str, variables: dict[str, Any] | None = None, path: str = "/graphql/"
) -> tuple[Any, float]:
    started = time.monotonic()
    response = client.post(
        path,
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    return response, time.monotonic() - started


def _assert_timeout_json(response: Any) -> None:
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["data"] is None and len(body["errors"]) == 1
    assert body["errors"][0]["extensions"] == {"code": "TIMEOUT", "requestId": response["X-Request-ID"]}


def test_each_session_carries_the_deadlines() -> None:
    with connection.cursor() as cursor:
        cursor.execute("select name, setting from pg_settings where name in ('statement_timeout', 'lock_timeout')")
        found = dict(cursor.fetchall())

    assert found == {
        "statement_timeout": str(settings.DATABASE_STATEMENT_TIMEOUT_MS),
        "lock_timeout": str(settings.DATABASE_LOCK_TIMEOUT_MS),
    }


@pytest.mark.parametrize("path", sorted(ENDPOINTS.values()))
def test_a_write_behind_a_held_row_lock_answers_within_the_lock_timeout(other_session: Any, path: str) -> None:
    """Given another session holding the user's row, when the user updates their profile, then
    the answer is a retryable TIMEOUT with the request id after about the lock timeout, and the
    profile is unchanged."""
    user = make_user("writer")
    client = Client()
    client.force_login(user)
    other_session.execute("select 1 from accounts_user where id = %s for update", [user.pk])

    response, elapsed = _post(client, UPDATE_PROFILE, path=path)

    _assert_timeout_json(response)
    lock_timeout = settings.DATABASE_LOCK_TIMEOUT_MS / 1000
    assert lock_timeout * 0.9 <= elapsed < lock_timeout + 3
    other_session.rollback()
    user.refresh_from_db()
    assert user.display_name != "New name"


def test_a_read_behind_a_table_lock_answers_within_the_lock_timeout(other_session: Any) -> None:
    """The operator's case: a long lock on the counters table stopped reads too. Now a read waits
    the lock timeout at most, and the next request, once the lock is gone, is served."""
    video = make_video(make_user("creator"))
    variables = {"id": to_global_id("Video", str(video.pk))}
    other_session.execute("lock table engagement_videocounters in access exclusive mode")

    response, elapsed = _post(Client(), READ_COUNTS, variables)
    other_session.rollback()
    after, _ = _post(Client(), READ_COUNTS, variables)

    _assert_timeout_json(response)
    assert elapsed < settings.DATABASE_LOCK_TIMEOUT_MS / 1000 + 3
    assert json.loads(after.content)["data"]["video"]["likeCount"] == 0


@pytest.mark.parametrize("path", sorted(ENDPOINTS.values()))
def test_a_statement_cancelled_by_the_statement_timeout_answers_timeout(other_session: Any, path: str) -> None:
    """With no lock timeout and a short statement timeout, a read behind a table lock is
    cancelled by the statement timeout (QueryCanceled), and answers the same TIMEOUT."""
    video = make_video(make_user("creator"))
    other_session.execute("lock table engagement_videocounters in access exclusive mode")
    with connection.cursor() as cursor:
        cursor.execute("set lock_timeout = 0")
        cursor.execute("set statement_timeout = 300")
    try:
        response, elapsed = _post(Client(), READ_COUNTS, {"id": to_global_id("Video", str(video.pk))}, path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("reset lock_timeout")
            cursor.execute("reset statement_timeout")

    _assert_timeout_json(response)
    assert elapsed < 3
