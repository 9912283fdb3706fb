"""Reads about videos and interactions. Keyword-only, viewer first, always through a policy scope.

Video querysets carry the viewer's own flags (has saved, has liked) as SQL annotations, so a page
of videos costs one query whatever its size; a page whose caller will not read them (the API
looks at the query's selection) leaves them out, and ``video_viewer_flags`` reads them on demand.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.policies import accepted_followee_ids, is_signed_in
from accounts.selectors import iso_or_none, require_signed_in
from accounts.viewers import Viewer
from engagement import policies, ranking
from engagement.counters import copy_totals, with_totals
from engagement.counters import totals as counter_totals
from engagement.models import (
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    Share,
    Video,
    View,
)
from kernel.errors import NotFound, PermissionDenied
from kernel.ids import global_id
from kernel.pagination import MAX_PAGE_SIZE, Page, keyset_page, ranked_page


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _own_row(relation: str, viewer: Viewer) -> FilteredRelation:
    return FilteredRelation(relation, condition=Q(**{f"{relation}__user_id": viewer.pk}))


def _with_flags(qs: QuerySet[Any], viewer: Viewer, *, video: str = "", saved: bool = False) -> QuerySet[Any]:
    """The viewer's flags about each row's video (``video`` is the path to it: ``""`` on videos,
    ``"video__"`` on rows that point at one) as LEFT JOINs on the viewer's own favorite and like
    of that video. Each is one row at most (unique per user and video), found by index, so a page
    costs the same however much the viewer has saved or liked; an ``EXISTS`` per row may be
    planned as a hash of all of them. ``saved``: the rows are the viewer's favorites already."""
    if not is_signed_in(viewer):
        return qs
    relations = {"_viewer_like": _own_row(f"{video}likes", viewer)}
    if not saved:
        relations["_viewer_favorite"] = _own_row(f"{video}favorites", viewer)
    return qs.annotate(**relations).annotate(
        viewer_has_saved=Value(True) if saved else _flag(Q(_viewer_favorite__isnull=False)),
        viewer_has_liked=_flag(Q(_viewer_like__isnull=False)),
    )


VIEWER_FLAGS = ("viewer_has_saved", "viewer_has_liked")


def video_viewer_flags(*, viewer: Viewer, video: Video) -> dict[str, bool]:
    """The viewer's flags about ``video``: those annotated by the query that loaded it, or one
    query for a video read without them (a page whose query did not ask for them)."""
    if VIEWER_FLAGS[0] not in video.__dict__:
        flags = dict.fromkeys(VIEWER_FLAGS, False)
        if is_signed_in(viewer):
            scoped = policies.visible_videos(viewer, Video.objects.filter(pk=video.pk))
            row = _with_flags(scoped, viewer).values(*VIEWER_FLAGS).first()
            flags.update(row or {})
        video.__dict__.update(flags)
    return {flag: bool(video.__dict__[flag]) for flag in VIEWER_FLAGS}


# What lists show of the people they join (an owner, an actor) is their public profile; the rest
# of their row (password hash, email, birth year, settings...) is not loaded at all.
_NOT_SHOWN_OF_OTHERS = (
    "password",
    "last_login",
    "is_superuser",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "date_joined",
    "country",
    "birth_year",
    "gender",
    "default_allow_download",
    "default_allow_comments",
    "default_allow_duet",
    "default_allow_stitch",
)


def _profiles_only(qs: QuerySet[Any], *paths: str) -> QuerySet[Any]:
    return qs.defer(*(f"{path}__{name}" for path in paths for name in _NOT_SHOWN_OF_OTHERS))


def with_page_fields(viewer: Viewer, qs: QuerySet[Video], *, viewer_flags: bool = True) -> QuerySet[Video]:
    """What a page of other people's videos shows, joined in its one query: the owner's public
    profile, the files' row (for the playback and poster links), the totals and the viewer's flags
    (``viewer_flags=False``: the caller will not read them, and ``video_viewer_flags`` reads them
    on demand)."""
    qs = _profiles_only(qs.select_related("owner", "media"), "owner").annotate(**{PINNED_ID: _pinned_comment_id()})
    return with_totals(_with_flags(qs, viewer) if viewer_flags else qs)


PINNED_ID = "pinned_comment_id"


