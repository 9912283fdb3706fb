"""WebSocket routes declare the credentials they accept, like HTTP routes (``kernel.routes``,
``backend/urls.py``), and ``backend.websocket_access`` holds each handshake to its declaration:
every route is declared, any other path is refused, a browser page of an untrusted origin is
refused (cross-site WebSocket hijacking), a bearer token travels in connection_init alone, and a
session counts only where the route takes sessions. Then every route is asked by every kind of
credential, as the HTTP route matrix does."""

import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern

from accounts.models import User
from accounts.scopes import Scope
from accounts.tokens import access_token_create
from backend.urls import websocket_urlpatterns
from backend.websocket_access import WebSocketAccess, trusted_origin
from kernel import routes
from kernel.routes import Credential, websocket_access_of, websocket_routes
from tests.factories import make_user
from tests.websockets import Socket, run, session_cookie

ROUTES = sorted(str(pattern.pattern) for pattern in websocket_urlpatterns if isinstance(pattern, URLPattern))


def test_every_websocket_route_declares_its_credentials() -> None:
    """Every route of the WebSocket router is declared, and every declaration is a route."""
    assert websocket_routes() == ROUTES
    assert all(websocket_access_of(f"/{route}") is not None for route in ROUTES)


def test_the_route_audit_and_the_privacy_doc_list_every_websocket_route() -> None:
    """``privacy_audit --routes`` prints each WebSocket route with what it accepts, and
    docs/PRIVACY.md §10 names each one in its WebSocket part."""
    out = StringIO()
    call_command("privacy_audit", "--routes", "--format", "json", stdout=out)
    listed = {row["route"]: row["accepts"] for row in json.loads(out.getvalue())["websocketRoutes"]}
    section = (Path(settings.BASE_DIR) / "docs" / "PRIVACY.md").read_text(encoding="utf-8").split("## 10.")[1]
    websocket_part = section.split("### WebSocket routes")[1].split("\n## ")[0]

    assert listed == {f"/{route}": ["anonymous", "session", "bearer"] for route in ROUTES}
    assert [route for route in ROUTES if f"`/{route}`" not in websocket_part] == []


# The origin rule -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "host", "trusted"),
    [
        (None, "api.example.com", True),  # no browser
        ("https://api.example.com", "api.example.com", True),  # our own page
        ("http://api.example.com:8000", "api.example.com:8000", True),
        ("https://app.example.com", "api.example.com", True),  # DJANGO_CORS_ALLOWED_ORIGINS
        ("https://admin.partner.example", "api.example.com", True),  # DJANGO_CSRF_TRUSTED_ORIGINS wildcard
        ("https://evil.example", "api.example.com", False),
        ("https://evil.example", "evil.example", False),  # a host we do not serve
        ("https://api.example.com.evil.example", "api.example.com", False),
        ("http://app.example.com", "api.example.com", False),  # trusted over https only
        ("null", "api.example.com", False),  # sandboxed frames, file: pages
        ("", "api.example.com", False),
    ],
)
def test_which_origins_a_handshake_may_come_from(origin: str | None, host: str, trusted: bool) -> None:
    with override_settings(
        ALLOWED_HOSTS=["api.example.com"],
        CORS_ALLOWED_ORIGINS=["https://app.example.com"],
        CSRF_TRUSTED_ORIGINS=["https://*.partner.example"],
    ):
        assert trusted_origin(origin, host) is trusted


# The middleware, on a route of each kind -----------------------------------------------------------


@pytest.fixture
def declared_route() -> Iterator[Any]:
    """A route declared ``PUBLIC_PAGE``-like without sessions (anonymous only), for the rule that
    a session counts only where it is accepted; the app records the scope it was given."""
    seen: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope)
        await receive()
        await send({"type": "websocket.accept", "subprotocol": "graphql-transport-ws"})

    routes._declared_websocket["anonymous-only/"] = routes.HEALTH_PROBE
    try:
        yield WebSocketAccess(app), seen
    finally:
        del routes._declared_websocket["anonymous-only/"]


