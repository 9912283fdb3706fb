"""The graphql-transport-ws protocol at both GraphQL paths: the handshake, the protocol's refusals
and close codes, what a subscription operation must pass before it runs (the admission rules of
HTTP), and the credentials a connection may carry."""

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client, override_settings

from accounts.models import User
from accounts.scopes import Scope
from accounts.tokens import access_token_create, access_token_revoke
from engagement import services
from tests.factories import make_user, make_video
from tests.websockets import ENDPOINTS, NOTIFICATIONS, Socket, run, session_cookie

# The consumers read the database from a thread of their own, where only committed rows show:
# tests of what they read are transactional. The rest write nothing and need no flush.
pytestmark = pytest.mark.django_db
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=sorted(ENDPOINTS))
def path(request: pytest.FixtureRequest) -> str:
    return ENDPOINTS[request.param]


@pytest.fixture
def viewer() -> User:
    return make_user("viewer")


# The handshake and the protocol's refusals ----------------------------------------------------------


def test_connection_init_is_acknowledged_and_ping_answered(asgi_application: Any, path: str) -> None:
    async def conversation() -> None:
        socket = Socket(asgi_application, path)
        await socket.connect()
        await socket.send({"type": "ping"})
        pong = await socket.receive()
        await socket.close()

        assert pong == {"type": "pong"}

    run(conversation)


def test_only_graphql_transport_ws_is_spoken(asgi_application: Any, path: str) -> None:
    """The legacy graphql-ws protocol (subscriptions-transport-ws) is not offered: 4406."""

    async def conversation() -> None:
        socket = Socket(asgi_application, path, subprotocols=("graphql-ws",))
        await socket.communicator.connect()
        code = await socket.closed_with()

        assert code == 4406

    run(conversation)


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"type": "connection_init"}, {"type": "connection_init"}], 4429),  # a second init
        ([{"type": "subscribe", "id": "1", "payload": {"query": NOTIFICATIONS}}], 4401),  # before the ack
        ([{"type": "connection_init"}, {"type": "shout"}], 4400),  # an unknown message
        ([{"type": "connection_init"}, {"type": "subscribe", "id": "1"}], 4400),  # a subscribe without payload
        ([{"type": "connection_init", "payload": "not an object"}], 4400),
    ],
    ids=["duplicate init", "subscribe before ack", "unknown message", "no payload", "payload not an object"],
)
def test_protocol_violations_close_with_the_protocols_codes(
    asgi_application: Any, path: str, messages: list[dict[str, Any]], code: int
) -> None:
    async def conversation() -> None:
        socket = Socket(asgi_application, path)
        assert await socket.open()
        for message in messages:
            await socket.send(message)
        output = await socket.communicator.receive_output(timeout=5)
        while output["type"] == "websocket.send":  # the ack of a first connection_init
            output = await socket.communicator.receive_output(timeout=5)

        assert output == {"type": "websocket.close", "code": code, "reason": output.get("reason", "")}

    run(conversation)


def test_a_connection_without_connection_init_is_closed_4408(asgi_application: Any, path: str) -> None:
    async def conversation() -> None:
        with override_settings(LIVE_CONNECTION_INIT_TIMEOUT_SECONDS=0.2):
            socket = Socket(asgi_application, path)
            assert await socket.open()
            code = await socket.closed_with()

        assert code == 4408

    run(conversation)


@transactional
def test_an_operation_id_in_use_closes_4409(asgi_application: Any, path: str, viewer: User) -> None:
    cookie = session_cookie(viewer)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        await socket.live(operation_id="same")
        await socket.subscribe(operation_id="same")
        code = await socket.closed_with()

        assert code == 4409

    run(conversation)


@transactional
def test_complete_ends_a_subscription_and_frees_its_id(asgi_application: Any, path: str, viewer: User) -> None:
    cookie = session_cookie(viewer)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        await socket.live(operation_id="a")
        await socket.send({"type": "complete", "id": "a"})
        again = await socket.live(operation_id="a")
        await socket.close()

        assert again == {"unreadNotificationCount": 0, "notification": None}

    run(conversation)


