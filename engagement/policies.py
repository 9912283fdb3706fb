"""The privacy rules of docs/ARCHITECTURE.md ("The privacy contract") for videos and interactions, written once.

Predicates take ``(viewer, object)`` and return ``bool``; scopes take ``(viewer, queryset)`` and
filter in SQL. Every question to django-guardian is asked here (its writes are
``engagement.delegations``), and it imports neither GraphQL engine.
"""

from typing import Any

from django.db.models import Q, QuerySet
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
from engagement.models import Comment, Favorite, FavoriteCollection, Like, Notification, Video, Visibility

VIDEO_INSIGHTS_PERMISSION = "engagement.view_video_insights"
ALL_VIDEOS_INSIGHTS_PERMISSION = "accounts.view_video_insights"
_GUARDIAN_STRICT = {"with_superuser": False, "accept_global_perms": False}


# Video visibility ----------------------------------------------------------------------------


def _visible_videos_q(viewer: Viewer, prefix: str = "") -> Q:
    """The rule on a video's columns; ``prefix`` reaches a related video (``"video__"``)."""

    def on(**lookups: object) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    open_public = on(visibility=Visibility.PUBLIC, owner__is_private=False)
    if not is_signed_in(viewer):
        return open_public & on(owner__is_active=True)
    return (
        (
            on(owner_id=viewer.pk)
            | open_public
            | on(visibility=Visibility.PUBLIC, owner_id__in=accepted_followee_ids(viewer))
            | (on(visibility=Visibility.FRIENDS) & friends_q(viewer, field=f"{prefix}owner_id"))
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


def can_delete_comment(viewer: Viewer, comment: Comment) -> bool:
    """The author, or the owner of the video it is on."""
    return is_signed_in(viewer) and viewer.pk in (comment.author_id, comment.video.owner_id)


# Insights (OWNER_AGGREGATE; delegation is an object permission) ------------------------------


def _delegated_video_ids(viewer: Viewer) -> QuerySet[Video, Any]:
    return get_objects_for_user(viewer, VIDEO_INSIGHTS_PERMISSION, Video, **_GUARDIAN_STRICT).values("pk")


def _delegating_owner_ids(viewer: Viewer) -> QuerySet[User, Any]:
    return get_objects_for_user(viewer, ALL_VIDEOS_INSIGHTS_PERMISSION, User, **_GUARDIAN_STRICT).values("pk")


def insights_videos(viewer: Viewer, qs: QuerySet[Video]) -> QuerySet[Video]:
    """Videos whose aggregates the viewer may read: their own, or delegated by object permission
    on the video or on its owner. A global (model-level) permission never widens this."""
    if not is_signed_in(viewer):
        return qs.none()
    return qs.filter(
        Q(owner_id=viewer.pk) | Q(pk__in=_delegated_video_ids(viewer)) | Q(owner_id__in=_delegating_owner_ids(viewer)),
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


def can_delegate_insights(viewer: Viewer, owner: User) -> bool:
    """Only an owner hands out access to their own videos."""
    return is_self(viewer, owner)


def can_view_account_insight_breakdowns(viewer: Viewer, owner: User) -> bool:
    """Follower series and breakdowns: the account itself, if it is a creator or business account.
    Account insights are never delegated; only video insights are."""
    return is_self(viewer, owner) and owner.account_type != AccountType.PERSONAL


# The viewer's own rows (SELF) ----------------------------------------------------------------


def own_favorites(viewer: Viewer, qs: QuerySet[Favorite]) -> QuerySet[Favorite]:
    """A favorite is its saver's alone (saves are private): there is no other scope over favorites."""
    return qs.filter(user_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_collections(viewer: Viewer, qs: QuerySet[FavoriteCollection]) -> QuerySet[FavoriteCollection]:
    return qs.filter(owner_id=viewer.pk) if is_signed_in(viewer) else qs.none()


def own_notifications(viewer: Viewer, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """The viewer's own notifications, less those whose actor is blocked either way or muted by
    the viewer: hidden while the block or mute lasts, in the list, the unread count and what a
    live subscription delivers alike."""
    if not is_signed_in(viewer):
        return qs.none()
    return qs.filter(unblocked_q(viewer, field="actor_id"), unmuted_q(viewer, field="actor_id"), recipient_id=viewer.pk)


def liked_videos_of(viewer: Viewer, user: User, qs: QuerySet[Like]) -> QuerySet[Like]:
    """A user's likes as the viewer may see them: only where the user shows them, and only of
    videos the viewer may see."""
    if not can_see_liked_videos(viewer, user):
        return qs.none()
    return qs.filter(user_id=user.pk, video__in=visible_videos(viewer, Video.objects.all()))
