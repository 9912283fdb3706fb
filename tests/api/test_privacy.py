"""Saves are private to the saver: a favorite is its saver's alone. No global ID, alias, batch or
nested path gives anyone else a favorite row or the identity of a saver; the creator sees the
save total only; saving never notifies anyone (which interactions notify)."""

import json
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type

from engagement.models import Notification
from kernel.errors import ErrorCode
from tests.api.cases import SDL, assert_data, assert_denied, object_type
from tests.api.conftest import ROLES, World, gid, missing_gid
from tests.factories import attach_files

PRIVATE_ROWS = {  # type -> (World attribute, owner role)
    "Favorite": ("favorite", "viewer"),
    "FavoriteCollection": ("collection", "viewer"),
    "Notification": ("like_notification", "creator"),
}

EVERYTHING = """
query($id: ID!) {
  node(id: $id) {
    id
    ... on Favorite { createdAt isAvailable collection { id name } video { id caption } }
    ... on FavoriteCollection { name createdAt }
    ... on Notification { kind isRead createdAt actor { username } video { id } }
  }
}
"""


@pytest.mark.parametrize("type_name", sorted(PRIVATE_ROWS))
def test_node_gives_nobody_else_a_private_row(
    gql: Any, world: World, subtests: pytest.Subtests, type_name: str
) -> None:
    """Given the viewer's favorite and collection and the creator's notification, when anyone
    else asks ``node(id:)`` for them with every field, then the answer is ``node: null``, byte for
    byte the answer for an id that names nothing."""
    attribute, owner = PRIVATE_ROWS[type_name]
    for role in ROLES:
        if role == owner:
            continue
        with subtests.test(role=role):
            client = gql(world.user(role))

            response = client(EVERYTHING, {"id": gid(getattr(world, attribute))})
            missing = client(EVERYTHING, {"id": missing_gid(type_name)})

            assert response.body == {"data": {"node": None}}
            assert response.body == missing.body


def test_the_owner_gets_the_same_rows_through_node(gql: Any, world: World) -> None:
    """Control for the test above: the saver does get the favorite through the same query."""
    response = gql(world.viewer)(EVERYTHING, {"id": gid(world.favorite)})

    node = assert_data(response, ("node",))
    assert node["collection"] == {"id": gid(world.collection), "name": "Recipes"}
    assert node["video"]["id"] == gid(world.public_video)


def _leaks(body: Any, world: World) -> list[str]:
    """Every trace of the viewer's private rows found in ``body``."""
    text = json.dumps(body)
    secrets = {
        "favorite id": gid(world.favorite),
        "collection id": gid(world.collection),
        "collection name": world.collection.name,
    }
    return [label for label, secret in secrets.items() if secret in text]


ALIASES = """
query($favorite: ID!, $collection: ID!, $video: ID!) {
  a: node(id: $favorite) { id ... on Favorite { video { id } } }
  b: node(id: $collection) { id ... on FavoriteCollection { name } }
  c: video(id: $video) { id viewerHasSaved insights { saveCount } }
  d: me { favorites(first: 100) { edges { node { id collection { id name } } } } }
  e: me { collections(first: 100) { edges { node { id name } } } }
  f: user(username: "viewer") { videos { edges { node { id } } } likedVideos { edges { node { id } } } }
  g: node(id: $favorite) { __typename }
}
"""


@pytest.mark.parametrize("role", [role for role in ROLES if role != "viewer"])
def test_aliases_reach_no_one_elses_favorite(gql: Any, world: World, role: str) -> None:
    """Given the viewer's favorite in the "Recipes" collection, when another role asks for it
    under several aliases at once, then nothing of it appears anywhere in the answer."""
    variables = {"favorite": gid(world.favorite), "collection": gid(world.collection), "video": gid(world.public_video)}

    response = gql(world.user(role))(ALIASES, variables)

    assert response.status == 200
    assert response.data["a"] is None
    assert response.data["b"] is None
    assert response.data["g"] is None
    assert _leaks(response.body, world) == []


def test_batched_requests_are_refused_and_leak_nothing(gql: Any, world: World) -> None:
    """Given batching is off (docs/ARCHITECTURE.md, "Security defaults"), when another viewer posts a JSON
    list of operations, then the request is refused as a client error and carries nothing of the viewer's rows."""
    client = gql(world.other_viewer)
    batch = [
        {"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": gid(world.favorite)}},
        {"query": "{ me { favorites { edges { node { id } } } } }"},
    ]

    response = client.http.post(
        client.endpoint,
        data=json.dumps(batch),
        content_type="application/json",
        headers={"X-CSRFToken": client._csrf()},
    )

    assert 400 <= response.status_code < 500
    assert _leaks(response.content.decode(errors="replace"), world) == []


