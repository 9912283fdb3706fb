"""Attacks on CSRF by preflight (``kernel.preflight``), as a page on another origin would make a
signed-in visitor's browser send them, and as a careless client would: every request a browser
can send without a CORS preflight still needs the CSRF token, a GET never runs a mutation, what
a GET reads cannot be included by another site, only the GraphQL routes take a preflight for the
token, and a bad bearer header never falls back to the cookie. Every refusal on the GraphQL
paths is coded GraphQL JSON, and none changes anything."""

import io
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from corsheaders import checks as cors_checks
from django.core.handlers.asgi import ASGIRequest
from django.test import Client, override_settings
from django.test.client import FakePayload, encode_multipart
from django.urls import resolve

from accounts.models import User
from accounts.scopes import Scope
from accounts.tokens import access_token_create
from engagement import services
from engagement.models import FavoriteCollection
from kernel import routes
from kernel.preflight import needs_preflight
from tests.api.conftest import ENDPOINTS
from tests.clients import shared_client
from tests.factories import make_user, make_video, password_of
from tests.module_data import ModuleData, copy_for_test

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

STRANGER = "https://evil.example"
FRONTEND = "https://front.example"
CREATE = 'mutation { createCollection(input: {name: "Planted"}) { collection { name } } }'
LOG_IN = 'mutation { logIn(input: {username: "attacker", password: "%s"}) { user { username } } }'
LOG_OUT = "mutation { logOut(input: {}) { clientMutationId } }"
FAVORITES = "{ me { username favorites { edges { node { video { caption } } } } } }"


def _visitor_with_a_private_save() -> User:
    user = make_user("victim")
    video = make_video(make_user("maker"), caption="secret-save")
    services.favorite_add(actor=user, video_id=video.pk)
    return user


@pytest.fixture(scope="module")
def _victim_of_the_module(module_data: ModuleData) -> User:
    return module_data.build(_visitor_with_a_private_save)


@pytest.fixture
def victim(_victim_of_the_module: User, db: None) -> User:
    """A signed-in visitor with a private save (built once for the module)."""
    return copy_for_test(_victim_of_the_module)


@pytest.fixture
def browser(victim: User) -> Client:
    """The visitor's browser: session and CSRF cookies, and no token unless a page reads it."""
    client = shared_client()
    client.force_login(victim)
    client.get("/auth/csrf/")
    assert "csrftoken" in client.cookies
    return client


def send(client: Client, path: str, body: bytes = b"", *, method: str = "POST", **environ: str) -> "Response":
    """A raw WSGI request: exactly the environ given (a CONTENT_TYPE the test client would not
    write, or none at all) and the client's cookies."""
    wsgi: dict[str, Any] = {"wsgi.input": FakePayload(body), "CONTENT_LENGTH": str(len(body))}
    return client.request(PATH_INFO=path, REQUEST_METHOD=method, **wsgi, **environ)


def planted() -> bool:
    return FavoriteCollection.objects.filter(name="Planted").exists()


