"""Reads about videos and interactions. Keyword-only, viewer first, always through a policy scope.

Video querysets carry the viewer's own flags (has saved, has liked) as SQL annotations, so a page
of videos costs one query whatever its size.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from accounts.policies import Viewer, is_signed_in
from accounts.selectors import require_signed_in
from backend.errors import NotFound, PermissionDenied
from backend.pagination import Page, keyset_page
from engagement import policies
from engagement.models import Comment, Favorite, FavoriteCollection, Like, Notification, Video, VideoCounters


def _with_viewer_flags(viewer: Viewer, qs: QuerySet[Video]) -> QuerySet[Video]:
    qs = qs.select_related("owner", "counters")
    if not is_signed_in(viewer):
        return qs
    return qs.annotate(
        viewer_has_saved=Exists(Favorite.objects.filter(user_id=viewer.pk, video_id=OuterRef("pk"))),
        viewer_has_liked=Exists(Like.objects.filter(user_id=viewer.pk, video_id=OuterRef("pk"))),
    )


def visible_videos(*, viewer: Viewer) -> QuerySet[Video]:
    """Every video the viewer may see, with owner, counters and the viewer's flags."""
    return _with_viewer_flags(viewer, policies.visible_videos(viewer, Video.objects.all()))


def video_get(*, viewer: Viewer, video_id: int) -> Video:
    """A visible video, or ``NotFound`` whether it is missing or hidden (rule 7)."""
    video = visible_videos(viewer=viewer).filter(pk=video_id).first()
    if video is None:
        raise NotFound("No video with that id.")
    return video


def videos_by_ids(*, viewer: Viewer, video_ids: list[int]) -> dict[int, Video]:
    """Batch read for dataloaders and node lookups."""
    return {video.pk: video for video in visible_videos(viewer=viewer).filter(pk__in=video_ids)}


def user_videos_page(*, viewer: Viewer, owner: User, first: int | None, after: str | None) -> Page[Video]:
    """The owner's videos that the viewer may see (all of them when the viewer is the owner)."""
    return keyset_page(visible_videos(viewer=viewer).filter(owner=owner), first=first, after=after)


def _own_favorites(me: User) -> QuerySet[Favorite]:
    """The viewer's favorites, each with ``is_available``: whether the saver may still see the
    video (rule 4). An unavailable one keeps its place in the list without its content."""
    return (
        policies.own_favorites(me, Favorite.objects.all())
        .select_related("video__owner", "video__counters", "collection")
        .annotate(
            is_available=Exists(policies.visible_videos(me, Video.objects.filter(pk=OuterRef("video_id")))),
            viewer_has_saved=Exists(Favorite.objects.filter(user_id=me.pk, video_id=OuterRef("video_id"))),
            viewer_has_liked=Exists(Like.objects.filter(user_id=me.pk, video_id=OuterRef("video_id"))),
        )
    )


def _copy_viewer_flags(favorites: list[Favorite]) -> None:
    """Put the viewer's flags on each video so video fields read them without a query."""
    for favorite in favorites:
        favorite.video.viewer_has_saved = favorite.viewer_has_saved  # type: ignore[attr-defined]
        favorite.video.viewer_has_liked = favorite.viewer_has_liked  # type: ignore[attr-defined]


def favorites_page(
    *, viewer: Viewer, first: int | None, after: str | None, collection_id: int | None = None
) -> Page[Favorite]:
    """The viewer's own favorites, newest first, optionally those of one of their collections."""
    me = require_signed_in(viewer)
    qs = _own_favorites(me)
    if collection_id is not None:
        qs = qs.filter(collection=collection_get(viewer=me, collection_id=collection_id))
    page: Page[Favorite] = keyset_page(qs, first=first, after=after)
    _copy_viewer_flags(page.items)
    return page


def favorite_get(*, viewer: Viewer, favorite_id: int | None = None, video_id: int | None = None) -> Favorite:
    """One of the viewer's favorites, by its id or by its video's id."""
    if not is_signed_in(viewer):
        raise NotFound("No favorite with that id.")
    lookup = {"pk": favorite_id} if favorite_id is not None else {"video_id": video_id}
    favorite = _own_favorites(viewer).filter(**lookup).first()
    if favorite is None:
        raise NotFound("No favorite with that id.")
    _copy_viewer_flags([favorite])
    return favorite


def favorite_is_available(favorite: Favorite) -> bool:
    return bool(getattr(favorite, "is_available", False))


