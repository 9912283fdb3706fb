"""Every write about videos and interactions: atomic, keyword-only, actor first.

Counters move in SQL (``engagement.counters.bump``) in the interaction's own transaction and
only when a row really changed, so a double tap or a retry never counts twice. Notifications follow
"Which interactions notify" (docs/ARCHITECTURE.md): saves, downloads, views and shares never notify anyone.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Expression, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Follow, FollowStatus, InteractionAudience, User
from accounts.policies import is_signed_in, visible_users
from accounts.selectors import require_signed_in, user_get_by_username
from accounts.viewers import Viewer
from engagement import counters, delegations, hashtags, live, policies, selectors
from engagement.models import (
    CAPTION_MAX_LENGTH,
    COLLECTION_NAME_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    MAX_DURATION_SECONDS,
    Comment,
    DeviceType,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    NotificationKind,
    ProcessingState,
    RemixKind,
    Share,
    ShareChannel,
    TrafficSource,
    Video,
    VideoCounters,
    View,
    Visibility,
)
from kernel import routers
from kernel.errors import InvalidInput, NotFound, PermissionDenied, Unavailable
from kernel.pagination import MAX_PAGE_SIZE
from kernel.validation import clean_choice, clean_range, clean_text

MENTION_PATTERN = re.compile(r"(?<![\w.])@([a-z0-9._]{2,30})", re.IGNORECASE)
MAX_MENTIONS_PER_COMMENT = 10
MAX_WATCHED_SECONDS = 6 * 60 * 60


# The preference (a ``User.notify_*`` flag) each kind of notification asks before it is written. A
# reply is a comment to its recipient; a follow request is a follow: switching follows off skips
# the notification only, and the request still waits in ``Me.followRequests``.
NOTIFICATION_PREFERENCES: dict[str, str] = {
    NotificationKind.LIKE: "notify_likes",
    NotificationKind.COMMENT: "notify_comments",
    NotificationKind.REPLY: "notify_comments",
    NotificationKind.FOLLOW: "notify_follows",
    NotificationKind.FOLLOW_REQUEST: "notify_follows",
    NotificationKind.MENTION: "notify_mentions",
    NotificationKind.DUET: "notify_duets",
    NotificationKind.STITCH: "notify_stitches",
}


def _notify(*, recipient: User, actor: User, kind: str, video: Video | None = None, **extra: object) -> None:
    """Notify ``recipient`` unless it is the actor themself or they switched this kind off; their
    open subscriptions hear of it once the transaction commits."""
    if recipient.pk != actor.pk and getattr(recipient, NOTIFICATION_PREFERENCES[kind]):
        notification = Notification.objects.create(recipient=recipient, actor=actor, kind=kind, video=video, **extra)
        live.notification_created(notification)


# Videos --------------------------------------------------------------------------------------


@transaction.atomic
def video_post(
    *,
    actor: Viewer,
    caption: str,
    visibility: str = Visibility.PUBLIC,
    duration_seconds: int,
    allow_download: bool | None = None,
    allow_comments: str | None = None,
    allow_duet: str | None = None,
    allow_stitch: str | None = None,
    remix_of_id: int | None = None,
    remix_kind: str | None = None,
) -> Video:
    """Post a video without a file (``engagement.media.uploads`` posts one with its file); unset
    allow-flags take the creator's defaults, and the caption's #tags are linked
    (``engagement.hashtags``). A duet or stitch needs the source's permission and notifies its
    owner."""
    me = require_signed_in(actor)
    video = _new_video(me, caption, visibility, allow_download, allow_comments, allow_duet, allow_stitch)
    video.duration_seconds = clean_range(
        duration_seconds, field="durationSeconds", minimum=1, maximum=MAX_DURATION_SECONDS
    )
    _remix(me, video, remix_of_id, remix_kind)
    _save_new(video)
    video_published(video)
    return selectors.video_get(viewer=me, video_id=video.pk)


@transaction.atomic
def video_draft(
    *,
    actor: Viewer,
    caption: str,
    visibility: str = Visibility.PUBLIC,
    allow_download: bool | None = None,
    allow_comments: str | None = None,
    allow_duet: str | None = None,
    allow_stitch: str | None = None,
    remix_of_id: int | None = None,
    remix_kind: str | None = None,
) -> Video:
    """A video whose file is still to come: its owner's alone (``ProcessingState``) until the
    worker has processed the file, when ``video_published`` announces it. Settings as ``video_post``."""
    me = require_signed_in(actor)
    video = _new_video(me, caption, visibility, allow_download, allow_comments, allow_duet, allow_stitch)
    video.duration_seconds, video.processing_state = 0, ProcessingState.AWAITING_UPLOAD
    _remix(me, video, remix_of_id, remix_kind)
    _save_new(video)
    return video


def _new_video(
    me: User,
    caption: str,
    visibility: str,
    allow_download: bool | None,
    allow_comments: str | None,
    allow_duet: str | None,
    allow_stitch: str | None,
) -> Video:
    return Video(
        owner=me,
        caption=clean_text(caption, field="caption", max_length=CAPTION_MAX_LENGTH, allow_empty=True),
        visibility=clean_choice(visibility, field="visibility", choices=Visibility),
        allow_download=me.default_allow_download if allow_download is None else allow_download,
        allow_comments=clean_choice(
            allow_comments or me.default_allow_comments, field="allowComments", choices=InteractionAudience
        ),
        allow_duet=clean_choice(allow_duet or me.default_allow_duet, field="allowDuet", choices=InteractionAudience),
        allow_stitch=clean_choice(
            allow_stitch or me.default_allow_stitch, field="allowStitch", choices=InteractionAudience
        ),
    )


def _remix(me: User, video: Video, remix_of_id: int | None, remix_kind: str | None) -> None:
    """Make ``video`` a duet or stitch of a video ``me`` sees, when its owner allows it."""
    if remix_of_id is None:
        return
    source = selectors.video_get(viewer=me, video_id=remix_of_id)
    kind = clean_choice(remix_kind or "", field="remixKind", choices=RemixKind)
    allowed = policies.can_duet if kind == RemixKind.DUET else policies.can_stitch
    if not allowed(me, source):
        raise PermissionDenied(f"The creator does not allow a {kind.lower()} of this video.")
    video.remix_of, video.remix_kind = source, kind


def _save_new(video: Video) -> None:
    video.save()
    VideoCounters.objects.create(video=video)
    hashtags.link_caption_hashtags([video])


def video_published(video: Video) -> None:
    """A video became visible to others: the owner of the video it duets or stitches hears of it."""
    if video.remix_of is not None:
        _notify(recipient=video.remix_of.owner, actor=video.owner, kind=video.remix_kind, video=video)


def _owned_video(me: User, video_id: int) -> Video:
    video = selectors.video_get(viewer=me, video_id=video_id)
    if not policies.can_manage_video(me, video):
        raise PermissionDenied("Only the video's owner can change it.")
    return video


@transaction.atomic
def video_update(
    *,
    actor: Viewer,
    video_id: int,
    caption: str | None = None,
    visibility: str | None = None,
    allow_download: bool | None = None,
    allow_comments: str | None = None,
    allow_duet: str | None = None,
    allow_stitch: str | None = None,
) -> Video:
    """Change what is given; a new caption relinks its #tags in the same transaction."""
    me = require_signed_in(actor)
    video = _owned_video(me, video_id)
    if caption is not None:
        video.caption = clean_text(caption, field="caption", max_length=CAPTION_MAX_LENGTH, allow_empty=True)
    if visibility is not None:
        chosen = clean_choice(visibility, field="visibility", choices=Visibility)
        if chosen != video.visibility:
            routers.visibility_changed_for_everyone()
        video.visibility = chosen
    if allow_download is not None:
        video.allow_download = allow_download
    for field, value in (
        ("allow_comments", allow_comments),
        ("allow_duet", allow_duet),
        ("allow_stitch", allow_stitch),
    ):
        if value is not None:
            setattr(video, field, clean_choice(value, field=field, choices=InteractionAudience))
    video.save()
    if caption is not None:
        hashtags.link_caption_hashtags([video])
    return video