def _pinned_comment_id() -> Subquery:
    """Which comment, if any, is pinned on each video of a page, in the page's own query: most
    videos have none, and ``pinned_comment`` then answers without a query of its own. Never shown:
    whether the viewer may read the comment is ``pinned_comment``'s question."""
    pinned = Comment.objects.filter(video_id=OuterRef("pk"), pinned_at__isnull=False).values("pk")[:1]
    return Subquery(pinned)


def visible_videos(*, viewer: Viewer) -> QuerySet[Video]:
    """Every video the viewer may see, with owner, counters and the viewer's flags."""
    return with_page_fields(viewer, policies.visible_videos(viewer, Video.objects.all()))


def video_get(*, viewer: Viewer, video_id: int) -> Video:
    """A visible video, or ``NotFound`` whether it is missing or hidden (hidden is missing)."""
    video = video_find(viewer=viewer, video_id=video_id)
    if video is None:
        raise NotFound("No video with that id.")
    return video


def video_find(*, viewer: Viewer, video_id: int) -> Video | None:
    """A visible video, or None: a mutation's payload reports the video as it is after the write,
    and null once the actor may no longer see it."""
    return visible_videos(viewer=viewer).filter(pk=video_id).first()


def videos_by_ids(*, viewer: Viewer, video_ids: list[int]) -> dict[int, Video]:
    """Batch read for dataloaders and node lookups."""
    videos = with_remix_sources(viewer, visible_videos(viewer=viewer).filter(pk__in=video_ids))
    return {video.pk: video for video in videos}


def _loaded(row: Any, key: str, load: Callable[[], Any]) -> Any:
    """What the list that loaded ``row`` put on it under ``key``, else ``load()``, kept on the row
    so a field read twice costs one query at most."""
    if key not in row.__dict__:
        row.__dict__[key] = load()
    return row.__dict__[key]


# Remixes -------------------------------------------------------------------------------------

REMIX_SOURCE = "visible_remix_source"


def with_remix_sources(viewer: Viewer, qs: QuerySet[Any], *, video: str = "") -> QuerySet[Any]:
    """Each row's video (``video`` is the path to it, as in ``_with_flags``) with its remix source
    as the viewer may see it, for ``remix_source``: one more query for a whole list, run only
    when the list holds a remix. A source the viewer may not see is None, as a missing one."""
    sources = Prefetch(f"{video}remix_of", queryset=visible_videos(viewer=viewer), to_attr=REMIX_SOURCE)
    return qs.prefetch_related(sources)


def remix_source(*, viewer: Viewer, video: Video) -> Video | None:
    """The video that ``video`` duets or stitches, through the video visibility scope: None for an
    original, a deleted source or one the viewer may not see. Loaded with the list ``video`` came
    in, or by one query for a video read alone."""
    source_id = video.remix_of_id
    if source_id is None:
        return None
    source: Video | None = _loaded(video, REMIX_SOURCE, lambda: video_find(viewer=viewer, video_id=source_id))
    return source


def remixes_page(*, viewer: Viewer, video: Video, first: int | None, after: str | None) -> Page[Video]:
    """The duets and stitches of ``video`` that the viewer may see, newest first. ``video`` is
    one the viewer sees, so it is each remix's source as they see it, with no query."""
    remixes = policies.visible_videos(viewer, Video.objects.filter(remix_of_id=video.pk))
    page: Page[Video] = keyset_page(with_page_fields(viewer, remixes), first=first, after=after)
    for remix in page.items:
        remix.__dict__[REMIX_SOURCE] = video
    return page


def user_videos_page(
    *, viewer: Viewer, owner: User, first: int | None, after: str | None, viewer_flags: bool = True
) -> Page[Video]:
    """The owner's videos that the viewer may see (all of them when the viewer is the owner).
    ``viewer_flags=False``: the caller will not read them (``video_viewer_flags`` can later)."""
    videos = policies.visible_videos_of(viewer, owner, Video.objects.select_related("media"))
    if viewer_flags:
        videos = _with_flags(videos, viewer)
    page: Page[Video] = keyset_page(with_remix_sources(viewer, with_totals(videos)), first=first, after=after)
    for video in page.items:  # the owner is loaded already: no join, and not one copy per row
        Video.owner.field.set_cached_value(video, owner)
    return page


