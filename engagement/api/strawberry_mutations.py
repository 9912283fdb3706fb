"""The engagement app's mutations on strawberry: decode input, call a service, shape the payload."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from accounts.api.strawberry_types import InteractionAudienceEnum
from backend.graphql.ids import decode_id, global_id
from backend.graphql.strawberry_base import (
    MutationInput,
    input_field,
    mutation_field,
    payload_type,
    viewer_of,
)
from engagement import selectors, services
from engagement.api.strawberry_types import (
    CommentType,
    FavoriteCollectionType,
    FavoriteType,
    RemixKindEnum,
    ShareChannelEnum,
    TrafficSourceEnum,
    VideoType,
    VisibilityEnum,
)


def _value(member: Any) -> Any:
    """An enum member's value, or None when the client left the field out."""
    return None if member is None else member.value


def _video_id(value: strawberry.ID, field: str = "videoId") -> int:
    return decode_id(value, expected="Video", field=field)


def _collection_id(value: strawberry.ID | None) -> int | None:
    return decode_id(value, expected="FavoriteCollection", field="collectionId") if value else None


@strawberry.input(description="Input of `postVideo`.")
class PostVideoInput(MutationInput):
    caption: str = input_field("caption")
    visibility: VisibilityEnum = input_field("visibility")
    duration_seconds: int = input_field("durationSeconds")
    allow_download: bool | None = input_field("allowDownload", default=None)
    allow_comments: InteractionAudienceEnum | None = input_field("allowComments", default=None)
    allow_duet: InteractionAudienceEnum | None = input_field("allowDuet", default=None)
    allow_stitch: InteractionAudienceEnum | None = input_field("allowStitch", default=None)
    remix_of_id: strawberry.ID | None = input_field("remixOfId", default=None)
    remix_kind: RemixKindEnum | None = input_field("remixKind", default=None)


@strawberry.input(description="Input of `updateVideo`; omitted fields stay as they are.")
class UpdateVideoInput(MutationInput):
    video_id: strawberry.ID = input_field("videoId")
    caption: str | None = input_field("caption", default=None)
    visibility: VisibilityEnum | None = input_field("visibility", default=None)
    allow_download: bool | None = input_field("allowDownload", default=None)
    allow_comments: InteractionAudienceEnum | None = input_field("allowComments", default=None)
    allow_duet: InteractionAudienceEnum | None = input_field("allowDuet", default=None)
    allow_stitch: InteractionAudienceEnum | None = input_field("allowStitch", default=None)


@strawberry.input(description="Input naming one video.")
class VideoInput(MutationInput):
    video_id: strawberry.ID = input_field("videoId")


@strawberry.input(description="Input of `deleteVideo`.")
class DeleteVideoInput(VideoInput):
    pass


@strawberry.input(description="Input of `favoriteVideo`.")
class FavoriteVideoInput(VideoInput):
    collection_id: strawberry.ID | None = input_field("collectionId", default=None)


@strawberry.input(description="Input of `unfavoriteVideo`.")
class UnfavoriteVideoInput(VideoInput):
    pass


@strawberry.input(description="Input of `moveFavorite`.")
class MoveFavoriteInput(VideoInput):
    collection_id: strawberry.ID | None = input_field("collectionId", default=None)


@strawberry.input(description="Input of `likeVideo`.")
class LikeVideoInput(VideoInput):
    pass


@strawberry.input(description="Input of `unlikeVideo`.")
class UnlikeVideoInput(VideoInput):
    pass


@strawberry.input(description="Input of `downloadVideo`.")
class DownloadVideoInput(VideoInput):
    pass


@strawberry.input(description="Input of `commentOnVideo`.")
class CommentOnVideoInput(VideoInput):
    text: str = input_field("text")


@strawberry.input(description="Input of `deleteComment`.")
class DeleteCommentInput(MutationInput):
    comment_id: strawberry.ID = input_field("commentId")


@strawberry.input(description="Input of `shareVideo`.")
class ShareVideoInput(VideoInput):
    channel: ShareChannelEnum = input_field("channel")


@strawberry.input(description="Input of `recordView`.")
class RecordViewInput(VideoInput):
    watched_seconds: int = input_field("watchedSeconds")
    traffic_source: TrafficSourceEnum = input_field("trafficSource")


@strawberry.input(description="Input of `createCollection`.")
class CreateCollectionInput(MutationInput):
    name: str = input_field("name")


@strawberry.input(description="Input of `renameCollection`.")
class RenameCollectionInput(MutationInput):
    collection_id: strawberry.ID = input_field("collectionId")
    name: str = input_field("name")


@strawberry.input(description="Input of `deleteCollection`.")
class DeleteCollectionInput(MutationInput):
    collection_id: strawberry.ID = input_field("collectionId")


