"""Every mutation's payload returns what the mutation changed, so that a normalized client cache
(Apollo Client, Relay, urql's graphcache: objects keyed by ``__typename`` and ``id``) ends in the
state a refetch would give, without refetching.

``TOUCHES`` holds an entry for every mutation of ``schema.graphql``: a new mutation, or a new
object or ID field on a payload, fails until its entry says how it is checked. Each entry names
the payload fields that hold changed objects (each compared with the same object read back by a
query afterwards) and those that hold the global IDs of removed ones (each gone afterwards), and
the new state the call must show. Calls and inputs are those of tests/api/cases.py unless an
entry arranges a richer scene (something to take away with the deletion, a request to accept).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from graphql import GraphQLObjectType, get_named_type
from graphql_relay import from_global_id
from oauth2_provider.models import AccessToken

from accounts.services import unfollow
from accounts.tokens import access_token_create
from engagement import services
from engagement.models import Comment, Favorite, Notification
from engagement.services import follow
from tests.api.cases import MUTATION_CASES, assert_data, object_type
from tests.api.conftest import GraphQLClient, World, gid

# What is compared of each type, payload against read-back. ``__typename`` and ``id`` are what a
# normalized cache keys objects by.
VIDEO = "__typename id likeCount commentCount shareCount viewCount viewerHasSaved viewerHasLiked"
ANONYMOUS_VIDEO = "__typename id likeCount commentCount shareCount viewCount"
OWN_VIDEO = f"{VIDEO} caption insights {{ saveCount commentCount downloadCount }}"
DRAFT = f"{OWN_VIDEO} processingState processingError playbackUrl"
USER = "__typename id username displayName bio isPrivate followerCount followingCount"
ME = f"{USER} unreadNotificationCount"
FAVORITE = "__typename id isAvailable collection { __typename id } video { __typename id viewerHasSaved }"
COLLECTION = "__typename id name"
COMMENT = "__typename id text author { __typename id }"
NOTIFICATION = "__typename id kind isRead"
ACCESS_TOKEN = "__typename id name scopes"
INSIGHTS_EXPORT = "__typename id from to format state createdAt expiresAt downloadUrl error"
NOTIFICATION_SETTINGS = "__typename likes comments follows mentions duets stitches"
RELATED_USER = f"{USER} viewerHasBlocked viewerHasMuted"

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Touches:
    """What one mutation changes and how its payload shows it. ``objects``: payload field → the
    selection compared with a read-back; ``removed``: payload fields holding the global IDs of
    removed things; ``scalars``: other payload fields to select. ``expect`` (called after
    ``arrange``, before the call) maps paths in the payload to the values they must hold; a set
    compares a list regardless of order. ``actor`` and ``arrange`` (the input) default to the
    mutation's case in tests/api/cases.py."""

    objects: dict[str, str] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    scalars: str = ""
    expect: Callable[[World], dict[Path, Any]] = lambda world: {}
    actor: str | None = None
    arrange: Callable[[World], dict[str, Any]] | None = None

    def selection(self) -> str:
        objects = " ".join(f"{name} {{ {fields} }}" for name, fields in self.objects.items())
        return " ".join(part for part in (self.scalars, *self.removed, objects) if part)


# Richer scenes than the cases' ---------------------------------------------------------------------


def _private_account_goes_public(world: World) -> dict[str, Any]:
    """The viewer asked to follow the private account, which now goes public: that accepts it."""
    follow(actor=world.viewer, username=world.private_account.username)
    return {"isPrivate": False}


def _creator_deletes_a_video_they_saved(world: World) -> dict[str, Any]:
    """The public video carries the creator's own save and their two like notifications."""
    services.favorite_add(actor=world.creator, video_id=world.public_video.pk)
    return {"videoId": gid(world.public_video)}


def _creator_deletes_a_reply_on_their_video(world: World) -> dict[str, Any]:
    """Someone else's reply to a comment, which notified the creator: the notification goes with
    it, and the comment it replied to has one reply fewer."""
    comment = services.comment_create(actor=world.other_viewer, video_id=world.public_video.pk, text="first")
    reply = services.comment_create(
        actor=world.viewer, video_id=world.public_video.pk, text="spam", reply_to_id=comment.pk
    )
    return {"commentId": gid(reply)}


