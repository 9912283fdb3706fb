"""Shared material of the API tests: the committed SDL as a type system, one valid call of every
mutation, and small assertions about GraphQL responses. Nothing here knows which engine runs."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.http.response import HttpResponseBase
from graphql import GraphQLObjectType, Undefined, build_schema, get_named_type, is_composite_type, is_non_null_type

from accounts import services as account_services
from accounts.models import User
from accounts.tokens import access_token_create
from engagement import services
from engagement.media import uploads
from engagement.models import Comment
from engagement.services import follow
from tests.api.conftest import GraphQLResponse, World, gid
from tests.factories import attach_files, password_of

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema.graphql"
SDL = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))


def object_type(type_name: str) -> GraphQLObjectType:
    graphql_type = SDL.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType), f"{type_name} is not an object type in schema.graphql"
    return graphql_type


# A value for each required argument of these types, so such fields can be selected blindly too.
SAMPLE_ARGUMENTS = {"Date": '"2000-01-01"'}
# ... and for required arguments named so, whatever their type.
SAMPLE_NAMED_ARGUMENTS = {"country": '"FR"'}


def selection(type_name: str, field_name: str) -> str:
    """The smallest selection of one field: its name (with sample values for required arguments
    such as date ranges), with ``{ __typename }`` under an object, so any field the contract
    declares can be queried without knowing its shape."""
    field = object_type(type_name).fields[field_name]
    required = {
        name: SAMPLE_NAMED_ARGUMENTS.get(name) or SAMPLE_ARGUMENTS.get(get_named_type(argument.type).name)
        for name, argument in field.args.items()
        if is_non_null_type(argument.type) and argument.default_value is Undefined
    }
    unknown = sorted(name for name, sample in required.items() if sample is None)
    assert not unknown, f"{type_name}.{field_name} needs arguments {unknown}: give it a selection of its own"
    arguments = ", ".join(f"{name}: {sample}" for name, sample in required.items())
    head = f"{field_name}({arguments})" if arguments else field_name
    return f"{head} {{ __typename }}" if is_composite_type(get_named_type(field.type)) else head


def value_at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if data is None:
            return None
        data = data[key]
    return data


def assert_data(response: GraphQLResponse, path: tuple[str, ...]) -> Any:
    """The request succeeded without errors and ``path`` holds a value."""
    assert response.status == 200, response.body
    assert response.errors == [], response.errors
    value = value_at(response.data, path)
    assert value is not None, response.body
    return value


def assert_denied(response: GraphQLResponse, path: tuple[str, ...], code: str) -> None:
    """``path`` resolved to null with exactly one error, on that path, with ``code``."""
    assert response.status == 200, response.body
    assert value_at(response.data, path) is None, response.body
    assert [(error.get("path"), error["extensions"]["code"]) for error in response.errors] == [(list(path), code)]


def assert_single_error(response: GraphQLResponse, code: str) -> dict[str, Any]:
    """Exactly one error, with ``code``; returns it."""
    assert response.status == 200, response.body
    assert response.codes == [code], response.body
    return response.errors[0]


def without_request_id(response: HttpResponseBase) -> bytes:
    """An answer's body less its request's own id (``X-Request-ID``, new for every request), so
    that two refusals can be compared for everything else they tell."""
    return response.getvalue().replace(response["X-Request-ID"].encode(), b"")


# One valid call of every mutation ----------------------------------------------------------------


def _collection_id(world: World) -> str:
    return gid(world.collection)


def _viewer_comment_id(world: World) -> str:
    comment = services.comment_create(actor=world.viewer, video_id=world.public_video.pk, text="first!")
    return gid(comment)


def _comment_to_pin(world: World) -> Comment:
    return services.comment_create(actor=world.other_viewer, video_id=world.public_video.pk, text="pin me")


def _pinned_comment(world: World) -> dict[str, Any]:
    comment = _comment_to_pin(world)
    services.comment_pin(actor=world.creator, comment_id=comment.pk)
    return {"commentId": gid(comment)}


def _downloadable_public_video(world: World) -> dict[str, Any]:
    attach_files(world.public_video)
    return {"videoId": gid(world.public_video)}


def _creators_draft(world: World) -> dict[str, Any]:
    """A draft of the creator's whose upload link was lost: a new one is what they ask for."""
    ticket = uploads.upload_start(actor=world.creator, caption="draft", content_type="video/mp4", size_bytes=1000)
    return {"videoId": gid(ticket.video)}


