"""The engagement app's GraphQL types on graphene: the same contract as the strawberry types,
each resolver a one-line call into ``engagement.api.fields``."""

from typing import Any

import graphene

from backend.graphql.graphene_base import (
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


_insights = fields_of("VideoInsights")


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


_video = fields_of("Video")


def _comments(root: models.Video, info: Any, first: int | None = None, after: str | None = None) -> Any:
    return fields.video_comments(viewer_of(info), root, first=first, after=after)


def _counter(name: str) -> Any:
    return lambda root, info: fields.video_counter(root, name)


def _viewer_flag(name: str) -> Any:
    return lambda root, info: fields.video_viewer_flag(root, name)


class VideoType(graphene.ObjectType):
    class Meta:
        name = "Video"
        description = describe("Video")
        interfaces = (Node,)
        possible_types = (models.Video,)

    id = _video("id", graphene.ID, _global_id("Video"), required=True)
    caption = _video("caption", graphene.String, required=True)
    duration_seconds = _video("durationSeconds", graphene.Int, required=True)
    created_at = _video("createdAt", graphene.DateTime, required=True)
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
    created_at = _comment("createdAt", graphene.DateTime, required=True)


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
    created_at = _collection("createdAt", graphene.DateTime, required=True)


FavoriteCollectionConnection = connection_type("FavoriteCollection", FavoriteCollectionType)

_favorite = fields_of("Favorite")


class FavoriteType(graphene.ObjectType):
    class Meta:
        name = "Favorite"
        description = describe("Favorite")
        interfaces = (Node,)
        possible_types = (models.Favorite,)

    id = _favorite("id", graphene.ID, _global_id("Favorite"), required=True)
    created_at = _favorite("createdAt", graphene.DateTime, required=True)
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
    created_at = _notification("createdAt", graphene.DateTime, required=True)
    video = _notification("video", VideoType, lambda root, info: fields.notification_video(root))


NotificationConnection = connection_type("Notification", NotificationType)