@dataclass(frozen=True)
class Deletion:
    """A deleted video or comment, with what of its actor's own went with it: their favorite of
    the video, their newest notifications about it. The payload names them so that clients drop
    them too."""

    video_id: int
    favorite_id: int | None = None
    notification_ids: Sequence[int] = ()
    reply_to_id: int | None = None  # a deleted reply's top comment, whose replies changed


@transaction.atomic
def video_delete(*, actor: Viewer, video_id: int) -> Deletion:
    """Delete a video with its interactions."""
    me = require_signed_in(actor)
    video = _owned_video(me, video_id)
    favorite_id = policies.own_favorites(me, Favorite.objects.filter(video=video)).values_list("pk", flat=True).first()
    notification_ids = selectors.notification_ids_about(viewer=me, video_id=video.pk)
    live.unread_counts_changed(_unread_recipients(Notification.objects.filter(video=video)))
    Video.objects.filter(pk=video.pk).delete()
    routers.visibility_changed_for_everyone()
    return Deletion(video_id=video.pk, favorite_id=favorite_id, notification_ids=notification_ids)


# Favorites and collections (SELF) ------------------------------------------------------------


def _insert_or_lock(model: type[Favorite | Like], **values: Any) -> tuple[int, bool]:
    """The id of the (user, video) row and whether this call inserted it, else the row locked.
    The unique constraint decides, not an earlier read that a racing request of the same user
    can invalidate; the lock makes an unsave wait, so the call that commits last wins. The loop
    turns only when an unsave committed between the insert and the lock."""
    row = model(**values)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote('user_id')}, {quote('video_id')}) DO NOTHING RETURNING {quote(model._meta.pk.column)}"
    )
    params = [field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields]
    existing = model._default_manager.select_for_update(no_key=True).filter(user=row.user_id, video=row.video_id)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted = cursor.fetchone()
        if inserted is not None:
            return int(inserted[0]), True
        locked = existing.values_list("pk", flat=True).first()
        if locked is not None:
            return int(locked), False


