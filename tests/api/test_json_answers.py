"""Around the GraphQL engines: Django's own 400/403/404/500 answers and the CSRF refusal are JSON
with a code and the request id (HTML stays on the pages people read), every GraphQL answer
carries the X-RateLimit-* headers, and each bug is logged once, with the request id."""

import json
import logging
import time
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.test import Client
from pytest_django import Settings

from api import graphene_schema
from api.errors import INTERNAL_MESSAGE
from api.strawberry_schema import schema as strawberry_schema
from tests.api.conftest import ENDPOINTS, gid
from tests.factories import make_user, make_video

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

ME = json.dumps({"query": "{ me { id } }"})


@pytest.fixture
def client(db: None) -> Client:
    return Client(raise_request_exception=False)


def coded(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    error = json.loads(response.content)["errors"][0]
    assert error["extensions"] == {"code": code, "requestId": response["X-Request-ID"]}
    return error


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


# Django's error pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/graphql/nope/", "/auth/nope/", "/downloads/", "/o/token/nope/", "/no-such-page"])
def test_a_path_outside_the_html_pages_answers_404_in_json(client: Client, path: str) -> None:
    coded(client.get(path), 404, "NOT_FOUND")


@pytest.mark.parametrize("path", ["/accounts/nope/", "/o/applications/nope/x/"])
def test_the_html_pages_keep_djangos_html_404(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", [*ENDPOINTS.values(), "/auth/csrf/"])
def test_a_bad_host_is_a_json_400_that_does_not_echo_it(client: Client, path: str) -> None:
    response = client.get(path, {"query": "{ me { id } }"}, HTTP_HOST="evil.example")

    coded(response, 400, "BAD_USER_INPUT")
    assert b"evil" not in response.content


def test_a_bad_host_on_a_password_form_keeps_djangos_html(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_an_oversized_form_to_the_token_endpoint_is_a_json_413(client: Client) -> None:
    body = "grant_type=x&pad=" + "x" * (1024 * 1024)

    response = client.post("/o/token/", data=body, content_type="application/x-www-form-urlencoded")

    coded(response, 413, "BAD_USER_INPUT")


def test_a_bug_outside_graphql_is_a_json_500_logged_once(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with mock.patch("backend.views.get_token", side_effect=RuntimeError("secret xyz_internal")):
        response = client.get("/auth/csrf/")

    error = coded(response, 500, "INTERNAL")
    assert error["message"] == INTERNAL_MESSAGE and b"xyz_internal" not in response.content
    assert len(errors_logged(caplog)) == 1


def test_a_bug_on_an_html_page_keeps_djangos_html_500(client: Client) -> None:
    with mock.patch.object(auth_views.LoginView, "get", side_effect=RuntimeError("boom")):
        response = client.get("/accounts/login/")

    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")


def test_permission_denied_in_a_view_is_a_json_403(client: Client) -> None:
    with mock.patch("backend.views.get_token", side_effect=PermissionDenied("not you")):
        response = client.get("/auth/csrf/")

    coded(response, 403, "FORBIDDEN")


# CSRF -------------------------------------------------------------------------------------------


def _session_post(engine: str) -> Any:
    """A form post from a session without the CSRF token: what a page elsewhere can send."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("victim"))
    body = urlencode({"query": 'mutation { createCollection(input: {name: "x"}) { clientMutationId } }'})
    return client.post(ENDPOINTS[engine], data=body, content_type="application/x-www-form-urlencoded")


def test_the_csrf_failure_view_answers_forbidden_in_json(engine: str, db: None) -> None:
    """The shipped CSRF_FAILURE_VIEW: coded JSON with Django's reason, and how to do without."""
    error = coded(_session_post(engine), 403, "FORBIDDEN")

    assert error["message"].startswith("CSRF verification failed.") and "CSRF cookie not set" in error["message"]
    assert error["message"].endswith("A body sent as Content-Type: application/json needs no CSRF token.")


def test_a_csrf_refusal_is_json_even_with_djangos_failure_view(engine: str, db: None, settings: Settings) -> None:
    """Should the setting be lost, the transport still turns Django's HTML page into a coded error."""
    settings.CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"

    error = coded(_session_post(engine), 403, "FORBIDDEN")

    assert error["message"] == "CSRF verification failed."


def test_a_csrf_refusal_on_the_sign_in_form_stays_html(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


# X-RateLimit-* on every answer --------------------------------------------------------------------

RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset")


def test_a_spent_budget_answers_429_with_the_rate_limit_headers(
    client: Client, engine: str, settings: Settings
) -> None:
    settings.GRAPHQL_HOURLY_BUDGET_IP = 1
    client.post(ENDPOINTS[engine], data=ME, content_type="application/json")

    refused = client.post(ENDPOINTS[engine], data=ME, content_type="application/json")

    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused["X-RateLimit-Limit"] == "1" and refused["X-RateLimit-Remaining"] == "0"
    assert int(refused["X-RateLimit-Used"]) >= 1 and int(refused["X-RateLimit-Reset"]) > time.time()


@pytest.mark.parametrize(
    ("method", "body", "content_type", "status"),
    [
        ("POST", "{not json", "application/json", 400),
        ("POST", '{"query": "{ me { id } }"}', "text/plain", 415),
        ("PUT", "", "application/json", 405),
        ("POST", '{"query": "{ me { id "}', "application/json", 200),  # a request error: no data
        ("GET", "", "", 400),  # no query
    ],
)
def test_a_refusal_reports_the_callers_standing_and_charges_nothing(
    client: Client, engine: str, settings: Settings, method: str, body: str, content_type: str, status: int
) -> None:
    settings.GRAPHQL_HOURLY_BUDGET_IP = 1000
    spent = client.post(ENDPOINTS[engine], data=ME, content_type="application/json")
    used = int(spent["X-RateLimit-Used"])

    refused = client.generic(method, ENDPOINTS[engine], data=body, content_type=content_type)

    assert refused.status_code == status
    assert all(header in refused for header in RATE_LIMIT_HEADERS)
    assert refused["X-RateLimit-Used"] == str(used) and refused["X-RateLimit-Cost"] == "0"
    assert refused["X-RateLimit-Remaining"] == str(1000 - used) and refused["X-RateLimit-Limit"] == "1000"


def test_a_csrf_refusal_reports_the_standing_too(engine: str, db: None) -> None:
    response = _session_post(engine)

    assert response.status_code == 403 and all(header in response for header in RATE_LIMIT_HEADERS)


# One log line per bug ----------------------------------------------------------------------------


def test_a_resolver_bug_is_logged_once_with_the_request_id(
    client: Client, engine: str, caplog: pytest.LogCaptureFixture
) -> None:
    video = make_video(make_user("creator"))
    body = json.dumps({"query": "query($id: ID!) { video(id: $id) { likeCount } }", "variables": {"id": gid(video)}})

    with (
        mock.patch("engagement.counters.totals", side_effect=RuntimeError("secret xyz_internal")),
        caplog.at_level(logging.INFO),
    ):
        response = client.post(ENDPOINTS[engine], data=body, content_type="application/json")

    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL"
    [record] = errors_logged(caplog)
    assert response["X-Request-ID"] in record.getMessage() and record.exc_info is not None


ENGINE_VIEW_ENTRY = {
    "strawberry": (strawberry_schema, "execute_sync"),
    "graphene": (graphene_schema.GrapheneView, "execute_graphql_request"),
}


def test_a_bug_in_an_engine_view_is_a_json_internal_logged_once(
    client: Client, engine: str, caplog: pytest.LogCaptureFixture
) -> None:
    owner, name = ENGINE_VIEW_ENTRY[engine]

    with (
        mock.patch.object(owner, name, side_effect=RuntimeError("secret xyz_internal")),
        caplog.at_level(logging.INFO),
    ):
        response = client.post(ENDPOINTS[engine], data=ME, content_type="application/json")

    error = coded(response, 500, "INTERNAL")
    assert error["message"] == INTERNAL_MESSAGE and b"xyz_internal" not in response.content
    assert all(header in response for header in RATE_LIMIT_HEADERS)
    [record] = errors_logged(caplog)
    assert response["X-Request-ID"] in record.getMessage()
    assert record.exc_info is not None and "xyz_internal" in str(record.exc_info[1])