def _own_favorites(me: User, *, viewer_flags: bool = True, collection: bool = True) -> QuerySet[Favorite]:
    """The viewer's favorites, each with ``is_available``: whether the saver may still see the
    video (video visibility). An unavailable one keeps its place in the list without its content.
    ``viewer_flags``/``collection``: join them for the caller (else read on demand)."""
    related = ["video__owner", "video__media"] + (["collection"] if collection else [])
    qs = _profiles_only(policies.own_favorites(me, Favorite.objects.all()).select_related(*related), "video__owner")
    qs = qs.annotate(is_available=_flag(policies.visible_video_q(me, prefix="video__")))
    if viewer_flags:
        qs = _with_flags(qs, me, video="video__", saved=True)
    return with_remix_sources(me, with_totals(qs, "video_id"), video="video__")


def _copy_viewer_flags(rows: Sequence[Favorite | Notification]) -> None:
    """Put the viewer's flags (when loaded) on each row's video so video fields read them without
    a query."""
    for row in rows:
        if row.video_id is not None:
            if VIEWER_FLAGS[0] in row.__dict__:
                for flag in VIEWER_FLAGS:
                    row.video.__dict__[flag] = row.__dict__[flag]
            copy_totals(row, row.video)  # type: ignore[arg-type]


def favorites_page(
    *,
    viewer: Viewer,
    first: int | None,
    after: str | None,
    collection_id: int | None = None,
    viewer_flags: bool = True,
    collection: bool = True,
) -> Page[Favorite]:
    """The viewer's own favorites, newest first, optionally those of one of their collections.
    ``viewer_flags``/``collection``: whether to load the videos' flags and the collections, which
    a caller that will not read them leaves out (they are read on demand)."""
    me = require_signed_in(viewer)
    qs = _own_favorites(me, viewer_flags=viewer_flags, collection=collection)
    if collection_id is not None:
        qs = qs.filter(collection=collection_get(viewer=me, collection_id=collection_id))
    page: Page[Favorite] = keyset_page(qs, first=first, after=after)
    _copy_viewer_flags(page.items)
    return page


def favorite_get(*, viewer: Viewer, favorite_id: int | None = None, video_id: int | None = None) -> Favorite:
    """One of the viewer's favorites, by its id or by its video's id."""
    lookup = {"pk": favorite_id} if favorite_id is not None else {"video_id": video_id}
    favorite = _own_favorites(viewer).filter(**lookup).first() if is_signed_in(viewer) else None
    if favorite is None:
        raise NotFound("No favorite with that id.")
    _copy_viewer_flags([favorite])
    return favorite


def favorites_by_ids(*, viewer: Viewer, favorite_ids: Sequence[int]) -> list[Favorite]:
    """The viewer's favorites among ``favorite_ids``, newest first: a payload's list of the
    favorites a write moved."""
    me = require_signed_in(viewer)
    favorites = list(_own_favorites(me).filter(pk__in=favorite_ids).order_by("-created_at", "-pk"))
    _copy_viewer_flags(favorites)
    return favorites


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


# Comments and their replies -----------------------------------------------------------------

REPLY_COUNT = "visible_reply_count"
PARENT = "visible_parent"


