"""The accounts app's GraphQL types on graphene: the public ``User`` and the viewer's ``Me``,
each resolver a one-line call into ``accounts.api.fields``."""

from typing import Any

import graphene

from accounts import models
from accounts.api import fields
from accounts.scopes import Scope
from backend.graphql.contract import ARGUMENT_DESCRIPTIONS
from backend.graphql.graphene_base import (
    JSON,
    DateTime,
    Node,
    choices_enum,
    connection_type,
    describe,
    fields_of,
    page_arguments,
    selection_of,
    viewer_of,
)
from backend.graphql.ids import global_id

ENGAGEMENT = "engagement.api.graphene_types"

AccountTypeEnum = choices_enum(models.AccountType, name="AccountType", description="The kind of account.")
GenderEnum = choices_enum(models.Gender, name="Gender", description="Self-declared gender.")
LikedVideosVisibilityEnum = choices_enum(
    models.LikedVideosVisibility, name="LikedVideosVisibility", description="Who may see a user's liked videos."
)
InteractionAudienceEnum = choices_enum(
    models.InteractionAudience, name="InteractionAudience", description="Who may comment on, duet or stitch a video."
)
FollowStatusEnum = choices_enum(models.FollowStatus, name="FollowStatus", description="State of a follow.")


def _user_global_id(root: Any, info: Any) -> str:
    return global_id("User", root.pk)


def _paged(resolve: Any) -> dict[str, Any]:
    """Options of a connection field: required, with `first` and `after`, resolved by ``resolve``."""
    return {"resolver": resolve, "required": True, "args": page_arguments()}


def _videos(root: Any, info: Any, first: int | None = None, after: str | None = None) -> Any:
    return fields.user_videos(viewer_of(info), root, first=first, after=after, selection=selection_of(info))


def _liked_videos(root: Any, info: Any, first: int | None = None, after: str | None = None) -> Any:
    return fields.user_liked_videos(viewer_of(info), root, first=first, after=after)


_user = fields_of("User")


class UserType(graphene.ObjectType):
    class Meta:
        name = "User"
        description = describe("User")
        interfaces = (Node,)
        possible_types = (models.User,)

    id = _user("id", graphene.ID, _user_global_id, required=True)
    username = _user("username", graphene.String, required=True)
    display_name = _user("displayName", graphene.String, required=True)
    bio = _user("bio", graphene.String, required=True)
    account_type = _user("accountType", AccountTypeEnum, required=True)
    is_private = _user("isPrivate", graphene.Boolean, required=True)
    follower_count = _user("followerCount", graphene.Int, required=True)
    following_count = _user("followingCount", graphene.Int, required=True)
    videos = _user(
        "videos",
        f"{ENGAGEMENT}.VideoConnection",
        **_paged(_videos),
    )
    liked_videos = _user(
        "likedVideos",
        f"{ENGAGEMENT}.VideoConnection",
        resolver=_liked_videos,
        args=page_arguments(),
    )


UserConnection = connection_type("User", UserType)

_settings = fields_of("PrivacySettings")


class PrivacySettingsType(graphene.ObjectType):
    class Meta:
        name = "PrivacySettings"
        description = describe("PrivacySettings")

    liked_videos_visibility = _settings("likedVideosVisibility", LikedVideosVisibilityEnum, required=True)
    default_allow_download = _settings("defaultAllowDownload", graphene.Boolean, required=True)
    default_allow_comments = _settings("defaultAllowComments", InteractionAudienceEnum, required=True)
    default_allow_duet = _settings("defaultAllowDuet", InteractionAudienceEnum, required=True)
    default_allow_stitch = _settings("defaultAllowStitch", InteractionAudienceEnum, required=True)


TokenScopeEnum = choices_enum(Scope, name="TokenScope", description="What an access token may do.")

_token = fields_of("AccessToken")


