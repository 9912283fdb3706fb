"""The privacy rules of docs/ARCHITECTURE.md ("The privacy contract") for videos and interactions, written once.

Predicates take ``(viewer, object)`` and return ``bool``; scopes take ``(viewer, queryset)`` and
filter in SQL. Every question to django-guardian is asked here (its writes are
``engagement.delegations``), and it imports neither GraphQL engine.
"""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.models import AccountType, InteractionAudience, User
from accounts.policies import (
    Viewer,
    accepted_followee_ids,
    are_friends,
    can_see_liked_videos,
    friends_q,
    is_self,
    is_signed_in,
    unblocked_q,
    unmuted_q,
)
from engagement.models import (
    Comment,
    ExportState,
    Favorite,
    FavoriteCollection,
    Hashtag,
    InsightsExport,
    Like,
    Notification,
    ProcessingState,
    Video,
    View,
    Visibility,
)

VIDEO_INSIGHTS_PERMISSION = "engagement.view_video_insights"
ALL_VIDEOS_INSIGHTS_PERMISSION = "accounts.view_video_insights"
_GUARDIAN_STRICT = {"with_superuser": False, "accept_global_perms": False}


# Video visibility ----------------------------------------------------------------------------


def _visible_videos_q(viewer: Viewer, prefix: str = "") -> Q:
    """The rule on a video's columns; ``prefix`` reaches a related video (``"video__"``)."""

    def on(**lookups: object) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    # A draft (its file not processed yet, or failed) is its owner's alone.
    open_public = on(visibility=Visibility.PUBLIC, owner__is_private=False, processing_state=ProcessingState.READY)
    if not is_signed_in(viewer):
        return open_public & on(owner__is_active=True)
    return (
        (
            on(owner_id=viewer.pk)
            | open_public
            | (
                on(processing_state=ProcessingState.READY)
                & (
                    on(visibility=Visibility.PUBLIC, owner_id__in=accepted_followee_ids(viewer))
                    | (on(visibility=Visibility.FRIENDS) & friends_q(viewer, field=f"{prefix}owner_id"))
                )
            )
        )
        & on(owner__is_active=True)
        & unblocked_q(viewer, field=f"{prefix}owner_id")
    )


def visible_videos(viewer: Viewer, qs: QuerySet[Video]) -> QuerySet[Video]:
    """PUBLIC to everyone (approved followers for a private account), FRIENDS to mutual followers,
    PRIVATE to the owner; never across a block, either way."""
    return qs.filter(_visible_videos_q(viewer))


def visible_video_q(viewer: Viewer, *, prefix: str) -> Q:
    """``visible_videos`` as a condition on the video a row already joins (``prefix="video__"``):
    evaluated on the joined row, where an ``EXISTS`` over the videos table may be planned as a
    scan of every video."""
    return _visible_videos_q(viewer, prefix)


def shown_videos(viewer: Viewer, qs: QuerySet[Video]) -> QuerySet[Video]:
    """What lists picked for the viewer (feeds, search, a hashtag's videos) show: the videos they
    may see, less those of accounts they muted (a mute hides from the muter alone)."""
    return visible_videos(viewer, qs).filter(unmuted_q(viewer, field="owner_id"))


def visible_hashtags(viewer: Viewer, qs: QuerySet[Hashtag]) -> QuerySet[Hashtag]:
    """A tag exists for the viewer only through a video ``shown_videos`` gives them: one found
    only on videos they may not see is missing, name and all, as if no caption ever held it."""
    return qs.filter(Exists(shown_videos(viewer, Video.objects.filter(hashtags=OuterRef("pk")))))


def visible_hashtags_counted(viewer: Viewer, qs: QuerySet[Hashtag]) -> QuerySet[Hashtag]:
    """``visible_hashtags``, each with ``shown_video_count``: how many videos ``shown_videos``
    gives the viewer carry it. Only those are counted, so the number (and any order built on it)
    says nothing of the videos they may not see. One join and one grouping for any number of tags,
    where a count per tag would walk each tag's videos again."""
    shown = shown_videos(viewer, Video.objects.all())
    return qs.filter(videos__in=shown).annotate(shown_video_count=Count("videos"))


def visible_videos_of(viewer: Viewer, owner: User, qs: QuerySet[Video]) -> QuerySet[Video]:
    """``owner``'s videos that the viewer may see: all of them for the (signed-in, hence active)
    owner, whose own listing then needs no visibility condition at all."""
    qs = qs.filter(owner_id=owner.pk)
    return qs if is_self(viewer, owner) else visible_videos(viewer, qs)


def can_view_video(viewer: Viewer, video: Video) -> bool:
    if is_self(viewer, video.owner):
        return video.owner.is_active
    return visible_videos(viewer, Video.objects.filter(pk=video.pk)).exists()


def can_see_video_settings(viewer: Viewer, video: Video) -> bool:
    """Visibility and the allow-flags are the owner's business."""
    return is_self(viewer, video.owner)


