"""Frontends on other origins (django-cors-headers): a configured origin gets CORS headers with
credentials, signs in and reads over the session with JSON and no CSRF token (its preflight
passed), and can read the request id and budget headers; an unlisted origin gets no CORS
headers, so a browser never sends it a JSON POST, and the form or text post it can send without
a preflight is refused by the CSRF check."""

import json
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from backend.cors_origins import origin_problem
from engagement.models import FavoriteCollection
from tests.factories import make_user, password_of

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

FRONTEND = "http://front.example.com"
STRANGER = "http://evil.example.com"
LOG_IN = "mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { username } } }"
CREATE = 'mutation { createCollection(input: {name: "Sneaky"}) { clientMutationId } }'

pytestmark = pytest.mark.django_db


def preflight(client: Client, origin: str, headers: str = "content-type") -> "Response":
    return client.options(
        "/graphql/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def post(client: Client, origin: str, query: str, **variables: str) -> "Response":
    """A JSON POST as a browser sends it once the preflight passed: no CSRF token."""
    body = json.dumps({"query": query, "variables": variables})
    return client.post("/graphql/", body, content_type="application/json", HTTP_ORIGIN=origin)


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_a_configured_origin_signs_in_and_reads_with_credentials() -> None:
    user = make_user("cors_user")
    client = Client(enforce_csrf_checks=True)

    checked = preflight(client, FRONTEND)
    signed_in = post(client, FRONTEND, LOG_IN, u=user.username, p=password_of(user.username))
    me = post(client, FRONTEND, "{ me { username } }")

    assert checked.status_code == 200
    assert checked["Access-Control-Allow-Origin"] == FRONTEND
    assert checked["Access-Control-Allow-Credentials"] == "true"
    assert "content-type" in checked["Access-Control-Allow-Headers"]
    for response in (signed_in, me):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == FRONTEND
        assert response["Access-Control-Allow-Credentials"] == "true"
    assert signed_in.json()["data"]["logIn"]["user"]["username"] == "cors_user"
    assert me.json()["data"]["me"] == {"username": "cors_user"}


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_the_preflight_headers_clients_send_are_allowed() -> None:
    checked = preflight(Client(), FRONTEND, "content-type,apollo-require-preflight,x-apollo-operation-name")

    allowed = checked["Access-Control-Allow-Headers"].split(", ")
    assert {"apollo-require-preflight", "x-apollo-operation-name", "x-requested-with"} <= set(allowed)


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_a_configured_origin_reads_the_request_id_and_budget_headers() -> None:
    """A cross-origin page reads only the safelisted headers and those the server exposes: every
    X-RateLimit-* the transport sends, the request id and Retry-After are."""
    response = post(Client(), FRONTEND, "{ __typename }")

    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    sent = {name.lower() for name in response.headers if name.lower().startswith("x-ratelimit-")}
    assert len(sent) == 5 and sent <= exposed
    assert {"x-request-id", "retry-after"} <= exposed


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", urlencode({"query": CREATE})),
        ("text/plain", json.dumps({"query": CREATE})),
    ],
    ids=["form", "text"],
)
def test_an_unlisted_origin_gets_no_cors_headers_and_its_post_is_refused(content_type: str, body: str) -> None:
    """Given a signed-in browser, when a page of an unlisted origin asks to POST JSON, then the
    preflight is not answered (the browser sends nothing); and the form or text post it can
    send without asking is refused as a CSRF failure, in coded JSON, and changes nothing."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("cors_victim"))

    checked = preflight(browser, STRANGER)
    refused = browser.post("/graphql/", body, content_type=content_type, HTTP_ORIGIN=STRANGER)

    assert "Access-Control-Allow-Origin" not in checked
    assert "Access-Control-Allow-Credentials" not in checked
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "CSRF" in refused.json()["errors"][0]["message"]
    assert "Access-Control-Allow-Origin" not in refused
    assert not FavoriteCollection.objects.exists()


def test_no_origin_is_allowed_by_default(settings: Any) -> None:
    """DJANGO_CORS_ALLOWED_ORIGINS is empty unless set: same-origin only. The list is what
    stands between another site and a JSON POST with its visitors' cookies, so it is never
    "every origin" nor a pattern."""
    assert settings.CORS_ALLOWED_ORIGINS == [] or "DJANGO_CORS_ALLOWED_ORIGINS" in os.environ
    assert settings.CORS_ALLOW_CREDENTIALS is True
    assert not getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False)
    assert not getattr(settings, "CORS_ALLOWED_ORIGIN_REGEXES", [])
    assert "Access-Control-Allow-Origin" not in preflight(Client(), FRONTEND)


@pytest.mark.parametrize(
    ("origin", "debug", "refused"),
    [
        ("https://app.example.com", False, False),
        ("http://localhost:5173", False, False),
        ("http://127.0.0.1:3000", False, False),
        ("http://front.example.com", True, False),
        ("http://front.example.com", False, True),
        ("null", True, True),
        ("NULL", False, True),
        ("file://", True, True),
        ("chrome-extension://abcdef", False, True),
        ("https://", False, True),
    ],
)
def test_an_origin_not_fit_for_sessions_is_refused(origin: str, debug: bool, refused: bool) -> None:
    """``null`` (every sandboxed frame and file: page), non-web schemes, and plain http off the
    loopback with DEBUG off would hand the visitors' sessions to pages nobody vetted."""
    assert (origin_problem(origin, debug=debug) is not None) is refused


def test_the_check_stops_the_service_on_a_null_origin(settings: Any) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com", "null"]

    with pytest.raises(SystemCheckError, match=r"backend\.E010.*'null'"):
        call_command("check")
