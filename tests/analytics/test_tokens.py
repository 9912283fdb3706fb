"""Access tokens: created and shown once, listed without the token, revoked; bearer requests
(no CSRF for them, and only for them); and every scope boundary, on both engines."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken
from oauth2_provider.scopes import get_scopes_backend

from accounts.scopes import Scope
from api.contract import MUTATIONS, SESSION_ONLY
from api.type_system import FIELDS, field_spec
from tests.analytics.conftest import ENDPOINTS, token_for
from tests.api.cases import MUTATION_CASES, assert_data, assert_denied, assert_single_error, selection
from tests.api.conftest import World, gid
from tests.domain.helpers import db_state

ALL_SCOPES = [scope.value for scope in Scope]
CREATE = """
mutation($name: String!, $scopes: [TokenScope!]!) {
  createAccessToken(input: {name: $name, scopes: $scopes}) {
    token accessToken { id name application scopes createdAt lastUsedAt expiresAt }
  }
}
"""
LIST = "{ me { accessTokens { edges { node { id name application scopes createdAt lastUsedAt expiresAt } } } } }"
REVOKE = "mutation($id: ID!) { revokeAccessToken(input: {tokenId: $id}) { revokedTokenId } }"


def test_a_token_is_shown_once_and_stored_as_a_checksum_only(gql: Any, world: World) -> None:
    """Given a creator creates a token, then the payload carries it once; the listing shows its
    name, scopes and dates and never the token; the database holds its checksum, not the token."""
    client = gql(world.creator)

    created = client(CREATE, {"name": "nightly export", "scopes": ["INSIGHTS_READ", "PROFILE_READ"]})

    payload = assert_data(created, ("createAccessToken",))
    token = payload["token"]
    assert token.startswith("ssv_pat_") and len(token) > 40
    details = payload["accessToken"]
    assert (details["name"], details["application"], details["scopes"]) == (
        "nightly export",
        None,
        ["INSIGHTS_READ", "PROFILE_READ"],
    )
    assert details["lastUsedAt"] is None
    listed = client(LIST)
    assert [edge["node"] for edge in listed.data["me"]["accessTokens"]["edges"]] == [details]
    assert token not in json.dumps(listed.body)
    stored = AccessToken.objects.get()
    assert stored.token == "" and token not in json.dumps(list(AccessToken.objects.values()), default=str)


def test_a_token_authenticates_without_csrf_and_records_its_use(gql: Any, world: World) -> None:
    """Given a token, then a request with only ``Authorization: Bearer`` (no cookie, no CSRF
    token) acts as its owner, and the listing then shows when it was last used."""
    token = token_for(world.creator, "INSIGHTS_READ", "PROFILE_READ")

    response = gql(token=token)("{ me { username email } }")

    assert response.data == {"me": {"username": "creator", "email": "creator@example.com"}}
    used = gql(world.creator)(LIST).data["me"]["accessTokens"]["edges"][0]["node"]["lastUsedAt"]
    assert used is not None


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS.values()))
def test_csrf_is_waived_for_bearer_requests_only(world: World, endpoint: str) -> None:
    """A session cookie without the CSRF token, on a body a cross-site form could send (text/plain),
    is refused (403); a made-up bearer token next to a
    valid session cookie is refused too (401), never served as the session with CSRF off; the
    same mutation with a real bearer token and no CSRF token goes through."""
    token = token_for(world.other_creator, "INTERACTIONS_WRITE")
    video = gid(world.public_video)
    like = json.dumps({"query": f'mutation {{ likeVideo(input: {{videoId: "{video}"}}) {{ video {{ likeCount }} }} }}'})
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.other_creator)
    before = db_state()

    cookie_only = session.post(endpoint, like, content_type="text/plain")
    forged = session.post(endpoint, like, content_type="application/json", headers={"Authorization": "Bearer nope"})
    unchanged = db_state()
    bearer = Client(enforce_csrf_checks=True).post(
        endpoint, like, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )

    assert cookie_only.status_code == 403
    assert forged.status_code == 401 and forged["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert json.loads(forged.content)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert unchanged == before
    assert bearer.status_code == 200
    assert json.loads(bearer.content) == {"data": {"likeVideo": {"video": {"likeCount": 3}}}}


def test_expired_and_revoked_tokens_stop_working(gql: Any, world: World) -> None:
    token = token_for(world.creator, "PROFILE_READ")
    other = token_for(world.creator, "PROFILE_READ", name="second")
    AccessToken.objects.filter(info__name="second").update(expires=timezone.now() - timedelta(seconds=1))
    token_id = gid(AccessToken.objects.get(info__name="test token"), "AccessToken")

    revoked = gql(world.creator)(REVOKE, {"id": token_id})

    assert revoked.data == {"revokeAccessToken": {"revokedTokenId": token_id}}
    for dead in (token, other):
        response = gql(token=dead)("{ me { username } }")
        assert response.status == 401 and response.codes == ["UNAUTHENTICATED"]
    assert gql(world.creator)(LIST).data == {"me": {"accessTokens": {"edges": []}}}


def test_nobody_revokes_or_lists_someone_elses_token(gql: Any, world: World) -> None:
    token = token_for(world.creator, "PROFILE_READ")
    token_id = gid(AccessToken.objects.get(), "AccessToken")

    response = gql(world.other_creator)(REVOKE, {"id": token_id})

    assert_single_error(response, "NOT_FOUND")
    assert gql(world.other_creator)(LIST).data == {"me": {"accessTokens": {"edges": []}}}
    assert gql(token=token)("{ me { username } }").data == {"me": {"username": "creator"}}


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"name": "x", "scopes": []}, "scopes"), ({"name": "  ", "scopes": ["PROFILE_READ"]}, "name")],
)
def test_a_token_needs_a_name_and_a_scope(gql: Any, world: World, variables: dict[str, Any], field: str) -> None:
    error = assert_single_error(gql(world.creator)(CREATE, variables), "BAD_USER_INPUT")

    assert error["extensions"]["field"] == field
    assert not AccessToken.objects.exists()


# Scope boundaries: each field and mutation needs what the contract says --------------------------


def _expect(type_name: str, field: str, scope: str) -> bool:
    """Whether a token holding only ``scope`` may read ``type_name.field`` (the contract's rule)."""
    needed = field_spec(type_name, field).token_scopes
    return needed is not SESSION_ONLY and (not needed or scope in {s.value for s in needed})


@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_me_fields_follow_their_token_scopes(gql: Any, world: World, subtests: pytest.Subtests, scope: str) -> None:
    """Given a token with one scope, when it reads each field of ``me``, then it gets the fields
    that scope opens and FORBIDDEN for every other one (and for the session-only ones)."""
    client = gql(token=token_for(world.creator, scope))
    for field in sorted(FIELDS["Me"]):
        with subtests.test(field=field):
            query = f"query {{ me {{ id {selection('Me', field)} }} }}"
            response = client(query)

            if _expect("Me", field, scope):
                assert response.errors == [], response.errors
            else:
                assert [(error["path"], error["extensions"]["code"]) for error in response.errors] == [
                    (["me", field], "FORBIDDEN")
                ]


@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_video_fields_follow_their_token_scopes(gql: Any, world: World, subtests: pytest.Subtests, scope: str) -> None:
    """The same for every field of one of the owner's videos and of its insights (where the
    token lacks INSIGHTS_READ, the denial is on ``insights`` itself)."""
    client = gql(token=token_for(world.creator, scope))
    variables = {"id": gid(world.public_video)}
    checks = [
        (field, selection("Video", field), ["video", field], _expect("Video", field, scope))
        for field in FIELDS["Video"]
    ]
    insights_open = _expect("Video", "insights", scope)
    checks += [
        (
            f"insights.{field}",
            f"insights {{ {selection('VideoInsights', field)} }}",
            ["video", "insights", field] if insights_open else ["video", "insights"],
            insights_open and _expect("VideoInsights", field, scope),
        )
        for field in FIELDS["VideoInsights"]
    ]
    for name, inner, denied_at, allowed in checks:
        with subtests.test(field=name):
            response = client(f"query($id: ID!) {{ video(id: $id) {{ id {inner} }} }}", variables)

            if allowed:
                assert response.errors == [], response.errors
            else:
                assert [(error["path"], error["extensions"]["code"]) for error in response.errors] == [
                    (denied_at, "FORBIDDEN")
                ]


def test_the_scope_rules_that_matter_most() -> None:
    """Pinned by hand, so that a change to the contract's token rules is a visible decision."""
    assert _expect("Video", "insights", "INSIGHTS_READ") and not _expect("Video", "insights", "PROFILE_READ")
    assert _expect("Me", "favorites", "FAVORITES_READ") and not _expect("Me", "favorites", "PROFILE_READ")
    assert _expect("Video", "viewerHasSaved", "FAVORITES_READ")
    assert not _expect("Video", "viewerHasSaved", "INSIGHTS_READ")
    assert _expect("Me", "videos", "INSIGHTS_READ") and _expect("Me", "videos", "PROFILE_READ")
    assert _expect("Me", "email", "PROFILE_READ") and not _expect("Me", "email", "INSIGHTS_READ")
    assert all(not _expect("Me", "accessTokens", scope) for scope in ALL_SCOPES)
    assert _expect("Mutation", "likeVideo", "INTERACTIONS_WRITE") and not _expect(
        "Mutation", "likeVideo", "INSIGHTS_READ"
    )
    favorite_writes = ("favoriteVideo", "unfavoriteVideo", "moveFavorite", "createCollection", "renameCollection")
    for name in (*favorite_writes, "deleteCollection"):
        assert [scope for scope in ALL_SCOPES if _expect("Mutation", name, scope)] == ["FAVORITES_WRITE"]
    assert _expect("Me", "favorites", "FAVORITES_WRITE") and _expect("Video", "viewerHasSaved", "FAVORITES_WRITE")
    assert [scope for scope in ALL_SCOPES if _expect("Mutation", "markNotificationsRead", scope)] == ["PROFILE_READ"]
    for session_only in ("createAccessToken", "revokeAccessToken", "grantInsightsAccess", "logIn", "updateProfile"):
        assert all(not _expect("Mutation", session_only, scope) for scope in ALL_SCOPES)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_mutation_follows_its_token_scope(gql: Any, world: World, name: str) -> None:
    """Given a token with every scope except the one a mutation needs (for session-only ones:
    every scope), then the mutation is FORBIDDEN and the database is untouched."""
    needed = field_spec("Mutation", name).token_scopes
    scopes = ALL_SCOPES if needed is None else [s for s in ALL_SCOPES if s not in {n.value for n in needed}]
    case = MUTATION_CASES[name]
    variables = {"input": case.input(world)}
    assert scopes, f"{name} would be open to every token"
    client = gql(token=token_for(world.creator, *scopes))
    before = db_state()

    response = client(case.document(name), variables)

    assert_denied(response, (name,), "FORBIDDEN")
    assert db_state() == before


def test_an_interactions_token_acts_for_its_owner_but_never_touches_favorites(gql: Any, world: World) -> None:
    """INTERACTIONS_WRITE lets a script like as its owner; saving needs FAVORITES_WRITE, which
    also reads the favorite it made (a save tells what is saved)."""
    interactions = gql(token=token_for(world.other_creator, "INTERACTIONS_WRITE"))
    favorites = gql(token=token_for(world.other_creator, "FAVORITES_WRITE"))
    variables = {"id": gid(world.public_video)}
    save = "mutation($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { video { id } } } }"

    liked = interactions("mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }", variables)
    refused = interactions(save, variables)
    saved = favorites(save, variables)

    assert liked.data == {"likeVideo": {"video": {"likeCount": 3}}}
    assert_denied(refused, ("favoriteVideo",), "FORBIDDEN")
    assert saved.data == {"favoriteVideo": {"favorite": {"video": {"id": gid(world.public_video)}}}}


def test_the_oauth_provider_offers_the_contracts_scopes() -> None:
    assert get_scopes_backend().get_all_scopes() == {scope.value: str(scope.label) for scope in Scope}


@pytest.mark.parametrize(
    ("header", "status"),
    [("Bearer", 401), ("Bearer two parts", 401), ("bearer nope", 401), ("Basic dXNlcjpwYXNz", 200)],
)
def test_any_bearer_header_must_hold_a_valid_token(world: World, header: str, status: int) -> None:
    """A header naming the Bearer scheme (any case) must carry a valid token or the request is
    refused; another scheme is not ours and leaves the request anonymous."""
    response = Client().post(
        "/graphql/",
        json.dumps({"query": "{ me { id } }"}),
        content_type="application/json",
        headers={"Authorization": header},
    )

    assert response.status_code == status
    if status == 200:
        assert json.loads(response.content) == {"data": {"me": None}}