def refusal(response: "Response", status: int, code: str) -> dict[str, Any]:
    """The one coded GraphQL error of a refusal on a GraphQL path, never Django's HTML page."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(("application/json", "application/graphql-response+json"))
    body = json.loads(response.content)
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["requestId"] == response["X-Request-ID"]
    return dict(error)


def assert_csrf_refusal(response: "Response") -> None:
    assert "CSRF" in refusal(response, 403, "FORBIDDEN")["message"]
    assert not planted()


@pytest.mark.parametrize("origin", [STRANGER, "null"])
def test_the_token_from_another_origin_is_refused_over_https(browser: Client, engine: str, origin: str) -> None:
    """Even with the right token, a form post whose Origin is foreign fails Django's origin check,
    and that refusal too is coded JSON."""
    token = browser.cookies["csrftoken"].value

    response = browser.post(
        ENDPOINTS[engine],
        urlencode({"query": CREATE, "csrfmiddlewaretoken": token}),
        content_type="application/x-www-form-urlencoded",
        headers={"Origin": origin, "X-CSRFToken": token},
        secure=True,
    )

    assert "Origin checking failed" in refusal(response, 403, "FORBIDDEN")["message"]
    assert not planted()


# What a page can make a browser send without asking: the token stays needed -------------------

SIMPLE = [
    ("application/x-www-form-urlencoded", urlencode({"query": CREATE})),
    ("application/x-www-form-urlencoded; foo", urlencode({"query": CREATE})),
    ("application/x-www-form-urlencoded;charset=UTF-8", urlencode({"query": CREATE})),
    ("Application/X-WWW-Form-Urlencoded", urlencode({"query": CREATE})),
    ("text/plain", json.dumps({"query": CREATE})),
    ("text/plain;charset=UTF-8", json.dumps({"query": CREATE})),  # navigator.sendBeacon(url, string)
    ("text/plain;charset=utf-8", json.dumps({"query": CREATE})),
    ("TEXT/PLAIN", json.dumps({"query": CREATE})),
    (" text/plain ", json.dumps({"query": CREATE})),
    ("text/plain\t; charset=utf-8", json.dumps({"query": CREATE})),
    ("text/plain; application/json", json.dumps({"query": CREATE})),
    ("text/plain;charset=application/json", json.dumps({"query": CREATE})),
    # <form enctype="text/plain">: name=value, so the JSON parses with a throwaway key
    ("text/plain", json.dumps({"query": CREATE, "x": "=1"})),
]


@pytest.mark.parametrize(("content_type", "body"), SIMPLE)
def test_a_simple_post_needs_the_token(browser: Client, engine: str, content_type: str, body: str) -> None:
    """Forms, text and beacons are sent across sites without a preflight: refused without the token."""
    response = send(browser, ENDPOINTS[engine], body.encode(), CONTENT_TYPE=content_type)

    assert_csrf_refusal(response)


def test_a_multipart_post_needs_the_token(browser: Client, engine: str) -> None:
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    body = encode_multipart(boundary, {"query": CREATE, "operations": json.dumps({"query": CREATE})})

    response = send(browser, ENDPOINTS[engine], body, CONTENT_TYPE=f"multipart/form-data; boundary={boundary}")

    assert_csrf_refusal(response)


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json\x00",
        "application/json\x0b",
        "json",
        "application/json, text/plain",
        "text/plain, application/json",
        "text/plain,application/json",  # two Content-Type headers as ASGI servers join them
        "application /json",
        "application/ json",
        "application/json/x",
        "application/",
        "/json",
        "\u0430pplication/json",  # a Cyrillic a
        "application/jso\u0274",
        "",
        ";",
    ],
)
def test_a_content_type_that_does_not_parse_needs_the_token(browser: Client, engine: str, content_type: str) -> None:
    """A browser that cannot parse a Content-Type preflights it, but the server cannot tell which
    parser a sender used: whatever does not parse counts as simple."""
    response = send(browser, ENDPOINTS[engine], json.dumps({"query": CREATE}).encode(), CONTENT_TYPE=content_type)

    assert_csrf_refusal(response)


def test_a_body_without_a_content_type_needs_the_token(browser: Client, engine: str) -> None:
    """``fetch(url, {method: "POST", body: new Blob([json])})`` sends no Content-Type, and no preflight."""
    response = send(browser, ENDPOINTS[engine], json.dumps({"query": CREATE}).encode())

    assert_csrf_refusal(response)


def test_duplicate_content_types_joined_by_asgi_do_not_parse() -> None:
    """An ASGI server joins repeated headers with a comma: that value is not taken for preflighted."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql/",
        "headers": [(b"content-type", b"application/json"), (b"content-type", b"text/plain")],
    }
    request = ASGIRequest(scope, io.BytesIO(b"{}"))

    assert request.META["CONTENT_TYPE"] == "application/json,text/plain"
    assert needs_preflight(request) is False