@transaction.atomic
def favorite_add(*, actor: Viewer, video_id: int, collection_id: int | None = None) -> Favorite:
    """Save a video, silently: no notification, only the total moves. Saving twice is one save."""
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    collection = selectors.collection_get(viewer=me, collection_id=collection_id) if collection_id else None
    favorite_id, created = _insert_or_lock(Favorite, user=me, video=video, collection=collection)
    if created:
        counters.bump(video.pk, save_count=+1)
    return selectors.favorite_get(viewer=me, favorite_id=favorite_id)


@transaction.atomic
def favorite_remove(*, actor: Viewer, video_id: int) -> int | None:
    """Unsave; works on an unavailable favorite too. Returns the id of the favorite removed, if
    any. The row is locked as a delete would lock it, so a save in flight is waited for."""
    me = require_signed_in(actor)
    favorite_id = (
        policies.own_favorites(me, Favorite.objects.select_for_update().filter(video_id=video_id))
        .values_list("pk", flat=True)
        .first()
    )
    if favorite_id is not None:
        Favorite.objects.filter(pk=favorite_id).delete()
        counters.bump(video_id, save_count=-1)
        return favorite_id
    selectors.video_get(viewer=me, video_id=video_id)  # NotFound when missing or invisible.
    return None


def _collection_name(name: str) -> str:
    return clean_text(name, field="name", max_length=COLLECTION_NAME_MAX_LENGTH)


