"""Writes about users and the follow graph: one place for every state change.

Keyword-only, actor first, atomic; double taps are harmless (unfollowing twice is one unfollow).
A follow notifies, and deleting an account erases its engagement too: those two writes are in
``engagement.services``, which may use this app (this app never uses that one).
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from accounts.models import (
    AccountType,
    Block,
    Follow,
    FollowStatus,
    Gender,
    InteractionAudience,
    LikedVideosVisibility,
    Mute,
    ProfileView,
    User,
)
from accounts.places import clean_country, clean_region
from accounts.policies import is_self
from accounts.selectors import block_target_get, require_signed_in, user_get_by_username
from accounts.time_zones import clean_time_zone
from accounts.viewers import Viewer
from kernel import routers
from kernel.errors import InvalidInput, NotFound
from kernel.validation import clean_choice, clean_range, clean_text

USERNAME_MAX_LENGTH = 30
USERNAME_ALLOWED = set("abcdefghijklmnopqrstuvwxyz0123456789._")
EARLIEST_BIRTH_YEAR = 1900


def _clean_username(username: str) -> str:
    name = clean_text(username, field="username", max_length=USERNAME_MAX_LENGTH).lower()
    if len(name) < 2 or not set(name) <= USERNAME_ALLOWED:
        raise InvalidInput(
            "username takes 2 to 30 characters: letters, digits, dots and underscores.", field="username"
        )
    return name


@transaction.atomic
def user_sign_up(
    *,
    username: str,
    password: str,
    email: str,
    account_type: str = AccountType.PERSONAL,
    country: str = "",
) -> User:
    name = _clean_username(username)
    email = clean_text(email, field="email", max_length=254)
    if "@" not in email:
        raise InvalidInput("email must be an email address.", field="email")
    user = User(
        username=name,
        email=email,
        account_type=clean_choice(account_type, field="accountType", choices=AccountType),
        country=clean_country(country),
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from error
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise InvalidInput("That username is taken.", field="username") from error
    return user


@transaction.atomic
def user_update_profile(
    *,
    actor: Viewer,
    display_name: str | None = None,
    bio: str | None = None,
    country: str | None = None,
    region: str | None = None,
    birth_year: int | None = None,
    gender: str | None = None,
    time_zone: str | None = None,
) -> User:
    me = require_signed_in(actor)
    changes: dict[str, object] = {}
    if display_name is not None:
        changes["display_name"] = clean_text(display_name, field="displayName", max_length=64, allow_empty=True)
    if bio is not None:
        changes["bio"] = clean_text(bio, field="bio", max_length=160, allow_empty=True)
    if country is not None:
        changes["country"] = clean_country(country)
    if region is not None or "country" in changes:
        changes["region"] = _region_in(me, changes, region)
    if birth_year is not None:
        changes["birth_year"] = clean_range(birth_year, field="birthYear", minimum=EARLIEST_BIRTH_YEAR, maximum=2100)
    if gender is not None:
        changes["gender"] = clean_choice(gender, field="gender", choices=Gender) if gender else ""
    if time_zone is not None:
        changes["time_zone"] = clean_time_zone(time_zone)
    _save_own_fields(me, changes)
    return me


def _region_in(me: User, changes: dict[str, object], region: str | None) -> str:
    """The region to keep: the one given, checked against the country after the change; without
    one, the current region if it still lies in that country, else none."""
    country = str(changes.get("country", me.country))
    if region is not None:
        return clean_region(region, country=country)
    return me.region if me.region.startswith(f"{country}-") else ""


def _save_own_fields(me: User, changes: dict[str, object]) -> None:
    """Write only the fields the user changed: ``me`` was loaded when the request began, and
    saving every column would put back follower counts that a concurrent follow moved since."""
    for name, value in changes.items():
        setattr(me, name, value)
    if changes:
        me.save(update_fields=list(changes))


@transaction.atomic
def user_update_privacy_settings(
    *,
    actor: Viewer,
    is_private: bool | None = None,
    liked_videos_visibility: str | None = None,
    default_allow_download: bool | None = None,
    default_allow_comments: str | None = None,
    default_allow_duet: str | None = None,
    default_allow_stitch: str | None = None,
) -> User:
    me = require_signed_in(actor)
    changes: dict[str, object] = {}
    if is_private is not None:
        changes["is_private"] = is_private
    if liked_videos_visibility is not None:
        changes["liked_videos_visibility"] = clean_choice(
            liked_videos_visibility, field="likedVideosVisibility", choices=LikedVideosVisibility
        )
    if default_allow_download is not None:
        changes["default_allow_download"] = default_allow_download
    for field, value in (
        ("default_allow_comments", default_allow_comments),
        ("default_allow_duet", default_allow_duet),
        ("default_allow_stitch", default_allow_stitch),
    ):
        if value is not None:
            changes[field] = clean_choice(value, field=field, choices=InteractionAudience)
    # Who may see the account's videos or likes (compared before ``me`` takes the new values).
    audience = ("is_private", "liked_videos_visibility")
    if any(name in changes and changes[name] != getattr(me, name) for name in audience):
        routers.visibility_changed_for_everyone()
    _save_own_fields(me, changes)
    if is_private is False:
        _accept_pending_requests(me)
    return me


@transaction.atomic
def user_update_notification_settings(
    *,
    actor: Viewer,
    likes: bool | None = None,
    comments: bool | None = None,
    follows: bool | None = None,
    mentions: bool | None = None,
    duets: bool | None = None,
    stitches: bool | None = None,
) -> User:
    """Switch kinds of notification on or off (``None`` leaves one as it is). They are asked before
    a notification is written (``engagement.services``), so switching one off sends nothing new
    and leaves those already received, and anything else (a pending follow request), alone."""
    me = require_signed_in(actor)
    chosen = {
        "notify_likes": likes,
        "notify_comments": comments,
        "notify_follows": follows,
        "notify_mentions": mentions,
        "notify_duets": duets,
        "notify_stitches": stitches,
    }
    _save_own_fields(me, {name: value for name, value in chosen.items() if value is not None})
    return me


@transaction.atomic
def user_switch_account_type(*, actor: Viewer, account_type: str) -> User:
    """Make the account PERSONAL, CREATOR or BUSINESS; switching to the type it has changes nothing.
    Nothing is deleted either way: the insights policies (``engagement.policies``) read the type on
    every request, so what insights show widens or narrows at once, over rollups and delegations
    that stay as they were."""
    me = require_signed_in(actor)
    chosen = clean_choice(account_type, field="accountType", choices=AccountType)
    _save_own_fields(me, {"account_type": chosen} if chosen != me.account_type else {})
    return me


def _accept_pending_requests(me: User) -> None:
    """A public account has no follow requests: going public accepts those waiting, as
    Instagram and TikTok do, so no one stays pending for an account anyone may follow."""
    pending = Follow.objects.select_for_update().filter(followee=me, status=FollowStatus.PENDING)
    follower_ids = list(pending.values_list("follower_id", flat=True))
    if not follower_ids:
        return
    Follow.objects.filter(followee=me, follower_id__in=follower_ids).update(status=FollowStatus.ACCEPTED)
    User.objects.filter(pk__in=follower_ids).update(following_count=F("following_count") + 1)
    User.objects.filter(pk=me.pk).update(follower_count=F("follower_count") + len(follower_ids))
    me.refresh_from_db(fields=["follower_count"])


def follow_counters_move(follow: Follow, step: int) -> None:
    """Move both counters in SQL, then reload them on the edge's users already in memory, so a
    caller that returns those users (the follow and approve payloads) shows the new totals."""
    User.objects.filter(pk=follow.followee_id).update(follower_count=F("follower_count") + step)
    User.objects.filter(pk=follow.follower_id).update(following_count=F("following_count") + step)
    for name in ("followee", "follower"):
        if getattr(Follow, name).is_cached(follow):
            getattr(follow, name).refresh_from_db(fields=["follower_count", "following_count"])


@transaction.atomic
def unfollow(*, actor: Viewer, username: str) -> bool:
    """Remove the viewer's follow or pending request; returns whether anything was removed."""
    me = require_signed_in(actor)
    target = user_get_by_username(viewer=me, username=username)
    edge = Follow.objects.select_for_update().filter(follower=me, followee=target).first()
    removed = edge is not None and _follow_remove(edge)
    if removed:
        routers.visibility_changed_for(me, target)
    return removed