def test_a_post_without_a_csrf_cookie_is_refused(victim: User, engine: str) -> None:
    """A visitor who never fetched the token: "CSRF cookie not set", in coded JSON."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(victim)

    response = client.post(ENDPOINTS[engine], json.dumps({"query": CREATE}), content_type="text/plain")

    assert_csrf_refusal(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-HTTP-Method-Override": "GET"},
        {"X-HTTP-Method": "GET"},
        {"X-Method-Override": "GET"},
        {"X-Requested-With": ""},
        {"X-Requested-With": " \t "},
        {"Apollo-Require-Preflight": ""},
        {"X-Apollo-Operation-Name": "  "},
        {"X-Requested-By": "XMLHttpRequest"},
        {"Apollo-Operation-Name": "Create"},
        {"X-CSRF-Token": "anything"},
        {"Origin": "null"},
        {"Origin": FRONTEND},
        {"Sec-Fetch-Site": "same-origin"},
    ],
    ids=lambda headers: ";".join(f"{name}={value!r}" for name, value in headers.items()),
)
def test_no_other_header_stands_for_the_token(browser: Client, engine: str, headers: dict[str, str]) -> None:
    """Only a non-empty preflight header counts; a method override, an Origin or a lookalike name
    does not (each is either safelisted, forbidden to pages, or not one this server trusts)."""
    response = browser.post(
        ENDPOINTS[engine], json.dumps({"query": CREATE}), content_type="text/plain", headers=headers
    )

    assert_csrf_refusal(response)


@pytest.mark.parametrize("query_string", ["_method=GET", "_method=PUT", "access_token=made-up"])
def test_no_url_parameter_stands_for_the_token(browser: Client, engine: str, query_string: str) -> None:
    response = browser.post(
        f"{ENDPOINTS[engine]}?{query_string}", json.dumps({"query": CREATE}), content_type="text/plain"
    )

    assert_csrf_refusal(response)


@pytest.mark.parametrize("name", ["apollo-require-preflight", "APOLLO-REQUIRE-PREFLIGHT", "x-apollo-operation-name"])
def test_a_preflight_header_counts_in_any_case_and_still_runs_no_text_body(
    browser: Client, engine: str, name: str
) -> None:
    """Header names are case-insensitive and a browser preflights every spelling: the request
    passes CSRF and is then refused for its text body, without running."""
    response = browser.post(
        ENDPOINTS[engine], json.dumps({"query": CREATE}), content_type="text/plain", headers={name: "1"}
    )

    refusal(response, 415, "BAD_USER_INPUT")
    assert not planted()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", urlencode({"query": CREATE})),
        ("text/plain", json.dumps({"query": CREATE})),
    ],
    ids=["form", "text"],
)
def test_a_webview_form_post_runs_nothing(browser: Client, engine: str, content_type: str, body: str) -> None:
    """Android's WebView has added ``X-Requested-With: <app package>`` to every request, a
    cross-site form post included, with no preflight: that header is no stand-in for the token."""
    response = browser.post(
        ENDPOINTS[engine], body, content_type=content_type, headers={"X-Requested-With": "com.example.app"}
    )

    refusal(response, 403, "FORBIDDEN")
    assert not planted()


@pytest.mark.parametrize(
    "content_type",
    ["application/csp-report", "application/reports+json", "application/graphql", "application/xml", "*/*"],
)
def test_a_preflighted_type_that_is_not_json_still_runs_nothing(
    browser: Client, engine: str, content_type: str
) -> None:
    """Types a browser sends on its own (CSP and Reporting API reports) or only after asking pass
    CSRF, and the transport takes nothing but JSON."""
    response = browser.post(ENDPOINTS[engine], json.dumps({"query": CREATE}), content_type=content_type)

    refusal(response, 415, "BAD_USER_INPUT")
    assert not planted()


# Signing a visitor in or out from another site ----------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", urlencode({"query": LOG_IN % password_of("attacker")})),
        ("text/plain", json.dumps({"query": LOG_IN % password_of("attacker")})),
    ],
    ids=["form", "text"],
)
@pytest.mark.parametrize("has_csrf_cookie", [True, False])
def test_a_page_cannot_sign_a_visitor_in_as_the_attacker(
    engine: str, db: None, content_type: str, body: str, has_csrf_cookie: bool
) -> None:
    """Login CSRF: a hostile form posting ``logIn`` with the attacker's password is refused, and
    the visitor's browser holds no session afterwards."""
    make_user("attacker")
    visitor = Client(enforce_csrf_checks=True)
    if has_csrf_cookie:
        visitor.get("/auth/csrf/")

    response = visitor.post(ENDPOINTS[engine], body, content_type=content_type)

    assert "CSRF" in refusal(response, 403, "FORBIDDEN")["message"]
    assert "sessionid" not in visitor.cookies or not visitor.cookies["sessionid"].value
    me = visitor.post(ENDPOINTS[engine], json.dumps({"query": "{ me { username } }"}), content_type="application/json")
    assert me.json()["data"]["me"] is None


def test_a_page_cannot_sign_a_visitor_out(browser: Client, engine: str) -> None:
    response = browser.post(ENDPOINTS[engine], json.dumps({"query": LOG_OUT}), content_type="text/plain")

    assert "CSRF" in refusal(response, 403, "FORBIDDEN")["message"]
    me = browser.post(ENDPOINTS[engine], json.dumps({"query": "{ me { username } }"}), content_type="application/json")
    assert me.json()["data"]["me"] == {"username": "victim"}


