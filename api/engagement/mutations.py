"""The engagement app's mutations, engine-neutral: decode global IDs, call a service, return the
payload's fields. Both engines run these through ``api.mutations``."""

from datetime import date
from typing import Any

from django.http import HttpRequest

from accounts.selectors import me_get
from api.engagement import resolvers
from api.mutations import mutation
from engagement import selectors, services
from engagement.analytics import exports
from engagement.analytics.models import ExportFormat
from engagement.media import downloads, uploads
from kernel.errors import InvalidInput
from kernel.ids import decode_id, global_id


def _video(value: str, field: str = "videoId") -> int:
    return decode_id(value, expected="Video", field=field)


def _collection(value: str | None) -> int | None:
    return decode_id(value, expected="FavoriteCollection", field="collectionId") if value else None


def _favorite_id(pk: int | None) -> str | None:
    return global_id("Favorite", pk) if pk is not None else None


def _notifications_gone(deletion: services.Deletion, request: HttpRequest) -> dict[str, Any]:
    """The actor's notifications a delete took with it, for clients to drop, and the actor after
    it: their unread count no longer counts those."""
    return {
        "deleted_notification_ids": [global_id("Notification", pk) for pk in deletion.notification_ids],
        "me": me_get(viewer=request.user),
    }


_UPLOAD_PAYLOAD = {
    "video": "Video!",
    "uploadUrl": "String!",
    "uploadExpiresAt": "DateTime!",
    "maxBytes": "Int!",
    "contentTypes": "[String!]!",
}


def _upload(request: HttpRequest, ticket: uploads.UploadTicket) -> dict[str, Any]:
    return {
        "video": ticket.video,
        "upload_url": request.build_absolute_uri(ticket.url),
        "upload_expires_at": ticket.expires_at,
        "max_bytes": ticket.max_bytes,
        "content_types": list(ticket.content_types),
    }


_VIDEO_SETTINGS = {
    "allowDownload": "Boolean",
    "allowComments": "InteractionAudience",
    "allowDuet": "InteractionAudience",
    "allowStitch": "InteractionAudience",
}


@mutation(
    "postVideo",
    inputs={
        "caption": "String!",
        "visibility": "Visibility!",
        "durationSeconds": "Int!",
        **_VIDEO_SETTINGS,
        "remixOfId": "ID",
        "remixKind": "RemixKind",
    },
    payload={"video": "Video!"},
)
def post_video(*, request: HttpRequest, remix_of_id: str | None = None, **fields: Any) -> dict[str, Any]:
    remix_source = _video(remix_of_id, "remixOfId") if remix_of_id else None
    return {"video": services.video_post(actor=request.user, remix_of_id=remix_source, **fields)}


@mutation(
    "startVideoUpload",
    inputs={
        "caption": "String!",
        "visibility": "Visibility!",
        "contentType": "String!",
        "sizeBytes": "Int!",
        **_VIDEO_SETTINGS,
        "remixOfId": "ID",
        "remixKind": "RemixKind",
    },
    payload=_UPLOAD_PAYLOAD,
)
def start_video_upload(*, request: HttpRequest, remix_of_id: str | None = None, **fields: Any) -> dict[str, Any]:
    remix_source = _video(remix_of_id, "remixOfId") if remix_of_id else None
    return _upload(request, uploads.upload_start(actor=request.user, remix_of_id=remix_source, **fields))


@mutation("restartVideoUpload", inputs={"videoId": "ID!"}, payload=_UPLOAD_PAYLOAD)
def restart_video_upload(*, request: HttpRequest, video_id: str) -> dict[str, Any]:
    return _upload(request, uploads.upload_restart(actor=request.user, video_id=_video(video_id)))


@mutation(
    "updateVideo",
    inputs={"videoId": "ID!", "caption": "String", "visibility": "Visibility", **_VIDEO_SETTINGS},
    payload={"video": "Video!"},
)
def update_video(*, request: HttpRequest, video_id: str, **fields: Any) -> dict[str, Any]:
    return {"video": services.video_update(actor=request.user, video_id=_video(video_id), **fields)}


@mutation(
    "deleteVideo",
    inputs={"videoId": "ID!"},
    payload={"deletedVideoId": "ID!", "removedFavoriteId": "ID", "deletedNotificationIds": "[ID!]", "me": "Me"},
)
def delete_video(*, request: HttpRequest, video_id: str) -> dict[str, Any]:
    deletion = services.video_delete(actor=request.user, video_id=_video(video_id))
    return {
        "deleted_video_id": global_id("Video", deletion.video_id),
        "removed_favorite_id": _favorite_id(deletion.favorite_id),
        **_notifications_gone(deletion, request),
    }


@mutation(
    "favoriteVideo",
    inputs={"videoId": "ID!", "collectionId": "ID"},
    payload={"favorite": "Favorite!", "video": "Video"},
)
def favorite_video(*, request: HttpRequest, video_id: str, collection_id: str | None = None) -> dict[str, Any]:
    favorite = services.favorite_add(
        actor=request.user, video_id=_video(video_id), collection_id=_collection(collection_id)
    )
    return {"favorite": favorite, "video": resolvers.favorite_video(favorite)}


