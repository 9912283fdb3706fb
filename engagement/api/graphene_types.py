"""The engagement app's GraphQL types on graphene: the same contract as the strawberry types,
each resolver a one-line call into ``engagement.api.fields``."""

from typing import Any

import graphene

from backend.graphql.contract import ARGUMENT_DESCRIPTIONS
from backend.graphql.graphene_base import (
    Date,
    DateTime,
    Node,
    choices_enum,
    connection_type,
    describe,
    fields_of,
    page_arguments,
    viewer_of,
)
from backend.graphql.ids import global_id
from engagement import models
from engagement.analytics.keys import InsightKey
from engagement.analytics.models import Dimension
from engagement.api import fields

USER = "accounts.api.graphene_types.UserType"
INTERACTION_AUDIENCE = "accounts.api.graphene_types.InteractionAudienceEnum"

VisibilityEnum = choices_enum(models.Visibility, name="Visibility", description="Who may see a video.")
TrafficSourceEnum = choices_enum(models.TrafficSource, name="TrafficSource", description="Where a view came from.")
ShareChannelEnum = choices_enum(models.ShareChannel, name="ShareChannel", description="Where a video was shared.")
NotificationKindEnum = choices_enum(
    models.NotificationKind, name="NotificationKind", description="What a notification is about."
)
RemixKindEnum = choices_enum(models.RemixKind, name="RemixKind", description="How a video reuses another.")


def _global_id(type_name: str) -> Any:
    return lambda root, info: global_id(type_name, root.pk)


InsightKeyEnum = choices_enum(InsightKey, name="InsightKey", description="What a breakdown bucket counts.")


def _range_arguments() -> dict[str, graphene.Argument]:
    """``from: Date!`` and ``to: Date!``, whole UTC days."""
    return {
        "from_": graphene.Argument(graphene.NonNull(Date), name="from", description=ARGUMENT_DESCRIPTIONS["from"]),
        "to": graphene.Argument(graphene.NonNull(Date), description=ARGUMENT_DESCRIPTIONS["to"]),
    }


def _list_of(of_type: Any) -> graphene.List:
    return graphene.List(graphene.NonNull(of_type))


_bucket = fields_of("InsightBucket")


class InsightBucketType(graphene.ObjectType):
    class Meta:
        name = "InsightBucket"
        description = describe("InsightBucket")

    key = _bucket("key", InsightKeyEnum, required=True)
    count = _bucket("count", graphene.Int)
    share = _bucket("share", graphene.Float, required=True)


_breakdown = fields_of("InsightBreakdown")


class InsightBreakdownType(graphene.ObjectType):
    class Meta:
        name = "InsightBreakdown"
        description = describe("InsightBreakdown")

    suppressed = _breakdown("suppressed", graphene.Boolean, required=True)
    buckets = _breakdown("buckets", _list_of(InsightBucketType), required=True)
    covered_from = _breakdown("coveredFrom", Date)
    covered_to = _breakdown("coveredTo", Date)


_day = fields_of("VideoInsightsDay")


class VideoInsightsDayType(graphene.ObjectType):
    class Meta:
        name = "VideoInsightsDay"
        description = describe("VideoInsightsDay")

    date = _day("date", Date, required=True)
    views = _day("views", graphene.Int, required=True)
    likes = _day("likes", graphene.Int, required=True)
    saves = _day("saves", graphene.Int, required=True)
    shares = _day("shares", graphene.Int, required=True)
    comments = _day("comments", graphene.Int, required=True)
    downloads = _day("downloads", graphene.Int, required=True)
    watch_seconds = _day("watchSeconds", graphene.Int, required=True)
    completions = _day("completions", graphene.Int, required=True)
    new_followers = _day("newFollowers", graphene.Int, required=True)


_insights = fields_of("VideoInsights")


def _video_breakdown(name: str, dimension: str) -> graphene.Field:
    return _insights(
        name,
        InsightBreakdownType,
        lambda root, info, from_, to: fields.insights_breakdown(viewer_of(info), root, dimension, first=from_, last=to),
        args=_range_arguments(),
    )