# GET: never a mutation, and nothing another site can include --------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"query": CREATE},
        {"query": CREATE, "operationName": ""},
        {
            "query": "query Read { __typename } " + CREATE.replace("mutation", "mutation Plant"),
            "operationName": "Plant",
        },
        {"query": "mutation { createCollection(input: {name: $n}) { clientMutationId } }", "variables": "{}"},
        {"query": "subscription { __typename }"},
    ],
    ids=["anonymous-mutation", "empty-operation-name", "chosen-by-name", "with-variables", "subscription"],
)
@pytest.mark.parametrize("headers", [{}, {"X-Requested-With": "XMLHttpRequest", "X-HTTP-Method-Override": "POST"}])
def test_a_get_never_runs_a_mutation(
    browser: Client, engine: str, params: dict[str, str], headers: dict[str, str]
) -> None:
    """A link or an <img> sends a GET with the cookies: no header or override makes it a mutation."""
    response = browser.get(ENDPOINTS[engine], params, headers=headers)

    assert 400 <= response.status_code < 500 or response.json().get("data") is None
    if response.status_code >= 400:
        assert response.json()["errors"][0]["extensions"]["code"]
    assert not planted()


@pytest.mark.parametrize("order", ["mutation-last", "mutation-first"])
def test_a_repeated_query_parameter_cannot_smuggle_a_mutation(browser: Client, engine: str, order: str) -> None:
    """The transport and the engine must read the same one of two ``query`` parameters."""
    pair = [("query", "{ __typename }"), ("query", CREATE)]
    query_string = urlencode(pair if order == "mutation-last" else pair[::-1])

    response = browser.get(f"{ENDPOINTS[engine]}?{query_string}")

    assert not planted()
    assert response.status_code in (200, 405)


def test_a_get_body_is_not_read(browser: Client, engine: str) -> None:
    """A GET's parameters are its URL's: a body with a mutation is ignored."""
    response = send(
        browser,
        ENDPOINTS[engine],
        json.dumps({"query": CREATE}).encode(),
        method="GET",
        CONTENT_TYPE="application/json",
        QUERY_STRING=urlencode({"query": "{ __typename }"}),
    )

    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}
    assert not planted()


def test_a_posts_url_query_is_not_run(browser: Client, engine: str) -> None:
    """A POST runs its body, never a mutation in its URL."""
    response = browser.post(
        f"{ENDPOINTS[engine]}?{urlencode({'query': CREATE})}",
        json.dumps({"query": "{ __typename }"}),
        content_type="application/json",
    )

    assert response.json() == {"data": {"__typename": "Query"}}
    assert not planted()