@transaction.atomic
def collection_create(*, actor: Viewer, name: str) -> FavoriteCollection:
    me = require_signed_in(actor)
    try:
        with transaction.atomic():
            return FavoriteCollection.objects.create(owner=me, name=_collection_name(name))
    except IntegrityError as error:
        raise InvalidInput("You already have a collection with that name.", field="name") from error


@transaction.atomic
def collection_rename(*, actor: Viewer, collection_id: int, name: str) -> FavoriteCollection:
    me = require_signed_in(actor)
    collection = selectors.collection_get(viewer=me, collection_id=collection_id)
    collection.name = _collection_name(name)
    try:
        with transaction.atomic():
            collection.save(update_fields=["name"])
    except IntegrityError as error:
        raise InvalidInput("You already have a collection with that name.", field="name") from error
    return collection


@transaction.atomic
def collection_delete(*, actor: Viewer, collection_id: int) -> list[int]:
    """Delete a collection; its favorites stay saved, outside any collection. Returns the ids of
    the newest of them, a page's worth at most, for the payload to show where they are now."""
    me = require_signed_in(actor)
    collection = selectors.collection_get(viewer=me, collection_id=collection_id)
    held = policies.own_favorites(me, Favorite.objects.filter(collection=collection)).order_by("-created_at", "-pk")
    favorite_ids = list(held.values_list("pk", flat=True)[:MAX_PAGE_SIZE])
    collection.delete()
    return favorite_ids


@transaction.atomic
def favorite_move(*, actor: Viewer, video_id: int, collection_id: int | None) -> Favorite:
    """Put a favorite in a collection, or take it out with ``collection_id=None``."""
    me = require_signed_in(actor)
    # Locked, so a racing unsave waits for the move instead of leaving it nothing to update.
    favorite = policies.own_favorites(
        me, Favorite.objects.select_for_update(no_key=True).filter(video_id=video_id)
    ).first()
    if favorite is None:
        raise NotFound("You have not saved that video.")
    favorite.collection = selectors.collection_get(viewer=me, collection_id=collection_id) if collection_id else None
    favorite.save(update_fields=["collection"])
    return selectors.favorite_get(viewer=me, favorite_id=favorite.pk)


# Likes, comments, shares, downloads, views ---------------------------------------------------


@transaction.atomic
def like_add(*, actor: Viewer, video_id: int) -> Video:
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    _, created = _insert_or_lock(Like, user=me, video=video)
    if created:
        counters.bump(video.pk, like_count=+1)
        _notify(recipient=video.owner, actor=me, kind=NotificationKind.LIKE, video=video)
    return selectors.video_get(viewer=me, video_id=video_id)


@transaction.atomic
def like_remove(*, actor: Viewer, video_id: int) -> Video | None:
    """Unlike; the liker's own row is theirs to remove even once the video is hidden from them
    (a block). Returns the video as the liker may see it now, or None."""
    me = require_signed_in(actor)
    deleted, _ = policies.own_likes(me, Like.objects.filter(video_id=video_id)).delete()
    if deleted:
        counters.bump(video_id, like_count=-1)
        return selectors.video_find(viewer=me, video_id=video_id)
    return selectors.video_get(viewer=me, video_id=video_id)  # NotFound when missing or invisible.


def _mentioned_usernames(text: str) -> list[str]:
    names = dict.fromkeys(match.lower() for match in MENTION_PATTERN.findall(text))
    return list(names)[:MAX_MENTIONS_PER_COMMENT]