def test_creator_sees_the_save_total_and_no_saver(gql: Any, world: World) -> None:
    """Given two viewers saved the creator's video, when the creator reads everything the API
    offers about it, then saveCount is 2 and no saver's name or favorite appears."""
    query = """
    query($id: ID!) {
      video(id: $id) {
        insights { saveCount likeCount viewCount }
        comments { edges { node { author { username } } } }
        owner { username followerCount }
      }
      me { notifications { edges { node { kind actor { username } } } } }
    }
    """

    response = gql(world.creator)(query, {"id": gid(world.public_video)})

    assert response.errors == []
    assert response.data["video"]["insights"]["saveCount"] == 2
    kinds = {edge["node"]["kind"] for edge in response.data["me"]["notifications"]["edges"]}
    assert kinds == {"LIKE"}  # The likes notified; the saves did not.
    assert gid(world.favorite) not in json.dumps(response.body)
    assert gid(world.other_favorite) not in json.dumps(response.body)


def _type_of(type_name: str, field_name: str) -> Any:
    return object_type(type_name).fields[field_name].type


def test_the_schema_has_no_field_that_lists_savers() -> None:
    """Given the committed schema, then insights are numbers only, and favorites and collections
    are reachable from ``Me`` and from the saver's own mutation payloads only: there is no field
    from a video or a user to the people who saved it."""
    assert _non_numeric_leaves("VideoInsights") == []

    private_types = {"Favorite", "FavoriteConnection", "FavoriteCollection", "FavoriteCollectionConnection"}
    reaching = sorted(
        f"{name}.{field_name}"
        for name, graphql_type in SDL.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not name.startswith("__")
        for field_name, field in graphql_type.fields.items()
        if get_named_type(field.type).name in private_types
    )
    allowed_parents = {"Me", "Favorite", "FavoriteEdge", "FavoriteCollectionEdge"}
    assert [path for path in reaching if path.split(".")[0] not in allowed_parents | _payloads()] == []
    user_lists = sorted(
        f"{name}.{field_name}"
        for name in ("Video", "VideoInsights")
        for field_name, field in object_type(name).fields.items()
        if get_named_type(field.type).name in {"User", "UserConnection"} and _is_list_like(field.type)
    )
    assert user_lists == []


