"""Bearer-token requests: authentication, their scopes and their exemption from CSRF.

A request that proves itself with ``Authorization: Bearer <token>`` acts as the token's owner,
within the token's scopes, whatever session cookie it also carries. CSRF protects cookies, which
a browser attaches on its own; a bearer header is never attached by a browser, so such a request
needs no CSRF token, and only such a request is exempted. A request naming a bearer token that is
not valid is refused outright (401), never served with the cookie session instead: otherwise a
made-up header would switch CSRF off for a session.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from oauth2_provider.scopes import BaseScopes

from backend.graphql.contract import ErrorCode, Scope
from backend.graphql.transport import error_response


def token_scopes_of(request: Any) -> frozenset[str] | None:
    """The scopes of the token a request authenticated with; None for a session (or no one)."""
    return getattr(request, "token_scopes", None)


def _names_bearer_scheme(header: str) -> bool:
    parts = header.split(None, 1)
    return bool(parts) and parts[0].lower() == "bearer"


def _unauthorized() -> JsonResponse:
    response = error_response(
        "The access token is invalid, expired or revoked.", code=ErrorCode.UNAUTHENTICATED, status=401
    )
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


class BearerTokenMiddleware:
    """Listed after AuthenticationMiddleware and before anything that reads the user: the CSRF
    check and the rate limits run in ``process_view``, after this has replaced the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.token_scopes = None  # type: ignore[attr-defined]
        if _names_bearer_scheme(request.META.get("HTTP_AUTHORIZATION", "")):
            from accounts import tokens  # the token models load with the apps

            bearer = tokens.bearer_authenticate(request)
            if bearer is None:
                return _unauthorized()
            request.user = bearer.user
            request._cached_user = bearer.user  # type: ignore[attr-defined]
            request.token_scopes = bearer.scopes  # type: ignore[attr-defined]
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
            tokens.token_mark_used(bearer.token)
        response = self.get_response(request)
        patch_vary_headers(response, ("Authorization",))
        return response


class ContractScopes(BaseScopes):
    """django-oauth-toolkit's scopes are the contract's, so OAuth2 grants and personal tokens
    speak one vocabulary."""

    def get_all_scopes(self) -> dict[str, str]:
        return {scope.value: str(scope.label) for scope in Scope}

    def get_available_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list:
        return list(self.get_all_scopes())

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list:
        return [Scope.PROFILE_READ.value]