def _comments(viewer: Viewer, qs: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments the viewer may read, with their authors and how many replies each shows them."""
    replies = policies.visible_comments(viewer, Comment.objects.filter(reply_to_id=OuterRef("pk")))
    count = replies.order_by().values("reply_to_id").annotate(n=Count("pk")).values("n")
    visible = policies.visible_comments(viewer, qs).select_related("author")
    return visible.annotate(**{REPLY_COUNT: Coalesce(Subquery(count), 0)})


def comments_page(*, viewer: Viewer, video: Video, first: int | None, after: str | None) -> Page[Comment]:
    """The top comments of a video, newest first; their replies are each one's own list. Comments
    are as visible as their video: the caller has already resolved a visible video."""
    comments = _comments(viewer, Comment.objects.filter(video_id=video.pk, reply_to__isnull=True))
    return keyset_page(comments, first=first, after=after)


def replies_page(*, viewer: Viewer, comment: Comment, first: int | None, after: str | None) -> Page[Comment]:
    """The replies to ``comment`` (one the viewer sees), newest first as every list, each with
    ``comment`` as its parent, loaded with no query."""
    page: Page[Comment] = keyset_page(
        _comments(viewer, Comment.objects.filter(reply_to_id=comment.pk)), first=first, after=after
    )
    for reply in page.items:
        reply.__dict__[PARENT] = comment
    return page


def pinned_comment(*, viewer: Viewer, video: Video) -> Comment | None:
    """The comment the owner pinned on ``video`` (a video the viewer sees), if the viewer may read it."""
    if PINNED_ID in video.__dict__ and video.__dict__[PINNED_ID] is None:
        return None  # the page that loaded the video found no pin on it
    return _comments(viewer, Comment.objects.filter(video_id=video.pk, pinned_at__isnull=False)).first()


def comment_parent(*, viewer: Viewer, comment: Comment) -> Comment | None:
    """The comment ``comment`` replies to as the viewer sees it; None for a top comment."""
    parent_id = comment.reply_to_id
    if parent_id is None:
        return None
    parent: Comment | None = _loaded(comment, PARENT, lambda: comment_find(viewer=viewer, comment_id=parent_id))
    return parent


def reply_count(*, viewer: Viewer, comment: Comment) -> int:
    """How many replies to ``comment`` the viewer sees: counted by the page that loaded it, or by
    one query for a comment read alone."""
    replies = policies.visible_comments(viewer, Comment.objects.filter(reply_to_id=comment.pk))
    return int(_loaded(comment, REPLY_COUNT, replies.count))


def notifications_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Notification]:
    me = require_signed_in(viewer)
    qs = _with_video_visibility(me, policies.own_notifications(me, Notification.objects.all()))
    page: Page[Notification] = keyset_page(qs, first=first, after=after)
    _copy_viewer_flags(page.items)
    return page


def _with_video_visibility(viewer: Viewer, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """A notification's video is shown only while the viewer may still see it, with the viewer's
    own flags about it."""
    qs = _profiles_only(qs.select_related("actor", "video__owner", "video__media"), "actor", "video__owner")
    qs = qs.annotate(video_is_visible=_flag(policies.visible_video_q(viewer, prefix="video__")))
    return with_remix_sources(
        viewer, with_totals(_with_flags(qs, viewer, video="video__"), "video_id"), video="video__"
    )


def notifications_latest(*, viewer: Viewer, notification_ids: Sequence[int] | None = None) -> list[Notification]:
    """The viewer's newest notifications, only those of ``notification_ids`` when given, a page's
    worth at most: a payload's plain list holds no more (the cost limits count it so)."""
    me = require_signed_in(viewer)
    qs = policies.own_notifications(me, Notification.objects.all())
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    notifications = list(_with_video_visibility(me, qs).order_by("-created_at", "-pk")[:MAX_PAGE_SIZE])
    _copy_viewer_flags(notifications)
    return notifications


def notification_ids_about(*, viewer: Viewer, video_id: int | None = None, comment_id: int | None = None) -> list[int]:
    """The ids of the viewer's newest notifications about a video (``video_id=``) or a comment
    and its replies (``comment_id=``), a page's worth at most: what deleting it takes of theirs,
    for the payload."""
    assert (video_id is None) != (comment_id is None), (video_id, comment_id)
    about = (
        Q(video_id=video_id) if video_id is not None else Q(comment_id=comment_id) | Q(comment__reply_to_id=comment_id)
    )
    qs = policies.own_notifications(viewer, Notification.objects.filter(about)).order_by("-created_at", "-pk")
    return list(qs.values_list("pk", flat=True)[:MAX_PAGE_SIZE])


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
    reached_seconds: int
    replay_count: int
    video: Video | None = field(default=None, compare=False, repr=False)  # for the series and breakdowns

    @property
    def average_watch_seconds(self) -> float:
        return self.total_watch_seconds / self.view_count if self.view_count else 0.0

    @property
    def completion_rate(self) -> float:
        return self.completion_count / self.view_count if self.view_count else 0.0

    @property
    def average_percent_viewed(self) -> float:
        """The mean over views of the furthest point reached, in percent of the video's length:
        every view shares the length, so it is the summed positions over views times length."""
        duration = self.video.duration_seconds if self.video is not None else 0
        if not self.view_count or not duration:
            return 0.0
        return min(100.0, 100 * self.reached_seconds / (self.view_count * duration))

    @property
    def rewatch_rate(self) -> float:
        return self.replay_count / self.view_count if self.view_count else 0.0


def video_insights(*, viewer: Viewer, video: Video) -> InsightTotals:
    """OWNER_AGGREGATE: totals for the owner or a delegate; ``PermissionDenied`` for anyone else."""
    if not policies.can_view_insights(viewer, video):
        raise PermissionDenied("Insights are visible to the video's owner and the people they delegate to.")
    return InsightTotals(video=video, **counter_totals(video))


def managed_videos_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Video]:
    """Other owners' videos whose insights were delegated to the viewer."""
    me = require_signed_in(viewer)
    qs = with_page_fields(me, policies.delegated_insights_videos(me, Video.objects.all()))
    return keyset_page(with_remix_sources(me, qs), first=first, after=after)


