"""The accounts app's GraphQL types on strawberry: the public ``User`` and the viewer's ``Me``."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry.scalars import JSON
from strawberry.types import Info

from accounts import models
from accounts.api import fields
from accounts.scopes import Scope
from backend.graphql.ids import global_id
from backend.graphql.strawberry_base import (
    After,
    Connection,
    First,
    Node,
    choices_enum,
    connection_from,
    describe,
    fields_of,
    selection_of,
    type_directives,
    viewer_of,
)

if TYPE_CHECKING:
    from engagement.api.strawberry_types import (
        AccountInsightsType,
        FavoriteCollectionType,
        FavoriteType,
        NotificationType,
        VideoType,
    )
else:
    _engagement = strawberry.lazy("engagement.api.strawberry_types")
    VideoType = Annotated["VideoType", _engagement]
    FavoriteType = Annotated["FavoriteType", _engagement]
    FavoriteCollectionType = Annotated["FavoriteCollectionType", _engagement]
    NotificationType = Annotated["NotificationType", _engagement]
    AccountInsightsType = Annotated["AccountInsightsType", _engagement]

AccountTypeEnum = choices_enum(models.AccountType, name="AccountType", description="The kind of account.")
GenderEnum = choices_enum(models.Gender, name="Gender", description="Self-declared gender.")
LikedVideosVisibilityEnum = choices_enum(
    models.LikedVideosVisibility, name="LikedVideosVisibility", description="Who may see a user's liked videos."
)
InteractionAudienceEnum = choices_enum(
    models.InteractionAudience, name="InteractionAudience", description="Who may comment on, duet or stitch a video."
)
FollowStatusEnum = choices_enum(models.FollowStatus, name="FollowStatus", description="State of a follow.")

_user = fields_of("User")


@strawberry_django.type(models.User, name="User", description=describe("User"))
class UserType(Node):
    id: strawberry.ID = _user("id", lambda root: global_id("User", root.pk))
    username: str = _user("username")
    display_name: str = _user("displayName")
    bio: str = _user("bio")
    account_type: AccountTypeEnum = _user("accountType")
    is_private: bool = _user("isPrivate")
    follower_count: int = _user("followerCount")
    following_count: int = _user("followingCount")

    @_user("videos")
    def videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType]:
        page = fields.user_videos(viewer_of(info), self, first=first, after=after, selection=selection_of(info))
        return connection_from(page)

    @_user("likedVideos")
    def liked_videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType] | None:
        return connection_from(fields.user_liked_videos(viewer_of(info), self, first=first, after=after))


_settings = fields_of("PrivacySettings")


@strawberry_django.type(
    models.User,
    name="PrivacySettings",
    description=describe("PrivacySettings"),
    directives=type_directives("PrivacySettings"),
)
class PrivacySettingsType:
    liked_videos_visibility: LikedVideosVisibilityEnum = _settings("likedVideosVisibility")
    default_allow_download: bool = _settings("defaultAllowDownload")
    default_allow_comments: InteractionAudienceEnum = _settings("defaultAllowComments")
    default_allow_duet: InteractionAudienceEnum = _settings("defaultAllowDuet")
    default_allow_stitch: InteractionAudienceEnum = _settings("defaultAllowStitch")


TokenScopeEnum = choices_enum(Scope, name="TokenScope", description="What an access token may do.")

_token = fields_of("AccessToken")


@strawberry.type(name="AccessToken", description=describe("AccessToken"), directives=type_directives("AccessToken"))
class AccessTokenType:
    id: strawberry.ID = _token("id", lambda root: global_id("AccessToken", root.pk))
    name: str = _token("name", lambda root: fields.access_token_name(root))
    application: str | None = _token("application", lambda root: fields.access_token_application(root))
    scopes: list[TokenScopeEnum] = _token("scopes", lambda root: fields.access_token_scopes(root))
    created_at: datetime = _token("createdAt", lambda root: root.created)
    last_used_at: datetime | None = _token("lastUsedAt", lambda root: fields.access_token_last_used_at(root))
    expires_at: datetime = _token("expiresAt", lambda root: root.expires)
    renewable_until: datetime | None = _token("renewableUntil", lambda root: fields.access_token_renewable_until(root))
    points_used_this_hour: int = _token("pointsUsedThisHour", lambda root: fields.access_token_points_used(root))


_me = fields_of("Me")

CollectionId = Annotated[
    strawberry.ID | None, strawberry.argument(description="Only favorites in this collection (a global ID).")
]


@strawberry_django.type(models.User, name="Me", description=describe("Me"), directives=type_directives("Me"))
class MeType:
    id: strawberry.ID = _me("id", lambda root: global_id("User", root.pk))
    username: str = _me("username")
    email: str = _me("email")
    display_name: str = _me("displayName")
    bio: str = _me("bio")
    account_type: AccountTypeEnum = _me("accountType")
    country: str | None = _me("country", lambda root: fields.blank_to_none(root.country))
    birth_year: int | None = _me("birthYear")
    gender: GenderEnum | None = _me("gender", lambda root: fields.blank_to_none(root.gender))
    is_private: bool = _me("isPrivate")
    follower_count: int = _me("followerCount")
    following_count: int = _me("followingCount")
    privacy_settings: PrivacySettingsType = _me("privacySettings", lambda root: root)

    @_me("favorites")
    def favorites(
        self, info: Info, first: First = None, after: After = None, collection_id: CollectionId = None
    ) -> Connection[FavoriteType]:
        page = fields.me_favorites(
            viewer_of(info), first=first, after=after, collection_id=collection_id, selection=selection_of(info)
        )
        return connection_from(page)

    @_me("collections")
    def collections(self, info: Info, first: First = None, after: After = None) -> Connection[FavoriteCollectionType]:
        return connection_from(fields.me_collections(viewer_of(info), first=first, after=after))

    @_me("likedVideos")
    def liked_videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType]:
        return connection_from(fields.user_liked_videos(viewer_of(info), self, first=first, after=after))

    @_me("videos")
    def videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType]:
        page = fields.user_videos(viewer_of(info), self, first=first, after=after, selection=selection_of(info))
        return connection_from(page)

    @_me("following")
    def following(self, info: Info, first: First = None, after: After = None) -> Connection[UserType]:
        return connection_from(fields.me_following(viewer_of(info), first=first, after=after))

    @_me("followers")
    def followers(self, info: Info, first: First = None, after: After = None) -> Connection[UserType]:
        return connection_from(fields.me_followers(viewer_of(info), first=first, after=after))

    @_me("followRequests")
    def follow_requests(self, info: Info, first: First = None, after: After = None) -> Connection[UserType]:
        return connection_from(fields.me_follow_requests(viewer_of(info), first=first, after=after))

    @_me("notifications")
    def notifications(self, info: Info, first: First = None, after: After = None) -> Connection[NotificationType]:
        return connection_from(fields.me_notifications(viewer_of(info), first=first, after=after))

    @_me("unreadNotificationCount")
    def unread_notification_count(self, info: Info) -> int:
        return fields.me_unread_notification_count(viewer_of(info))

    @_me("insights")
    def insights(self, info: Info) -> AccountInsightsType | None:
        return fields.me_insights(viewer_of(info))

    @_me("managedVideos")
    def managed_videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType] | None:
        return connection_from(fields.me_managed_videos(viewer_of(info), first=first, after=after))

    @_me("accessTokens")
    def access_tokens(self, info: Info, first: First = None, after: After = None) -> Connection[AccessTokenType] | None:
        return connection_from(fields.me_access_tokens(viewer_of(info), first=first, after=after))

    @_me("export")
    def export(self, info: Info) -> JSON:
        return fields.me_export(viewer_of(info))