@transaction.atomic
def comment_create(*, actor: Viewer, video_id: int, text: str, reply_to_id: int | None = None) -> Comment:
    """Comment where the creator allows it, or reply to a comment of the same video
    (``reply_to_id``). Threads are one level deep, as on TikTok and Instagram: a reply to a
    reply joins its thread, under the top comment. The author replied to is told (REPLY), the
    owner too (COMMENT) unless they are that author, and every mentioned user who can see the
    video and has no block with the author, either way (MENTION; "Blocks and mutes")."""
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    if not policies.can_comment(me, video):
        raise PermissionDenied("The creator has limited who can comment on this video.")
    replied = _comment_replied_to(me, video, reply_to_id) if reply_to_id is not None else None
    comment = Comment.objects.create(
        video=video,
        author=me,
        text=clean_text(text, field="text", max_length=COMMENT_MAX_LENGTH),
        reply_to_id=None if replied is None else replied.reply_to_id or replied.pk,
    )
    counters.bump(video.pk, comment_count=+1)
    if replied is not None:
        _notify(recipient=replied.author, actor=me, kind=NotificationKind.REPLY, video=video, comment=comment)
    if replied is None or replied.author_id != video.owner_id:
        _notify(recipient=video.owner, actor=me, kind=NotificationKind.COMMENT, video=video, comment=comment)
    for mentioned in visible_users(me, User.objects.filter(username__in=_mentioned_usernames(comment.text))):
        if policies.can_view_video(mentioned, video):
            _notify(recipient=mentioned, actor=me, kind=NotificationKind.MENTION, video=video, comment=comment)
    return comment


def _comment_replied_to(me: User, video: Video, comment_id: int) -> Comment:
    """The comment a reply answers: one the actor may read (``NotFound`` as for any other), of the
    video the reply is on."""
    replied = selectors.comment_get(viewer=me, comment_id=comment_id)
    if replied.video_id != video.pk:
        raise InvalidInput("replyToId must be a comment on the same video.", field="replyToId")
    return replied


@transaction.atomic
def comment_delete(*, actor: Viewer, comment_id: int) -> Deletion:
    me = require_signed_in(actor)
    locked = Comment.objects.select_for_update(of=("self",)).filter(pk=comment_id).select_related("video__owner")
    # The author reaches their own comment anywhere; anyone else only a comment they may read.
    comment = policies.own_comments(me, locked).first()
    if comment is None:
        comment = policies.visible_comments(me, locked).first()
        if comment is None or not policies.can_view_video(me, comment.video):
            raise NotFound("No comment with that id.")
    if not policies.can_delete_comment(me, comment):
        raise PermissionDenied("Only the author or the video's owner can delete a comment.")
    notification_ids = selectors.notification_ids_about(viewer=me, comment_id=comment.pk)
    # Its replies go with it (CASCADE), and the notifications about them: the total moves by every
    # comment row really deleted.
    about = Notification.objects.filter(Q(comment=comment) | Q(comment__reply_to=comment))
    live.unread_counts_changed(_unread_recipients(about))
    _, deleted = Comment.objects.filter(pk=comment.pk).delete()
    if deleted.get(Comment._meta.label):
        counters.bump(comment.video_id, comment_count=-deleted[Comment._meta.label])
    return Deletion(video_id=comment.video_id, notification_ids=notification_ids, reply_to_id=comment.reply_to_id)


@dataclass(frozen=True)
class PinChange:
    """What a pin or an unpin changed on a video: the comment pinned, the one unpinned (each None
    when there is none)."""

    video_id: int
    pinned_id: int | None
    unpinned_id: int | None


def _pinning(me: User, video: Video) -> None:
    """Refuse anyone but the owner, then hold the video's row: pins of one video happen one at a
    time, so the one-pin-per-video constraint never fails a second pin half way."""
    if not policies.can_pin_comments(me, video):
        raise PermissionDenied("Only the video's owner can pin or unpin its comments.")
    Video.objects.select_for_update(no_key=True).filter(pk=video.pk).values_list("pk").get()


def _unpin(video_id: int, *, keep: int | None = None) -> int | None:
    """Unpin the video's pinned comment (unless it is ``keep``); the id of the one unpinned."""
    pinned = Comment.objects.filter(video_id=video_id, pinned_at__isnull=False).values_list("pk", flat=True).first()
    if pinned is None or pinned == keep:
        return None
    Comment.objects.filter(pk=pinned).update(pinned_at=None)
    return pinned


