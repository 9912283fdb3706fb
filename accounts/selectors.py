"""Reads about users and the follow graph; every one takes the viewer and goes through a policy."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from accounts import policies
from accounts.models import Block, Follow, FollowStatus, Mute, User
from accounts.viewers import Viewer
from kernel.errors import NotFound, PermissionDenied, Unauthenticated
from kernel.ids import global_id
from kernel.pagination import Page, keyset_page
from kernel.validation import refuse_nul


def require_signed_in(viewer: Viewer) -> User:
    if policies.is_signed_in(viewer):
        return viewer
    raise Unauthenticated("Sign in to do this.")


def me_get(*, viewer: Viewer) -> User:
    """The viewer's row as stored now: a payload shows counters that a write moved in SQL, which
    the request's copy of the user does not hold."""
    return User.objects.get(pk=require_signed_in(viewer).pk)


def user_get_by_username(*, viewer: Viewer, username: str) -> User:
    """Sign-up stores usernames in lower case, so ``@Demo_Creator`` finds ``demo_creator``; an
    exact match still wins for accounts made outside the API (``createsuperuser``)."""
    return _by_username(policies.visible_users(viewer, User.objects.all()), username)


def _by_username(users: QuerySet[User], username: str) -> User:
    refuse_nul(username, field="username")
    name = username.strip()
    matches = users.filter(Q(username=name) | Q(username=name.lower()))
    user = matches.order_by(Case(When(username=name, then=0), default=1)).first()
    if user is None:
        raise NotFound("No user with that username.")
    return user


def users_by_ids(*, viewer: Viewer, user_ids: list[int]) -> dict[int, User]:
    """Batch read for dataloaders: visible users by id."""
    return {user.pk: user for user in policies.visible_users(viewer, User.objects.filter(pk__in=user_ids))}


def _follows(qs: QuerySet[Follow]) -> QuerySet[Follow]:
    return qs.select_related("follower", "followee")


def followers_page(*, viewer: Viewer, user: User, first: int | None, after: str | None) -> Page[Follow]:
    """Accepted followers of ``user``, hidden behind a private account."""
    if not policies.can_see_follow_lists(viewer, user):
        raise PermissionDenied("This account's followers are visible to its approved followers only.")
    edges = Follow.objects.filter(followee=user, status=FollowStatus.ACCEPTED)
    return keyset_page(
        _follows(policies.visible_follow_edges(viewer, edges, person="follower")), first=first, after=after
    )


def following_page(*, viewer: Viewer, user: User, first: int | None, after: str | None) -> Page[Follow]:
    if not policies.can_see_follow_lists(viewer, user):
        raise PermissionDenied("The accounts this user follows are visible to its approved followers only.")
    edges = Follow.objects.filter(follower=user, status=FollowStatus.ACCEPTED)
    return keyset_page(
        _follows(policies.visible_follow_edges(viewer, edges, person="followee")), first=first, after=after
    )


def follow_requests_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Follow]:
    """Pending requests addressed to the viewer."""
    me = require_signed_in(viewer)
    edges = Follow.objects.filter(followee=me, status=FollowStatus.PENDING)
    return keyset_page(_follows(policies.visible_follow_edges(me, edges, person="follower")), first=first, after=after)


def follow_status(*, viewer: Viewer, user: User) -> str | None:
    """The viewer's own edge to ``user`` (PENDING, ACCEPTED or None)."""
    if not policies.is_signed_in(viewer):
        return None
    return Follow.objects.filter(follower_id=viewer.pk, followee_id=user.pk).values_list("status", flat=True).first()


# Blocks and mutes: the viewer's own ------------------------------------------------------------


def block_target_get(*, viewer: Viewer, username: str) -> User:
    """The account a block, unblock, mute or unmute of the viewer's names (``blockable_users``):
    someone who blocked the viewer is ``NotFound``, exactly as a missing account."""
    return _by_username(policies.blockable_users(viewer, User.objects.all()), username)


def _own_rows_of(viewer: Viewer, rows: QuerySet[Any], person: str) -> QuerySet[Any]:
    """The viewer's block or mute rows whose ``person`` the viewer may find in their own lists."""
    return rows.filter(policies.blockable_q(viewer, prefix=f"{person}__")).select_related(person)