def _creator_pins_over_a_pinned_comment(world: World) -> dict[str, Any]:
    """A comment is pinned already: the pin takes its place, and the payload returns both."""
    first = services.comment_create(actor=world.viewer, video_id=world.public_video.pk, text="pinned first")
    services.comment_pin(actor=world.creator, comment_id=first.pk)
    comment = services.comment_create(actor=world.other_viewer, video_id=world.public_video.pk, text="pin me")
    return {"commentId": gid(comment)}


def _creator_grants_then_revokes(world: World) -> dict[str, Any]:
    services.insights_access_grant(actor=world.creator, username="other_creator", video_id=world.public_video.pk)
    return {"username": "other_creator", "videoId": gid(world.public_video)}


def _notification_ids(world: World, **about: Any) -> set[str]:
    return {gid(notification) for notification in Notification.objects.filter(recipient=world.creator, **about)}


TOUCHES: dict[str, Touches] = {
    "signUp": Touches(
        objects={"user": ME},
        expect=lambda w: {("user", "username"): "newcomer", ("user", "followingCount"): 0},
    ),
    "logIn": Touches(objects={"user": ME}, expect=lambda w: {("user", "id"): gid(w.viewer)}),
    "logOut": Touches(scalars="ok", expect=lambda w: {("ok",): True}),  # the session ended: clients reset
    "updateProfile": Touches(
        objects={"me": ME, "viewer": USER},
        expect=lambda w: {
            ("me", "displayName"): "New name",
            ("viewer", "id"): gid(w.viewer),
            ("viewer", "displayName"): "New name",
        },
    ),
    "updatePrivacySettings": Touches(
        actor="private_account",
        arrange=_private_account_goes_public,
        objects={"me": ME, "viewer": USER},
        expect=lambda w: {
            ("me", "isPrivate"): False,
            ("me", "followerCount"): 1,
            ("viewer", "isPrivate"): False,
            ("viewer", "followerCount"): 1,
        },
    ),
    "updateNotificationSettings": Touches(
        objects={"notificationSettings": NOTIFICATION_SETTINGS, "me": f"{ME} notificationSettings {{ likes }}"},
        expect=lambda w: {("notificationSettings", "likes"): False, ("me", "notificationSettings", "likes"): False},
    ),
    "switchAccountType": Touches(
        objects={"me": f"{ME} accountType", "viewer": f"{USER} accountType"},
        expect=lambda w: {
            ("me", "accountType"): "CREATOR",
            ("viewer", "id"): gid(w.viewer),
            ("viewer", "accountType"): "CREATOR",
        },
    ),
    "postVideo": Touches(objects={"video": OWN_VIDEO}, expect=lambda w: {("video", "caption"): "new"}),
    "startVideoUpload": Touches(
        scalars="uploadUrl uploadExpiresAt maxBytes contentTypes",
        objects={"video": DRAFT},
        expect=lambda w: {
            ("video", "caption"): "new",
            ("video", "processingState"): "AWAITING_UPLOAD",
            ("maxBytes",): settings.MEDIA_MAX_UPLOAD_BYTES,
        },
    ),
    "restartVideoUpload": Touches(
        scalars="uploadUrl",
        objects={"video": DRAFT},
        expect=lambda w: {("video", "caption"): "draft", ("video", "processingState"): "AWAITING_UPLOAD"},
    ),
    "updateVideo": Touches(
        objects={"video": OWN_VIDEO},
        expect=lambda w: {("video", "id"): gid(w.public_video), ("video", "caption"): "edited"},
    ),
    "deleteVideo": Touches(
        arrange=_creator_deletes_a_video_they_saved,
        removed=("deletedVideoId", "removedFavoriteId", "deletedNotificationIds"),
        objects={"me": ME},
        expect=lambda w: {
            ("deletedVideoId",): gid(w.public_video),
            ("removedFavoriteId",): gid(Favorite.objects.get(user=w.creator)),
            ("deletedNotificationIds",): _notification_ids(w, video=w.public_video),
            ("me", "unreadNotificationCount"): 0,
        },
    ),
    "favoriteVideo": Touches(
        objects={"favorite": FAVORITE, "video": VIDEO},
        expect=lambda w: {
            ("video", "id"): gid(w.public_video),
            ("video", "viewerHasSaved"): True,
            ("favorite", "video", "id"): gid(w.public_video),
        },
    ),
    "unfavoriteVideo": Touches(
        scalars="removed",
        removed=("removedFavoriteId",),
        objects={"video": VIDEO},
        expect=lambda w: {
            ("removed",): True,
            ("removedFavoriteId",): gid(w.favorite),
            ("video", "id"): gid(w.public_video),
            ("video", "viewerHasSaved"): False,
        },
    ),
    "createCollection": Touches(objects={"collection": COLLECTION}, expect=lambda w: {("collection", "name"): "Dance"}),
    "renameCollection": Touches(
        objects={"collection": COLLECTION},
        expect=lambda w: {("collection", "id"): gid(w.collection), ("collection", "name"): "Cooking"},
    ),
    "deleteCollection": Touches(
        removed=("deletedCollectionId",),
        objects={"favorites": FAVORITE},
        expect=lambda w: {
            ("deletedCollectionId",): gid(w.collection),
            ("favorites", 0, "id"): gid(w.favorite),
            ("favorites", 0, "collection"): None,
        },
    ),
    "moveFavorite": Touches(
        objects={"favorite": FAVORITE},
        expect=lambda w: {("favorite", "id"): gid(w.favorite), ("favorite", "collection"): None},
    ),
    "likeVideo": Touches(
        objects={"video": VIDEO},
        expect=lambda w: {("video", "likeCount"): 3, ("video", "viewerHasLiked"): True},
    ),
    "unlikeVideo": Touches(
        objects={"video": VIDEO},
        expect=lambda w: {("video", "likeCount"): 1, ("video", "viewerHasLiked"): False},
    ),
    "commentOnVideo": Touches(
        objects={"comment": COMMENT, "video": VIDEO},
        expect=lambda w: {("comment", "text"): "nice", ("video", "commentCount"): 1},
    ),
    "deleteComment": Touches(
        actor="creator",
        arrange=_creator_deletes_a_reply_on_their_video,
        removed=("deletedCommentId", "deletedNotificationIds"),
        objects={"video": OWN_VIDEO, "replyTo": f"{COMMENT} replyCount", "me": ME},
        expect=lambda w: {
            ("deletedCommentId",): gid(Comment.objects.get(text="spam")),
            ("deletedNotificationIds",): _notification_ids(w, comment__text="spam"),
            ("video", "commentCount"): 1,
            ("video", "insights", "commentCount"): 1,
            ("replyTo", "replyCount"): 0,
            ("me", "unreadNotificationCount"): 3,  # the two likes and the first comment are left
        },
    ),
    "pinComment": Touches(
        arrange=_creator_pins_over_a_pinned_comment,
        objects={
            "comment": f"{COMMENT} isPinned",
            "unpinnedComment": f"{COMMENT} isPinned",
            "video": f"{VIDEO} pinnedComment {{ __typename id }}",
        },
        expect=lambda w: {
            ("comment", "isPinned"): True,
            ("unpinnedComment", "text"): "pinned first",
            ("unpinnedComment", "isPinned"): False,
            ("video", "pinnedComment", "id"): gid(Comment.objects.get(text="pin me")),
        },
    ),
    "unpinComment": Touches(
        objects={"unpinnedComment": f"{COMMENT} isPinned", "video": f"{VIDEO} pinnedComment {{ __typename id }}"},
        expect=lambda w: {("unpinnedComment", "isPinned"): False, ("video", "pinnedComment"): None},
    ),
    "shareVideo": Touches(objects={"video": VIDEO}, expect=lambda w: {("video", "shareCount"): 1}),
    "downloadVideo": Touches(
        actor="creator",
        scalars="url expiresAt",
        objects={"video": OWN_VIDEO},
        expect=lambda w: {("video", "id"): gid(w.public_video), ("video", "insights", "downloadCount"): 1},
    ),
    "recordView": Touches(objects={"video": ANONYMOUS_VIDEO}, expect=lambda w: {("video", "viewCount"): 1}),
    "follow": Touches(
        scalars="status",
        objects={"user": USER, "me": ME, "viewer": USER},
        expect=lambda w: {
            ("status",): "ACCEPTED",
            ("user", "followerCount"): 1,
            ("me", "followingCount"): 2,
            ("viewer", "id"): gid(w.viewer),
            ("viewer", "followingCount"): 2,
        },
    ),
    "unfollow": Touches(
        scalars="removed",
        objects={"user": USER, "me": ME, "viewer": USER},
        expect=lambda w: {
            ("removed",): True,
            ("user", "followerCount"): 0,
            ("me", "followingCount"): 0,
            ("viewer", "followingCount"): 0,
        },
    ),
    "approveFollowRequest": Touches(
        objects={"user": USER, "me": ME, "viewer": USER},
        expect=lambda w: {
            ("user", "id"): gid(w.viewer),
            ("user", "followingCount"): 2,
            ("me", "followerCount"): 1,
            ("viewer", "followerCount"): 1,
        },
    ),
    "declineFollowRequest": Touches(
        objects={"user": USER}, expect=lambda w: {("user", "id"): gid(w.viewer), ("user", "followingCount"): 1}
    ),
    "blockUser": Touches(
        arrange=lambda w: {"username": "creator"},  # the viewer's friend: both follows end
        scalars="blocked",
        removed=("blockedUserId",),
        objects={"me": ME, "viewer": USER},
        expect=lambda w: {
            ("blocked",): True,
            ("blockedUserId",): gid(w.creator),
            ("me", "followingCount"): 0,
            ("me", "followerCount"): 0,
            ("viewer", "followerCount"): 0,
        },
    ),
    "unblockUser": Touches(
        scalars="removed",
        objects={"user": RELATED_USER, "me": ME},
        expect=lambda w: {
            ("removed",): True,
            ("user", "id"): gid(w.other_creator),
            ("user", "viewerHasBlocked"): False,
        },
    ),
    "muteUser": Touches(
        scalars="muted",
        objects={"user": RELATED_USER, "me": ME},
        expect=lambda w: {("muted",): True, ("user", "id"): gid(w.other_creator), ("user", "viewerHasMuted"): True},
    ),
    "unmuteUser": Touches(
        scalars="removed",
        objects={"user": RELATED_USER, "me": ME},
        expect=lambda w: {("removed",): True, ("user", "viewerHasMuted"): False},
    ),
    "markNotificationsRead": Touches(
        scalars="markedCount unreadNotificationCount",
        objects={"notifications": NOTIFICATION, "me": ME},
        expect=lambda w: {
            ("markedCount",): 2,
            ("notifications", 0, "isRead"): True,
            ("notifications", 1, "isRead"): True,
            ("me", "unreadNotificationCount"): 0,
        },
    ),
    "deleteAccount": Touches(removed=("deletedUserId",), expect=lambda w: {("deletedUserId",): gid(w.viewer)}),
    "recordProfileView": Touches(objects={"user": USER}, expect=lambda w: {("user", "id"): gid(w.creator)}),
    "grantInsightsAccess": Touches(
        objects={"grantee": USER, "video": OWN_VIDEO},
        expect=lambda w: {("grantee", "id"): gid(w.other_creator), ("video", "id"): gid(w.public_video)},
    ),
    "revokeInsightsAccess": Touches(
        arrange=_creator_grants_then_revokes,
        scalars="revoked",
        objects={"grantee": USER},
        expect=lambda w: {("revoked",): True, ("grantee", "id"): gid(w.other_creator)},
    ),
    "createAccessToken": Touches(
        scalars="token", objects={"accessToken": ACCESS_TOKEN}, expect=lambda w: {("accessToken", "name"): "script"}
    ),
    "revokeAccessToken": Touches(
        removed=("revokedTokenId",),
        expect=lambda w: {("revokedTokenId",): gid(AccessToken.objects.get(user=w.creator), "AccessToken")},
    ),
    "exportInsights": Touches(objects={"export": INSIGHTS_EXPORT}, expect=lambda w: {("export", "state"): "PENDING"}),
}