class VideoInsightsType(graphene.ObjectType):
    class Meta:
        name = "VideoInsights"
        description = describe("VideoInsights")

    save_count = _insights("saveCount", graphene.Int, required=True)
    like_count = _insights("likeCount", graphene.Int, required=True)
    comment_count = _insights("commentCount", graphene.Int, required=True)
    share_count = _insights("shareCount", graphene.Int, required=True)
    view_count = _insights("viewCount", graphene.Int, required=True)
    download_count = _insights("downloadCount", graphene.Int, required=True)
    total_watch_seconds = _insights("totalWatchSeconds", graphene.Int, required=True)
    average_watch_seconds = _insights("averageWatchSeconds", graphene.Float, required=True)
    completion_rate = _insights("completionRate", graphene.Float, required=True)
    daily = _insights(
        "daily",
        _list_of(VideoInsightsDayType),
        lambda root, info, from_, to: fields.insights_daily(viewer_of(info), root, first=from_, last=to),
        args=_range_arguments(),
    )
    traffic_sources = _video_breakdown("trafficSources", Dimension.TRAFFIC_SOURCE)
    audience_countries = _video_breakdown("audienceCountries", Dimension.COUNTRY)
    audience_genders = _video_breakdown("audienceGenders", Dimension.GENDER)
    audience_ages = _video_breakdown("audienceAges", Dimension.AGE)
    viewer_types = _video_breakdown("viewerTypes", Dimension.VIEWER_TYPE)


_follower_day = fields_of("FollowerDay")


class FollowerDayType(graphene.ObjectType):
    class Meta:
        name = "FollowerDay"
        description = describe("FollowerDay")

    date = _follower_day("date", Date, required=True)
    followers = _follower_day("followers", graphene.Int, required=True)
    new_followers = _follower_day("newFollowers", graphene.Int, required=True)


_top = fields_of("TopVideo")


class TopVideoType(graphene.ObjectType):
    class Meta:
        name = "TopVideo"
        description = describe("TopVideo")

    video = _top("video", "engagement.api.graphene_types.VideoType", required=True)
    count = _top("count", graphene.Int, required=True)


_account = fields_of("AccountInsights")


def _account_range_field(name: str, of_type: Any, resolve: Any) -> graphene.Field:
    """A field of AccountInsights over a range: ``resolve(viewer, insights, first=, last=)``."""
    return _account(
        name,
        of_type,
        lambda root, info, from_, to: resolve(viewer_of(info), root, first=from_, last=to),
        args=_range_arguments(),
    )


def _follower_breakdown(name: str, dimension: str) -> graphene.Field:
    return _account_range_field(
        name,
        InsightBreakdownType,
        lambda viewer, root, **dates: fields.account_follower_breakdown(viewer, root, dimension, **dates),
    )


def _top_videos(name: str, by: str) -> graphene.Field:
    return _account_range_field(
        name,
        _list_of(TopVideoType),
        lambda viewer, root, **dates: fields.account_top_videos(viewer, root, by, **dates),
    )


class AccountInsightsType(graphene.ObjectType):
    class Meta:
        name = "AccountInsights"
        description = describe("AccountInsights")

    follower_count = _account("followerCount", graphene.Int, required=True)
    follower_growth = _account_range_field("followerGrowth", _list_of(FollowerDayType), fields.account_follower_growth)
    follower_countries = _follower_breakdown("followerCountries", Dimension.FOLLOWER_COUNTRY)
    follower_genders = _follower_breakdown("followerGenders", Dimension.FOLLOWER_GENDER)
    follower_ages = _follower_breakdown("followerAges", Dimension.FOLLOWER_AGE)
    follower_activity = _account_range_field("followerActivity", InsightBreakdownType, fields.account_follower_activity)
    profile_views = _account_range_field("profileViews", graphene.Int, fields.account_profile_views)
    top_videos_by_views = _top_videos("topVideosByViews", "views")
    top_videos_by_saves = _top_videos("topVideosBySaves", "saves")


_video = fields_of("Video")


def _comments(root: models.Video, info: Any, first: int | None = None, after: str | None = None) -> Any:
    return fields.video_comments(viewer_of(info), root, first=first, after=after)


def _counter(name: str) -> Any:
    return lambda root, info: fields.video_counter(root, name)


def _viewer_flag(name: str) -> Any:
    return lambda root, info: fields.video_viewer_flag(viewer_of(info), root, name)