# Feeds --------------------------------------------------------------------------------------------


def following_feed_page(
    *, viewer: Viewer, first: int | None, after: str | None, viewer_flags: bool = True
) -> Page[Video]:
    """Videos of the accounts the viewer follows (accepted follows), newest first, as the viewer
    may see them, without the accounts they muted."""
    me = require_signed_in(viewer)
    videos = policies.shown_videos(me, Video.objects.filter(owner_id__in=accepted_followee_ids(me)))
    rows = with_remix_sources(me, with_page_fields(me, videos, viewer_flags=viewer_flags))
    return keyset_page(rows, first=first, after=after)


def for_you_page(
    *, viewer: Viewer, first: int | None, after: str | None, personal: bool, viewer_flags: bool = True
) -> Page[Video]:
    """Every video the viewer may see, but their own and the accounts they muted, best first by
    the For You score (``engagement.ranking``); ``personal``: ranked with the viewer's own rows
    too, which the API allows a signed-in session only."""
    videos = policies.shown_videos(viewer, Video.objects.all())
    if is_signed_in(viewer):
        videos = videos.exclude(owner_id=viewer.pk)
    ranked = ranking.for_you(viewer, videos, personal=personal and is_signed_in(viewer))
    rows = with_remix_sources(viewer, with_page_fields(viewer, ranked, viewer_flags=viewer_flags))
    return ranked_page(rows, score=ranking.SCORE, first=first, after=after)


def comment_get(*, viewer: Viewer, comment_id: int) -> Comment:
    """A comment (or reply) the viewer may read, on a video they may see; ``NotFound`` otherwise."""
    comment = comment_find(viewer=viewer, comment_id=comment_id)
    if comment is None:
        raise NotFound("No comment with that id.")
    return comment


def comment_find(*, viewer: Viewer, comment_id: int) -> Comment | None:
    on_visible_videos = Comment.objects.filter(
        pk=comment_id, video__in=policies.visible_videos(viewer, Video.objects.all())
    )
    return _comments(viewer, on_visible_videos).first()


@dataclass(frozen=True)
class NotificationEvent:
    """What a live subscription delivers to the recipient: their new notification (None when
    only the unread count changed), as ``Me.notifications`` shows it, and their unread count."""

    recipient_id: int
    notification: Notification | None
    unread_notification_count: int


def notification_event(*, viewer: Viewer, notification_id: int | None) -> NotificationEvent | None:
    """The event for a notification written for the viewer or, without one, for a change of their
    unread count, read now through the viewer's own scope; None when they may not see that
    notification (gone, or its actor blocked or muted since it was written)."""
    me = require_signed_in(viewer)
    notification = None
    if notification_id is not None:
        try:
            notification = notification_get(viewer=me, notification_id=notification_id)
        except NotFound:
            return None
    return NotificationEvent(me.pk, notification, unread_notification_count(viewer=me))


def notification_get(*, viewer: Viewer, notification_id: int) -> Notification:
    qs = policies.own_notifications(viewer, Notification.objects.filter(pk=notification_id))
    notification = _with_video_visibility(viewer, qs).first()
    if notification is None:
        raise NotFound("No notification with that id.")
    _copy_viewer_flags([notification])
    return notification


# The right of access (docs/PRIVACY.md) -------------------------------------------------------

_INTERACTIONS_OF: dict[str, Any] = {"favorites": Favorite, "likes": Like, "shares": Share, "downloads": Download}


