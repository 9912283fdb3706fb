"""The engagement app's GraphQL types on strawberry: thin adapters over selectors."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from strawberry.types import Info

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
    viewer_of,
)
from engagement import models
from engagement.api import fields

if TYPE_CHECKING:
    from accounts.api.strawberry_types import InteractionAudienceEnum, UserType
else:
    UserType = Annotated["UserType", strawberry.lazy("accounts.api.strawberry_types")]
    InteractionAudienceEnum = Annotated["InteractionAudienceEnum", strawberry.lazy("accounts.api.strawberry_types")]

VisibilityEnum = choices_enum(models.Visibility, name="Visibility", description="Who may see a video.")
TrafficSourceEnum = choices_enum(models.TrafficSource, name="TrafficSource", description="Where a view came from.")
ShareChannelEnum = choices_enum(models.ShareChannel, name="ShareChannel", description="Where a video was shared.")
NotificationKindEnum = choices_enum(
    models.NotificationKind, name="NotificationKind", description="What a notification is about."
)
RemixKindEnum = choices_enum(models.RemixKind, name="RemixKind", description="How a video reuses another.")

_insights = fields_of("VideoInsights")


@strawberry.type(name="VideoInsights", description=describe("VideoInsights"))
class VideoInsightsType:
    save_count: int = _insights("saveCount")
    like_count: int = _insights("likeCount")
    comment_count: int = _insights("commentCount")
    share_count: int = _insights("shareCount")
    view_count: int = _insights("viewCount")
    download_count: int = _insights("downloadCount")
    total_watch_seconds: int = _insights("totalWatchSeconds")
    average_watch_seconds: float = _insights("averageWatchSeconds")
    completion_rate: float = _insights("completionRate")


_video = fields_of("Video")


def _counter(name: str) -> Any:
    return lambda root: fields.video_counter(root, name)


def _viewer_flag(name: str) -> Any:
    return lambda root: fields.video_viewer_flag(root, name)


@strawberry_django.type(models.Video, name="Video", description=describe("Video"))
class VideoType(Node):
    id: strawberry.ID = _video("id", lambda root: global_id("Video", root.pk))
    caption: str = _video("caption")
    duration_seconds: int = _video("durationSeconds")
    created_at: datetime = _video("createdAt")
    owner: UserType = _video("owner")
    like_count: int = _video("likeCount", _counter("like_count"))
    comment_count: int = _video("commentCount", _counter("comment_count"))
    share_count: int = _video("shareCount", _counter("share_count"))
    view_count: int = _video("viewCount", _counter("view_count"))
    allow_download: bool = _video("allowDownload")
    visibility: VisibilityEnum | None = _video("visibility")
    allow_comments: InteractionAudienceEnum | None = _video("allowComments")
    allow_duet: InteractionAudienceEnum | None = _video("allowDuet")
    allow_stitch: InteractionAudienceEnum | None = _video("allowStitch")
    viewer_has_saved: bool | None = _video("viewerHasSaved", _viewer_flag("viewer_has_saved"))
    viewer_has_liked: bool | None = _video("viewerHasLiked", _viewer_flag("viewer_has_liked"))

    @_video("comments")
    def comments(self, info: Info, first: First = None, after: After = None) -> Connection["CommentType"]:
        return connection_from(fields.video_comments(viewer_of(info), self, first=first, after=after))

    @_video("insights")
    def insights(self, info: Info) -> VideoInsightsType | None:
        return fields.video_insights(viewer_of(info), self)


_comment = fields_of("Comment")


@strawberry_django.type(models.Comment, name="Comment", description=describe("Comment"))
class CommentType(Node):
    id: strawberry.ID = _comment("id", lambda root: global_id("Comment", root.pk))
    text: str = _comment("text")
    author: UserType = _comment("author")
    created_at: datetime = _comment("createdAt")


_collection = fields_of("FavoriteCollection")


@strawberry_django.type(
    models.FavoriteCollection, name="FavoriteCollection", description=describe("FavoriteCollection")
)
class FavoriteCollectionType(Node):
    id: strawberry.ID = _collection("id", lambda root: global_id("FavoriteCollection", root.pk))
    name: str = _collection("name")
    created_at: datetime = _collection("createdAt")


_favorite = fields_of("Favorite")


@strawberry_django.type(models.Favorite, name="Favorite", description=describe("Favorite"))
class FavoriteType(Node):
    id: strawberry.ID = _favorite("id", lambda root: global_id("Favorite", root.pk))
    created_at: datetime = _favorite("createdAt")
    collection: FavoriteCollectionType | None = _favorite("collection")

    @_favorite("isAvailable")
    def is_available(self) -> bool:
        return fields.favorite_is_available(self)

    @_favorite("video")
    def video(self) -> VideoType | None:
        return fields.favorite_video(self)


_notification = fields_of("Notification")


@strawberry_django.type(models.Notification, name="Notification", description=describe("Notification"))
class NotificationType(Node):
    id: strawberry.ID = _notification("id", lambda root: global_id("Notification", root.pk))
    kind: NotificationKindEnum = _notification("kind")
    actor: UserType = _notification("actor")
    is_read: bool = _notification("isRead")
    created_at: datetime = _notification("createdAt")

    @_notification("video")
    def video(self) -> VideoType | None:
        return fields.notification_video(self)
