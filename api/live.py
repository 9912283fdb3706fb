"""What a subscription's source stream gets from its WebSocket connection, engine-neutral: the
channel layer messages sent to a group, and reads run for the connection's viewer while its
credential still holds. ``api.websocket`` provides it; a subscription reached any other way (the
HTTP transport refuses them before either engine runs) is refused here too."""

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

from django.http import HttpRequest

from kernel.errors import InvalidInput

T = TypeVar("T")


class LiveConnection(Protocol):
    def listen(self, group: str, message_type: str) -> AbstractAsyncContextManager[AsyncIterator[Mapping[str, Any]]]:
        """The messages of ``message_type`` sent to ``group`` while the context is open."""
        ...

    async def read(self, function: Callable[..., T], /, **kwargs: Any) -> T:
        """``function(**kwargs)`` in the database thread, once the connection's credential is found
        to hold still (a session signed out or a token revoked since: ``Unauthenticated``)."""
        ...


def live_connection_of(request: HttpRequest) -> LiveConnection:
    connection: LiveConnection | None = getattr(request, "live_connection", None)
    if connection is None:
        raise InvalidInput("Subscriptions are served over WebSocket (graphql-transport-ws), not over HTTP.")
    return connection
