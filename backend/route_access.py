"""The project's side of route access: ``RouteAccessMiddleware`` holds each request to the
credentials its route declares (``kernel.routes``) before any view runs, and checks a bearer
token with the accounts app."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import get_resolver
from django.urls.exceptions import Resolver404
from django.utils.cache import patch_vary_headers

from accounts import tokens
from kernel.errors import ErrorCode
from kernel.graphql_http import error_response
from kernel.preflight import needs_preflight
from kernel.routes import Credential, access_of


def _names_bearer_scheme(header: str) -> bool:
    parts = header.split(None, 1)
    return bool(parts) and parts[0].lower() == "bearer"


def _unauthorized(message: str) -> JsonResponse:
    response = error_response(message, code=ErrorCode.UNAUTHENTICATED, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


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
        if tokens.bearer_sign_in(request) is None:
            return _unauthorized(tokens.INVALID_TOKEN)
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return None
