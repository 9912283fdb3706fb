"""The engagement app's GraphQL types on strawberry: thin adapters over selectors."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from strawberry.types import Info

from backend.graphql.contract import ARGUMENT_DESCRIPTIONS
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
    type_directives,
    viewer_of,
)
from engagement import models
from engagement.analytics.keys import InsightKey
from engagement.analytics.models import Dimension
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

InsightKeyEnum = choices_enum(InsightKey, name="InsightKey", description="What a breakdown bucket counts.")
Day = date  # a field named ``date`` would shadow the type inside a class body
From = Annotated[date, strawberry.argument(name="from", description=ARGUMENT_DESCRIPTIONS["from"])]
To = Annotated[date, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["to"])]

_bucket = fields_of("InsightBucket")


@strawberry.type(name="InsightBucket", description=describe("InsightBucket"))
class InsightBucketType:
    key: InsightKeyEnum = _bucket("key")
    count: int | None = _bucket("count")
    share: float = _bucket("share")


_breakdown = fields_of("InsightBreakdown")


@strawberry.type(name="InsightBreakdown", description=describe("InsightBreakdown"))
class InsightBreakdownType:
    suppressed: bool = _breakdown("suppressed")
    buckets: list[InsightBucketType] = _breakdown("buckets")
    covered_from: Day | None = _breakdown("coveredFrom")
    covered_to: Day | None = _breakdown("coveredTo")


_day = fields_of("VideoInsightsDay")


@strawberry.type(name="VideoInsightsDay", description=describe("VideoInsightsDay"))
class VideoInsightsDayType:
    date: Day = _day("date")
    views: int = _day("views")
    likes: int = _day("likes")
    saves: int = _day("saves")
    shares: int = _day("shares")
    comments: int = _day("comments")
    downloads: int = _day("downloads")
    watch_seconds: int = _day("watchSeconds")
    completions: int = _day("completions")
    new_followers: int = _day("newFollowers")


_insights = fields_of("VideoInsights")


def _video_breakdown(dimension: str) -> Any:
    def resolve(root: Any, info: Info, from_: From, to: To) -> InsightBreakdownType | None:
        return fields.insights_breakdown(viewer_of(info), root, dimension, first=from_, last=to)

    return resolve


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
    traffic_sources: InsightBreakdownType | None = _insights(
        "trafficSources", _video_breakdown(Dimension.TRAFFIC_SOURCE)
    )
    audience_countries: InsightBreakdownType | None = _insights(
        "audienceCountries", _video_breakdown(Dimension.COUNTRY)
    )
    audience_genders: InsightBreakdownType | None = _insights("audienceGenders", _video_breakdown(Dimension.GENDER))
    audience_ages: InsightBreakdownType | None = _insights("audienceAges", _video_breakdown(Dimension.AGE))
    viewer_types: InsightBreakdownType | None = _insights("viewerTypes", _video_breakdown(Dimension.VIEWER_TYPE))

    @_insights("daily")
    def daily(self, info: Info, from_: From, to: To) -> list[VideoInsightsDayType] | None:
        return fields.insights_daily(viewer_of(info), self, first=from_, last=to)


_follower_day = fields_of("FollowerDay")


@strawberry.type(name="FollowerDay", description=describe("FollowerDay"))
class FollowerDayType:
    date: Day = _follower_day("date")
    followers: int = _follower_day("followers")
    new_followers: int = _follower_day("newFollowers")


_top = fields_of("TopVideo")


@strawberry.type(name="TopVideo", description=describe("TopVideo"))
class TopVideoType:
    video: "VideoType" = _top("video")
    count: int = _top("count")


_account = fields_of("AccountInsights")


def _follower_breakdown(dimension: str) -> Any:
    def resolve(root: Any, info: Info, from_: From, to: To) -> InsightBreakdownType | None:
        return fields.account_follower_breakdown(viewer_of(info), root, dimension, first=from_, last=to)

    return resolve


def _top_videos(by: str) -> Any:
    def resolve(root: Any, info: Info, from_: From, to: To) -> list[TopVideoType] | None:
        return fields.account_top_videos(viewer_of(info), root, by, first=from_, last=to)

    return resolve


@strawberry.type(
    name="AccountInsights", description=describe("AccountInsights"), directives=type_directives("AccountInsights")
)
class AccountInsightsType:
    follower_count: int = _account("followerCount")
    follower_countries: InsightBreakdownType | None = _account(
        "followerCountries", _follower_breakdown(Dimension.FOLLOWER_COUNTRY)
    )
    follower_genders: InsightBreakdownType | None = _account(
        "followerGenders", _follower_breakdown(Dimension.FOLLOWER_GENDER)
    )
    follower_ages: InsightBreakdownType | None = _account("followerAges", _follower_breakdown(Dimension.FOLLOWER_AGE))
    top_videos_by_views: list[TopVideoType] | None = _account("topVideosByViews", _top_videos("views"))
    top_videos_by_saves: list[TopVideoType] | None = _account("topVideosBySaves", _top_videos("saves"))

    @_account("followerGrowth")
    def follower_growth(self, info: Info, from_: From, to: To) -> list[FollowerDayType] | None:
        return fields.account_follower_growth(viewer_of(info), self, first=from_, last=to)

    @_account("followerActivity")
    def follower_activity(self, info: Info, from_: From, to: To) -> InsightBreakdownType | None:
        return fields.account_follower_activity(viewer_of(info), self, first=from_, last=to)

    @_account("profileViews")
    def profile_views(self, info: Info, from_: From, to: To) -> int | None:
        return fields.account_profile_views(viewer_of(info), self, first=from_, last=to)


_video = fields_of("Video")


def _counter(name: str) -> Any:
    return lambda root: fields.video_counter(root, name)


def _viewer_flag(name: str) -> Any:
    def resolve(root: models.Video, info: Info) -> bool:
        return fields.video_viewer_flag(viewer_of(info), root, name)

    return resolve


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
    models.FavoriteCollection,
    name="FavoriteCollection",
    description=describe("FavoriteCollection"),
    directives=type_directives("FavoriteCollection"),
)
class FavoriteCollectionType(Node):
    id: strawberry.ID = _collection("id", lambda root: global_id("FavoriteCollection", root.pk))
    name: str = _collection("name")
    created_at: datetime = _collection("createdAt")


_favorite = fields_of("Favorite")


@strawberry_django.type(
    models.Favorite, name="Favorite", description=describe("Favorite"), directives=type_directives("Favorite")
)
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


@strawberry_django.type(
    models.Notification,
    name="Notification",
    description=describe("Notification"),
    directives=type_directives("Notification"),
)
class NotificationType(Node):
    id: strawberry.ID = _notification("id", lambda root: global_id("Notification", root.pk))
    kind: NotificationKindEnum = _notification("kind")
    actor: UserType = _notification("actor")
    is_read: bool = _notification("isRead")
    created_at: datetime = _notification("createdAt")

    @_notification("video")
    def video(self) -> VideoType | None:
        return fields.notification_video(self)