@pytest.mark.parametrize("accept", ["*/*", "application/javascript, */*;q=0.8", "image/avif,image/webp,*/*;q=0.8"])
def test_a_private_read_over_get_cannot_be_included_by_another_site(browser: Client, engine: str, accept: str) -> None:
    """``<script src="/graphql/?query={me{favorites…}}">`` sends the cookies and gets the private
    answer, but as a JSON object labelled JSON with nosniff: a browser refuses to run it as a
    script (ORB), no callback parameter wraps it, and no CORS header lets the page read it."""
    response = browser.get(
        ENDPOINTS[engine],
        {"query": FAVORITES, "callback": "steal", "jsonp": "steal"},
        headers={"Accept": accept, "Origin": STRANGER, "Sec-Fetch-Dest": "script", "Sec-Fetch-Mode": "no-cors"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"{") and b"steal" not in response.content
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response
    assert "secret-save" in response.content.decode()  # it did read: the protection is the browser's


def test_a_navigation_to_a_read_gets_no_html_page(browser: Client, engine: str) -> None:
    """A top-level navigation (Accept: text/html) is answered 406 in JSON, no page to frame."""
    response = browser.get(
        ENDPOINTS[engine], {"query": FAVORITES}, headers={"Accept": "text/html,application/xhtml+xml"}
    )

    refusal(response, 406, "BAD_USER_INPUT")
    assert b"secret-save" not in response.content


@pytest.mark.parametrize("method", ["HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"])
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_other_methods_are_refused_in_json(browser: Client, engine: str, method: str, content_type: str) -> None:
    """A JSON body with another method passes CSRF (a browser preflights it) and still runs nothing."""
    response = send(
        browser, ENDPOINTS[engine], json.dumps({"query": CREATE}).encode(), method=method, CONTENT_TYPE=content_type
    )

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    if method != "HEAD":
        refusal(response, 405, "BAD_USER_INPUT")
    assert not planted()


# CORS: only the listed origins get an answer, and never "null" -----------------------------------


def preflight(client: Client, origin: str, path: str = "/graphql/") -> "Response":
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-requested-with",
        },
    )


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
@pytest.mark.parametrize(
    "origin",
    [
        STRANGER,
        "null",
        "http://front.example",  # the listed host over plain HTTP
        "https://front.example:8443",
        "https://front.example.evil.example",
        "https://evil.front.example",
        "https://front.example@evil.example",
        "HTTPS://FRONT.EXAMPLE.",
        "",
    ],
)
@pytest.mark.parametrize("path", sorted(ENDPOINTS.values()))
def test_an_unlisted_origin_gets_no_preflight_answer(browser: Client, origin: str, path: str) -> None:
    """The preflight is what a JSON POST without the token rests on: an origin not listed
    exactly gets no Access-Control-Allow-Origin, so the browser sends nothing."""
    checked = preflight(browser, origin, path)

    assert "Access-Control-Allow-Origin" not in checked
    assert "Access-Control-Allow-Credentials" not in checked


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_a_listed_origin_gets_its_own_name_back_never_a_wildcard(browser: Client) -> None:
    checked = preflight(browser, FRONTEND)

    assert checked["Access-Control-Allow-Origin"] == FRONTEND
    assert checked["Access-Control-Allow-Credentials"] == "true"
    assert "origin" in checked["Vary"].lower()


def test_a_preflight_is_answered_without_running_anything(browser: Client, engine: str) -> None:
    checked = browser.options(
        f"{ENDPOINTS[engine]}?{urlencode({'query': CREATE})}",
        headers={"Origin": STRANGER, "Access-Control-Request-Method": "POST"},
    )

    assert checked.status_code == 200 and checked.content == b""
    assert not planted()


