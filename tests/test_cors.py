"""Frontends on other origins (django-cors-headers): a configured origin gets CORS headers with
credentials and, when it is also a CSRF trusted origin, can sign in and read over the session;
an unlisted origin gets no CORS headers, and its cross-site POST is refused by the CSRF check."""

import json
import os
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client, override_settings

from tests.factories import make_user, password_of

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

FRONTEND = "http://front.example.com"
STRANGER = "http://evil.example.com"
LOG_IN = "mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { username } } }"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_hashing"),
]


@pytest.fixture
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def preflight(client: Client, origin: str) -> "Response":
    return client.options(
        "/graphql/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-csrftoken",
    )


def post(client: Client, origin: str, query: str, **variables: str) -> "Response":
    token = client.get("/auth/csrf/").json()["csrfToken"]
    return client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_ORIGIN=origin,
        HTTP_X_CSRFTOKEN=token,
    )


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND], CSRF_TRUSTED_ORIGINS=[FRONTEND])
def test_a_configured_origin_signs_in_and_reads_with_credentials() -> None:
    user = make_user("cors_user")
    client = Client(enforce_csrf_checks=True)

    checked = preflight(client, FRONTEND)
    signed_in = post(client, FRONTEND, LOG_IN, u=user.username, p=password_of(user.username))
    me = post(client, FRONTEND, "{ me { username } }")

    assert checked.status_code == 200
    assert checked["Access-Control-Allow-Origin"] == FRONTEND
    assert checked["Access-Control-Allow-Credentials"] == "true"
    assert "x-csrftoken" in checked["Access-Control-Allow-Headers"]
    for response in (signed_in, me):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == FRONTEND
        assert response["Access-Control-Allow-Credentials"] == "true"
    assert signed_in.json()["data"]["logIn"]["user"]["username"] == "cors_user"
    assert me.json()["data"]["me"] == {"username": "cors_user"}


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND], CSRF_TRUSTED_ORIGINS=[FRONTEND])
def test_an_unlisted_origin_gets_no_cors_headers_and_its_post_is_refused() -> None:
    user = make_user("cors_user2")
    client = Client(enforce_csrf_checks=True)

    checked = preflight(client, STRANGER)
    refused = post(client, STRANGER, LOG_IN, u=user.username, p=password_of(user.username))

    assert "Access-Control-Allow-Origin" not in checked
    assert "Access-Control-Allow-Credentials" not in checked
    assert refused.status_code == 403 and b"CSRF" in refused.content
    assert "Access-Control-Allow-Origin" not in refused
    assert "sessionid" not in refused.cookies


def test_no_origin_is_allowed_by_default(settings: Any) -> None:
    """DJANGO_CORS_ALLOWED_ORIGINS is empty unless set: same-origin only."""
    assert settings.CORS_ALLOWED_ORIGINS == [] or "DJANGO_CORS_ALLOWED_ORIGINS" in os.environ
    assert settings.CORS_ALLOW_CREDENTIALS is True
    assert "Access-Control-Allow-Origin" not in preflight(Client(), FRONTEND)
