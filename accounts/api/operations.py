"""The accounts app's mutations, engine-neutral: sessions, profile, privacy settings, follows."""

from typing import Any

from django.http import HttpRequest

from accounts import selectors, services, sessions
from accounts.models import AccountType
from backend.graphql.operations import mutation


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
    inputs={"displayName": "String", "bio": "String", "country": "String", "birthYear": "Int", "gender": "Gender"},
    payload={"me": "Me!"},
)
def update_profile(*, request: HttpRequest, **fields: Any) -> dict[str, Any]:
    return {"me": services.user_update_profile(actor=request.user, **fields)}


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
    payload={"me": "Me!"},
)
def update_privacy_settings(*, request: HttpRequest, **fields: Any) -> dict[str, Any]:
    return {"me": services.user_update_privacy_settings(actor=request.user, **fields)}


@mutation("follow", inputs={"username": "String!"}, payload={"user": "User!", "status": "FollowStatus!"})
def follow(*, request: HttpRequest, username: str) -> dict[str, Any]:
    edge = services.follow(actor=request.user, username=username)
    return {"user": edge.followee, "status": edge.status}


@mutation("unfollow", inputs={"username": "String!"}, payload={"user": "User!", "removed": "Boolean!"})
def unfollow(*, request: HttpRequest, username: str) -> dict[str, Any]:
    removed = services.unfollow(actor=request.user, username=username)
    return {"user": selectors.user_get_by_username(viewer=request.user, username=username), "removed": removed}


@mutation("approveFollowRequest", inputs={"username": "String!"}, payload={"user": "User!"})
def approve_follow_request(*, request: HttpRequest, username: str) -> dict[str, Any]:
    return {"user": services.follow_request_approve(actor=request.user, username=username).follower}


@mutation("declineFollowRequest", inputs={"username": "String!"}, payload={"user": "User!"})
def decline_follow_request(*, request: HttpRequest, username: str) -> dict[str, Any]:
    services.follow_request_decline(actor=request.user, username=username)
    return {"user": selectors.user_get_by_username(viewer=request.user, username=username)}
