"""Route access for WebSockets: ``WebSocketAccess`` holds each handshake to the declaration of its
route (``kernel.routes.websocket_route``, in ``backend/urls.py``) before any consumer runs, as
``RouteAccessMiddleware`` does for HTTP:

- a path with no declaration is refused: deny by default;
- a handshake from a page of an untrusted origin is refused. Browsers send cookies with a
  cross-site WebSocket handshake and no CORS preflight stands in the way (cross-site WebSocket
  hijacking), so a browser's ``Origin`` must be our own host or one of the trusted origins
  (``DJANGO_CORS_ALLOWED_ORIGINS``, ``DJANGO_CSRF_TRUSTED_ORIGINS``); a handshake without one
  comes from no browser and carries nothing a browser added unasked;
- an ``Authorization`` header is refused: a bearer token travels in connection_init
  (``api.websocket``), never as a handshake header;
- the session (channels' session and auth middleware) counts only where the route accepts
  sessions; elsewhere the handshake is anonymous.

A refused handshake is closed before it is accepted: the server answers it 403.
"""

from typing import Any
from urllib.parse import urlsplit

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

from kernel.routes import Credential, websocket_access_of

ASGIApp = Any


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin1"))
    return None


def _allowed_hosts() -> list[str]:
    """The hosts Django answers for (as ``HttpRequest.get_host`` reads them in DEBUG too)."""
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]
    return list(settings.ALLOWED_HOSTS)


def trusted_origin(origin: str | None, host: str | None) -> bool:
    """Whether a handshake's ``Origin`` may bring the visitor's session: none (no browser), the
    host the handshake was sent to (one of ours), or a trusted origin."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed frames, file: pages) and anything else that is no web page
    if host is not None and parts.netloc == host and validate_host(split_domain_port(host)[0], _allowed_hosts()):
        return True
    if origin in settings.CORS_ALLOWED_ORIGINS:
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:  # as Django's CSRF check reads them, wildcards included
        trusted_parts = urlsplit(trusted)
        if trusted_parts.scheme == parts.scheme and is_same_domain(parts.netloc, trusted_parts.netloc.replace("*", "")):
            return True
    return False


class WebSocketAccess:
    """Outermost on the ``websocket`` protocol (``backend/asgi.py``); ``application`` routes the
    handshakes it lets through."""

    def __init__(self, application: ASGIApp) -> None:
        self.application = application
        self.with_session = AuthMiddlewareStack(application)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        access = websocket_access_of(scope["path"])
        refused = (
            access is None
            or not trusted_origin(_header(scope, b"origin"), _header(scope, b"host"))
            or _header(scope, b"authorization") is not None
        )
        if refused:
            await WebsocketDenier.as_asgi()(scope, receive, send)
            return
        assert access is not None
        scope = {**scope, "route_access": access}
        if access.accepts_credential(Credential.SESSION):
            await self.with_session(scope, receive, send)
        else:
            await self.application({**scope, "user": AnonymousUser()}, receive, send)