def engagement_export(*, viewer: Viewer) -> dict[str, Any]:
    """Everything the viewer did and owns here, as JSON data, oldest first: their videos with
    their totals, collections, favorites, likes, comments, shares, downloads, views and the
    notifications they received.

    A video is named only while the viewer may still see it (video visibility: an unavailable favorite
    keeps its place without its content); other people appear by username only, and nothing
    about who saved, liked or viewed the viewer's own videos is included beyond the totals.
    """
    me = require_signed_in(viewer)
    rows: dict[str, list[Any]] = {
        name: list(model.objects.filter(user=me).order_by("created_at", "pk"))
        for name, model in _INTERACTIONS_OF.items()
    }
    rows["views"] = list(View.objects.filter(viewer=me).order_by("created_at", "pk"))
    rows["comments"] = list(Comment.objects.filter(author=me).order_by("created_at", "pk"))
    sources: list[tuple[Any, str]] = [
        *((model, "user") for model in _INTERACTIONS_OF.values()),
        (View, "viewer"),
        (Comment, "author"),
    ]
    touched = Q()
    for model, user_field in sources:
        touched |= Q(pk__in=model.objects.filter(**{user_field: me}).values("video_id"))
    visible = set(policies.visible_videos(me, Video.objects.filter(touched)).values_list("pk", flat=True))

    def video(video_id: int | None) -> str | None:
        return global_id("Video", video_id) if video_id in visible else None

    videos = with_totals(Video.objects.filter(owner=me).order_by("created_at", "pk"))
    notifications = _with_video_visibility(me, policies.own_notifications(me, Notification.objects.all()))
    return {
        "videos": [
            {
                "id": global_id("Video", own.pk),
                "caption": own.caption,
                "visibility": own.visibility,
                "durationSeconds": own.duration_seconds,
                "createdAt": iso_or_none(own.created_at),
                "allowDownload": own.allow_download,
                "allowComments": own.allow_comments,
                "allowDuet": own.allow_duet,
                "allowStitch": own.allow_stitch,
                "remixKind": own.remix_kind or None,
                "totals": counter_totals(own),
            }
            for own in videos
        ],
        "collections": [
            {"id": global_id("FavoriteCollection", c.pk), "name": c.name, "createdAt": iso_or_none(c.created_at)}
            for c in policies.own_collections(me, FavoriteCollection.objects.order_by("created_at", "pk"))
        ],
        "favorites": [
            {
                "id": global_id("Favorite", f.pk),
                "savedAt": iso_or_none(f.created_at),
                "collection": global_id("FavoriteCollection", f.collection_id) if f.collection_id else None,
                "video": video(f.video_id),
                "isAvailable": f.video_id in visible,
            }
            for f in rows["favorites"]
        ],
        "likes": [{"likedAt": iso_or_none(like.created_at), "video": video(like.video_id)} for like in rows["likes"]],
        "comments": [
            {
                "id": global_id("Comment", c.pk),
                "text": c.text,
                "createdAt": iso_or_none(c.created_at),
                "video": video(c.video_id),
            }
            for c in rows["comments"]
        ],
        "shares": [
            {"sharedAt": iso_or_none(s.created_at), "channel": s.channel, "video": video(s.video_id)}
            for s in rows["shares"]
        ],
        "downloads": [
            {"downloadedAt": iso_or_none(d.created_at), "video": video(d.video_id)} for d in rows["downloads"]
        ],
        "views": [
            {
                "viewedAt": iso_or_none(v.created_at),
                "watchedSeconds": v.watched_seconds,
                "watchPosition": v.position_seconds,
                "replayed": v.replayed,
                "device": v.device,
                "completed": v.completed,
                "trafficSource": v.traffic_source,
                "video": video(v.video_id),
            }
            for v in rows["views"]
        ],
        "notifications": [
            {
                "id": global_id("Notification", n.pk),
                "kind": n.kind,
                "actor": n.actor.username,
                "video": global_id("Video", n.video_id)
                if n.video_id and getattr(n, "video_is_visible", False)
                else None,
                "isRead": n.is_read,
                "createdAt": iso_or_none(n.created_at),
            }
            for n in notifications.order_by("created_at", "pk")
        ],
    }
