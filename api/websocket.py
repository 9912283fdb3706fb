"""GraphQL over WebSocket with the graphql-transport-ws protocol (the ``graphql-ws`` library's),
at both GraphQL paths. The protocol is strawberry's: its channels consumer and its handler do the
connection_init/connection_ack handshake, subscribe, next, error and complete, ping and pong, the
protocol's close codes (4400 bad message, 4401 subscribe before the ack, 4403 refused, 4406 no
graphql-transport-ws, 4408 no connection_init in time, 4409 an id in use, 4429 a second
connection_init) and the cap on subscriptions per connection. Where the handler would call a
strawberry schema it calls the endpoint's ``SubscriptionRunner`` (``api.subscriptions``), so
strawberry and graphene are served by the same code. The legacy graphql-ws protocol (Apollo's
subscriptions-transport-ws) is not offered.

A connection is a Django request standing for its handshake (``connection_request``): the user
that ``backend.websocket_access`` let through (a session from a trusted origin, or anonymous).
``{"authorization": "Bearer <token>"}`` in connection_init's payload replaces that user as the HTTP
bearer check does (``accounts.tokens.bearer_sign_in``); a token that is not valid, or given on a
route that takes none, closes the connection with 4403. Before each event a subscription reads,
the credential is checked again: a session signed out or a token revoked since ends the stream
with UNAUTHENTICATED.
"""

import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from strawberry.channels import GraphQLWSConsumer
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from accounts import tokens
from accounts.sessions import session_still_signs_in
from api.subscriptions import SubscriptionRunner
from kernel.errors import Unauthenticated
from kernel.routes import Credential, RouteAccess

T = TypeVar("T")
CREDENTIAL_ENDED = "This connection's session or access token has ended: connect again."


def connection_request(scope: Mapping[str, Any]) -> HttpRequest:
    """The request a connection's resolvers see: its path, its handshake's headers (no cookie,
    which the session middleware read already), its client address and its user."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = scope["path"]
    for name, value in scope.get("headers", ()):
        key = name.decode("latin1").upper().replace("-", "_")
        if key not in ("COOKIE", "AUTHORIZATION"):
            request.META[f"HTTP_{key}"] = value.decode("latin1")
    client = scope.get("client")
    request.META["REMOTE_ADDR"] = client[0] if client else ""
    user = scope.get("user")  # channels' lazy user, resolved by its AuthMiddleware
    request.user = getattr(user, "_wrapped", user) or AnonymousUser()
    request.session = scope.get("session")  # type: ignore[assignment]
    request.request_id = uuid.uuid4().hex  # type: ignore[attr-defined]  # one per connection, in every error
    request.token_scopes = None  # type: ignore[attr-defined]  # a session's or no one's (kernel.routes)
    request.access_token = None  # type: ignore[attr-defined]
    request.connection_params = {}  # type: ignore[attr-defined]  # connection_init's payload, set by the handler
    return request


def _credential_holds(request: HttpRequest) -> bool:
    """Whether the connection's credential still signs its user in (anonymous: nothing to end)."""
    if getattr(request, "access_token", None) is not None:
        return tokens.bearer_authenticate(request) is not None
    if request.user.is_authenticated:
        return session_still_signs_in(request)
    return True


class GraphQLTransportWSConsumer(GraphQLWSConsumer):
    """strawberry's consumer, graphql-transport-ws only, running ``runner``'s subscriptions; it is
    the connection's ``api.live.LiveConnection``."""

    def __init__(self, runner: SubscriptionRunner) -> None:
        super().__init__(
            schema=runner,  # type: ignore[arg-type]  # the handler calls its stream() alone
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=settings.LIVE_CONNECTION_INIT_TIMEOUT_SECONDS),
            max_subscriptions_per_connection=settings.LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION,
        )
        self.connection_request: HttpRequest = HttpRequest()

    async def connect(self) -> None:
        self.connection_request = connection_request(self.scope)
        self.connection_request.live_connection = self  # type: ignore[attr-defined]  # api.live
        await super().connect()

    async def get_context(self, request: Any, response: Any) -> Any:
        return self.connection_request

    async def on_ws_connect(self, context: Any) -> UnsetType | dict[str, object] | None:
        """connection_init: a bearer token in its payload replaces the handshake's user."""
        authorization = context.connection_params.get("authorization")
        if authorization is None:
            return UNSET
        access: RouteAccess | None = self.scope.get("route_access")
        if access is None or not access.accepts_credential(Credential.BEARER) or not isinstance(authorization, str):
            raise ConnectionRejectionError()
        context.META["HTTP_AUTHORIZATION"] = authorization
        if await database_sync_to_async(tokens.bearer_sign_in)(context) is None:
            raise ConnectionRejectionError()
        return UNSET

    # api.live.LiveConnection --------------------------------------------------------------------

    def listen(self, group: str, message_type: str) -> AbstractAsyncContextManager[AsyncIterator[Mapping[str, Any]]]:
        return self.listen_to_channel(message_type, groups=[group])

    async def read(self, function: Callable[..., T], /, **kwargs: Any) -> T:
        return await database_sync_to_async(self._read)(function, kwargs)

    def _read(self, function: Callable[..., T], kwargs: dict[str, Any]) -> T:
        if not _credential_holds(self.connection_request):
            raise Unauthenticated(CREDENTIAL_ENDED)
        return function(**kwargs)
