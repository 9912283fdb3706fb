"""CSRF without the token dance (``kernel.preflight``): on the GraphQL endpoints a request passes
without the CSRF token when a browser could only have sent it after a CORS preflight (a JSON
body, or a preflight header), so any GraphQL client works on its first request; a form or text
body still needs the token; the HTML forms elsewhere keep Django's CSRF whatever a request
carries. Cross-site form and text posts are refused in tests/api/test_errors.py."""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory
from graphql import get_introspection_query

from engagement.models import FavoriteCollection
from kernel.preflight import needs_preflight
from tests.api.conftest import ENDPOINTS
from tests.factories import make_user, password_of

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

CREATE = 'mutation { createCollection(input: {name: "Recipes"}) { collection { name } } }'


@pytest.fixture
def browser(db: None) -> Client:
    """A signed-in browser with its CSRF cookie, sending no token unless told to."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("cook"))
    client.get("/auth/csrf/")
    return client


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_a_json_post_from_a_session_needs_no_csrf_token(browser: Client, engine: str, content_type: str) -> None:
    response = browser.post(ENDPOINTS[engine], json.dumps({"query": CREATE}), content_type=content_type)

    assert response.status_code == 200, response.content
    assert response.json() == {"data": {"createCollection": {"collection": {"name": "Recipes"}}}}
    assert FavoriteCollection.objects.filter(name="Recipes").exists()


@pytest.mark.parametrize("accept", [None, "application/graphql-response+json"])
def test_anonymous_introspection_needs_no_setup(engine: str, db: None, accept: str | None) -> None:
    """What gql, Apollo Client or graphql-codegen send first: no cookie, no token."""
    headers = {"Accept": accept} if accept else {}
    body = json.dumps({"query": get_introspection_query(descriptions=True)})

    response = Client(enforce_csrf_checks=True).post(
        ENDPOINTS[engine], body, content_type="application/json", headers=headers
    )

    assert response.status_code == 200 and "errors" not in response.json()
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_a_session_signs_in_and_reads_without_a_token(engine: str, db: None) -> None:
    """The whole journey of a fresh client: logIn, then its own data, over the session cookie."""
    make_user("fresh")
    client = Client(enforce_csrf_checks=True)
    log_in = 'mutation($p: String!) { logIn(input: {username: "fresh", password: $p}) { user { username } } }'

    signed_in = client.post(
        ENDPOINTS[engine], {"query": log_in, "variables": {"p": password_of("fresh")}}, content_type="application/json"
    )
    me = client.post(ENDPOINTS[engine], {"query": "{ me { username } }"}, content_type="application/json")

    assert signed_in.json()["data"]["logIn"]["user"]["username"] == "fresh"
    assert me.json() == {"data": {"me": {"username": "fresh"}}}


def test_a_form_post_with_the_token_passes_csrf_and_is_still_not_json(browser: Client, engine: str) -> None:
    """The token is what a form post needs to get past CSRF; the transport then wants JSON."""
    token = browser.cookies["csrftoken"].value
    body = urlencode({"query": CREATE})

    response = browser.post(
        ENDPOINTS[engine], body, content_type="application/x-www-form-urlencoded", headers={"X-CSRFToken": token}
    )

    assert response.status_code == 415 and not FavoriteCollection.objects.exists()


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [
        ("Apollo-Require-Preflight", "true", 415),
        ("X-Apollo-Operation-Name", "Create", 415),
        ("Apollo-Require-Preflight", "", 403),
        ("X-Apollo-Operation-Name", "  ", 403),
        ("X-Requested-With", "XMLHttpRequest", 403),
    ],
)
def test_a_preflight_header_stands_for_the_token(
    browser: Client, engine: str, header: str, value: str, status: int
) -> None:
    """A text body with a non-empty preflight header gets past CSRF (and is refused as not JSON);
    an empty one does not, nor X-Requested-With, which Android's WebView sends unasked."""
    body = json.dumps({"query": CREATE})

    response = browser.post(ENDPOINTS[engine], body, content_type="text/plain", headers={header: value})

    assert response.status_code == status and not FavoriteCollection.objects.exists()
    assert response.json()["errors"][0]["extensions"]["requestId"] == response["X-Request-ID"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_html_forms_keep_djangos_csrf(browser: Client, path: str) -> None:
    """Only the GraphQL routes take a preflight for the token: a sign-in form does not, whatever
    the request's Content-Type or headers."""
    form = urlencode({"username": "cook", "password": password_of("cook")})

    json_typed = browser.post(path, form, content_type="application/json", headers={"X-Requested-With": "x"})
    form_typed = browser.post(
        path, form, content_type="application/x-www-form-urlencoded", headers={"Apollo-Require-Preflight": "1"}
    )

    assert json_typed.status_code == form_typed.status_code == 403
    assert json_typed["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("content_type", "preflighted"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("application/graphql-response+json", True),
        ("application/xml", True),
        ("text/plain", False),
        ("TEXT/PLAIN; charset=UTF-8", False),
        (" multipart/form-data; boundary=x", False),
        ("application/x-www-form-urlencoded", False),
        ("text/plain ;application/json", False),
        ("", False),
        ("application/json, text/plain", False),  # a browser cannot parse it either
        ("text /plain", False),
        ("json", False),
    ],
)
def test_which_content_types_a_browser_preflights(content_type: str, preflighted: bool) -> None:
    """A Content-Type that does not parse is not taken for preflighted: the token stays needed."""
    request = RequestFactory().post("/graphql/", "{}", content_type=content_type)

    assert needs_preflight(request) is preflighted


def test_a_missing_content_type_is_not_preflighted() -> None:
    request: Any = RequestFactory().post("/graphql/", "{}", content_type="")
    del request.META["CONTENT_TYPE"]

    assert needs_preflight(request) is False