def _creator_token_id(world: World) -> dict[str, Any]:
    access_token, _ = access_token_create(actor=world.creator, name="old script", scopes=["INSIGHTS_READ"])
    return {"tokenId": gid(access_token, "AccessToken")}


def _viewer_requests_to_follow_private_account(world: World) -> dict[str, Any]:
    follow(actor=world.viewer, username=world.private_account.username)
    return {"username": world.viewer.username}


def _viewer_blocked_other_creator(world: World) -> dict[str, Any]:
    account_services.user_block(actor=world.viewer, username="other_creator")
    return {"username": "other_creator"}


def _viewer_muted_other_creator(world: World) -> dict[str, Any]:
    account_services.user_mute(actor=world.viewer, username="other_creator")
    return {"username": "other_creator"}


def _last_week() -> dict[str, Any]:
    """The seven days before today (UTC), computed as the test runs."""
    today = datetime.now(UTC).date()
    return {"from": (today - timedelta(days=7)).isoformat(), "to": (today - timedelta(days=1)).isoformat()}


@dataclass(frozen=True)
class MutationCase:
    """One valid call: ``actor`` (a ``World`` attribute, or "anonymous") may make it; ``input``
    arranges whatever the call needs and returns the mutation's input; ``fields`` is the payload
    selection besides ``clientMutationId``."""

    actor: str
    fields: str
    input: Callable[[World], dict[str, Any]]

    def document(self, name: str) -> str:
        input_type = f"{name[0].upper()}{name[1:]}Input"
        return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ clientMutationId {self.fields} }} }}"

    def actor_of(self, world: World) -> User | None:
        return world.user(self.actor)