@mutation(
    "unfavoriteVideo",
    inputs={"videoId": "ID!"},
    payload={"removed": "Boolean!", "removedFavoriteId": "ID", "video": "Video"},
)
def unfavorite_video(*, request: HttpRequest, video_id: str) -> dict[str, Any]:
    pk = _video(video_id)
    favorite_id = services.favorite_remove(actor=request.user, video_id=pk)
    return {
        "removed": favorite_id is not None,
        "removed_favorite_id": _favorite_id(favorite_id),
        "video": selectors.video_find(viewer=request.user, video_id=pk),
    }


@mutation("createCollection", inputs={"name": "String!"}, payload={"collection": "FavoriteCollection!"})
def create_collection(*, request: HttpRequest, name: str) -> dict[str, Any]:
    return {"collection": services.collection_create(actor=request.user, name=name)}


@mutation(
    "renameCollection",
    inputs={"collectionId": "ID!", "name": "String!"},
    payload={"collection": "FavoriteCollection!"},
)
def rename_collection(*, request: HttpRequest, collection_id: str, name: str) -> dict[str, Any]:
    pk = _collection(collection_id) or 0
    return {"collection": services.collection_rename(actor=request.user, collection_id=pk, name=name)}


@mutation(
    "deleteCollection",
    inputs={"collectionId": "ID!"},
    payload={"deletedCollectionId": "ID!", "favorites": "[Favorite!]"},
)
def delete_collection(*, request: HttpRequest, collection_id: str) -> dict[str, Any]:
    pk = _collection(collection_id) or 0
    moved = services.collection_delete(actor=request.user, collection_id=pk)
    return {
        "deleted_collection_id": global_id("FavoriteCollection", pk),
        "favorites": selectors.favorites_by_ids(viewer=request.user, favorite_ids=moved),
    }


@mutation("moveFavorite", inputs={"videoId": "ID!", "collectionId": "ID"}, payload={"favorite": "Favorite!"})
def move_favorite(*, request: HttpRequest, video_id: str, collection_id: str | None = None) -> dict[str, Any]:
    favorite = services.favorite_move(
        actor=request.user, video_id=_video(video_id), collection_id=_collection(collection_id)
    )
    return {"favorite": favorite}


@mutation("likeVideo", inputs={"videoId": "ID!"}, payload={"video": "Video!"})
def like_video(*, request: HttpRequest, video_id: str) -> dict[str, Any]:
    return {"video": services.like_add(actor=request.user, video_id=_video(video_id))}


@mutation("unlikeVideo", inputs={"videoId": "ID!"}, payload={"video": "Video"})
def unlike_video(*, request: HttpRequest, video_id: str) -> dict[str, Any]:
    return {"video": services.like_remove(actor=request.user, video_id=_video(video_id))}


def _comment(value: str, field: str = "commentId") -> int:
    return decode_id(value, expected="Comment", field=field)


@mutation(
    "commentOnVideo",
    inputs={"videoId": "ID!", "text": "String!", "replyToId": "ID"},
    payload={"comment": "Comment!", "video": "Video"},
)
def comment_on_video(
    *, request: HttpRequest, video_id: str, text: str, reply_to_id: str | None = None
) -> dict[str, Any]:
    pk = _video(video_id)
    replied = _comment(reply_to_id, "replyToId") if reply_to_id else None
    comment = services.comment_create(actor=request.user, video_id=pk, text=text, reply_to_id=replied)
    return {"comment": comment, "video": selectors.video_find(viewer=request.user, video_id=pk)}


@mutation(
    "deleteComment",
    inputs={"commentId": "ID!"},
    payload={
        "deletedCommentId": "ID!",
        "video": "Video",
        "replyTo": "Comment",
        "deletedNotificationIds": "[ID!]",
        "me": "Me",
    },
)
def delete_comment(*, request: HttpRequest, comment_id: str) -> dict[str, Any]:
    pk = _comment(comment_id)
    deletion = services.comment_delete(actor=request.user, comment_id=pk)
    parent = deletion.reply_to_id
    return {
        "deleted_comment_id": global_id("Comment", pk),
        "video": selectors.video_find(viewer=request.user, video_id=deletion.video_id),
        "reply_to": selectors.comment_find(viewer=request.user, comment_id=parent) if parent else None,
        **_notifications_gone(deletion, request),
    }


def _comment_as_seen(request: HttpRequest, pk: int | None) -> Any:
    return selectors.comment_find(viewer=request.user, comment_id=pk) if pk is not None else None