class AccessTokenType(graphene.ObjectType):
    class Meta:
        name = "AccessToken"
        description = describe("AccessToken")

    id = _token("id", graphene.ID, lambda root, info: global_id("AccessToken", root.pk), required=True)
    name = _token("name", graphene.String, lambda root, info: fields.access_token_name(root), required=True)
    application = _token("application", graphene.String, lambda root, info: fields.access_token_application(root))
    scopes = _token(
        "scopes",
        graphene.List(graphene.NonNull(TokenScopeEnum)),
        lambda root, info: fields.access_token_scopes(root),
        required=True,
    )
    created_at = _token("createdAt", DateTime, lambda root, info: root.created, required=True)
    last_used_at = _token("lastUsedAt", DateTime, lambda root, info: fields.access_token_last_used_at(root))
    expires_at = _token("expiresAt", DateTime, lambda root, info: root.expires, required=True)
    renewable_until = _token("renewableUntil", DateTime, lambda root, info: fields.access_token_renewable_until(root))
    points_used_this_hour = _token(
        "pointsUsedThisHour", graphene.Int, lambda root, info: fields.access_token_points_used(root), required=True
    )


AccessTokenConnection = connection_type("AccessToken", AccessTokenType)

_me = fields_of("Me")


def _me_page(resolve: Any) -> Any:
    return lambda root, info, first=None, after=None: resolve(viewer_of(info), first=first, after=after)


def _favorites(
    root: Any, info: Any, first: int | None = None, after: str | None = None, collection_id: Any = None
) -> Any:
    return fields.me_favorites(
        viewer_of(info), first=first, after=after, collection_id=collection_id, selection=selection_of(info)
    )


class MeType(graphene.ObjectType):
    class Meta:
        name = "Me"
        description = describe("Me")

    id = _me("id", graphene.ID, _user_global_id, required=True)
    username = _me("username", graphene.String, required=True)
    email = _me("email", graphene.String, required=True)
    display_name = _me("displayName", graphene.String, required=True)
    bio = _me("bio", graphene.String, required=True)
    account_type = _me("accountType", AccountTypeEnum, required=True)
    country = _me("country", graphene.String, lambda root, info: fields.blank_to_none(root.country))
    birth_year = _me("birthYear", graphene.Int)
    gender = _me("gender", GenderEnum, lambda root, info: fields.blank_to_none(root.gender))
    is_private = _me("isPrivate", graphene.Boolean, required=True)
    follower_count = _me("followerCount", graphene.Int, required=True)
    following_count = _me("followingCount", graphene.Int, required=True)
    privacy_settings = _me("privacySettings", PrivacySettingsType, lambda root, info: root, required=True)
    favorites = _me(
        "favorites",
        f"{ENGAGEMENT}.FavoriteConnection",
        resolver=_favorites,
        required=True,
        args={
            **page_arguments(),
            "collection_id": graphene.Argument(
                graphene.ID, name="collectionId", default_value=None, description=ARGUMENT_DESCRIPTIONS["collectionId"]
            ),
        },
    )
    collections = _me(
        "collections", f"{ENGAGEMENT}.FavoriteCollectionConnection", **_paged(_me_page(fields.me_collections))
    )
    liked_videos = _me(
        "likedVideos",
        f"{ENGAGEMENT}.VideoConnection",
        **_paged(_liked_videos),
    )
    videos = _me(
        "videos",
        f"{ENGAGEMENT}.VideoConnection",
        **_paged(_videos),
    )
    following = _me("following", UserConnection, **_paged(_me_page(fields.me_following)))
    followers = _me("followers", UserConnection, **_paged(_me_page(fields.me_followers)))
    follow_requests = _me("followRequests", UserConnection, **_paged(_me_page(fields.me_follow_requests)))
    notifications = _me(
        "notifications", f"{ENGAGEMENT}.NotificationConnection", **_paged(_me_page(fields.me_notifications))
    )
    unread_notification_count = _me(
        "unreadNotificationCount",
        graphene.Int,
        lambda root, info: fields.me_unread_notification_count(viewer_of(info)),
        required=True,
    )
    insights = _me(
        "insights", f"{ENGAGEMENT}.AccountInsightsType", lambda root, info: fields.me_insights(viewer_of(info))
    )
    managed_videos = _me(
        "managedVideos",
        f"{ENGAGEMENT}.VideoConnection",
        _me_page(fields.me_managed_videos),
        args=page_arguments(),
    )
    access_tokens = _me("accessTokens", AccessTokenConnection, _me_page(fields.me_access_tokens), args=page_arguments())
    export = _me("export", JSON, lambda root, info: fields.me_export(viewer_of(info)), required=True)
