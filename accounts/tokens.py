"""Access tokens on django-oauth-toolkit: personal tokens that scripts send as ``Authorization:
Bearer``, the listing and revoking of every token (personal or granted to an OAuth2 application),
and the check each bearer request goes through. Only a token's SHA-256 checksum is stored
(``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``), so a token can be shown once, at creation, and never
again."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.models import (
    AccessToken,
    refresh_token_expire_timedelta,
    revoke_access_token,
    set_token_value,
)
from oauth2_provider.oauth2_backends import get_oauthlib_core

from accounts.models import AccessTokenInfo, User
from accounts.scopes import Scope
from accounts.selectors import require_signed_in
from accounts.viewers import Viewer, act_through_token
from kernel.errors import InvalidInput, NotFound
from kernel.pagination import Page, keyset_page
from kernel.validation import clean_choice, clean_text

PERSONAL_TOKEN_PREFIX = "ssv_pat_"  # recognisable by secret scanners, like GitHub's ghp_
PERSONAL_TOKEN_LIFETIME = timedelta(days=90)
MAX_TOKENS_PER_USER = 50
TOKEN_NAME_MAX_LENGTH = 64
LAST_USED_RESOLUTION = timedelta(minutes=1)
INVALID_TOKEN = "The access token is invalid, expired or revoked."


@dataclass(frozen=True)
class Bearer:
    """Who a valid bearer token speaks for, and what it may do."""

    user: User
    scopes: frozenset[str]
    token: AccessToken


def bearer_authenticate(request: HttpRequest) -> Bearer | None:
    """The token of the request's ``Authorization: Bearer`` header, checked by django-oauth-toolkit
    (checksum lookup, expiry, application still usable); None when it is not valid."""
    try:
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    except ValueError:  # oauthlib cannot decode the URL (a stray %): no valid token there either
        return None
    if not valid:
        return None
    token: AccessToken = oauth_request.access_token
    if token.user is None or not token.user.is_active:
        return None
    return Bearer(user=token.user, scopes=frozenset(token.scope.split()), token=token)


def bearer_sign_in(request: HttpRequest) -> Bearer | None:
    """Act as the token of the request's ``Authorization: Bearer`` header from now on: its user,
    its scopes (``kernel.routes.token_scopes_of``) and the token itself on the request, its use
    recorded. None, and the request untouched, when the token is not valid."""
    bearer = bearer_authenticate(request)
    if bearer is None:
        return None
    act_through_token(bearer.user)
    request.user = bearer.user
    request._cached_user = bearer.user  # type: ignore[attr-defined]
    request.token_scopes = bearer.scopes  # type: ignore[attr-defined]
    request.access_token = bearer.token  # type: ignore[attr-defined]
    token_mark_used(bearer.token)
    return bearer


def token_mark_used(token: AccessToken) -> None:
    """Record when a token was last used, to the minute, so a busy script costs no write per call."""
    now = timezone.now()
    info, created = AccessTokenInfo.objects.get_or_create(
        access_token=token, defaults={"name": _default_name(token), "last_used_at": now}
    )
    if not created and (info.last_used_at is None or now - info.last_used_at >= LAST_USED_RESOLUTION):
        AccessTokenInfo.objects.filter(pk=info.pk).update(last_used_at=now)


def _default_name(token: AccessToken) -> str:
    return token.application.name[:TOKEN_NAME_MAX_LENGTH] if token.application else "Access token"


def _still_grants_access() -> Q:
    """An access token that works now, or one whose refresh token can still mint a new one: an
    OAuth2 grant lives as long as its refresh token, which outlives the access token by the
    refresh lifetime (rotated on every use, so the newest pair is the grant)."""
    now = timezone.now()
    renewable = Q(refresh_token__isnull=False, refresh_token__revoked__isnull=True)
    refresh_lifetime = refresh_token_expire_timedelta()
    if refresh_lifetime is not None:
        renewable &= Q(expires__gt=now - refresh_lifetime)
    return Q(expires__gt=now) | renewable


def _own_tokens(me: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=me).filter(_still_grants_access())


@transaction.atomic
def access_token_create(*, actor: Viewer, name: str, scopes: list[str]) -> tuple[AccessToken, str]:
    """A personal access token with the given scopes, valid for 90 days; returns the token row and
    the token itself, which is not stored and cannot be shown again."""
    me = require_signed_in(actor)
    name = clean_text(name, field="name", max_length=TOKEN_NAME_MAX_LENGTH)
    if not scopes:
        raise InvalidInput("Give the token at least one scope.", field="scopes")
    scope = " ".join(sorted({clean_choice(value, field="scopes", choices=Scope) for value in scopes}))
    User.objects.select_for_update().filter(pk=me.pk).first()  # one creation at a time per user
    if _own_tokens(me).count() >= MAX_TOKENS_PER_USER:
        raise InvalidInput(f"You have {MAX_TOKENS_PER_USER} tokens already; revoke one first.", field="name")
    raw = PERSONAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user=me, application=None, expires=timezone.now() + PERSONAL_TOKEN_LIFETIME, scope=scope)
    set_token_value(token, raw)
    token.save()
    AccessTokenInfo.objects.create(access_token=token, name=name)
    return access_token_get(viewer=me, token_id=token.pk), raw


@transaction.atomic
def access_token_revoke(*, actor: Viewer, token_id: int) -> int:
    """Revoke one of the viewer's tokens with the refresh token an OAuth2 grant came with (the
    toolkit's own revocation), so neither the token nor a refresh can give access again. Someone
    else's token is NOT_FOUND, like a missing one."""
    me = require_signed_in(actor)
    token = AccessToken.objects.filter(pk=token_id, user=me).first()
    if token is None:
        raise NotFound("No access token with that id.")
    revoke_access_token(token)
    return token_id


def access_token_get(*, viewer: Viewer, token_id: int) -> AccessToken:
    me = require_signed_in(viewer)
    token = _listed(_own_tokens(me).filter(pk=token_id)).first()
    if token is None:
        raise NotFound("No access token with that id.")
    return token


def _listed(qs: QuerySet[AccessToken]) -> QuerySet[AccessToken, Any]:
    """Tokens as ``Me.accessTokens`` shows them; ``created_at`` feeds the keyset cursor."""
    return qs.select_related("application", "info", "refresh_token").annotate(created_at=F("created"))


def access_tokens_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[AccessToken]:
    """The viewer's tokens that still give access, directly or through a refresh, newest first."""
    me = require_signed_in(viewer)
    return keyset_page(_listed(_own_tokens(me)), first=first, after=after)


def token_name(token: AccessToken) -> str:
    info = getattr(token, "info", None)
    return info.name if info is not None else _default_name(token)


def token_last_used_at(token: AccessToken) -> Any:
    info = getattr(token, "info", None)
    return info.last_used_at if info is not None else None


def token_scopes(token: AccessToken) -> list[str]:
    return sorted(token.scope.split())


def token_renewable_until(token: AccessToken) -> Any:
    """Until when the token's refresh token can mint new access tokens; None without one."""
    refresh = getattr(token, "refresh_token", None)
    if refresh is None or refresh.revoked is not None:
        return None
    lifetime = refresh_token_expire_timedelta()
    return token.expires + lifetime if lifetime is not None else None
