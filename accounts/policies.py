"""Who may see what of a user and the follow graph: predicates and SQL scopes.

Every function takes the viewer first. A viewer is a ``User`` or an anonymous user; the
anonymous one is never anyone's follower, friend or self.
"""

from typing import Any, TypeGuard

from django.db.models import Q, QuerySet

from accounts.models import Block, Follow, FollowStatus, LikedVideosVisibility, Mute, User
from accounts.viewers import Viewer, acts_in_person


def is_signed_in(viewer: Viewer | None) -> TypeGuard[User]:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active)


def is_self(viewer: Viewer, user: User) -> bool:
    return is_signed_in(viewer) and viewer.pk == user.pk


def accepted_followee_ids(viewer: Viewer) -> QuerySet[Follow, Any]:
    """Subquery: the accounts the viewer follows with an accepted follow."""
    return Follow.objects.filter(follower_id=viewer.pk, status=FollowStatus.ACCEPTED).values("followee_id")


def accepted_follower_ids(viewer: Viewer) -> QuerySet[Follow, Any]:
    """Subquery: the accounts that follow the viewer with an accepted follow."""
    return Follow.objects.filter(followee_id=viewer.pk, status=FollowStatus.ACCEPTED).values("follower_id")


def friends_q(viewer: Viewer, *, field: str) -> Q:
    """``Q`` matching rows whose user ``field`` is a friend (mutual accepted follow) of the viewer."""
    if not is_signed_in(viewer):
        return Q(pk__in=[])
    return Q(**{f"{field}__in": accepted_followee_ids(viewer)}) & Q(**{f"{field}__in": accepted_follower_ids(viewer)})


def follows_accepted(viewer: Viewer, user: User) -> bool:
    if not is_signed_in(viewer):
        return False
    return Follow.objects.filter(follower_id=viewer.pk, followee_id=user.pk, status=FollowStatus.ACCEPTED).exists()


def are_friends(viewer: Viewer, user: User) -> bool:
    if not is_signed_in(viewer) or viewer.pk == user.pk:
        return False
    mutual = Follow.objects.filter(
        Q(follower_id=viewer.pk, followee_id=user.pk) | Q(follower_id=user.pk, followee_id=viewer.pk),
        status=FollowStatus.ACCEPTED,
    )
    return mutual.count() == 2


# Blocks and mutes -------------------------------------------------------------------------------


def unblocked_q(viewer: Viewer, *, field: str) -> Q:
    """``Q`` matching rows whose user ``field`` has no block with the viewer, either way: a block
    hides the two people from each other everywhere. Anonymous viewers block no one."""
    if not is_signed_in(viewer):
        return Q()
    blocked_by_viewer = Block.objects.filter(blocker_id=viewer.pk).values("blocked_id")
    blocking_viewer = Block.objects.filter(blocked_id=viewer.pk).values("blocker_id")
    return ~Q(**{f"{field}__in": blocked_by_viewer}) & ~Q(**{f"{field}__in": blocking_viewer})


def unmuted_q(viewer: Viewer, *, field: str) -> Q:
    """``Q`` matching rows whose user ``field`` the viewer has not muted: a mute hides from the
    muter only, in what they are shown (feeds, search, notifications) when they act in person:
    never from anyone else, and not through a token, which could read the mute list back."""
    if not is_signed_in(viewer) or not acts_in_person(viewer):
        return Q()
    return ~Q(**{f"{field}__in": Mute.objects.filter(muter_id=viewer.pk).values("muted_id")})


def is_blocked_between(viewer: Viewer, user: User) -> bool:
    """Whether either of the two blocked the other."""
    if not is_signed_in(viewer) or viewer.pk == user.pk:
        return False
    return Block.objects.filter(
        Q(blocker_id=viewer.pk, blocked_id=user.pk) | Q(blocker_id=user.pk, blocked_id=viewer.pk)
    ).exists()


def blockable_q(viewer: Viewer, *, prefix: str = "") -> Q:
    """``Q`` matching the accounts the viewer may name in their own blocks and mutes, and find in
    their own lists of them: active ones that have not blocked the viewer. The viewer's own block
    does not hide someone here (undoing it is theirs to do); the other's block does, so someone
    who blocked the viewer looks missing here as everywhere ("Blocks and mutes",
    docs/ARCHITECTURE.md). ``prefix`` reaches a related account (``"blocked__"``)."""
    active = Q(**{f"{prefix}is_active": True})
    if not is_signed_in(viewer):
        return active
    return active & ~Q(**{f"{prefix}pk__in": Block.objects.filter(blocked_id=viewer.pk).values("blocker_id")})


def blockable_users(viewer: Viewer, qs: QuerySet[User]) -> QuerySet[User]:
    return qs.filter(blockable_q(viewer))


def visible_follow_edges(viewer: Viewer, qs: QuerySet[Follow], *, person: str) -> QuerySet[Follow]:
    """Follow edges as a list shows them, by the ``person`` it names (``"follower"`` or
    ``"followee"``): never a deactivated account, nor one on either side of a block with the
    viewer ("Blocks and mutes")."""
    return qs.filter(unblocked_q(viewer, field=f"{person}_id"), **{f"{person}__is_active": True})


def visible_users(viewer: Viewer, qs: QuerySet[User]) -> QuerySet[User]:
    """Profiles are public, but deactivated accounts are gone for everyone, and a blocked or
    blocking account is gone for the other (as if it did not exist)."""
    return qs.filter(unblocked_q(viewer, field="pk"), is_active=True)


def shown_users(viewer: Viewer, qs: QuerySet[User]) -> QuerySet[User]:
    """What lists picked for the viewer (search) show of accounts: the visible ones, less those
    the viewer muted. ``user(username:)`` still finds a muted account, so a mute can be undone."""
    return visible_users(viewer, qs).filter(unmuted_q(viewer, field="pk"))


def can_see_private_account_content(viewer: Viewer, user: User) -> bool:
    """A private account's content is for itself and its approved followers."""
    return not user.is_private or is_self(viewer, user) or follows_accepted(viewer, user)


def can_see_liked_videos(viewer: Viewer, user: User) -> bool:
    """Liked videos are SELF unless the user chose EVERYONE (docs/ARCHITECTURE.md, "Liked videos")."""
    if is_self(viewer, user):
        return True
    return user.liked_videos_visibility == LikedVideosVisibility.EVERYONE and can_see_private_account_content(
        viewer, user
    )


def can_see_follow_lists(viewer: Viewer, user: User) -> bool:
    """Who follows whom is shown like any content: hidden behind a private account."""
    return can_see_private_account_content(viewer, user)
