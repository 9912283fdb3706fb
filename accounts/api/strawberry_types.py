"""The accounts app's GraphQL types on strawberry: the public ``User`` and the viewer's ``Me``."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry.types import Info

from accounts import models, selectors
from backend.graphql.ids import decode_id, global_id
from backend.graphql.strawberry_base import (
    After,
    Connection,
    First,
    Node,
    choices_enum,
    connection_from,
    describe,
    fields_of,
    viewer_of,
)
from engagement import selectors as engagement_selectors

if TYPE_CHECKING:
    from engagement.api.strawberry_types import (
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
        page = engagement_selectors.user_videos_page(viewer=viewer_of(info), owner=self, first=first, after=after)
        return connection_from(page)

    @_user("likedVideos")
    def liked_videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType] | None:
        page = engagement_selectors.liked_videos_page(viewer=viewer_of(info), user=self, first=first, after=after)
        return connection_from(page, lambda like: like.video)


_settings = fields_of("PrivacySettings")


@strawberry_django.type(models.User, name="PrivacySettings", description=describe("PrivacySettings"))
class PrivacySettingsType:
    liked_videos_visibility: LikedVideosVisibilityEnum = _settings("likedVideosVisibility")
    default_allow_download: bool = _settings("defaultAllowDownload")
    default_allow_comments: InteractionAudienceEnum = _settings("defaultAllowComments")
    default_allow_duet: InteractionAudienceEnum = _settings("defaultAllowDuet")
    default_allow_stitch: InteractionAudienceEnum = _settings("defaultAllowStitch")


_me = fields_of("Me")

CollectionId = Annotated[
    strawberry.ID | None, strawberry.argument(description="Only favorites in this collection (a global ID).")
]


@strawberry_django.type(models.User, name="Me", description=describe("Me"))
class MeType:
    id: strawberry.ID = _me("id", lambda root: global_id("User", root.pk))
    username: str = _me("username")
    email: str = _me("email")
    display_name: str = _me("displayName")
    bio: str = _me("bio")
    account_type: AccountTypeEnum = _me("accountType")
    country: str | None = _me("country", lambda root: root.country or None)
    birth_year: int | None = _me("birthYear")
    gender: GenderEnum | None = _me("gender", lambda root: root.gender or None)
    is_private: bool = _me("isPrivate")
    follower_count: int = _me("followerCount")
    following_count: int = _me("followingCount")
    privacy_settings: PrivacySettingsType = _me("privacySettings", lambda root: root)

    @_me("favorites")
    def favorites(
        self, info: Info, first: First = None, after: After = None, collection_id: CollectionId = None
    ) -> Connection[FavoriteType]:
        collection = (
            decode_id(collection_id, expected="FavoriteCollection", field="collectionId") if collection_id else None
        )
        page = engagement_selectors.favorites_page(
            viewer=viewer_of(info), first=first, after=after, collection_id=collection
        )
        return connection_from(page)

    @_me("collections")
    def collections(self, info: Info, first: First = None, after: After = None) -> Connection[FavoriteCollectionType]:
        page = engagement_selectors.collections_page(viewer=viewer_of(info), first=first, after=after)
        return connection_from(page)

    @_me("likedVideos")
    def liked_videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType]:
        page = engagement_selectors.liked_videos_page(viewer=viewer_of(info), user=self, first=first, after=after)
        return connection_from(page, lambda like: like.video)

    @_me("videos")
    def videos(self, info: Info, first: First = None, after: After = None) -> Connection[VideoType]:
        page = engagement_selectors.user_videos_page(viewer=viewer_of(info), owner=self, first=first, after=after)
        return connection_from(page)

    @_me("following")
    def following(self, info: Info, first: First = None, after: After = None) -> Connection[UserType]:
        page = selectors.following_page(viewer=viewer_of(info), user=self, first=first, after=after)
        return connection_from(page, lambda edge: edge.followee)

    @_me("followers")
    def followers(self, info: Info, first: First = None, after: After = None) -> Connection[UserType]:
        page = selectors.followers_page(viewer=viewer_of(info), user=self, first=first, after=after)
        return connection_from(page, lambda edge: edge.follower)

    @_me("followRequests")
    def follow_requests(self, info: Info, first: First = None, after: After = None) -> Connection[UserType]:
        page = selectors.follow_requests_page(viewer=viewer_of(info), first=first, after=after)
        return connection_from(page, lambda edge: edge.follower)

    @_me("notifications")
    def notifications(self, info: Info, first: First = None, after: After = None) -> Connection[NotificationType]:
        page = engagement_selectors.notifications_page(viewer=viewer_of(info), first=first, after=after)
        return connection_from(page)

    @_me("unreadNotificationCount")
    def unread_notification_count(self, info: Info) -> int:
        return engagement_selectors.unread_notification_count(viewer=viewer_of(info))
