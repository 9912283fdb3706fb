"""``Me.export`` and ``deleteAccount`` over HTTP, on both engines: the viewer gets all of their
own data and nobody else's; erasure ends every session of the account and leaves every total
equal to its rows."""

import json
from typing import Any

from accounts.models import User
from engagement.counters import counter_drift
from engagement.models import Favorite
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import ENDPOINTS, GraphQLClient, World, gid
from tests.domain.helpers import db_state
from tests.factories import password_of

EXPORT = "{ me { id export } }"
DELETE = "mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) { deletedUserId } }"


def test_export_gives_the_viewer_all_of_their_own_data(gql: Any, world: World) -> None:
    """Given the viewer's favorite in "Recipes", private like and friendship, then their export
    holds them, as a JSON object (not a string), with the same global IDs as the API."""
    response = gql(world.viewer)(EXPORT)

    export = assert_data(response, ("me", "export"))
    assert isinstance(export, dict)
    assert export["account"]["username"] == "viewer"
    assert export["account"]["email"] == "viewer@example.com"
    assert [f["id"] for f in export["favorites"]] == [gid(world.favorite)]
    assert export["favorites"][0]["collection"] == gid(world.collection)
    assert [c["name"] for c in export["collections"]] == ["Recipes"]
    assert [like["video"] for like in export["likes"]] == [gid(world.public_video)]
    assert [edge["username"] for edge in export["account"]["followers"]] == ["creator"]


def test_export_holds_nothing_of_other_peoples_private_rows(gql: Any, world: World) -> None:
    """Given two viewers saved the creator's video, then the creator's export has the save total
    of their video and no favorite, collection or saver; another viewer's export has only theirs."""
    creator = json.dumps(assert_data(gql(world.creator)(EXPORT), ("me", "export")))
    other = json.dumps(assert_data(gql(world.other_viewer)(EXPORT), ("me", "export")))

    for secret in (gid(world.favorite), gid(world.other_favorite), gid(world.collection), "Recipes", "Later"):
        assert secret not in creator
    assert gid(world.favorite) not in other and "Recipes" not in other
    assert gid(world.other_favorite) in other
    videos = {video["caption"]: video for video in json.loads(creator)["videos"]}
    assert videos["public"]["totals"]["save_count"] == 2


def test_export_is_null_for_anonymous_requests(gql: Any, world: World) -> None:
    assert gql(None)(EXPORT).body == {"data": {"me": None}}


def test_both_engines_export_the_same_document(world: World, db: None) -> None:
    exports = []
    for endpoint in sorted(ENDPOINTS.values()):
        body = GraphQLClient(endpoint=endpoint).sign_in(world.viewer)(EXPORT).body
        export = body["data"]["me"]["export"]
        export.pop("exportedAt")
        export["account"].pop("lastLogin")  # each sign-in above moves it
        exports.append(export)

    assert exports[0] == exports[1]


def test_delete_account_erases_the_viewer_and_ends_every_session(gql: Any, world: World) -> None:
    """Given the viewer signed in on two devices, when they delete their account with their
    password, then the payload names the id it had, both sessions are anonymous, the account and
    its favorites are gone, and every counter still equals its rows."""
    device, other_device = gql(world.viewer), gql(world.viewer)

    response = device(DELETE, {"input": {"password": password_of("viewer")}})

    assert assert_data(response, ("deleteAccount", "deletedUserId")) == gid(world.viewer, "User")
    assert device("{ me { id } }").body == {"data": {"me": None}}
    assert other_device("{ me { id } }").body == {"data": {"me": None}}
    assert not User.objects.filter(pk=world.viewer.pk).exists()
    assert not Favorite.objects.filter(pk=world.favorite.pk).exists()
    assert counter_drift() == []
    insights = gql(world.creator)(
        "query($id: ID!) { video(id: $id) { insights { saveCount likeCount } } }", {"id": gid(world.public_video)}
    )
    assert insights.data == {"video": {"insights": {"saveCount": 1, "likeCount": 1}}}


def test_delete_account_with_a_wrong_password_changes_nothing(gql: Any, world: World) -> None:
    before = db_state()

    response = gql(world.viewer)(DELETE, {"input": {"password": password_of("other_viewer")}})

    error = assert_single_error(response, ErrorCode.BAD_USER_INPUT)
    assert error["extensions"]["field"] == "password"
    assert response.data == {"deleteAccount": None}
    assert db_state() == before


def test_delete_account_by_anonymous_is_unauthenticated(gql: Any, world: World) -> None:
    before = db_state()

    response = gql(None)(DELETE, {"input": {"password": password_of("viewer")}})

    assert_denied(response, ("deleteAccount",), ErrorCode.UNAUTHENTICATED)
    assert db_state() == before


def test_a_deleted_account_cannot_sign_in_again(gql: Any, world: World) -> None:
    gql(world.viewer)(DELETE, {"input": {"password": password_of("viewer")}})

    response = gql(None)(
        "mutation($input: LogInInput!) { logIn(input: $input) { user { id } } }",
        {"input": {"username": "viewer", "password": password_of("viewer")}},
    )

    assert_single_error(response, ErrorCode.UNAUTHENTICATED)
