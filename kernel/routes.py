"""Every URL route declares the credentials it accepts; ``RouteAccessMiddleware`` holds each
request to its route's declaration before any view runs.

A credential is only what its route says it is. A bearer token is a GraphQL credential: on any
other route its header is refused (401), so a token of any scope can never become a login to the
admin or to the OAuth consent screen. A session cookie is ignored on routes that do not accept
sessions (download links, the OAuth token endpoint), so those answer the same with or without
one. A route that resolves but declares nothing is refused: deny by default, like fields without
an audience. ``urls.py`` declares each route next to its pattern (``route``) and, for pages
inside an included URLconf that differ from their include, with ``declare``; a test walks the
URL resolver and fails on any route without a declaration, and ``privacy_audit --routes``
prints the table. The middleware that holds each request to its declaration is the project's
(``backend.route_access``): it needs the accounts app to check a token. WebSocket routes are
declared the same way (``websocket_route``) and held to it by ``backend.websocket_access``.
"""

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, path


class Credential(enum.StrEnum):
    """The ways a request can prove who it is (or that it may do something)."""

    ANONYMOUS = "anonymous"  # no credential: the route is open to anyone
    SESSION = "session"  # the session cookie; unsafe methods also need the CSRF token (but see csrf_by_preflight)
    BEARER = "bearer"  # ``Authorization: Bearer``, on a WebSocket in connection_init; scopes in schema.graphql
    LINK = "link"  # a single-use secret in the URL itself
    CLIENT = "client"  # an OAuth2 client's own authentication (client id, PKCE verifier) in the body


@dataclass(frozen=True)
class RouteAccess:
    """What one route accepts. ``staff`` names the staff permission a session needs there, if
    any; ``throttled`` marks a password form (failed sign-ins are counted and locked out);
    ``csrf_by_preflight`` lets a request that only a CORS-preflighted browser sends pass without
    the CSRF token (``kernel.preflight``): for an API read by programs, never for an HTML form."""

    accepts: frozenset[Credential]
    purpose: str
    staff: str = ""
    throttled: bool = False
    csrf_by_preflight: bool = False

    def accepts_credential(self, credential: Credential) -> bool:
        return credential in self.accepts


def _access(
    *credentials: Credential, purpose: str, staff: str = "", throttled: bool = False, csrf_by_preflight: bool = False
) -> RouteAccess:
    return RouteAccess(frozenset(credentials), purpose, staff, throttled, csrf_by_preflight)


A, S, B, L, C = Credential.ANONYMOUS, Credential.SESSION, Credential.BEARER, Credential.LINK, Credential.CLIENT

GRAPHQL_API = _access(
    A, S, B, purpose="the GraphQL API: each field's audience and token scopes decide the rest", csrf_by_preflight=True
)
PUBLIC_PAGE = _access(A, S, purpose="a page or bootstrap that holds no personal data")
SIGN_IN_FORM = _access(A, S, purpose="a password form", throttled=True)
DOWNLOAD_LINK = _access(L, purpose="a download link: the single-use secret in the URL is the credential")
MEDIA_LINK = _access(
    L,
    purpose="a video's playback or poster link: signed, short-lived, bound to the viewer it was issued to, "
    "whose access to the video is decided again on every request",
)
UPLOAD_LINK = _access(L, purpose="a draft's upload link: signed, short-lived, works until its file is received")
INSIGHTS_EXPORT_LINK = _access(
    L,
    purpose="an insights export's link: signed, short-lived, bound to the export's owner, whose ownership and the "
    "export's expiry are decided again on every request",
)
OAUTH_CONSENT = _access(S, purpose="OAuth2 consent: a signed-in person allows an application (CSRF-checked form)")
OAUTH_CLIENT = _access(C, purpose="OAuth2 token endpoints: the application authenticates itself, not a person")
OAUTH_METADATA = _access(A, purpose="OAuth2 server metadata (RFC 8414): public facts about the provider")
OAUTH_APPLICATIONS = _access(S, purpose="registering and managing one's own OAuth2 applications")
# Probes and metrics for the people and machines that run the service: anonymous (a session is
# ignored there, a bearer header refused like anywhere off GraphQL) and nothing personal in them.
HEALTH_PROBE = _access(A, purpose="liveness and readiness probes: process, database, cache and migration status only")
METRICS = _access(
    A,
    purpose="Prometheus metrics: operational counts only; 404 unless the address is in DJANGO_METRICS_ALLOWED_IPS",
)
ADMIN = _access(
    S,
    purpose="the staff admin",
    staff="is_staff, model permissions; private rows: accesslog.view_personal_data",
)
# WebSocket routes (``websocket_route``): browsers send cookies with a cross-site handshake and
# no CORS preflight guards it, so a handshake from a page of an untrusted origin is refused; the
# bearer token travels in the protocol's first message, never in a handshake header.
GRAPHQL_SUBSCRIPTIONS = _access(
    A,
    S,
    B,
    purpose="GraphQL subscriptions (graphql-transport-ws): a session from our own or a trusted origin, "
    "a bearer token in connection_init; each field's audience and token scopes decide the rest",
)

_declared: dict[str, RouteAccess] = {}


def declare(prefix: str, access: RouteAccess) -> None:
    """Declare the access of every route starting with ``prefix`` (the longest prefix wins)."""
    _declared[prefix] = access


def route(prefix: str, view: Any, *, access: RouteAccess, name: str | None = None) -> URLPattern | URLResolver:
    """``django.urls.path`` that also declares the route's access."""
    declare(prefix, access)
    return path(prefix, view, name=name) if name else path(prefix, view)


def access_of(route_text: str) -> RouteAccess | None:
    """The declaration covering a route as Django spells it (``ResolverMatch.route``)."""
    best = max((prefix for prefix in _declared if route_text.startswith(prefix)), key=len, default=None)
    return None if best is None else _declared[best]


def declared_prefixes() -> list[str]:
    return sorted(_declared)


_declared_websocket: dict[str, RouteAccess] = {}


def websocket_route(route_text: str, consumer: Any, *, access: RouteAccess) -> URLPattern:
    """A WebSocket route (``django.urls.path`` for channels' ``URLRouter``) with its access."""
    _declared_websocket[route_text] = access
    return path(route_text, consumer)


def websocket_access_of(request_path: str) -> RouteAccess | None:
    """The declaration of the WebSocket route at ``request_path`` (``/graphql/``); None, hence
    refused, for any other path."""
    return _declared_websocket.get(request_path.removeprefix("/"))


def websocket_routes() -> list[str]:
    return sorted(_declared_websocket)


def walk_routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every leaf route of the URLconf, spelled as ``ResolverMatch.route`` spells it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = str(pattern.pattern)
        text = text[1:] if text.startswith("^") else text
        if isinstance(pattern, URLResolver):
            yield from walk_routes(pattern.url_patterns, prefix + text)
        else:
            yield prefix + text


def token_scopes_of(request: Any) -> frozenset[str] | None:
    """The scopes of the token a request authenticated with; None for a session (or no one)."""
    return getattr(request, "token_scopes", None)