def collections_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[FavoriteCollection]:
    me = require_signed_in(viewer)
    return keyset_page(policies.own_collections(me, FavoriteCollection.objects.all()), first=first, after=after)


def collection_get(*, viewer: Viewer, collection_id: int) -> FavoriteCollection:
    collection = policies.own_collections(viewer, FavoriteCollection.objects.filter(pk=collection_id)).first()
    if collection is None:
        raise NotFound("No collection with that id.")
    return collection


def liked_videos_page(*, viewer: Viewer, user: User, first: int | None, after: str | None) -> Page[Like]:
    """``user``'s likes as the viewer may see them; raises when the user keeps them private."""
    if not policies.can_see_liked_videos(viewer, user):
        raise PermissionDenied("This user's liked videos are private.")
    likes = policies.liked_videos_of(viewer, user, Like.objects.all())
    page = keyset_page(likes, first=first, after=after)
    videos = videos_by_ids(viewer=viewer, video_ids=[like.video_id for like in page.items])
    for like in page.items:
        like.video = videos[like.video_id]
    return page


def comments_page(*, viewer: Viewer, video: Video, first: int | None, after: str | None) -> Page[Comment]:
    """Comments are as visible as their video; the caller has already resolved a visible video."""
    comments = Comment.objects.filter(video_id=video.pk, author__is_active=True).select_related("author")
    return keyset_page(comments, first=first, after=after)


def notifications_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Notification]:
    me = require_signed_in(viewer)
    qs = _with_video_visibility(me, policies.own_notifications(me, Notification.objects.all()))
    return keyset_page(qs, first=first, after=after)


def _with_video_visibility(viewer: Viewer, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """A notification's video is shown only while the viewer may still see it."""
    visible = policies.visible_videos(viewer, Video.objects.filter(pk=OuterRef("video_id")))
    return qs.select_related("actor", "video__owner", "video__counters").annotate(video_is_visible=Exists(visible))


def unread_notification_count(*, viewer: Viewer) -> int:
    me = require_signed_in(viewer)
    return policies.own_notifications(me, Notification.objects.filter(is_read=False)).count()


@dataclass(frozen=True)
class InsightTotals:
    """Aggregate totals of one video: numbers only, never rows or identities."""

    save_count: int
    like_count: int
    comment_count: int
    share_count: int
    view_count: int
    download_count: int
    total_watch_seconds: int
    completion_count: int

    @property
    def average_watch_seconds(self) -> float:
        return self.total_watch_seconds / self.view_count if self.view_count else 0.0

    @property
    def completion_rate(self) -> float:
        return self.completion_count / self.view_count if self.view_count else 0.0


def _totals(counters: VideoCounters) -> InsightTotals:
    return InsightTotals(
        save_count=counters.save_count,
        like_count=counters.like_count,
        comment_count=counters.comment_count,
        share_count=counters.share_count,
        view_count=counters.view_count,
        download_count=counters.download_count,
        total_watch_seconds=counters.total_watch_seconds,
        completion_count=counters.completion_count,
    )


def video_insights(*, viewer: Viewer, video: Video) -> InsightTotals:
    """OWNER_AGGREGATE: totals for the owner or a delegate; ``PermissionDenied`` for anyone else."""
    if not policies.can_view_insights(viewer, video):
        raise PermissionDenied("Insights are visible to the video's owner and the people they delegate to.")
    return _totals(video.counters)


def managed_videos_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Video]:
    """Other owners' videos whose insights were delegated to the viewer."""
    me = require_signed_in(viewer)
    qs = _with_viewer_flags(me, policies.delegated_insights_videos(me, Video.objects.all()))
    return keyset_page(qs, first=first, after=after)


def comment_get(*, viewer: Viewer, comment_id: int) -> Comment:
    """A comment on a video the viewer may see."""
    comment = (
        Comment.objects.filter(
            pk=comment_id,
            author__is_active=True,
            video__in=policies.visible_videos(viewer, Video.objects.all()),
        )
        .select_related("author")
        .first()
    )
    if comment is None:
        raise NotFound("No comment with that id.")
    return comment


def notification_get(*, viewer: Viewer, notification_id: int) -> Notification:
    qs = policies.own_notifications(viewer, Notification.objects.filter(pk=notification_id))
    notification = _with_video_visibility(viewer, qs).first()
    if notification is None:
        raise NotFound("No notification with that id.")
    return notification