@mutation(
    "pinComment",
    inputs={"commentId": "ID!"},
    payload={"comment": "Comment!", "unpinnedComment": "Comment", "video": "Video"},
)
def pin_comment(*, request: HttpRequest, comment_id: str) -> dict[str, Any]:
    change = services.comment_pin(actor=request.user, comment_id=_comment(comment_id))
    return {
        "comment": _comment_as_seen(request, change.pinned_id),
        "unpinned_comment": _comment_as_seen(request, change.unpinned_id),
        "video": selectors.video_find(viewer=request.user, video_id=change.video_id),
    }


@mutation(
    "unpinComment",
    inputs={"commentId": "ID", "videoId": "ID"},
    payload={"unpinnedComment": "Comment", "video": "Video"},
)
def unpin_comment(
    *, request: HttpRequest, comment_id: str | None = None, video_id: str | None = None
) -> dict[str, Any]:
    if comment_id is not None and video_id is None:
        change = services.comment_unpin(actor=request.user, comment_id=_comment(comment_id))
    elif video_id is not None and comment_id is None:
        change = services.video_comment_unpin(actor=request.user, video_id=_video(video_id))
    else:
        raise InvalidInput("Give one of commentId and videoId.", field="commentId")
    return {
        "unpinned_comment": _comment_as_seen(request, change.unpinned_id),
        "video": selectors.video_find(viewer=request.user, video_id=change.video_id),
    }


@mutation("shareVideo", inputs={"videoId": "ID!", "channel": "ShareChannel!"}, payload={"video": "Video!"})
def share_video(*, request: HttpRequest, video_id: str, channel: str) -> dict[str, Any]:
    pk = _video(video_id)
    services.share_create(actor=request.user, video_id=pk, channel=channel)
    return {"video": selectors.video_get(viewer=request.user, video_id=pk)}


@mutation(
    "downloadVideo",
    inputs={"videoId": "ID!"},
    payload={"url": "String!", "expiresAt": "DateTime!", "video": "Video"},
)
def download_video(*, request: HttpRequest, video_id: str) -> dict[str, Any]:
    pk = _video(video_id)
    grant = downloads.download_create(actor=request.user, video_id=pk)
    return {
        "url": request.build_absolute_uri(grant.url),
        "expires_at": grant.expires_at,
        "video": selectors.video_find(viewer=request.user, video_id=pk),
    }


@mutation(
    "recordView",
    inputs={
        "videoId": "ID!",
        "watchedSeconds": "Int!",
        "trafficSource": "TrafficSource!",
        "watchPosition": "Int",
        "replayed": "Boolean",
        "device": "DeviceType",
    },
    payload={"video": "Video!"},
)
def record_view(*, request: HttpRequest, video_id: str, **playback: Any) -> dict[str, Any]:
    pk = _video(video_id)
    services.view_record(actor=request.user, video_id=pk, **playback)
    return {"video": selectors.video_get(viewer=request.user, video_id=pk)}


@mutation(
    "markNotificationsRead",
    inputs={"notificationIds": "[ID!]"},
    payload={"markedCount": "Int!", "unreadNotificationCount": "Int!", "notifications": "[Notification!]", "me": "Me"},
)
def mark_notifications_read(*, request: HttpRequest, notification_ids: list[str] | None = None) -> dict[str, Any]:
    ids = None
    if notification_ids is not None:
        ids = [decode_id(value, expected="Notification", field="notificationIds") for value in notification_ids]
    marked = services.notifications_mark_read(actor=request.user, notification_ids=ids)
    return {
        "marked_count": marked,
        "unread_notification_count": selectors.unread_notification_count(viewer=request.user),
        "notifications": selectors.notifications_latest(viewer=request.user, notification_ids=ids),
        "me": me_get(viewer=request.user),
    }


@mutation(
    "grantInsightsAccess",
    inputs={"username": "String!", "videoId": "ID"},
    payload={"grantee": "User!", "video": "Video"},
)
def grant_insights_access(*, request: HttpRequest, username: str, video_id: str | None = None) -> dict[str, Any]:
    grantee, video = services.insights_access_grant(
        actor=request.user, username=username, video_id=_video(video_id) if video_id else None
    )
    return {"grantee": grantee, "video": video}


@mutation(
    "revokeInsightsAccess",
    inputs={"username": "String!", "videoId": "ID"},
    payload={"grantee": "User!", "revoked": "Boolean!"},
)
def revoke_insights_access(*, request: HttpRequest, username: str, video_id: str | None = None) -> dict[str, Any]:
    grantee, revoked = services.insights_access_revoke(
        actor=request.user, username=username, video_id=_video(video_id) if video_id else None
    )
    return {"grantee": grantee, "revoked": revoked}


@mutation(
    "exportInsights",
    inputs={"from": "Date!", "to": "Date!", "format": "InsightsExportFormat"},
    payload={"export": "InsightsExport"},
)
def export_insights(*, request: HttpRequest, first: date, last: date, format: str | None = None) -> dict[str, Any]:
    export = exports.export_request(actor=request.user, first=first, last=last, format=format or ExportFormat.CSV)
    return {"export": export}