@transaction.atomic
def comment_pin(*, actor: Viewer, comment_id: int) -> PinChange:
    """Pin a top comment on the owner's video, in place of the one pinned before. Pinning the
    pinned comment again changes nothing."""
    me = require_signed_in(actor)
    comment = selectors.comment_get(viewer=me, comment_id=comment_id)
    video = selectors.video_get(viewer=me, video_id=comment.video_id)
    _pinning(me, video)
    if comment.reply_to_id is not None:
        raise InvalidInput("Only a top comment can be pinned, not a reply.", field="commentId")
    unpinned = _unpin(video.pk, keep=comment.pk)
    Comment.objects.filter(pk=comment.pk, pinned_at__isnull=True).update(pinned_at=timezone.now())
    return PinChange(video_id=video.pk, pinned_id=comment.pk, unpinned_id=unpinned)


@transaction.atomic
def comment_unpin(*, actor: Viewer, comment_id: int) -> PinChange:
    """Unpin a comment of the owner's video; unpinning one that is not pinned changes nothing."""
    me = require_signed_in(actor)
    comment = selectors.comment_get(viewer=me, comment_id=comment_id)
    _pinning(me, selectors.video_get(viewer=me, video_id=comment.video_id))
    unpinned = Comment.objects.filter(pk=comment.pk, pinned_at__isnull=False).update(pinned_at=None)
    return PinChange(video_id=comment.video_id, pinned_id=None, unpinned_id=comment.pk if unpinned else None)


@transaction.atomic
def video_comment_unpin(*, actor: Viewer, video_id: int) -> PinChange:
    """Unpin whichever comment is pinned on the owner's video, also one the owner can no longer
    read (after blocking its author, say)."""
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    _pinning(me, video)
    return PinChange(video_id=video.pk, pinned_id=None, unpinned_id=_unpin(video.pk))


@transaction.atomic
def share_create(*, actor: Viewer, video_id: int, channel: str) -> Share:
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    share = Share.objects.create(
        user=me, video=video, channel=clean_choice(channel, field="channel", choices=ShareChannel)
    )
    counters.bump(video.pk, share_count=+1)
    return share


@transaction.atomic
def view_record(
    *,
    actor: Viewer,
    video_id: int,
    watched_seconds: int,
    traffic_source: str,
    watch_position: int | None = None,
    replayed: bool | None = None,
    device: str | None = None,
) -> View:
    """Record a playback (anonymous allowed). Never notifies; feeds totals and rollups.

    ``watch_position``: the furthest second of the video the playback reached (a client that
    does not say: as far as its seconds watched go); it is complete when that is the end.
    ``replayed``: it started the video again from the start. Each is checked before anything is
    written."""
    video = selectors.video_get(viewer=actor, video_id=video_id)
    if video.processing_state != ProcessingState.READY:  # its owner's draft: nothing to have played
        raise Unavailable("This video cannot be played yet: its file is not ready.")
    seconds = clean_range(watched_seconds, field="watchedSeconds", minimum=0, maximum=MAX_WATCHED_SECONDS)
    duration = video.duration_seconds
    if watch_position is None:
        watch_position = min(seconds, duration)
    position = clean_range(watch_position, field="watchPosition", minimum=0, maximum=duration)
    view = View.objects.create(
        video=video,
        viewer=actor if is_signed_in(actor) else None,
        watched_seconds=seconds,
        position_seconds=position,
        completed=position >= duration,
        replayed=bool(replayed),
        device=clean_choice(DeviceType.UNKNOWN if device is None else device, field="device", choices=DeviceType),
        traffic_source=clean_choice(traffic_source, field="trafficSource", choices=TrafficSource),
    )
    counters.bump(
        video.pk,
        view_count=+1,
        total_watch_seconds=seconds,
        completion_count=int(view.completed),
        reached_seconds=position,
        replay_count=int(view.replayed),
    )
    return view


