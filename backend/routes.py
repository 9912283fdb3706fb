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
prints the table.
"""

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.exceptions import Resolver404
from django.utils.cache import patch_vary_headers

from backend.graphql.contract import ErrorCode
from backend.graphql.transport import error_response
from backend.preflight import needs_preflight


class Credential(enum.StrEnum):
    """The ways a request can prove who it is (or that it may do something)."""

    ANONYMOUS = "anonymous"  # no credential: the route is open to anyone
    SESSION = "session"  # the session cookie; unsafe methods also need the CSRF token (but see csrf_by_preflight)
    BEARER = "bearer"  # ``Authorization: Bearer``; what it may read is its scopes' (schema.graphql)
    LINK = "link"  # a single-use secret in the URL itself
    CLIENT = "client"  # an OAuth2 client's own authentication (client id, PKCE verifier) in the body


@dataclass(frozen=True)
class RouteAccess:
    """What one route accepts. ``staff`` names the staff permission a session needs there, if
    any; ``throttled`` marks a password form (failed sign-ins are counted and locked out);
    ``csrf_by_preflight`` lets a request that only a CORS-preflighted browser sends pass without
    the CSRF token (``backend.preflight``): for an API read by programs, never for an HTML form."""

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


def walk_routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every leaf route of the URLconf, spelled as ``ResolverMatch.route`` spells it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = str(pattern.pattern)
        text = text[1:] if text.startswith("^") else text
        if isinstance(pattern, URLResolver):
            yield from walk_routes(pattern.url_patterns, prefix + text)
        else:
            yield prefix + text


def _names_bearer_scheme(header: str) -> bool:
    parts = header.split(None, 1)
    return bool(parts) and parts[0].lower() == "bearer"


def _unauthorized(message: str) -> JsonResponse:
    response = error_response(message, code=ErrorCode.UNAUTHENTICATED, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def token_scopes_of(request: Any) -> frozenset[str] | None:
    """The scopes of the token a request authenticated with; None for a session (or no one)."""
    return getattr(request, "token_scopes", None)


class RouteAccessMiddleware:
    """Listed after AuthenticationMiddleware and before anything that reads the user: the CSRF
    check and the rate limits run in ``process_view``, after this has settled the user.

    A valid bearer token (on a route that accepts one) replaces the session user and exempts
    that request, and only it, from CSRF: a browser never attaches the header on its own. A
    bearer header that is not valid is refused outright, never served with the cookie session
    instead, or a made-up header would switch CSRF off for a session. On a route declared
    ``csrf_by_preflight``, a request a browser sends only after a CORS preflight is exempt too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.token_scopes = None  # type: ignore[attr-defined]
        request.access_token = None  # type: ignore[attr-defined]
        refusal = self._refusal(request)
        if refusal is not None:
            patch_vary_headers(refusal, ("Authorization",))
            return refusal
        response = self.get_response(request)
        patch_vary_headers(response, ("Authorization",))
        return response

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            return None  # Django answers 404 itself
        access = access_of(match.route)
        if access is None:
            return error_response("This route declares no access.", code=ErrorCode.FORBIDDEN, status=403)
        request.route_access = access  # type: ignore[attr-defined]
        if _names_bearer_scheme(request.META.get("HTTP_AUTHORIZATION", "")):
            if not access.accepts_credential(Credential.BEARER):
                return _unauthorized("Access tokens are accepted by the GraphQL endpoints only.")
            return self._authenticate_bearer(request)
        if not access.accepts_credential(Credential.SESSION):
            request.user = AnonymousUser()  # the session is no credential here
            request._cached_user = request.user  # type: ignore[attr-defined]
        elif access.csrf_by_preflight and needs_preflight(request):
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return None

    def _authenticate_bearer(self, request: HttpRequest) -> HttpResponse | None:
        from accounts import tokens  # the token models load with the apps

        bearer = tokens.bearer_authenticate(request)
        if bearer is None:
            return _unauthorized("The access token is invalid, expired or revoked.")
        request.user = bearer.user
        request._cached_user = bearer.user  # type: ignore[attr-defined]
        request.token_scopes = bearer.scopes  # type: ignore[attr-defined]
        request.access_token = bearer.token  # type: ignore[attr-defined]
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        tokens.token_mark_used(bearer.token)
        return None