def _non_numeric_leaves(type_name: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """Every leaf under ``type_name`` that is not a number, date, flag or enum (an insights
    breakdown nests objects, but ends in numbers and closed vocabularies only)."""
    found = []
    for field_name, field in object_type(type_name).fields.items():
        named = get_named_type(field.type)
        if isinstance(named, GraphQLEnumType) or named.name in {"Int", "Float", "Boolean", "Date", "DateTime"}:
            continue
        if not isinstance(named, GraphQLObjectType):
            found.append(f"{type_name}.{field_name}: {named.name}")
        elif named.name not in seen:
            found += _non_numeric_leaves(named.name, seen | {type_name})
    return found


def _payloads() -> set[str]:
    return {name for name in SDL.type_map if name.endswith("Payload")}


def _is_list_like(graphql_type: Any) -> bool:
    inner = graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type
    return isinstance(inner, GraphQLList) or get_named_type(graphql_type).name.endswith("Connection")


FAVORITES = """
{ me { favorites { edges { node { id isAvailable video { id caption } collection { name } } } } } }
"""


def test_a_favorite_of_a_video_made_private_stays_listed_without_content(gql: Any, world: World) -> None:
    """Given the viewer saved the creator's video, when the creator makes it PRIVATE, then the
    favorite stays in the viewer's list (still in its collection) with ``video: null`` and
    ``isAvailable: false``, and without an error."""
    made_private = gql(world.creator)(
        "mutation($id: ID!) { updateVideo(input: {videoId: $id, visibility: PRIVATE}) { video { visibility } } }",
        {"id": gid(world.public_video)},
    )
    assert made_private.data == {"updateVideo": {"video": {"visibility": "PRIVATE"}}}

    response = gql(world.viewer)(FAVORITES)

    assert response.errors == []
    assert response.data["me"]["favorites"]["edges"] == [
        {"node": {"id": gid(world.favorite), "isAvailable": False, "video": None, "collection": {"name": "Recipes"}}}
    ]
    assert gql(world.viewer)("query($id: ID!) { video(id: $id) { id } }", {"id": gid(world.public_video)}).data == {
        "video": None
    }


def test_the_favorite_of_a_private_video_can_still_be_removed(gql: Any, world: World) -> None:
    """Given the saved video became PRIVATE, then the saver can still unsave it."""
    world.public_video.visibility = "PRIVATE"
    world.public_video.save(update_fields=["visibility"])

    response = gql(world.viewer)(
        "mutation($id: ID!) { unfavoriteVideo(input: {videoId: $id}) { removed } }", {"id": gid(world.public_video)}
    )

    assert response.data == {"unfavoriteVideo": {"removed": True}}
    assert gql(world.viewer)(FAVORITES).data == {"me": {"favorites": {"edges": []}}}


NOTIFICATIONS = "{ me { unreadNotificationCount notifications(first: 100) { edges { node { id kind } } } } }"

SILENT: dict[str, str] = {
    "favoriteVideo": "mutation($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { id } } }",
    "shareVideo": "mutation($id: ID!) { shareVideo(input: {videoId: $id, channel: SMS}) { video { id } } }",
    "downloadVideo": "mutation($id: ID!) { downloadVideo(input: {videoId: $id}) { url } }",
    "recordView": "mutation($id: ID!) { recordView(input: {videoId: $id, watchedSeconds: 30, trafficSource: FOR_YOU}) "
    "{ video { id } } }",
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_saving_sharing_downloading_and_viewing_never_notify_the_creator(gql: Any, world: World, name: str) -> None:
    """Given the creator's notifications, when another creator saves, shares, downloads or views
    the creator's video, then the creator's notifications are exactly as before."""
    attach_files(world.public_video)
    creator = gql(world.creator)
    before = creator(NOTIFICATIONS)
    done = gql(world.other_creator)(SILENT[name], {"id": gid(world.public_video)})

    assert_data(done, (name,))
    assert creator(NOTIFICATIONS).body == before.body
    assert not Notification.objects.filter(actor=world.other_creator).exists()


def test_a_like_does_notify_the_creator(gql: Any, world: World) -> None:
    """Control for the test above: the same probe sees the notification a like creates."""
    creator = gql(world.creator)
    before = creator(NOTIFICATIONS).data["me"]["unreadNotificationCount"]

    gql(world.other_creator)(
        "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { id } } }", {"id": gid(world.public_video)}
    )

    after = creator(NOTIFICATIONS).data["me"]
    assert after["unreadNotificationCount"] == before + 1
    assert after["notifications"]["edges"][0]["node"]["kind"] == "LIKE"


def test_favorite_payload_is_the_actors_own_favorite(gql: Any, world: World) -> None:
    """Given the viewer saved the video, when another viewer saves it too, then their payload
    is their own favorite, never the viewer's; saving again returns the same one."""
    document = "mutation($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { id collection { name } } } }"

    response = gql(world.other_viewer)(document, {"id": gid(world.public_video)})

    assert response.data == {
        "favoriteVideo": {"favorite": {"id": gid(world.other_favorite), "collection": {"name": "Later"}}}
    }


def test_viewer_flags_say_nothing_about_other_people(gql: Any, world: World) -> None:
    """Given the viewer saved and liked the video, then ``viewerHasSaved``/``viewerHasLiked``
    are the asking user's own flags: false for a creator who did neither."""
    query = "query($id: ID!) { video(id: $id) { viewerHasSaved viewerHasLiked } }"

    own = gql(world.viewer)(query, {"id": gid(world.public_video)})
    other = gql(world.other_creator)(query, {"id": gid(world.public_video)})

    assert own.data == {"video": {"viewerHasSaved": True, "viewerHasLiked": True}}
    assert other.data == {"video": {"viewerHasSaved": False, "viewerHasLiked": False}}


def test_private_likes_are_not_listed_on_the_liker_profile(gql: Any, world: World) -> None:
    """Given the viewer keeps likes to ONLY_ME, then another user gets FORBIDDEN on their
    ``likedVideos`` and no video id through it."""
    response = gql(world.other_viewer)(
        '{ user(username: "viewer") { likedVideos { edges { node { id } } } } }',
    )

    assert_denied(response, ("user", "likedVideos"), ErrorCode.FORBIDDEN)