@strawberry.input(description="Input of `markNotificationsRead`.")
class MarkNotificationsReadInput(MutationInput):
    notification_ids: list[strawberry.ID] | None = input_field("notificationIds", default=None)


PostVideoPayload = payload_type("PostVideoPayload", video=("video", VideoType))
UpdateVideoPayload = payload_type("UpdateVideoPayload", video=("video", VideoType))
DeleteVideoPayload = payload_type("DeleteVideoPayload", deleted_video_id=("deletedVideoId", strawberry.ID))
FavoriteVideoPayload = payload_type("FavoriteVideoPayload", favorite=("favorite", FavoriteType))
UnfavoriteVideoPayload = payload_type("UnfavoriteVideoPayload", removed=("removed", bool))
CreateCollectionPayload = payload_type("CreateCollectionPayload", collection=("collection", FavoriteCollectionType))
RenameCollectionPayload = payload_type("RenameCollectionPayload", collection=("collection", FavoriteCollectionType))
DeleteCollectionPayload = payload_type(
    "DeleteCollectionPayload", deleted_collection_id=("deletedCollectionId", strawberry.ID)
)
MoveFavoritePayload = payload_type("MoveFavoritePayload", favorite=("favorite", FavoriteType))
LikeVideoPayload = payload_type("LikeVideoPayload", video=("video", VideoType))
UnlikeVideoPayload = payload_type("UnlikeVideoPayload", video=("video", VideoType))
CommentOnVideoPayload = payload_type("CommentOnVideoPayload", comment=("comment", CommentType))
DeleteCommentPayload = payload_type("DeleteCommentPayload", deleted_comment_id=("deletedCommentId", strawberry.ID))
ShareVideoPayload = payload_type("ShareVideoPayload", video=("video", VideoType))
DownloadVideoPayload = payload_type("DownloadVideoPayload", url=("url", str), expires_at=("expiresAt", datetime))
RecordViewPayload = payload_type("RecordViewPayload", video=("video", VideoType))
MarkNotificationsReadPayload = payload_type(
    "MarkNotificationsReadPayload",
    marked_count=("markedCount", int),
    unread_notification_count=("unreadNotificationCount", int),
)