# Bearer headers beside the cookie -------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization", ["Bearer made-up", "bearer made-up", "BEARER made-up", "Bearer", "Bearer  ", "Bearer a b"]
)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_bad_bearer_header_never_falls_back_to_the_session(
    browser: Client, engine: str, authorization: str, content_type: str
) -> None:
    """Refused 401 outright: neither served with the cookie nor let past CSRF by the header."""
    response = browser.post(
        ENDPOINTS[engine],
        json.dumps({"query": CREATE}),
        content_type=content_type,
        headers={"Authorization": authorization},
    )

    refusal(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not planted()


@pytest.mark.parametrize("authorization", ["Basic dmljdGltOnB3", "Token made-up", "Bearerx made-up", ""])
def test_another_authorization_scheme_leaves_csrf_on(browser: Client, engine: str, authorization: str) -> None:
    response = browser.post(
        ENDPOINTS[engine],
        json.dumps({"query": CREATE}),
        content_type="text/plain",
        headers={"Authorization": authorization},
    )

    assert_csrf_refusal(response)


def test_a_valid_token_beside_the_cookie_acts_as_the_token_and_still_wants_json(
    browser: Client, engine: str, victim: User
) -> None:
    """A token exempts its own request from CSRF (no page can set the header without asking);
    a text body is then refused by the transport, not run."""
    _, token = access_token_create(actor=victim, name="tool", scopes=[Scope.FAVORITES_WRITE.value])

    response = browser.post(
        ENDPOINTS[engine],
        json.dumps({"query": CREATE}),
        content_type="text/plain",
        headers={"Authorization": f"Bearer {token}"},
    )

    refusal(response, 415, "BAD_USER_INPUT")
    assert not planted()


def test_a_token_in_the_url_is_no_credential(engine: str, victim: User) -> None:
    """Only the header carries a token: one in the URL (``?access_token=``) is not read, so a
    link cannot act as its holder, nor switch CSRF off."""
    _, token = access_token_create(actor=victim, name="tool", scopes=[Scope.PROFILE_READ.value])

    response = Client(enforce_csrf_checks=True).post(
        f"{ENDPOINTS[engine]}?access_token={token}",
        json.dumps({"query": "{ me { username } }"}),
        content_type="application/json",
    )

    assert response.json()["data"]["me"] is None


# Other routes: the token stays needed whatever the request carries -----------------------------


def test_only_the_graphql_routes_take_a_preflight_for_the_token() -> None:
    """The exemption is for an API read by programs: no form, consent screen or admin page has it."""
    exempt = {
        route for route in routes.walk_routes() if (access := routes.access_of(route)) and access.csrf_by_preflight
    }

    assert exempt == {"graphql/", "graphql/graphene/"}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/logout/",
        "/admin/password_change/",
        "/admin/login/",
        "/accounts/login/",
        "/o/authorize/",
        "/o/applications/register/",
        "/app/",
        "/auth/csrf/",
    ],
)
@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Requested-With": "XMLHttpRequest"}, {"Apollo-Require-Preflight": "true"}],
    ids=["json", "json+x-requested-with", "json+apollo-require-preflight"],
)
def test_a_json_post_elsewhere_still_needs_the_token(db: None, path: str, headers: dict[str, str]) -> None:
    """A JSON body or a preflight header is no CSRF token off the GraphQL routes, even for staff."""
    staff = make_user("staff_member", is_staff=True, is_superuser=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    browser.get("/auth/csrf/")

    response = browser.post(
        path, json.dumps({"username": "x", "password": "y"}), content_type="application/json", headers=headers
    )

    assert response.status_code == 403, (path, response.status_code)
    assert b"CSRF" in response.content
    assert browser.get("/admin/").status_code == 200  # still signed in: the logout did not run


def test_the_graphql_views_are_not_csrf_exempt() -> None:
    """The exemption is the middleware's, request by request: a view marked ``csrf_exempt``
    (as some engines' views are) would switch the check off for form posts too."""
    for path in ENDPOINTS.values():
        assert not getattr(resolve(path).func, "csrf_exempt", False), path


def test_the_session_cookie_stays_off_cross_site_posts(db: None) -> None:
    """SameSite=Lax: a browser leaves the session cookie off a cross-site form post, a second
    wall behind the token (not the first: a sibling subdomain is same-site)."""
    make_user("lax")
    client = Client(enforce_csrf_checks=True)
    log_in = LOG_IN.replace("attacker", "lax") % password_of("lax")

    response = client.post(ENDPOINTS["strawberry"], json.dumps({"query": log_in}), content_type="application/json")

    assert response.cookies["sessionid"]["samesite"] == "Lax"
    assert response.cookies["sessionid"]["httponly"]


@override_settings(CORS_ALLOWED_ORIGINS=["front.example"])
def test_a_listed_origin_without_a_scheme_would_answer_null_and_fails_the_checks(browser: Client) -> None:
    """django-cors-headers compares scheme and host, both empty for ``null`` and for a listed
    ``front.example``: any sandboxed frame would get credentials. Its system check refuses such
    an entry (``migrate`` runs the checks before a release)."""
    assert preflight(browser, "null")["Access-Control-Allow-Origin"] == "null"
    assert "corsheaders.E013" in {message.id for message in cors_checks.check_settings()}


# Mounted under a prefix: the CSRF exemption and the transport must agree on the paths ---------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", urlencode({"query": CREATE})),
        ("text/plain", json.dumps({"query": CREATE})),
    ],
    ids=["form", "text"],
)
def test_under_a_script_prefix_a_preflighted_form_post_runs_nothing(
    browser: Client, engine: str, content_type: str, body: str
) -> None:
    """Served under a prefix (SCRIPT_NAME, as gunicorn or mod_wsgi mount it), the CSRF exemption
    and the transport must match the same path (``path_info``): a preflight header lets the
    request past CSRF, and the transport's JSON-only rule still refuses its body in coded JSON."""
    response = browser.post(
        ENDPOINTS[engine],
        body,
        content_type=content_type,
        headers={"Apollo-Require-Preflight": "true"},
        SCRIPT_NAME="/api",
    )

    refusal(response, 415, "BAD_USER_INPUT")
    assert not planted()


def test_under_a_script_prefix_a_get_mutation_is_refused_in_coded_json(browser: Client, engine: str) -> None:
    """Under a prefix too, a GET never runs a mutation, and says so in coded JSON."""
    response = browser.get(ENDPOINTS[engine], {"query": CREATE}, SCRIPT_NAME="/api")

    assert not planted()
    refusal(response, 405, "BAD_USER_INPUT")