def _follow_remove(edge: Follow) -> bool:
    """Delete a locked follow edge; the counters move only when the row was really deleted and
    the follow was accepted (a pending request counts nowhere)."""
    deleted, _ = Follow.objects.filter(pk=edge.pk).delete()
    if deleted and edge.status == FollowStatus.ACCEPTED:
        follow_counters_move(edge, -1)
    return bool(deleted)


def _pending_request(me: User, username: str) -> Follow:
    requester = user_get_by_username(viewer=me, username=username)
    edge = (
        Follow.objects.select_for_update(of=("self",))
        .filter(follower=requester, followee=me, status=FollowStatus.PENDING)
        .select_related("follower")
        .first()
    )
    if edge is None:
        raise NotFound("No pending follow request from that user.")
    return edge


@transaction.atomic
def follow_request_approve(*, actor: Viewer, username: str) -> Follow:
    me = require_signed_in(actor)
    edge = _pending_request(me, username)
    edge.status = FollowStatus.ACCEPTED
    edge.save(update_fields=["status"])
    follow_counters_move(edge, +1)
    routers.visibility_changed_for(me, edge.follower)
    return edge


@transaction.atomic
def follow_request_decline(*, actor: Viewer, username: str) -> bool:
    me = require_signed_in(actor)
    edge = _pending_request(me, username)
    edge.delete()
    routers.visibility_changed_for(me, edge.follower)
    return True


