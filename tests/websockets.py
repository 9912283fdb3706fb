"""A graphql-transport-ws client over channels' ``WebsocketCommunicator``, for the tests of live
notifications and WebSocket routes (the application: the ``asgi_application`` fixture). The
consumers touch the database from their own thread, so these tests are transactional
(``django_db(transaction=True)``) and each runs its conversation with ``run(...)`` in an event
loop of its own."""

import json
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from accounts.models import User

PROTOCOL = "graphql-transport-ws"
ENDPOINTS = {"strawberry": "/graphql/", "graphene": "/graphql/graphene/"}
OWN_ORIGIN = "http://testserver"
# Long enough for a thread hop and a few queries on a busy machine; waiting for nothing costs it.
WAIT = 5.0
QUIET = 0.3

NOTIFICATIONS = """subscription Live {
  notifications {
    unreadNotificationCount
    notification { id kind isRead actor { username } video { caption } }
  }
}"""


def run(conversation: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(conversation)()


def session_cookie(user: User) -> str:
    """The session cookie of a signed-in browser of ``user``."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Socket:
    """One WebSocket connection to an endpoint, speaking graphql-transport-ws; made inside the
    conversation's event loop (a session's ``cookie`` before it: ``session_cookie``)."""

    def __init__(
        self,
        application: Any,
        path: str,
        *,
        cookie: str | None = None,
        origin: str | None = OWN_ORIGIN,
        headers: dict[str, str] | None = None,
        subprotocols: tuple[str, ...] = (PROTOCOL,),
    ) -> None:
        sent = {"host": "testserver", **(headers or {})}
        if origin is not None:
            sent["origin"] = origin
        if cookie is not None:
            sent["cookie"] = cookie
        self.communicator = WebsocketCommunicator(
            application,
            path,
            headers=[(name.encode(), value.encode()) for name, value in sent.items()],
            subprotocols=list(subprotocols),
        )

    async def open(self) -> bool:
        """Whether the handshake was accepted (with graphql-transport-ws)."""
        connected, subprotocol = await self.communicator.connect(timeout=WAIT)
        assert not connected or subprotocol == PROTOCOL
        return bool(connected)

    async def send(self, message: dict[str, Any]) -> None:
        await self.communicator.send_to(text_data=json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        message: dict[str, Any] = await self.communicator.receive_json_from(timeout=WAIT)
        return message

    async def connect(self, payload: dict[str, Any] | None = None) -> None:
        """Open, send connection_init and expect connection_ack."""
        assert await self.open(), "the handshake was refused"
        await self.send({"type": "connection_init", **({} if payload is None else {"payload": payload})})
        assert await self.receive() == {"type": "connection_ack"}

    async def subscribe(self, query: str = NOTIFICATIONS, operation_id: str = "1", **payload: Any) -> None:
        await self.send({"type": "subscribe", "id": operation_id, "payload": {"query": query, **payload}})

    async def next_data(self, operation_id: str = "1") -> dict[str, Any]:
        """The data of the next ``next`` message, which must be for ``operation_id`` and error-free."""
        message = await self.receive()
        assert message["type"] == "next" and message["id"] == operation_id, message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def live(self, query: str = NOTIFICATIONS, operation_id: str = "1") -> dict[str, Any]:
        """Subscribe to the notifications; returns the first event (the unread count as it stands),
        after which the subscription is listening."""
        await self.subscribe(query, operation_id)
        return (await self.next_data(operation_id))["notifications"]

    async def quiet(self) -> bool:
        """Whether nothing arrives for a moment."""
        return bool(await self.communicator.receive_nothing(timeout=QUIET))

    async def closed_with(self) -> int:
        """The close code the server closed the connection with."""
        output = await self.communicator.receive_output(timeout=WAIT)
        assert output["type"] == "websocket.close", output
        return int(output.get("code", 1000))

    async def close(self) -> None:
        await self.communicator.disconnect()