MUTATION_NAMES = sorted(object_type("Mutation").fields)


def payload_type(name: str) -> GraphQLObjectType:
    return object_type(get_named_type(object_type("Mutation").fields[name].type).name)


def touched_fields(name: str) -> set[str]:
    """The payload fields that return objects or the IDs of removed ones."""
    return {
        field_name
        for field_name, payload_field in payload_type(name).fields.items()
        if isinstance(get_named_type(payload_field.type), GraphQLObjectType)
        or (field_name.endswith(("Id", "Ids")) and field_name != "clientMutationId")
    }


def test_every_mutation_and_every_object_or_id_of_its_payload_has_an_entry() -> None:
    """Given schema.graphql's Mutation type, then every mutation has an entry, and each entry
    checks every payload field that returns an object or a removed thing's ID."""
    assert sorted(TOUCHES) == MUTATION_NAMES
    unchecked = {name: touched_fields(name) ^ {*TOUCHES[name].objects, *TOUCHES[name].removed} for name in TOUCHES}
    assert {name: fields for name, fields in unchecked.items() if fields} == {}


# Reading back what a payload returned --------------------------------------------------------------


def mutate(client: GraphQLClient, name: str, input: dict[str, Any], selection: str) -> Any:
    """Call mutation ``name``; returns its payload, which must come without errors."""
    input_type = f"{name[0].upper()}{name[1:]}Input"
    response = client(
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}", {"input": input}
    )
    return assert_data(response, (name,))