@strawberry.type
class EngagementMutation:
    @mutation_field("postVideo")
    def post_video(self, info: Info, input: PostVideoInput) -> PostVideoPayload | None:
        video = services.video_post(
            actor=viewer_of(info),
            caption=input.caption,
            visibility=input.visibility.value,
            duration_seconds=input.duration_seconds,
            allow_download=input.allow_download,
            allow_comments=_value(input.allow_comments),
            allow_duet=_value(input.allow_duet),
            allow_stitch=_value(input.allow_stitch),
            remix_of_id=_video_id(input.remix_of_id, "remixOfId") if input.remix_of_id else None,
            remix_kind=_value(input.remix_kind),
        )
        return PostVideoPayload(client_mutation_id=input.client_mutation_id, video=video)

    @mutation_field("updateVideo")
    def update_video(self, info: Info, input: UpdateVideoInput) -> UpdateVideoPayload | None:
        video = services.video_update(
            actor=viewer_of(info),
            video_id=_video_id(input.video_id),
            caption=input.caption,
            visibility=_value(input.visibility),
            allow_download=input.allow_download,
            allow_comments=_value(input.allow_comments),
            allow_duet=_value(input.allow_duet),
            allow_stitch=_value(input.allow_stitch),
        )
        return UpdateVideoPayload(client_mutation_id=input.client_mutation_id, video=video)

    @mutation_field("deleteVideo")
    def delete_video(self, info: Info, input: DeleteVideoInput) -> DeleteVideoPayload | None:
        pk = services.video_delete(actor=viewer_of(info), video_id=_video_id(input.video_id))
        return DeleteVideoPayload(client_mutation_id=input.client_mutation_id, deleted_video_id=global_id("Video", pk))

    @mutation_field("favoriteVideo")
    def favorite_video(self, info: Info, input: FavoriteVideoInput) -> FavoriteVideoPayload | None:
        favorite = services.favorite_add(
            actor=viewer_of(info), video_id=_video_id(input.video_id), collection_id=_collection_id(input.collection_id)
        )
        return FavoriteVideoPayload(client_mutation_id=input.client_mutation_id, favorite=favorite)

    @mutation_field("unfavoriteVideo")
    def unfavorite_video(self, info: Info, input: UnfavoriteVideoInput) -> UnfavoriteVideoPayload | None:
        removed = services.favorite_remove(actor=viewer_of(info), video_id=_video_id(input.video_id))
        return UnfavoriteVideoPayload(client_mutation_id=input.client_mutation_id, removed=removed)

    @mutation_field("createCollection")
    def create_collection(self, info: Info, input: CreateCollectionInput) -> CreateCollectionPayload | None:
        collection = services.collection_create(actor=viewer_of(info), name=input.name)
        return CreateCollectionPayload(client_mutation_id=input.client_mutation_id, collection=collection)

    @mutation_field("renameCollection")
    def rename_collection(self, info: Info, input: RenameCollectionInput) -> RenameCollectionPayload | None:
        collection = services.collection_rename(
            actor=viewer_of(info), collection_id=_collection_id(input.collection_id) or 0, name=input.name
        )
        return RenameCollectionPayload(client_mutation_id=input.client_mutation_id, collection=collection)

    @mutation_field("deleteCollection")
    def delete_collection(self, info: Info, input: DeleteCollectionInput) -> DeleteCollectionPayload | None:
        pk = services.collection_delete(actor=viewer_of(info), collection_id=_collection_id(input.collection_id) or 0)
        return DeleteCollectionPayload(
            client_mutation_id=input.client_mutation_id, deleted_collection_id=global_id("FavoriteCollection", pk)
        )

    @mutation_field("moveFavorite")
    def move_favorite(self, info: Info, input: MoveFavoriteInput) -> MoveFavoritePayload | None:
        favorite = services.favorite_move(
            actor=viewer_of(info), video_id=_video_id(input.video_id), collection_id=_collection_id(input.collection_id)
        )
        return MoveFavoritePayload(client_mutation_id=input.client_mutation_id, favorite=favorite)

    @mutation_field("likeVideo")
    def like_video(self, info: Info, input: LikeVideoInput) -> LikeVideoPayload | None:
        video = services.like_add(actor=viewer_of(info), video_id=_video_id(input.video_id))
        return LikeVideoPayload(client_mutation_id=input.client_mutation_id, video=video)

    @mutation_field("unlikeVideo")
    def unlike_video(self, info: Info, input: UnlikeVideoInput) -> UnlikeVideoPayload | None:
        video = services.like_remove(actor=viewer_of(info), video_id=_video_id(input.video_id))
        return UnlikeVideoPayload(client_mutation_id=input.client_mutation_id, video=video)

    @mutation_field("commentOnVideo")
    def comment_on_video(self, info: Info, input: CommentOnVideoInput) -> CommentOnVideoPayload | None:
        comment = services.comment_create(actor=viewer_of(info), video_id=_video_id(input.video_id), text=input.text)
        return CommentOnVideoPayload(client_mutation_id=input.client_mutation_id, comment=comment)

    @mutation_field("deleteComment")
    def delete_comment(self, info: Info, input: DeleteCommentInput) -> DeleteCommentPayload | None:
        comment_id = decode_id(input.comment_id, expected="Comment", field="commentId")
        pk = services.comment_delete(actor=viewer_of(info), comment_id=comment_id)
        return DeleteCommentPayload(
            client_mutation_id=input.client_mutation_id, deleted_comment_id=global_id("Comment", pk)
        )

    @mutation_field("shareVideo")
    def share_video(self, info: Info, input: ShareVideoInput) -> ShareVideoPayload | None:
        viewer, video_id = viewer_of(info), _video_id(input.video_id)
        services.share_create(actor=viewer, video_id=video_id, channel=input.channel.value)
        video = selectors.video_get(viewer=viewer, video_id=video_id)
        return ShareVideoPayload(client_mutation_id=input.client_mutation_id, video=video)

    @mutation_field("downloadVideo")
    def download_video(self, info: Info, input: DownloadVideoInput) -> DownloadVideoPayload | None:
        grant = services.download_create(actor=viewer_of(info), video_id=_video_id(input.video_id))
        url = info.context.request.build_absolute_uri(grant.url)
        return DownloadVideoPayload(client_mutation_id=input.client_mutation_id, url=url, expires_at=grant.expires_at)

    @mutation_field("recordView")
    def record_view(self, info: Info, input: RecordViewInput) -> RecordViewPayload | None:
        viewer, video_id = viewer_of(info), _video_id(input.video_id)
        services.view_record(
            actor=viewer,
            video_id=video_id,
            watched_seconds=input.watched_seconds,
            traffic_source=input.traffic_source.value,
        )
        video = selectors.video_get(viewer=viewer, video_id=video_id)
        return RecordViewPayload(client_mutation_id=input.client_mutation_id, video=video)

    @mutation_field("markNotificationsRead")
    def mark_notifications_read(
        self, info: Info, input: MarkNotificationsReadInput
    ) -> MarkNotificationsReadPayload | None:
        ids = None
        if input.notification_ids is not None:
            ids = [
                decode_id(value, expected="Notification", field="notificationIds") for value in input.notification_ids
            ]
        viewer = viewer_of(info)
        marked = services.notifications_mark_read(actor=viewer, notification_ids=ids)
        return MarkNotificationsReadPayload(
            client_mutation_id=input.client_mutation_id,
            marked_count=marked,
            unread_notification_count=selectors.unread_notification_count(viewer=viewer),
        )