def blocked_users_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Block]:
    """The viewer's blocks, newest first."""
    me = require_signed_in(viewer)
    return keyset_page(_own_rows_of(me, Block.objects.filter(blocker=me), "blocked"), first=first, after=after)


def muted_users_page(*, viewer: Viewer, first: int | None, after: str | None) -> Page[Mute]:
    """The viewer's mutes, newest first."""
    me = require_signed_in(viewer)
    return keyset_page(_own_rows_of(me, Mute.objects.filter(muter=me), "muted"), first=first, after=after)


@dataclass(frozen=True)
class OwnBlocksAndMutes:
    """Whom the viewer blocked and muted: what ``viewerHasBlocked`` and ``viewerHasMuted`` tell.
    Never who blocked the viewer."""

    blocked_ids: frozenset[int]
    muted_ids: frozenset[int]


def own_blocks_and_mutes(*, viewer: Viewer) -> OwnBlocksAndMutes:
    """The ids of everyone the viewer blocked or muted, in one query, so that a page of users
    answers both flags for every row at that cost."""
    if not policies.is_signed_in(viewer):
        return OwnBlocksAndMutes(frozenset(), frozenset())
    blocked = (
        Block.objects.filter(blocker_id=viewer.pk).annotate(is_mute=Value(False)).values_list("blocked_id", "is_mute")
    )
    muted = Mute.objects.filter(muter_id=viewer.pk).annotate(is_mute=Value(True)).values_list("muted_id", "is_mute")
    rows = list(blocked.union(muted, all=True))
    return OwnBlocksAndMutes(
        blocked_ids=frozenset(pk for pk, is_mute in rows if not is_mute),
        muted_ids=frozenset(pk for pk, is_mute in rows if is_mute),
    )


# The right of access (docs/PRIVACY.md) -------------------------------------------------------


def iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _follow_edges(qs: QuerySet[Follow], other: str) -> list[dict[str, Any]]:
    rows = qs.filter(**{f"{other}__is_active": True}).select_related(other).order_by("created_at", "pk")
    return [
        {"username": getattr(edge, other).username, "status": edge.status, "since": iso_or_none(edge.created_at)}
        for edge in rows
    ]


def account_export(*, viewer: Viewer) -> dict[str, Any]:
    """The viewer's account as JSON data: profile, private fields, settings and follow edges both
    ways (pending requests too). Other people appear by username only, as in the API."""
    me = require_signed_in(viewer)
    return {
        "id": global_id("User", me.pk),
        "username": me.username,
        "email": me.email,
        "firstName": me.first_name or None,
        "lastName": me.last_name or None,
        "displayName": me.display_name,
        "bio": me.bio,
        "accountType": me.account_type,
        "country": me.country or None,
        "region": me.region or None,
        "birthYear": me.birth_year,
        "gender": me.gender or None,
        "isPrivate": me.is_private,
        "timeZone": me.time_zone,
        "dateJoined": iso_or_none(me.date_joined),
        "lastLogin": iso_or_none(me.last_login),
        "privacySettings": {
            "likedVideosVisibility": me.liked_videos_visibility,
            "defaultAllowDownload": me.default_allow_download,
            "defaultAllowComments": me.default_allow_comments,
            "defaultAllowDuet": me.default_allow_duet,
            "defaultAllowStitch": me.default_allow_stitch,
        },
        "notificationSettings": {
            "likes": me.notify_likes,
            "comments": me.notify_comments,
            "follows": me.notify_follows,
            "mentions": me.notify_mentions,
            "duets": me.notify_duets,
            "stitches": me.notify_stitches,
        },
        "following": _follow_edges(Follow.objects.filter(follower=me), "followee"),
        "followers": _follow_edges(Follow.objects.filter(followee=me), "follower"),
        "blocked": _own_choices(_own_rows_of(me, Block.objects.filter(blocker=me), "blocked"), "blocked"),
        "muted": _own_choices(_own_rows_of(me, Mute.objects.filter(muter=me), "muted"), "muted"),
    }


def _own_choices(rows: QuerySet[Any], person: str) -> list[dict[str, Any]]:
    """The viewer's own blocks or mutes as their lists show them; never who blocked the viewer."""
    return [
        {"username": getattr(row, person).username, "since": iso_or_none(row.created_at)}
        for row in rows.order_by("created_at", "pk")
    ]