def read_back(client: GraphQLClient, type_name: str, id: str | None, selection: str) -> Any:
    """The object as a query returns it now: ``me`` or the settings in it (no ID: a cache keeps
    them inside ``Me``), the viewer's access tokens, or ``node(id:)``."""
    if type_name == "Me":
        return client(f"{{ me {{ {selection} }} }}").data["me"]
    if type_name == "NotificationSettings":
        return client(f"{{ me {{ notificationSettings {{ {selection} }} }} }}").data["me"]["notificationSettings"]
    if type_name == "AccessToken":
        tokens = client(f"{{ me {{ accessTokens(first: 100) {{ edges {{ node {{ {selection} }} }} }} }} }}")
        nodes = [edge["node"] for edge in tokens.data["me"]["accessTokens"]["edges"]]
        return next((node for node in nodes if node["id"] == id), None)
    response = client(f"query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ {selection} }} }} }}", {"id": id})
    assert response.errors == [], response.body
    return response.data["node"]


def value_at(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


@pytest.mark.parametrize("name", MUTATION_NAMES)
def test_the_payload_returns_everything_the_mutation_changed(gql: Any, world: World, name: str) -> None:
    """Given a mutation's call, then each changed object in its payload equals that object read
    back by a query afterwards (same ``__typename``, ``id`` and fields, so a cache merging it is
    current), each removed thing's ID no longer resolves, and the payload shows the new state."""
    touches, case = TOUCHES[name], MUTATION_CASES[name]
    actor = touches.actor or case.actor
    input = (touches.arrange or case.input)(world)
    expected = touches.expect(world)
    client = gql(world.user(actor))

    payload = mutate(client, name, input, touches.selection())

    for field_name, selection in touches.objects.items():
        value = payload[field_name]
        objects = value if isinstance(value, list) else [value]
        assert objects and None not in objects, f"{name}.{field_name} returned nothing: {payload}"
        for returned in objects:
            assert read_back(client, returned["__typename"], returned.get("id"), selection) == returned, field_name
    for field_name in touches.removed:
        value = payload[field_name]
        ids = value if isinstance(value, list) else [value]
        assert ids and None not in ids, f"{name}.{field_name} named nothing: {payload}"
        for removed in ids:
            assert read_back(client, from_global_id(removed)[0], removed, "id") is None, (field_name, removed)
    for path, want in expected.items():
        got = value_at(payload, path)
        assert (set(got) if isinstance(want, set) else got) == want, (path, payload)


# What a payload must not show ----------------------------------------------------------------------


def test_unsaving_a_video_no_longer_visible_names_the_favorite_but_not_the_video(gql: Any, world: World) -> None:
    """Given a saved FRIENDS video whose creator has since unfollowed the saver, when the saver
    unsaves it, then the payload names the removed favorite and returns no video (video visibility), with
    no error: the video is not the saver's to see."""
    favorite = services.favorite_add(actor=world.viewer, video_id=world.friends_video.pk)
    unfollow(actor=world.creator, username=world.viewer.username)

    payload = mutate(
        gql(world.viewer),
        "unfavoriteVideo",
        {"videoId": gid(world.friends_video)},
        f"removed removedFavoriteId video {{ {VIDEO} caption }}",
    )

    assert payload == {"removed": True, "removedFavoriteId": gid(favorite), "video": None}


def test_a_follow_request_payload_shows_no_content_of_the_private_account(gql: Any, world: World) -> None:
    """Given a private account, when the viewer asks to follow it, then the payload's user shows
    what ``user(username:)`` shows a non-follower: none of its videos."""
    client = gql(world.viewer)
    selection = "__typename id followerCount videos { edges { node { id } } }"

    payload = mutate(client, "follow", {"username": "private_account"}, f"status user {{ {selection} }}")

    assert payload["status"] == "PENDING"
    assert payload["user"]["videos"]["edges"] == []
    assert payload["user"] == client(f'{{ user(username: "private_account") {{ {selection} }} }}').data["user"]


# A normalized cache --------------------------------------------------------------------------------


class NormalizedCache:
    """What Apollo Client, Relay and graphcache do with a response: each object that has a
    ``__typename`` and an ``id`` is stored once under that key, its fields merged over what was
    there; objects without an id stay inside their parent's field."""

    def __init__(self) -> None:
        self.entities: dict[tuple[str, str], dict[str, Any]] = {}

    def write(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.write(item) for item in value]
        if not isinstance(value, dict):
            return value
        fields = {key: self.write(item) for key, item in value.items()}
        if "__typename" in value and "id" in value:
            key = (value["__typename"], value["id"])
            self.entities.setdefault(key, {}).update(fields)
            return {"__ref": key}
        return fields

    def evict(self, id: str) -> None:
        for key in [key for key in self.entities if key[1] == id]:
            del self.entities[key]


def test_a_cache_merging_payloads_agrees_with_a_refetch(gql: Any, world: World) -> None:
    """Given the creator's cache of their video's ``viewerHasSaved`` and save total, when they
    save it and then unsave it, merging each payload's objects by (__typename, id) and evicting
    what it says was removed leaves the cache as a refetch of the video would: no refetch needed."""
    client = gql(world.creator)
    video_id = gid(world.public_video)
    state = "__typename id viewerHasSaved insights { saveCount }"
    query = f"query($id: ID!) {{ video(id: $id) {{ {state} }} }}"
    cache = NormalizedCache()

    def refetched() -> dict[str, Any]:
        fresh = NormalizedCache()
        fresh.write(client(query, {"id": video_id}).data)
        return fresh.entities[("Video", video_id)]

    cache.write(client(query, {"id": video_id}).data)
    assert cache.entities[("Video", video_id)]["viewerHasSaved"] is False

    saved = mutate(
        client,
        "favoriteVideo",
        {"videoId": video_id},
        f"favorite {{ __typename id video {{ {state} }} }} video {{ {state} }}",
    )
    cache.write(saved)

    assert cache.entities[("Video", video_id)] == refetched()
    assert cache.entities[("Video", video_id)]["viewerHasSaved"] is True
    assert cache.entities[("Video", video_id)]["insights"] == {"saveCount": 3}
    favorite_key = ("Favorite", saved["favorite"]["id"])
    assert cache.entities[favorite_key]["video"] == {"__ref": ("Video", video_id)}

    unsaved = mutate(client, "unfavoriteVideo", {"videoId": video_id}, f"removedFavoriteId video {{ {state} }}")
    cache.write(unsaved)
    cache.evict(unsaved["removedFavoriteId"])

    assert cache.entities[("Video", video_id)] == refetched()
    assert cache.entities[("Video", video_id)]["viewerHasSaved"] is False
    assert cache.entities[("Video", video_id)]["insights"] == {"saveCount": 2}
    assert favorite_key not in cache.entities


def test_an_interactions_token_deleting_a_comment_is_not_told_of_notifications(gql: Any, world: World) -> None:
    """Given the creator's token for interactions only, when it deletes a comment on their video,
    then the payload returns the video but not which notifications went with it: those are the
    inbox's (PROFILE_READ), refused alone without nulling the rest."""
    comment = services.comment_create(actor=world.other_viewer, video_id=world.public_video.pk, text="spam")
    _, token = access_token_create(actor=world.creator, name="bot", scopes=["INTERACTIONS_WRITE"])

    response = gql(token=token)(
        "mutation($input: DeleteCommentInput!) { deleteComment(input: $input) "
        "{ deletedCommentId deletedNotificationIds video { id commentCount } } }",
        {"input": {"commentId": gid(comment)}},
    )

    assert response.data == {
        "deleteComment": {
            "deletedCommentId": gid(comment),
            "deletedNotificationIds": None,
            "video": {"id": gid(world.public_video), "commentCount": 0},
        }
    }
    assert [(error["path"], error["extensions"]["code"]) for error in response.errors] == [
        (["deleteComment", "deletedNotificationIds"], "FORBIDDEN")
    ]
