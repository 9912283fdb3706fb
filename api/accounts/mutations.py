"""The accounts app's mutations, engine-neutral: sessions, profile, privacy settings, follows,
blocks and mutes."""

from typing import Any

from django.http import HttpRequest

from accounts import selectors, services, sessions, tokens
from accounts.models import AccountType, User
from api.accounts.resolvers import forget_own_blocks_and_mutes
from api.mutations import mutation
from engagement import services as engagement_services
from kernel.ids import decode_id, global_id


def _viewer(me: User) -> dict[str, Any]:
    """The actor after a write to their account, under both types a client's cache keys them by:
    their own ``Me`` and their public ``User`` (the one videos and comments point at)."""
    return {"me": me, "viewer": me}


@mutation(
    "signUp",
    inputs={
        "username": "String!",
        "password": "String!",
        "email": "String!",
        "accountType": "AccountType",
        "country": "String",
    },
    payload={"user": "Me!"},
)
def sign_up(
    *,
    request: HttpRequest,
    username: str,
    password: str,
    email: str,
    account_type: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    user = services.user_sign_up(
        username=username,
        password=password,
        email=email,
        account_type=account_type or AccountType.PERSONAL,
        country=country or "",
    )
    sessions.session_start(request=request, user=user)
    return {"user": user}


@mutation("logIn", inputs={"username": "String!", "password": "String!"}, payload={"user": "Me!"})
def log_in(*, request: HttpRequest, username: str, password: str) -> dict[str, Any]:
    return {"user": sessions.session_log_in(request=request, username=username, password=password)}


@mutation("logOut", inputs={}, payload={"ok": "Boolean!"})
def log_out(*, request: HttpRequest) -> dict[str, Any]:
    sessions.session_log_out(request=request)
    return {"ok": True}


@mutation(
    "updateProfile",
    inputs={
        "displayName": "String",
        "bio": "String",
        "country": "String",
        "region": "String",
        "birthYear": "Int",
        "gender": "Gender",
        "timeZone": "String",
    },
    payload={"me": "Me!", "viewer": "User"},
)
def update_profile(*, request: HttpRequest, **fields: Any) -> dict[str, Any]:
    return _viewer(services.user_update_profile(actor=request.user, **fields))


@mutation(
    "updatePrivacySettings",
    inputs={
        "isPrivate": "Boolean",
        "likedVideosVisibility": "LikedVideosVisibility",
        "defaultAllowDownload": "Boolean",
        "defaultAllowComments": "InteractionAudience",
        "defaultAllowDuet": "InteractionAudience",
        "defaultAllowStitch": "InteractionAudience",
    },
    payload={"me": "Me!", "viewer": "User"},
)
def update_privacy_settings(*, request: HttpRequest, **fields: Any) -> dict[str, Any]:
    return _viewer(services.user_update_privacy_settings(actor=request.user, **fields))


@mutation(
    "updateNotificationSettings",
    inputs={
        "likes": "Boolean",
        "comments": "Boolean",
        "follows": "Boolean",
        "mentions": "Boolean",
        "duets": "Boolean",
        "stitches": "Boolean",
    },
    payload={"notificationSettings": "NotificationSettings!", "me": "Me!"},
)
def update_notification_settings(*, request: HttpRequest, **kinds: bool | None) -> dict[str, Any]:
    me = services.user_update_notification_settings(actor=request.user, **kinds)
    return {"notification_settings": me, "me": me}


@mutation("switchAccountType", inputs={"accountType": "AccountType!"}, payload={"me": "Me!", "viewer": "User"})
def switch_account_type(*, request: HttpRequest, account_type: str) -> dict[str, Any]:
    return _viewer(services.user_switch_account_type(actor=request.user, account_type=account_type))


@mutation(
    "follow",
    inputs={"username": "String!", "sourceVideoId": "ID"},
    payload={"user": "User!", "status": "FollowStatus!", "me": "Me", "viewer": "User"},
)
def follow(*, request: HttpRequest, username: str, source_video_id: str | None = None) -> dict[str, Any]:
    source = decode_id(source_video_id, expected="Video", field="sourceVideoId") if source_video_id else None
    edge = engagement_services.follow(actor=request.user, username=username, source_video_id=source)
    return {"user": edge.followee, "status": edge.status, **_viewer(selectors.me_get(viewer=request.user))}


@mutation(
    "unfollow",
    inputs={"username": "String!"},
    payload={"user": "User!", "removed": "Boolean!", "me": "Me", "viewer": "User"},
)
def unfollow(*, request: HttpRequest, username: str) -> dict[str, Any]:
    removed = services.unfollow(actor=request.user, username=username)
    return {
        "user": selectors.user_get_by_username(viewer=request.user, username=username),
        "removed": removed,
        **_viewer(selectors.me_get(viewer=request.user)),
    }


@mutation(
    "approveFollowRequest", inputs={"username": "String!"}, payload={"user": "User!", "me": "Me", "viewer": "User"}
)
def approve_follow_request(*, request: HttpRequest, username: str) -> dict[str, Any]:
    follower = services.follow_request_approve(actor=request.user, username=username).follower
    return {"user": follower, **_viewer(selectors.me_get(viewer=request.user))}


@mutation("declineFollowRequest", inputs={"username": "String!"}, payload={"user": "User!"})
def decline_follow_request(*, request: HttpRequest, username: str) -> dict[str, Any]:
    services.follow_request_decline(actor=request.user, username=username)
    return {"user": selectors.user_get_by_username(viewer=request.user, username=username)}


@mutation(
    "blockUser",
    inputs={"username": "String!"},
    payload={"blockedUserId": "ID!", "blocked": "Boolean!", "me": "Me", "viewer": "User"},
)
def block_user(*, request: HttpRequest, username: str) -> dict[str, Any]:
    """The blocked user is named by the global ID they had for the viewer: hidden from now on,
    like a removed object, for a client cache to drop."""
    blocked, created = services.user_block(actor=request.user, username=username)
    forget_own_blocks_and_mutes(request)
    return {
        "blocked_user_id": global_id("User", blocked.pk),
        "blocked": created,
        **_viewer(selectors.me_get(viewer=request.user)),
    }


@mutation("unblockUser", inputs={"username": "String!"}, payload={"user": "User!", "removed": "Boolean!", "me": "Me"})
def unblock_user(*, request: HttpRequest, username: str) -> dict[str, Any]:
    user, removed = services.user_unblock(actor=request.user, username=username)
    forget_own_blocks_and_mutes(request)
    return {"user": user, "removed": removed, "me": selectors.me_get(viewer=request.user)}


@mutation("muteUser", inputs={"username": "String!"}, payload={"user": "User", "muted": "Boolean!", "me": "Me"})
def mute_user(*, request: HttpRequest, username: str) -> dict[str, Any]:
    user, created = services.user_mute(actor=request.user, username=username)
    forget_own_blocks_and_mutes(request)
    return {"user": _as_seen_now(request, user), "muted": created, "me": selectors.me_get(viewer=request.user)}


@mutation("unmuteUser", inputs={"username": "String!"}, payload={"user": "User", "removed": "Boolean!", "me": "Me"})
def unmute_user(*, request: HttpRequest, username: str) -> dict[str, Any]:
    user, removed = services.user_unmute(actor=request.user, username=username)
    forget_own_blocks_and_mutes(request)
    return {"user": _as_seen_now(request, user), "removed": removed, "me": selectors.me_get(viewer=request.user)}


def _as_seen_now(request: HttpRequest, user: User) -> User | None:
    """A muted or unmuted user as a query returns them: null when the viewer also blocked them."""
    return selectors.users_by_ids(viewer=request.user, user_ids=[user.pk]).get(user.pk)


@mutation("deleteAccount", inputs={"password": "String!"}, payload={"deletedUserId": "ID!"})
def delete_account(*, request: HttpRequest, password: str) -> dict[str, Any]:
    """Erase the account (``engagement.services.user_delete_account``), then end the session."""
    deleted = engagement_services.user_delete_account(actor=request.user, password=password)
    sessions.session_log_out(request=request)
    return {"deleted_user_id": global_id("User", deleted)}


@mutation("recordProfileView", inputs={"username": "String!"}, payload={"user": "User!"})
def record_profile_view(*, request: HttpRequest, username: str) -> dict[str, Any]:
    return {"user": services.profile_view_record(actor=request.user, username=username)}


@mutation(
    "createAccessToken",
    inputs={"name": "String!", "scopes": "[TokenScope!]!"},
    payload={"token": "String!", "accessToken": "AccessToken!"},
)
def create_access_token(*, request: HttpRequest, name: str, scopes: list[str]) -> dict[str, Any]:
    access_token, token = tokens.access_token_create(actor=request.user, name=name, scopes=scopes)
    return {"token": token, "access_token": access_token}


@mutation("revokeAccessToken", inputs={"tokenId": "ID!"}, payload={"revokedTokenId": "ID!"})
def revoke_access_token(*, request: HttpRequest, token_id: str) -> dict[str, Any]:
    pk = tokens.access_token_revoke(
        actor=request.user, token_id=decode_id(token_id, expected="AccessToken", field="tokenId")
    )
    return {"revoked_token_id": global_id("AccessToken", pk)}