@pytest.mark.django_db(transaction=True)
def test_a_session_counts_only_where_the_route_accepts_sessions(declared_route: Any) -> None:
    access, seen = declared_route
    cookie = session_cookie(make_user("viewer"))

    async def conversation() -> None:
        socket = Socket(access, "/anonymous-only/", cookie=cookie)
        assert await socket.open()
        await socket.close()

    run(conversation)
    assert not seen[0]["user"].is_authenticated
    assert seen[0]["route_access"] is routes.HEALTH_PROBE


def test_a_path_without_a_declaration_is_refused(declared_route: Any) -> None:
    access, seen = declared_route

    async def conversation() -> None:
        socket = Socket(access, "/graphql/nothing-here/")
        assert not await socket.open()

    run(conversation)
    assert seen == []


# Every route by every kind of credential -------------------------------------------------------------


@pytest.fixture
def member() -> User:
    return make_user("member")


def _asked(application: Any, route: str, **options: Any) -> tuple[bool, dict[str, Any] | int | None]:
    """Open the route and subscribe to the notifications; (whether the handshake was accepted,
    the first answer to the subscription or the close code)."""
    init = options.pop("init", None)
    answer: list[Any] = [None]
    accepted: list[bool] = [False]

    async def conversation() -> None:
        socket = Socket(application, f"/{route}", **options)
        accepted[0] = await socket.open()
        if not accepted[0]:
            return
        await socket.send({"type": "connection_init", **({"payload": init} if init else {})})
        ack = await socket.communicator.receive_output(timeout=5)
        if ack["type"] == "websocket.close":
            answer[0] = ack["code"]
            return
        await socket.subscribe()
        answer[0] = await socket.receive()
        await socket.close()

    run(conversation)
    return accepted[0], answer[0]


def _codes(answer: Any) -> list[str]:
    assert isinstance(answer, dict) and answer["type"] == "error", answer
    return [error["extensions"]["code"] for error in answer["payload"]]


def _data(answer: Any) -> Any:
    assert isinstance(answer, dict) and answer["type"] == "next", answer
    return answer["payload"]["data"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", ROUTES)
def test_every_credential_on_every_websocket_route(asgi_application: Any, route: str, member: User) -> None:
    """Given each WebSocket route's declaration, when it is asked anonymously, with a session from
    our own origin, from a trusted origin, from no browser and from a foreign page, with a bearer
    token in connection_init and with one in a handshake header, then what the declaration accepts
    works and the rest is refused: a foreign page or a header token at the handshake, a session
    the route ignores as anonymous."""
    access = websocket_access_of(f"/{route}")
    assert access is not None
    cookie = session_cookie(member)
    _, token = access_token_create(actor=member, name="script", scopes=[Scope.PROFILE_READ])
    signed_in = {"notifications": {"unreadNotificationCount": 0, "notification": None}}

    with override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"]):
        anonymous = _asked(asgi_application, route)
        own_page = _asked(asgi_application, route, cookie=cookie)
        trusted_page = _asked(asgi_application, route, cookie=cookie, origin="https://app.example.com")
        no_browser = _asked(asgi_application, route, cookie=cookie, origin=None)
        foreign_page = _asked(asgi_application, route, cookie=cookie, origin="https://evil.example")
        bearer = _asked(asgi_application, route, origin=None, init={"authorization": f"Bearer {token}"})
        header = _asked(asgi_application, route, origin=None, headers={"authorization": f"Bearer {token}"})

    assert access.accepts_credential(Credential.ANONYMOUS) and anonymous[0]
    assert _codes(anonymous[1]) == ["UNAUTHENTICATED"]
    assert access.accepts_credential(Credential.SESSION)
    assert own_page[0] and _data(own_page[1]) == signed_in
    assert trusted_page[0] and _data(trusted_page[1]) == signed_in
    assert no_browser[0] and _data(no_browser[1]) == signed_in
    assert foreign_page == (False, None)
    assert access.accepts_credential(Credential.BEARER)
    assert bearer[0] and _data(bearer[1]) == signed_in
    assert header == (False, None)