# Notifications -------------------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, actor: Viewer, notification_ids: list[int] | None = None) -> int:
    """Mark the viewer's notifications read (all, or the given ones); returns how many changed."""
    me = require_signed_in(actor)
    qs = policies.own_notifications(me, Notification.objects.filter(is_read=False))
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    marked = qs.update(is_read=True)
    if marked:
        live.unread_counts_changed([me.pk])
    return marked


def _unread_recipients(notifications: QuerySet[Notification]) -> list[int]:
    """Whose unread count a deletion of these notifications lowers, for their live subscriptions."""
    return list(notifications.filter(is_read=False).values_list("recipient_id", flat=True).distinct())


# Erasure (the right to be forgotten, docs/PRIVACY.md) ------------------------------------------


def _subtract_from_counters(rows: QuerySet[Any], **totals: Expression) -> None:
    """Move counters down by what ``rows`` contributed to each video, in one UPDATE per call:
    ``counter = counter - (SELECT aggregate FROM rows WHERE video = this video)``."""
    per_video = rows.filter(video_id=OuterRef("video_id")).order_by().values("video_id")
    # Spilled slots first go into the totals rows, which then hold every step of these rows.
    counters.counters_fold(video_ids=set(rows.values_list("video_id", flat=True)))
    VideoCounters.objects.filter(video_id__in=rows.values("video_id")).update(
        **{
            counter: F(counter) - Subquery(per_video.annotate(total=aggregate).values("total"))
            for counter, aggregate in totals.items()
        }
    )


@transaction.atomic
def user_engagement_erase(*, user: User) -> None:
    """Erase everything ``user`` did and owns here: favorites, collections, likes, comments,
    shares, downloads, views, videos (with what others did on them), notifications and the
    delegations of their insights. Other people's totals move down in the same transaction, so
    every counter still equals its rows (``engagement.counters.counter_drift``).

    The caller holds ``user``'s row locked (``SELECT ... FOR UPDATE``): on PostgreSQL a concurrent
    interaction by this user takes a key-share lock on that row for its foreign key, so it either
    committed first (and is subtracted here) or waits and then fails, never slipping between the
    subtraction and the delete."""
    count = Count("pk")
    _subtract_from_counters(Favorite.objects.filter(user=user), save_count=count)
    _subtract_from_counters(Like.objects.filter(user=user), like_count=count)
    # The replies others made to the user's comments go with them (CASCADE), so they count too.
    _subtract_from_counters(Comment.objects.filter(Q(author=user) | Q(reply_to__author=user)), comment_count=count)
    _subtract_from_counters(Share.objects.filter(user=user), share_count=count)
    _subtract_from_counters(Download.objects.filter(user=user), download_count=count)
    _subtract_from_counters(
        View.objects.filter(viewer=user),
        view_count=count,
        total_watch_seconds=Sum("watched_seconds"),
        completion_count=Count("pk", filter=Q(completed=True)),
        reached_seconds=Sum("position_seconds"),
        replay_count=Count("pk", filter=Q(replayed=True)),
    )
    live.unread_counts_changed(_unread_recipients(Notification.objects.filter(actor=user).exclude(recipient=user)))
    for rows in (
        Favorite.objects.filter(user=user),
        FavoriteCollection.objects.filter(owner=user),
        Like.objects.filter(user=user),
        Comment.objects.filter(author=user),
        Share.objects.filter(user=user),
        Download.objects.filter(user=user),
        View.objects.filter(viewer=user),
        Notification.objects.filter(Q(recipient=user) | Q(actor=user)),
    ):
        rows.delete()
    # A remix outlives its source, detached: SET_NULL alone would break video_remix_kind_with_source.
    Video.objects.filter(remix_of__owner=user).update(remix_of=None, remix_kind="")
    delegations.insights_delegations_forget(user)
    Video.objects.filter(owner=user).delete()