@transactional
def test_subscriptions_per_connection_are_capped(asgi_application: Any, path: str, viewer: User) -> None:
    """Past LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION, a subscribe gets an ``error`` and the
    connection and its subscriptions stay."""
    cookie = session_cookie(viewer)

    async def conversation() -> None:
        with override_settings(LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION=2):
            socket = Socket(asgi_application, path, cookie=cookie)
            await socket.connect()
            await socket.live(operation_id="1")
            await socket.live(operation_id="2")
            await socket.subscribe(operation_id="3")
            refusal = await socket.receive()
            await socket.send({"type": "ping"})
            pong = await socket.receive()
            await socket.close()

        assert refusal["type"] == "error" and refusal["id"] == "3"
        assert pong == {"type": "pong"}

    run(conversation)


# What an operation must pass ---------------------------------------------------------------------


def _error_codes(message: dict[str, Any]) -> list[str]:
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


REFUSED_OPERATIONS = {
    "a query": ("query Me { me { username } }", "Only subscriptions are served over WebSocket"),
    "a mutation": ("mutation Out { logOut(input: {}) { ok } }", "Only subscriptions are served over WebSocket"),
    "a syntax error": ("subscription { notifications {", "Syntax Error"),
    "an unknown field": ("subscription { notifications { nothingHere } }", "Cannot query field 'nothingHere'"),
    "too deep": (
        "subscription { notifications { notification { actor { videos { edges { node { owner { videos "
        "{ edges { node { owner { videos { edges { node { id } } } } } } } } } } } } } } }",
        "depth",
    ),
}


@transactional
def test_an_operation_the_http_transport_would_refuse_is_an_error_coded_bad_user_input(
    asgi_application: Any, path: str, viewer: User
) -> None:
    """The shared admission rules (api/admission.py, api/limits.py) run first: each refused
    operation is one ``error`` message coded BAD_USER_INPUT, and the connection stays open."""
    cookie = session_cookie(viewer)
    refusals: dict[str, dict[str, Any]] = {}

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        for what, (query, _) in REFUSED_OPERATIONS.items():
            await socket.subscribe(query, operation_id=what)
            refusals[what] = await socket.receive()
        first = await socket.live(operation_id="next")
        await socket.close()

        assert first["unreadNotificationCount"] == 0

    run(conversation)
    for what, (_, says) in REFUSED_OPERATIONS.items():
        refusal = refusals[what]
        assert refusal["id"] == what and _error_codes(refusal) == ["BAD_USER_INPUT"], what
        assert says in refusal["payload"][0]["message"], what
        assert refusal["payload"][0]["extensions"]["requestId"], what


@transactional
def test_a_subscription_spends_its_cost_from_the_hourly_budget(asgi_application: Any, path: str, viewer: User) -> None:
    cookie = session_cookie(viewer)

    async def conversation() -> None:
        with override_settings(GRAPHQL_HOURLY_BUDGET_USER=6):
            socket = Socket(asgi_application, path, cookie=cookie)
            await socket.connect()
            await socket.live(operation_id="1")  # costs 4: the event, its notification, actor and video
            await socket.subscribe(operation_id="2")
            refusal = await socket.receive()
            await socket.close()

        assert _error_codes(refusal) == ["RATE_LIMITED"]
        assert refusal["payload"][0]["extensions"]["retryAfter"] > 0

    run(conversation)


# Credentials ---------------------------------------------------------------------------------------


def test_an_anonymous_subscription_is_refused_unauthenticated(asgi_application: Any, path: str) -> None:
    async def conversation() -> None:
        socket = Socket(asgi_application, path)
        await socket.connect()
        await socket.subscribe()
        refusal = await socket.receive()
        await socket.close()

        assert _error_codes(refusal) == ["UNAUTHENTICATED"]

    run(conversation)


