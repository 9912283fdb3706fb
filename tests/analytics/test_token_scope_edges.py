"""Scopes hold at the edges: a type a token's scopes cannot read is invisible in every form
(``node`` and ``__typename``, a mutation's NOT_FOUND against its success, counts in payloads).
Each case is a probe an interactions or insights token could make before, on both engines."""

from typing import Any

from engagement.models import Favorite, Notification
from tests.analytics.conftest import token_for
from tests.api.conftest import World, gid, missing_gid

MOVE = "mutation($v: ID!) { moveFavorite(input: {videoId: $v, collectionId: null}) { favorite { id } } }"
RENAME = 'mutation($c: ID!) { renameCollection(input: {collectionId: $c, name: "x"}) { collection { id } } }'
MARK = "mutation { markNotificationsRead(input: {}) { markedCount unreadNotificationCount } }"
NODE = "query($id: ID!) { node(id: $id) { __typename } }"


def _refusal(response: Any) -> list[tuple[Any, str]]:
    return [(error["path"], error["extensions"]["code"]) for error in response.errors]


def test_an_interactions_token_cannot_tell_saved_from_unsaved(gql: Any, world: World) -> None:
    """Given the viewer saved the public video (in a collection) and not the friends video, when
    an INTERACTIONS_WRITE token moves each out of its collection, then both answers are the same
    FORBIDDEN and the favorite stays where it was."""
    client = gql(token=token_for(world.viewer, "INTERACTIONS_WRITE"))

    saved = client(MOVE, {"v": gid(world.public_video)})
    unsaved = client(MOVE, {"v": gid(world.friends_video)})

    assert _refusal(saved) == _refusal(unsaved) == [(["moveFavorite"], "FORBIDDEN")]
    assert Favorite.objects.get(pk=world.favorite.pk).collection_id == world.collection.pk


def test_an_interactions_token_cannot_enumerate_collections(gql: Any, world: World) -> None:
    """Given the viewer's collection and an id naming none, when an INTERACTIONS_WRITE token
    renames each, then both are the same FORBIDDEN and the name is unchanged."""
    client = gql(token=token_for(world.viewer, "INTERACTIONS_WRITE"))

    real = client(RENAME, {"c": gid(world.collection, "FavoriteCollection")})
    missing = client(RENAME, {"c": missing_gid("FavoriteCollection")})

    assert _refusal(real) == _refusal(missing) == [(["renameCollection"], "FORBIDDEN")]
    world.collection.refresh_from_db()
    assert world.collection.name == "Recipes"


def test_an_interactions_token_cannot_read_the_unread_count(gql: Any, world: World) -> None:
    """Given the creator has an unread like notification, when an INTERACTIONS_WRITE token marks
    notifications read, then it is FORBIDDEN, no count is returned and nothing is marked."""
    client = gql(token=token_for(world.creator, "INTERACTIONS_WRITE"))

    response = client(MARK)

    assert response.data == {"markNotificationsRead": None}
    assert _refusal(response) == [(["markNotificationsRead"], "FORBIDDEN")]
    assert Notification.objects.filter(recipient=world.creator, is_read=False).exists()


def test_an_insights_token_sees_no_favorite_collection_or_notification_by_id(gql: Any, world: World) -> None:
    """Given the viewer's own favorite, collection and a creator's own notification, when tokens
    without the scopes for those types look them up by global ID, then each answers null without
    an error, exactly as an id naming nothing does; a session still finds them."""
    viewer_insights = gql(token=token_for(world.viewer, "INSIGHTS_READ"))
    creator_insights = gql(token=token_for(world.creator, "INSIGHTS_READ", "FAVORITES_READ"))
    own = {
        "favorite": (viewer_insights, gid(world.favorite), "Favorite"),
        "collection": (viewer_insights, gid(world.collection, "FavoriteCollection"), "FavoriteCollection"),
        "notification": (creator_insights, gid(world.like_notification), "Notification"),
    }

    for client, global_id, type_name in own.values():
        found = client(NODE, {"id": global_id})
        missing = client(NODE, {"id": missing_gid(type_name)})
        assert found.body == missing.body == {"data": {"node": None}}, type_name
    assert gql(world.viewer)(NODE, {"id": gid(world.favorite)}).data == {"node": {"__typename": "Favorite"}}


def test_a_favorites_token_finds_its_own_favorite_by_id(gql: Any, world: World) -> None:
    """The other side of the rule: FAVORITES_READ reads the type, so the lookup works."""
    client = gql(token=token_for(world.viewer, "FAVORITES_READ"))

    assert client(NODE, {"id": gid(world.favorite)}).data == {"node": {"__typename": "Favorite"}}
