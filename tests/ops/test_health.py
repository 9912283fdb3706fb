"""/healthz and /readyz: liveness touches nothing but the process; readiness checks the database,
the cache and the migrations, and a failure is a JSON 503 naming the check, never a stack."""

import json
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from backend import health
from tests.factories import make_user
from tests.ops.unreachable import unreachable_cache  # noqa: F401  (fixture)


def _json(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].split(";")[0] == "application/json", response["Content-Type"]
    body: dict[str, Any] = json.loads(response.content)
    return body


def _reveals_nothing(response: Any) -> None:
    text = response.content.decode()
    for leak in ("Traceback", "unreachable", "OperationalError", "<html", "not applied"):
        assert leak not in text, text


@pytest.mark.usefixtures("unreachable_cache")
def test_healthz_touches_neither_database_nor_cache() -> None:
    """Given no database access (no ``db`` fixture: any query fails the test) and a cache that is
    down, when /healthz is asked, then the process answers 200 all the same."""
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert _json(response) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_every_check_when_healthy() -> None:
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert _json(response) == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}


@pytest.mark.django_db
def test_readyz_names_an_unreachable_database() -> None:
    """Given a database connection that fails, then 503 names the database; the migrations, which
    cannot be read without it, are skipped rather than reported as a second failure."""
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("server closed")):
        response = Client().get("/readyz")

    body = _json(response)
    assert response.status_code == 503
    assert body["failed"] == ["database"]
    assert body["checks"] == {"database": "failed", "cache": "ok", "migrations": "skipped"}
    _reveals_nothing(response)


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_cache")
def test_readyz_names_an_unreachable_cache() -> None:
    response = Client().get("/readyz")

    body = _json(response)
    assert response.status_code == 503
    assert body["failed"] == ["cache"]
    assert body["checks"] == {"database": "ok", "cache": "failed", "migrations": "ok"}
    _reveals_nothing(response)


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations() -> None:
    """Given code with a migration its database lacks, then the process is not ready."""
    unapplied = [(mock.Mock(name="0099_new_column"), False)]
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=unapplied):
        response = Client().get("/readyz")

    body = _json(response)
    assert response.status_code == 503
    assert body["failed"] == ["migrations"]
    _reveals_nothing(response)


@pytest.mark.django_db
def test_probes_need_and_reveal_nothing_personal() -> None:
    """Given a signed-in person, then both probes answer exactly what an anonymous caller gets
    (the session is ignored there) and name no one; a bearer header is refused like on every
    route off GraphQL, before the probe runs."""
    person = make_user("probe_person")
    signed_in = Client()
    signed_in.force_login(person)
    for path in ("/healthz", "/readyz"):
        anonymous, session = Client().get(path), signed_in.get(path)

        assert (session.status_code, session.content) == (anonymous.status_code, anonymous.content)
        assert person.username.encode() not in session.content and person.email.encode() not in session.content
        assert "sessionid" not in session.cookies or session.cookies["sessionid"].value == ""

        bearer = Client().get(path, headers={"Authorization": "Bearer ssv_pat_anything"})
        assert bearer.status_code == 401
        assert _json(bearer)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.django_db
def test_probes_take_no_other_method() -> None:
    assert Client().post("/readyz").status_code in (403, 405)  # CSRF first, or the method
    assert Client().put("/healthz").status_code == 405


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_check_timeout_ends_with_its_transaction() -> None:
    """On PostgreSQL the probe's statement timeout is local to its own transaction: the pooled
    connection keeps its usual setting for the requests after it."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()

    health.check_database()

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == before