# Insights delegation: an object permission -----------------------------------------------------


def _delegation_parties(me: User, username: str, video_id: int | None) -> tuple[User, Video | None]:
    grantee = user_get_by_username(viewer=me, username=username)
    if grantee.pk == me.pk:
        raise InvalidInput("You always see your own insights.", field="username")
    return grantee, (_owned_video(me, video_id) if video_id is not None else None)


@transaction.atomic
def insights_access_grant(*, actor: Viewer, username: str, video_id: int | None = None) -> tuple[User, Video | None]:
    """Let ``username`` read the insights of one of the actor's videos, or (no ``video_id``) of all
    of them, present and future. Granting twice is one grant."""
    me = require_signed_in(actor)
    grantee, video = _delegation_parties(me, username, video_id)
    if not policies.can_delegate_insights(me, me):
        raise PermissionDenied("Only an owner can share their insights.")
    delegations.insights_access_assign(owner=me, grantee=grantee, video=video)
    return grantee, video


@transaction.atomic
def insights_access_revoke(*, actor: Viewer, username: str, video_id: int | None = None) -> tuple[User, bool]:
    """Take back one video's grant, or (no ``video_id``) everything the actor gave ``username``;
    returns whether anything was taken back."""
    me = require_signed_in(actor)
    grantee, video = _delegation_parties(me, username, video_id)
    return grantee, delegations.insights_access_remove(owner=me, grantee=grantee, video=video)


# Follows (they notify) and account deletion (it erases engagement too) -------------------------


@transaction.atomic
def follow(*, actor: Viewer, username: str, source_video_id: int | None = None) -> Follow:
    """Follow someone; a private account gets a request instead. Following twice is one follow."""
    me = require_signed_in(actor)
    target = user_get_by_username(viewer=me, username=username)
    if target.pk == me.pk:
        raise InvalidInput("You cannot follow yourself.", field="username")
    if source_video_id is not None:  # the video the follow came from, for its insights
        source = selectors.video_get(viewer=me, video_id=source_video_id)
        if source.owner_id != target.pk:
            raise InvalidInput("sourceVideoId must be a video of the account followed.", field="sourceVideoId")
    status = FollowStatus.PENDING if target.is_private else FollowStatus.ACCEPTED
    edge, created = Follow.objects.get_or_create(
        follower=me, followee=target, defaults={"status": status, "source_video_id": source_video_id}
    )
    if not created:
        return edge
    routers.visibility_changed_for(me, target)
    if edge.status == FollowStatus.ACCEPTED:
        account_services.follow_counters_move(edge, +1)
    kind = NotificationKind.FOLLOW if edge.status == FollowStatus.ACCEPTED else NotificationKind.FOLLOW_REQUEST
    _notify(recipient=target, actor=me, kind=kind)
    return edge


@transaction.atomic
def user_delete_account(*, actor: Viewer, password: str) -> int:
    """Delete the actor's account and everything it holds, in one transaction that also moves
    other people's totals (saves, likes, comments, shares, downloads, views, watch time,
    completions, positions reached, replays, followers, following) down, so every counter still
    equals its rows. Returns the id the account had.

    The password is asked again: a session left open on a shared device must not be enough to
    erase someone. The row is locked first, so no interaction of theirs can land half-counted
    (see ``user_engagement_erase``)."""
    me = require_signed_in(actor)
    account = User.objects.select_for_update().get(pk=me.pk)
    if not account.check_password(password):
        raise InvalidInput("The password is not correct.", field="password")
    user_engagement_erase(user=account)
    account_services.follows_erase(account)
    User.objects.filter(pk=account.pk).delete()
    routers.visibility_changed_for_everyone()
    return me.pk
