"""Hidden is missing: "does not exist" and "exists but you may not see it" answer identically, for queries,
node lookups and mutations alike. Every comparison here is of the full JSON bodies."""

from typing import Any

import pytest

from accounts.models import User
from engagement import services
from kernel.errors import ErrorCode
from tests.api.cases import assert_single_error
from tests.api.conftest import World, gid, missing_gid
from tests.domain.helpers import db_state

# (role, World attribute of a video that role may not see)
INVISIBLE_VIDEOS = [
    ("anonymous", "private_video"),
    ("viewer", "private_video"),  # The creator's friend: FRIENDS yes, PRIVATE no.
    ("other_viewer", "private_video"),
    ("other_creator", "private_video"),
    ("anonymous", "friends_video"),
    ("other_viewer", "friends_video"),
    ("anonymous", "private_account_video"),
    ("viewer", "private_account_video"),
]

VIDEO = """
query($id: ID!) {
  video(id: $id) {
    id caption owner { username } likeCount viewerHasSaved insights { saveCount }
    comments { edges { node { text } } }
  }
}
"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Video { caption owner { username } } } }"


@pytest.mark.parametrize(("role", "attribute"), INVISIBLE_VIDEOS)
def test_video_query_answers_an_invisible_video_like_a_missing_one(
    gql: Any, world: World, role: str, attribute: str
) -> None:
    """Given a video the role may not see, when it asks ``video(id:)`` for it, then the body is
    the one a nonexistent id gets: ``video: null``, no error."""
    client = gql(world.user(role))

    hidden = client(VIDEO, {"id": gid(getattr(world, attribute))})
    missing = client(VIDEO, {"id": missing_gid("Video")})

    assert hidden.body == missing.body == {"data": {"video": None}}


@pytest.mark.parametrize(("role", "attribute"), INVISIBLE_VIDEOS)
def test_node_answers_an_invisible_video_like_a_missing_one(gql: Any, world: World, role: str, attribute: str) -> None:
    """The same through ``node(id:)``."""
    client = gql(world.user(role))

    hidden = client(NODE, {"id": gid(getattr(world, attribute))})
    missing = client(NODE, {"id": missing_gid("Video")})

    assert hidden.body == missing.body == {"data": {"node": None}}


def test_node_answers_a_comment_on_an_invisible_video_like_a_missing_one(gql: Any, world: World) -> None:
    """Given the creator commented on their PRIVATE video, when another viewer looks the comment
    up, then the answer is that of a nonexistent comment."""
    comment = services.comment_create(actor=world.creator, video_id=world.private_video.pk, text="note to self")
    query = "query($id: ID!) { node(id: $id) { id ... on Comment { text author { username } } } }"
    client = gql(world.other_viewer)

    assert client(query, {"id": gid(comment)}).body == client(query, {"id": missing_gid("Comment")}).body


def test_user_query_answers_a_deactivated_account_like_a_missing_one(gql: Any, world: World) -> None:
    """Given a deactivated account, then ``user(username:)`` and ``node(id:)`` answer as for a
    username and an id that never existed."""
    User.objects.filter(pk=world.other_creator.pk).update(is_active=False)
    client = gql(world.viewer)
    by_name = "query($name: String!) { user(username: $name) { id username } }"

    assert client(by_name, {"name": "other_creator"}).body == client(by_name, {"name": "nobody_here"}).body
    assert client(NODE, {"id": gid(world.other_creator, "User")}).body == client(NODE, {"id": missing_gid("User")}).body


# Mutations ---------------------------------------------------------------------------------------

VIDEO_MUTATIONS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "favoriteVideo": ("FavoriteVideoInput", "favorite { id }", {}),
    "unfavoriteVideo": ("UnfavoriteVideoInput", "removed", {}),
    "moveFavorite": ("MoveFavoriteInput", "favorite { id }", {}),
    "likeVideo": ("LikeVideoInput", "video { id }", {}),
    "unlikeVideo": ("UnlikeVideoInput", "video { id }", {}),
    "commentOnVideo": ("CommentOnVideoInput", "comment { id }", {"text": "hello"}),
    "shareVideo": ("ShareVideoInput", "video { id }", {"channel": "SMS"}),
    "downloadVideo": ("DownloadVideoInput", "url", {}),
    "recordView": ("RecordViewInput", "video { id }", {"watchedSeconds": 3, "trafficSource": "SEARCH"}),
    "updateVideo": ("UpdateVideoInput", "video { id }", {"caption": "mine now"}),
    "deleteVideo": ("DeleteVideoInput", "deletedVideoId", {}),
    "restartVideoUpload": ("RestartVideoUploadInput", "uploadUrl", {}),
}


def _call(client: Any, name: str, video_id: str) -> Any:
    input_type, fields, extra = VIDEO_MUTATIONS[name]
    document = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ clientMutationId {fields} }} }}"
    return client(document, {"input": {"videoId": video_id, "clientMutationId": "same", **extra}})


@pytest.mark.parametrize("name", sorted(VIDEO_MUTATIONS))
@pytest.mark.parametrize(("role", "attribute"), [("other_viewer", "private_video"), ("viewer", "private_video")])
def test_mutation_on_an_invisible_video_answers_like_a_missing_one(
    gql: Any, world: World, role: str, attribute: str, name: str
) -> None:
    """Given another user's PRIVATE video, when a signed-in user favorites, likes, comments on,
    shares, downloads, views, edits or deletes it or asks to upload its file again, then the body
    is exactly the one for a nonexistent id (NOT_FOUND, same message) and nothing changes."""
    client = gql(world.user(role))
    before = db_state()

    hidden = _call(client, name, gid(getattr(world, attribute)))
    missing = _call(client, name, missing_gid("Video"))

    assert hidden.body == missing.body
    assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert hidden.data == {name: None}
    assert db_state() == before


@pytest.mark.parametrize("name", ["recordView"])
def test_anonymous_view_of_an_invisible_video_answers_like_a_missing_one(gql: Any, world: World, name: str) -> None:
    """``recordView`` is open to anonymous viewers, so it too must not tell hidden from missing."""
    client = gql(None)
    before = db_state()

    hidden = _call(client, name, gid(world.friends_video))
    missing = _call(client, name, missing_gid("Video"))

    assert hidden.body == missing.body
    assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert db_state() == before


COLLECTION_MUTATIONS = {
    "renameCollection": 'mutation($id: ID!) { renameCollection(input: {collectionId: $id, name: "Mine"}) '
    "{ collection { id } } }",
    "deleteCollection": "mutation($id: ID!) { deleteCollection(input: {collectionId: $id}) { deletedCollectionId } }",
    "favoriteVideo": "mutation($id: ID!, $video: ID!) { favoriteVideo(input: {videoId: $video, collectionId: $id}) "
    "{ favorite { id } } }",
    "moveFavorite": "mutation($id: ID!, $video: ID!) { moveFavorite(input: {videoId: $video, collectionId: $id}) "
    "{ favorite { id } } }",
}


@pytest.mark.parametrize("name", sorted(COLLECTION_MUTATIONS))
def test_someone_elses_collection_answers_like_a_missing_one(gql: Any, world: World, name: str) -> None:
    """Given another viewer's collection, when the viewer renames, deletes or files a favorite
    into it, then the body is the one for a nonexistent collection and nothing changes."""
    client = gql(world.viewer)
    document = COLLECTION_MUTATIONS[name]
    video = {"video": gid(world.public_video)} if "$video" in document else {}
    before = db_state()

    hidden = client(document, {"id": gid(world.other_collection), **video})
    missing = client(document, {"id": missing_gid("FavoriteCollection"), **video})

    assert hidden.body == missing.body
    assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert db_state() == before


def test_someone_elses_collection_as_a_list_filter_answers_like_a_missing_one(gql: Any, world: World) -> None:
    """Given another viewer's collection id, then ``me.favorites(collectionId:)`` answers as
    for a nonexistent collection."""
    query = "query($id: ID!) { me { favorites(collectionId: $id) { edges { node { id } } } } }"
    client = gql(world.viewer)

    hidden = client(query, {"id": gid(world.other_collection)})
    missing = client(query, {"id": missing_gid("FavoriteCollection")})

    assert hidden.body == missing.body
    assert_single_error(hidden, ErrorCode.NOT_FOUND)


def test_deleting_a_comment_on_an_invisible_video_answers_like_a_missing_one(gql: Any, world: World) -> None:
    """Given a comment on the creator's PRIVATE video, when another viewer deletes it, then the
    answer is that of a nonexistent comment and the comment stays."""
    comment = services.comment_create(actor=world.creator, video_id=world.private_video.pk, text="draft")
    document = "mutation($id: ID!) { deleteComment(input: {commentId: $id}) { deletedCommentId } }"
    client = gql(world.other_viewer)
    before = db_state()

    hidden = client(document, {"id": gid(comment)})
    missing = client(document, {"id": missing_gid("Comment")})

    assert hidden.body == missing.body
    assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert db_state() == before


def test_marking_someone_elses_notification_read_answers_like_a_missing_one(gql: Any, world: World) -> None:
    """Given the creator's unread notification, when the viewer marks it read by id, then the
    answer equals that for a nonexistent id (nothing marked) and it stays unread."""
    document = (
        "mutation($ids: [ID!]) { markNotificationsRead(input: {notificationIds: $ids}) "
        "{ markedCount unreadNotificationCount } }"
    )
    client = gql(world.viewer)
    before = db_state()

    hidden = client(document, {"ids": [gid(world.like_notification)]})
    missing = client(document, {"ids": [missing_gid("Notification")]})

    assert hidden.body == missing.body
    assert hidden.data["markNotificationsRead"]["markedCount"] == 0
    assert db_state() == before


def test_following_a_deactivated_account_answers_like_a_missing_one(gql: Any, world: World) -> None:
    """Given a deactivated account, when the viewer follows it, then NOT_FOUND as for a
    username that never existed."""
    User.objects.filter(pk=world.other_creator.pk).update(is_active=False)
    document = "mutation($name: String!) { follow(input: {username: $name}) { status } }"
    client = gql(world.viewer)
    before = db_state()

    hidden = client(document, {"name": "other_creator"})
    missing = client(document, {"name": "nobody_here"})

    assert hidden.body == missing.body
    assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert db_state() == before