MUTATION_CASES: dict[str, MutationCase] = {
    "signUp": MutationCase(
        "anonymous",
        "user { username }",
        lambda w: {"username": "newcomer", "password": "a-long-Passw0rd!", "email": "newcomer@example.com"},
    ),
    "logIn": MutationCase(
        "anonymous", "user { username }", lambda w: {"username": "viewer", "password": password_of("viewer")}
    ),
    "logOut": MutationCase("viewer", "ok", lambda w: {}),
    "updateProfile": MutationCase("viewer", "me { displayName }", lambda w: {"displayName": "New name"}),
    "updatePrivacySettings": MutationCase(
        "viewer", "me { privacySettings { likedVideosVisibility } }", lambda w: {"likedVideosVisibility": "EVERYONE"}
    ),
    "updateNotificationSettings": MutationCase(
        "viewer", "notificationSettings { likes comments } me { username }", lambda w: {"likes": False}
    ),
    "switchAccountType": MutationCase(
        "viewer", "me { accountType } viewer { accountType }", lambda w: {"accountType": "CREATOR"}
    ),
    "postVideo": MutationCase(
        "creator",
        "video { id caption }",
        lambda w: {"caption": "new", "visibility": "PUBLIC", "durationSeconds": 12},
    ),
    "startVideoUpload": MutationCase(
        "creator",
        "video { id processingState } uploadUrl uploadExpiresAt maxBytes contentTypes",
        lambda w: {"caption": "new", "visibility": "PUBLIC", "contentType": "video/mp4", "sizeBytes": 1000},
    ),
    "restartVideoUpload": MutationCase("creator", "video { id processingState } uploadUrl", _creators_draft),
    "updateVideo": MutationCase(
        "creator", "video { caption }", lambda w: {"videoId": gid(w.public_video), "caption": "edited"}
    ),
    "deleteVideo": MutationCase("creator", "deletedVideoId", lambda w: {"videoId": gid(w.private_video)}),
    "favoriteVideo": MutationCase("other_creator", "favorite { id }", lambda w: {"videoId": gid(w.public_video)}),
    "unfavoriteVideo": MutationCase("viewer", "removed", lambda w: {"videoId": gid(w.public_video)}),
    "createCollection": MutationCase("viewer", "collection { name }", lambda w: {"name": "Dance"}),
    "renameCollection": MutationCase(
        "viewer", "collection { name }", lambda w: {"collectionId": _collection_id(w), "name": "Cooking"}
    ),
    "deleteCollection": MutationCase("viewer", "deletedCollectionId", lambda w: {"collectionId": _collection_id(w)}),
    "moveFavorite": MutationCase(
        "viewer", "favorite { id }", lambda w: {"videoId": gid(w.public_video), "collectionId": None}
    ),
    "likeVideo": MutationCase("other_creator", "video { likeCount }", lambda w: {"videoId": gid(w.public_video)}),
    "unlikeVideo": MutationCase("viewer", "video { likeCount }", lambda w: {"videoId": gid(w.public_video)}),
    "commentOnVideo": MutationCase(
        "other_viewer", "comment { text }", lambda w: {"videoId": gid(w.public_video), "text": "nice"}
    ),
    "deleteComment": MutationCase("viewer", "deletedCommentId", lambda w: {"commentId": _viewer_comment_id(w)}),
    "pinComment": MutationCase(
        "creator",
        "comment { isPinned } unpinnedComment { id } video { pinnedComment { id } }",
        lambda w: {"commentId": gid(_comment_to_pin(w))},
    ),
    "unpinComment": MutationCase(
        "creator", "unpinnedComment { isPinned } video { pinnedComment { id } }", _pinned_comment
    ),
    "shareVideo": MutationCase(
        "viewer", "video { shareCount }", lambda w: {"videoId": gid(w.public_video), "channel": "COPY_LINK"}
    ),
    "downloadVideo": MutationCase("viewer", "url expiresAt", _downloadable_public_video),
    "recordView": MutationCase(
        "anonymous",
        "video { viewCount }",
        lambda w: {"videoId": gid(w.public_video), "watchedSeconds": 10, "trafficSource": "FOR_YOU"},
    ),
    "follow": MutationCase("viewer", "user { username } status", lambda w: {"username": "other_creator"}),
    "unfollow": MutationCase("viewer", "user { username } removed", lambda w: {"username": "creator"}),
    "approveFollowRequest": MutationCase(
        "private_account", "user { username }", _viewer_requests_to_follow_private_account
    ),
    "declineFollowRequest": MutationCase(
        "private_account", "user { username }", _viewer_requests_to_follow_private_account
    ),
    "blockUser": MutationCase("viewer", "blockedUserId blocked", lambda w: {"username": "other_creator"}),
    "unblockUser": MutationCase("viewer", "user { username } removed", _viewer_blocked_other_creator),
    "muteUser": MutationCase("viewer", "user { username } muted", lambda w: {"username": "other_creator"}),
    "unmuteUser": MutationCase("viewer", "user { username } removed", _viewer_muted_other_creator),
    "markNotificationsRead": MutationCase("creator", "markedCount unreadNotificationCount", lambda w: {}),
    "deleteAccount": MutationCase("viewer", "deletedUserId", lambda w: {"password": password_of("viewer")}),
    "recordProfileView": MutationCase("anonymous", "user { username }", lambda w: {"username": "creator"}),
    "grantInsightsAccess": MutationCase(
        "creator",
        "grantee { username } video { id }",
        lambda w: {"username": "other_creator", "videoId": gid(w.public_video)},
    ),
    "revokeInsightsAccess": MutationCase(
        "creator", "grantee { username } revoked", lambda w: {"username": "other_creator"}
    ),
    "createAccessToken": MutationCase(
        "creator", "token accessToken { name scopes }", lambda w: {"name": "script", "scopes": ["INSIGHTS_READ"]}
    ),
    "revokeAccessToken": MutationCase("creator", "revokedTokenId", _creator_token_id),
    "exportInsights": MutationCase("creator", "export { id state }", lambda w: _last_week()),
}