@transactional
def test_a_bearer_token_with_the_profile_scope_subscribes_as_its_owner(
    asgi_application: Any, path: str, viewer: User
) -> None:
    """A token in connection_init's payload, with the scope ``Me.notifications`` asks of tokens,
    subscribes as its owner: a like of the owner's video arrives."""
    _, token = access_token_create(actor=viewer, name="script", scopes=[Scope.PROFILE_READ])
    video = make_video(viewer)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, origin=None)
        await socket.connect({"authorization": f"Bearer {token}"})
        first = await socket.live()
        await database_sync_to_async(services.like_add)(actor=await _user("fan"), video_id=video.pk)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert first["unreadNotificationCount"] == 0
        assert event["notification"]["actor"] == {"username": "fan"}

    run(conversation)


@database_sync_to_async
def _user(username: str) -> User:
    return make_user(username)


@transactional
def test_a_token_without_the_profile_scope_gets_the_fields_refusal(
    asgi_application: Any, path: str, viewer: User
) -> None:
    """Whatever else a token may do, without PROFILE_READ (the rule of ``Me.notifications``) the
    subscription is refused FORBIDDEN, naming the scope."""
    scopes = [Scope.INSIGHTS_READ, Scope.FAVORITES_READ, Scope.FAVORITES_WRITE, Scope.INTERACTIONS_WRITE]
    tokens = {scope: access_token_create(actor=viewer, name=scope.value, scopes=[scope])[1] for scope in scopes}
    refusals: dict[Scope, dict[str, Any]] = {}

    async def conversation() -> None:
        for scope, token in tokens.items():
            socket = Socket(asgi_application, path, origin=None)
            await socket.connect({"authorization": f"Bearer {token}"})
            await socket.subscribe()
            refusals[scope] = await socket.receive()
            await socket.close()

    run(conversation)
    for scope, refusal in refusals.items():
        assert _error_codes(refusal) == ["FORBIDDEN"], scope
        assert "PROFILE_READ" in refusal["payload"][0]["message"], scope


@transactional
def test_a_token_that_is_not_valid_closes_the_connection_4403(asgi_application: Any, path: str) -> None:
    codes: list[int] = []

    async def conversation() -> None:
        for authorization in ("Bearer not-a-token", "Basic dXNlcjpwYXNz", "", 42):
            socket = Socket(asgi_application, path, origin=None)
            assert await socket.open()
            await socket.send({"type": "connection_init", "payload": {"authorization": authorization}})
            codes.append(await socket.closed_with())

    run(conversation)
    assert codes == [4403, 4403, 4403, 4403]


@transactional
def test_a_revoked_token_ends_its_subscription(asgi_application: Any, path: str, viewer: User) -> None:
    """A token revoked while subscribed: the next event is UNAUTHENTICATED and the operation
    completes."""
    info, token = access_token_create(actor=viewer, name="script", scopes=[Scope.PROFILE_READ])
    video = make_video(viewer)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, origin=None)
        await socket.connect({"authorization": f"Bearer {token}"})
        await socket.live()
        await database_sync_to_async(access_token_revoke)(actor=viewer, token_id=info.pk)
        await database_sync_to_async(services.like_add)(actor=await _user("fan"), video_id=video.pk)
        ended = await socket.receive()
        complete = await socket.receive()
        await socket.close()

        assert ended["type"] == "next" and ended["payload"]["data"] is None
        assert [error["extensions"]["code"] for error in ended["payload"]["errors"]] == ["UNAUTHENTICATED"]
        assert complete == {"type": "complete", "id": "1"}

    run(conversation)


@transactional
def test_signing_out_ends_the_sessions_subscriptions(asgi_application: Any, path: str, viewer: User) -> None:
    client = Client()
    client.force_login(viewer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    video = make_video(viewer)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        await socket.live()
        await database_sync_to_async(client.logout)()
        await database_sync_to_async(services.like_add)(actor=await _user("fan"), video_id=video.pk)
        ended = await socket.receive()
        await socket.close()

        assert [error["extensions"]["code"] for error in ended["payload"]["errors"]] == ["UNAUTHENTICATED"]

    run(conversation)