class VideoType(graphene.ObjectType):
    class Meta:
        name = "Video"
        description = describe("Video")
        interfaces = (Node,)
        possible_types = (models.Video,)

    id = _video("id", graphene.ID, _global_id("Video"), required=True)
    caption = _video("caption", graphene.String, required=True)
    duration_seconds = _video("durationSeconds", graphene.Int, required=True)
    created_at = _video("createdAt", DateTime, required=True)
    owner = _video("owner", USER, required=True)
    like_count = _video("likeCount", graphene.Int, _counter("like_count"), required=True)
    comment_count = _video("commentCount", graphene.Int, _counter("comment_count"), required=True)
    share_count = _video("shareCount", graphene.Int, _counter("share_count"), required=True)
    view_count = _video("viewCount", graphene.Int, _counter("view_count"), required=True)
    allow_download = _video("allowDownload", graphene.Boolean, required=True)
    comments = _video(
        "comments",
        "engagement.api.graphene_types.CommentConnection",
        lambda root, info, first=None, after=None: fields.video_comments(
            viewer_of(info), root, first=first, after=after
        ),
        required=True,
        args=page_arguments(),
    )
    visibility = _video("visibility", VisibilityEnum)
    allow_comments = _video("allowComments", INTERACTION_AUDIENCE)
    allow_duet = _video("allowDuet", INTERACTION_AUDIENCE)
    allow_stitch = _video("allowStitch", INTERACTION_AUDIENCE)
    viewer_has_saved = _video("viewerHasSaved", graphene.Boolean, _viewer_flag("viewer_has_saved"))
    viewer_has_liked = _video("viewerHasLiked", graphene.Boolean, _viewer_flag("viewer_has_liked"))
    insights = _video("insights", VideoInsightsType, lambda root, info: fields.video_insights(viewer_of(info), root))


VideoConnection = connection_type("Video", VideoType)

_comment = fields_of("Comment")


class CommentType(graphene.ObjectType):
    class Meta:
        name = "Comment"
        description = describe("Comment")
        interfaces = (Node,)
        possible_types = (models.Comment,)

    id = _comment("id", graphene.ID, _global_id("Comment"), required=True)
    text = _comment("text", graphene.String, required=True)
    author = _comment("author", USER, required=True)
    created_at = _comment("createdAt", DateTime, required=True)


CommentConnection = connection_type("Comment", CommentType)

_collection = fields_of("FavoriteCollection")


class FavoriteCollectionType(graphene.ObjectType):
    class Meta:
        name = "FavoriteCollection"
        description = describe("FavoriteCollection")
        interfaces = (Node,)
        possible_types = (models.FavoriteCollection,)

    id = _collection("id", graphene.ID, _global_id("FavoriteCollection"), required=True)
    name = _collection("name", graphene.String, required=True)
    created_at = _collection("createdAt", DateTime, required=True)


FavoriteCollectionConnection = connection_type("FavoriteCollection", FavoriteCollectionType)

_favorite = fields_of("Favorite")


class FavoriteType(graphene.ObjectType):
    class Meta:
        name = "Favorite"
        description = describe("Favorite")
        interfaces = (Node,)
        possible_types = (models.Favorite,)

    id = _favorite("id", graphene.ID, _global_id("Favorite"), required=True)
    created_at = _favorite("createdAt", DateTime, required=True)
    collection = _favorite("collection", FavoriteCollectionType)
    is_available = _favorite(
        "isAvailable", graphene.Boolean, lambda root, info: fields.favorite_is_available(root), required=True
    )
    video = _favorite("video", VideoType, lambda root, info: fields.favorite_video(root))


FavoriteConnection = connection_type("Favorite", FavoriteType)

_notification = fields_of("Notification")


class NotificationType(graphene.ObjectType):
    class Meta:
        name = "Notification"
        description = describe("Notification")
        interfaces = (Node,)
        possible_types = (models.Notification,)

    id = _notification("id", graphene.ID, _global_id("Notification"), required=True)
    kind = _notification("kind", NotificationKindEnum, required=True)
    actor = _notification("actor", USER, required=True)
    is_read = _notification("isRead", graphene.Boolean, required=True)
    created_at = _notification("createdAt", DateTime, required=True)
    video = _notification("video", VideoType, lambda root, info: fields.notification_video(root))


NotificationConnection = connection_type("Notification", NotificationType)