def can_manage_video(viewer: Viewer, video: Video) -> bool:
    return is_self(viewer, video.owner)


# Creator settings ----------------------------------------------------------------------------


def _audience_allows(viewer: Viewer, video: Video, audience: str) -> bool:
    if is_self(viewer, video.owner):
        return True
    if not is_signed_in(viewer) or audience == InteractionAudience.NO_ONE:
        return False
    if audience == InteractionAudience.FRIENDS:
        return are_friends(viewer, video.owner)
    return True


def can_comment(viewer: Viewer, video: Video) -> bool:
    return _audience_allows(viewer, video, video.allow_comments)


def can_duet(viewer: Viewer, video: Video) -> bool:
    return _audience_allows(viewer, video, video.allow_duet)


def can_stitch(viewer: Viewer, video: Video) -> bool:
    return _audience_allows(viewer, video, video.allow_stitch)


def can_download(viewer: Viewer, video: Video) -> bool:
    return is_self(viewer, video.owner) or (is_signed_in(viewer) and video.allow_download)


def visible_comments(viewer: Viewer, qs: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments and replies as the viewer may read them, on videos the caller has already scoped
    (a comment is as visible as its video): by an active author with no block between them and
    the viewer, and a reply only inside a thread the viewer sees (its top comment passes too)."""
    author = Q(author__is_active=True) & unblocked_q(viewer, field="author_id")
    return qs.filter(author, _readable_thread_q(viewer))


def _readable_thread_q(viewer: Viewer, prefix: str = "") -> Q:
    """A top comment, or a reply whose top comment's author is active and has no block with the
    viewer; ``prefix`` reaches a related comment (``"comment__"``)."""
    return Q(**{f"{prefix}reply_to__isnull": True}) | (
        Q(**{f"{prefix}reply_to__author__is_active": True}) & unblocked_q(viewer, field=f"{prefix}reply_to__author_id")
    )


def can_pin_comments(viewer: Viewer, video: Video) -> bool:
    """Which comment is pinned on a video is its owner's choice alone; a comment's author has no say."""
    return is_self(viewer, video.owner)


def can_delete_comment(viewer: Viewer, comment: Comment) -> bool:
    """The author, or the owner of the video it is on."""
    return is_signed_in(viewer) and viewer.pk in (comment.author_id, comment.video.owner_id)


# Insights (OWNER_AGGREGATE; delegation is an object permission) ------------------------------


def _delegated_video_ids(viewer: Viewer) -> QuerySet[Video, Any]:
    return get_objects_for_user(viewer, VIDEO_INSIGHTS_PERMISSION, Video, **_GUARDIAN_STRICT).values("pk")


def _delegating_owner_ids(viewer: Viewer) -> QuerySet[User, Any]:
    return get_objects_for_user(viewer, ALL_VIDEOS_INSIGHTS_PERMISSION, User, **_GUARDIAN_STRICT).values("pk")


def insights_videos(viewer: Viewer, qs: QuerySet[Video]) -> QuerySet[Video]:
    """Videos whose aggregates the viewer may read: their own, or published ones delegated by object permission
    on the video or on its owner. A global (model-level) permission never widens this."""
    if not is_signed_in(viewer):
        return qs.none()
    delegated = Q(pk__in=_delegated_video_ids(viewer)) | Q(owner_id__in=_delegating_owner_ids(viewer))
    return qs.filter(
        # A draft is its owner's alone: a delegation reaches it once it is published.
        Q(owner_id=viewer.pk) | (delegated & Q(processing_state=ProcessingState.READY)),
        unblocked_q(viewer, field="owner_id"),  # a delegation does not reach across a block
        owner__is_active=True,
    )


def delegated_insights_videos(viewer: Viewer, qs: QuerySet[Video]) -> QuerySet[Video]:
    """Videos of other owners whose insights were delegated to the viewer."""
    return insights_videos(viewer, qs).exclude(owner_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def can_view_insights(viewer: Viewer, video: Video) -> bool:
    if is_self(viewer, video.owner):
        return True
    return insights_videos(viewer, Video.objects.filter(pk=video.pk)).exists()


def can_view_insight_breakdowns(viewer: Viewer, video: Video) -> bool:
    """Series and breakdowns are for CREATOR and BUSINESS accounts; PERSONAL ones get totals."""
    return can_view_insights(viewer, video) and video.owner.account_type != AccountType.PERSONAL


def shows_save_analytics(viewer: Viewer, owner: User) -> bool:
    """Whether the insights of ``owner`` that the viewer may read (their own; on videos, a
    delegate's too) carry save analytics: saves per day, top videos by saves and by save rate,
    save rates, and saves in the overview and in the engagement rate. BUSINESS accounts only, for
    the owner and their delegates alike: a delegation shows what the owner's account type shows.
    Every owner sees the save total (``VideoInsights.saveCount``). Ask it only once the viewer's
    access to those insights was checked (``can_view_insights``, ``can_view_account_insights``)."""
    return is_signed_in(viewer) and owner.account_type == AccountType.BUSINESS


def can_view_save_analytics(viewer: Viewer, video: Video) -> bool:
    """Saves over time (the daily series' saves) of a video whose insights the viewer may read."""
    return can_view_insights(viewer, video) and shows_save_analytics(viewer, video.owner)


def can_view_account_insights(viewer: Viewer, owner: User) -> bool:
    """Account insights (followers, profile views, top videos, the overview) are the account's
    own: never delegated, only video insights are."""
    return is_self(viewer, owner)


def can_view_account_save_analytics(viewer: Viewer, owner: User) -> bool:
    """The account's save analytics (top videos by saves and by save rate, saves in the
    overview): a BUSINESS account itself."""
    return can_view_account_insights(viewer, owner) and shows_save_analytics(viewer, owner)


def can_delegate_insights(viewer: Viewer, owner: User) -> bool:
    """Only an owner hands out access to their own videos."""
    return is_self(viewer, owner)


def can_view_account_insight_breakdowns(viewer: Viewer, owner: User) -> bool:
    """Follower series and breakdowns, and followers gained and lost over a range: the account
    itself, if it is a creator or business account (the rollup counts their followers at the end
    of every day; a personal account's only on days something happened to it)."""
    return can_view_account_insights(viewer, owner) and owner.account_type != AccountType.PERSONAL


def can_export_insights(viewer: Viewer, owner: User) -> bool:
    """An export holds the account's daily series, its own and its videos': what
    ``can_view_account_insight_breakdowns`` allows (the account itself, creator or business)."""
    return can_view_account_insight_breakdowns(viewer, owner)


def own_insights_exports(viewer: Viewer, qs: QuerySet[InsightsExport]) -> QuerySet[InsightsExport]:
    """The viewer's exports until they expire: an expired one is gone for everyone, its owner
    included, whether or not the clean-up has deleted it yet."""
    if not is_signed_in(viewer):
        return qs.none()
    return qs.filter(owner_id=viewer.pk, owner__is_active=True, expires_at__gt=timezone.now())


def can_download_insights_export(viewer: Viewer, export: InsightsExport) -> bool:
    """The file of a built, unexpired export, for its owner while the account may still see what
    it holds: daily series (not a personal account now), and saves per day if it has them (still
    a business account). Decided again on every use of a link."""
    owner = export.owner
    return (
        is_self(viewer, owner)
        and owner.is_active
        and export.state == ExportState.READY
        and export.expires_at > timezone.now()
        and can_export_insights(viewer, owner)
        and (not export.with_saves or can_view_account_save_analytics(viewer, owner))
    )


# The viewer's own rows (SELF) ----------------------------------------------------------------


def own_favorites(viewer: Viewer, qs: QuerySet[Favorite]) -> QuerySet[Favorite]:
    """A favorite is its saver's alone (saves are private): there is no other scope over favorites."""
    return qs.filter(user_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_collections(viewer: Viewer, qs: QuerySet[FavoriteCollection]) -> QuerySet[FavoriteCollection]:
    return qs.filter(owner_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_likes(viewer: Viewer, qs: QuerySet[Like]) -> QuerySet[Like]:
    """The viewer's own likes, whatever their liked-videos setting: for their own feed."""
    return qs.filter(user_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_comments(viewer: Viewer, qs: QuerySet[Comment]) -> QuerySet[Comment]:
    """The viewer's own comments and replies, wherever they are: an author may always take back
    their own words, also where a block now hides the video or thread from them."""
    return qs.filter(author_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_views(viewer: Viewer, qs: QuerySet[View]) -> QuerySet[View]:
    """The viewer's own playbacks (an anonymous one has none it can be shown)."""
    return qs.filter(viewer_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_notifications(viewer: Viewer, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """The viewer's notifications as they are shown, counted and marked read: none from a
    deactivated actor, from someone on either side of a block with the viewer, or from someone the
    viewer muted ("Blocks and mutes", docs/ARCHITECTURE.md), nor about a reply in a thread whose
    top comment a block hides from the viewer (they could not read the reply)."""
    if not is_signed_in(viewer):
        return qs.none()
    return qs.filter(
        unblocked_q(viewer, field="actor_id"),
        unmuted_q(viewer, field="actor_id"),
        Q(comment__isnull=True) | _readable_thread_q(viewer, prefix="comment__"),
        recipient_id=viewer.pk,
        actor__is_active=True,
    )


def liked_videos_of(viewer: Viewer, user: User, qs: QuerySet[Like]) -> QuerySet[Like]:
    """A user's likes as the viewer may see them: only where the user shows them, and only of
    videos the viewer may see."""
    if not can_see_liked_videos(viewer, user):
        return qs.none()
    return qs.filter(user_id=user.pk, video__in=visible_videos(viewer, Video.objects.all()))
