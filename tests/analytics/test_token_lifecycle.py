"""An OAuth2 grant lives as long as its refresh token, and the person who gave it sees and can end
all of it: ``Me.accessTokens`` lists every token that can still give access, directly or through
a refresh; revoking one ends the refresh too; refresh tokens rotate on every use."""

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from tests.analytics.test_oauth import consent, exchange, graphql, pkce
from tests.api.conftest import World, gid

LIST = "{ me { accessTokens { edges { node { id application expiresAt renewableUntil } } } } }"
REVOKE = "mutation($id: ID!) { revokeAccessToken(input: {tokenId: $id}) { revokedTokenId } }"


def _granted(world: World, application: Application) -> dict[str, Any]:
    browser = Client()
    browser.force_login(world.creator)
    verifier, challenge = pkce()
    code = consent(browser, application, challenge)["code"][0]
    grant: dict[str, Any] = json.loads(exchange(application, code, verifier).content)
    return grant


def _refresh(application: Application, refresh_token: str) -> Any:
    return Client().post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": application.client_id},
        secure=True,
    )


def _expire_access_tokens() -> None:
    AccessToken.objects.update(expires=timezone.now() - timedelta(minutes=1))


def test_an_expired_token_with_a_live_refresh_is_still_listed(gql: Any, world: World, application: Application) -> None:
    """Given a tool's access token expired an hour after consent, then the creator still sees the
    grant (its refresh token can mint a new one), with when it stops being renewable."""
    _granted(world, application)
    _expire_access_tokens()

    listed = gql(world.creator)(LIST).data["me"]["accessTokens"]["edges"]

    assert [edge["node"]["application"] for edge in listed] == ["Analytics Tool"]
    assert listed[0]["node"]["renewableUntil"] > listed[0]["node"]["expiresAt"]


def test_revoking_an_expired_grant_ends_its_refresh(gql: Any, world: World, application: Application) -> None:
    """Given the access token expired, when the creator revokes the listed grant, then the tool's
    refresh token no longer gives a token, and nothing is listed."""
    grant = _granted(world, application)
    _expire_access_tokens()
    client = gql(world.creator)
    token_id = client(LIST).data["me"]["accessTokens"]["edges"][0]["node"]["id"]

    revoked = client(REVOKE, {"id": token_id})
    refreshed = _refresh(application, grant["refresh_token"])

    assert revoked.errors == []
    assert refreshed.status_code == 400 and json.loads(refreshed.content)["error"] == "invalid_grant"
    assert client(LIST).data["me"]["accessTokens"]["edges"] == []


def test_refresh_tokens_rotate_on_use(gql: Any, world: World, application: Application) -> None:
    """Given a refresh, then a new refresh token comes with the new access token, the old one is
    refused, the new access token works, and the grant is listed once."""
    grant = _granted(world, application)
    _expire_access_tokens()

    first = _refresh(application, grant["refresh_token"])
    renewed = json.loads(first.content)
    replayed = _refresh(application, grant["refresh_token"])

    assert first.status_code == 200 and renewed["refresh_token"] != grant["refresh_token"]
    assert replayed.status_code == 400
    reading = graphql(renewed["access_token"], "{ me { username } }")
    # A replayed refresh token is taken as stolen: the whole grant is revoked (reuse protection).
    assert reading["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql(world.creator)(LIST).data["me"]["accessTokens"]["edges"] == []


def test_nobody_else_sees_or_revokes_the_grant(gql: Any, world: World, application: Application) -> None:
    """Given the creator's expired grant, then another user neither lists nor revokes it."""
    _granted(world, application)
    _expire_access_tokens()
    token = AccessToken.objects.get()

    other = gql(world.viewer)

    assert other(LIST).data["me"]["accessTokens"]["edges"] == []
    assert other(REVOKE, {"id": gid(token, "AccessToken")}).codes == ["NOT_FOUND"]