# Blocks and mutes ("Blocks and mutes", docs/ARCHITECTURE.md) -----------------------------------
# Neither notifies anyone. A block ends the follows between the two, both ways; a mute changes
# nothing but what the muter is shown.


def _block_target(me: User, username: str, doing: str) -> User:
    """The account named, as ``block_target_get`` finds it; never the actor."""
    target = block_target_get(viewer=me, username=username)
    if target.pk == me.pk:
        raise InvalidInput(f"You cannot {doing} yourself.", field="username")
    return target


@transaction.atomic
def user_block(*, actor: Viewer, username: str) -> tuple[User, bool]:
    """Block someone: the two are hidden from each other everywhere, and every follow or request
    between them ends, counters moving as an unfollow moves them. Blocking twice is one block.
    Returns the account and whether this call made the block."""
    me = require_signed_in(actor)
    target = _block_target(me, username, "block")
    _, created = Block.objects.get_or_create(blocker=me, blocked=target)
    between = Follow.objects.select_for_update().filter(
        Q(follower=me, followee=target) | Q(follower=target, followee=me)
    )
    ended = [_follow_remove(edge) for edge in between]
    if created or any(ended):
        routers.visibility_changed_for(me, target)
    return target, created


@transaction.atomic
def user_unblock(*, actor: Viewer, username: str) -> tuple[User, bool]:
    """Lift the viewer's own block; the other's block of the viewer, if any, stays in force (and
    makes them missing here). Follows ended by the block do not come back. Returns the account
    and whether a block was removed."""
    me = require_signed_in(actor)
    target = _block_target(me, username, "unblock")
    deleted, _ = Block.objects.filter(blocker=me, blocked=target).delete()
    if deleted:
        routers.visibility_changed_for(me, target)
    return target, bool(deleted)


@transaction.atomic
def user_mute(*, actor: Viewer, username: str) -> tuple[User, bool]:
    """Mute someone, for the muter alone. Muting twice is one mute. Returns the account and
    whether this call made the mute."""
    me = require_signed_in(actor)
    target = _block_target(me, username, "mute")
    _, created = Mute.objects.get_or_create(muter=me, muted=target)
    return target, created


@transaction.atomic
def user_unmute(*, actor: Viewer, username: str) -> tuple[User, bool]:
    me = require_signed_in(actor)
    target = _block_target(me, username, "unmute")
    deleted, _ = Mute.objects.filter(muter=me, muted=target).delete()
    return target, bool(deleted)


# Erasure (the right to be forgotten, docs/PRIVACY.md) ------------------------------------------


def follows_erase(user: User) -> None:
    """Everyone on the other side of an accepted follow loses one follower or followee; then
    every edge goes, pending requests both ways included."""
    accepted = Follow.objects.filter(status=FollowStatus.ACCEPTED)
    User.objects.filter(pk__in=accepted.filter(follower=user).values("followee_id")).update(
        follower_count=F("follower_count") - 1
    )
    User.objects.filter(pk__in=accepted.filter(followee=user).values("follower_id")).update(
        following_count=F("following_count") - 1
    )
    Follow.objects.filter(Q(follower=user) | Q(followee=user)).delete()


# Profile views ---------------------------------------------------------------------------------


def profile_view_record(*, actor: Viewer, username: str) -> User:
    """Count a view of a profile, for its owner's totals; anonymous viewers count, the owner's
    own visits do not. Never notifies, and who viewed is not stored."""
    profile = user_get_by_username(viewer=actor, username=username)
    if not is_self(actor, profile):
        ProfileView.objects.create(profile=profile)
    return profile
