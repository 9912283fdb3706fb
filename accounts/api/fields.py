"""Field resolution for ``User`` and ``Me``, engine-neutral: each engine's resolver is a one-line
call here. Pages come back with their nodes (a follow edge becomes the user it points at)."""

from typing import Any

from django.utils import timezone

from accounts import selectors, tokens
from accounts.models import User
from accounts.policies import Viewer
from backend import ratelimit
from backend.graphql.ids import decode_id
from backend.graphql.selection import Selection
from backend.pagination import Page, page_map
from engagement import selectors as engagement_selectors
from engagement.analytics import selectors as analytics


def blank_to_none(value: str) -> str | None:
    """Optional profile fields are stored blank and shown as null."""
    return value or None


# What a video page loads only for a query that reads it.
VIDEO_FLAG_FIELDS = frozenset({"viewerHasSaved", "viewerHasLiked"})


def user_videos(viewer: Viewer, user: User, *, first: int | None, after: str | None, selection: Selection) -> Page[Any]:
    flags = bool(VIDEO_FLAG_FIELDS & selection.under("edges", "node").names())
    return engagement_selectors.user_videos_page(
        viewer=viewer, owner=user, first=first, after=after, viewer_flags=flags
    )


def user_liked_videos(viewer: Viewer, user: User, *, first: int | None, after: str | None) -> Page[Any]:
    page = engagement_selectors.liked_videos_page(viewer=viewer, user=user, first=first, after=after)
    return page_map(page, lambda like: like.video)


def me_favorites(
    viewer: Viewer, *, first: int | None, after: str | None, collection_id: str | None, selection: Selection
) -> Page[Any]:
    collection = (
        decode_id(collection_id, expected="FavoriteCollection", field="collectionId") if collection_id else None
    )
    node = selection.under("edges", "node")
    return engagement_selectors.favorites_page(
        viewer=viewer,
        first=first,
        after=after,
        collection_id=collection,
        viewer_flags=bool(VIDEO_FLAG_FIELDS & node.under("video").names()),
        collection="collection" in node,
    )


def me_collections(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.collections_page(viewer=viewer, first=first, after=after)


def me_following(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return page_map(selectors.following_page(viewer=viewer, user=viewer, first=first, after=after), _followee)


def me_followers(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return page_map(selectors.followers_page(viewer=viewer, user=viewer, first=first, after=after), _follower)


def me_follow_requests(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return page_map(selectors.follow_requests_page(viewer=viewer, first=first, after=after), _follower)


def me_notifications(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.notifications_page(viewer=viewer, first=first, after=after)


def me_unread_notification_count(viewer: Viewer) -> int:
    return engagement_selectors.unread_notification_count(viewer=viewer)


def _followee(edge: Any) -> User:
    followee: User = edge.followee
    return followee


def _follower(edge: Any) -> User:
    follower: User = edge.follower
    return follower


EXPORT_FORMAT = "silent-saves-export/1"


def me_export(viewer: Viewer) -> dict[str, Any]:
    """``Me.export``: everything held about the viewer in one JSON document (the right of access)."""
    return {
        "format": EXPORT_FORMAT,
        "exportedAt": timezone.now().isoformat(),
        "account": selectors.account_export(viewer=viewer),
        **engagement_selectors.engagement_export(viewer=viewer),
    }


def me_insights(viewer: Viewer) -> Any:
    return analytics.account_insights(viewer=viewer)


def me_managed_videos(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.managed_videos_page(viewer=viewer, first=first, after=after)


# Access tokens: listed with their details, never the token -----------------------------------


def me_access_tokens(viewer: Viewer, *, first: int | None, after: str | None) -> Page[Any]:
    return tokens.access_tokens_page(viewer=viewer, first=first, after=after)


def access_token_name(token: Any) -> str:
    return tokens.token_name(token)


def access_token_application(token: Any) -> str | None:
    return token.application.name if token.application else None


def access_token_scopes(token: Any) -> list[str]:
    return tokens.token_scopes(token)


def access_token_last_used_at(token: Any) -> Any:
    return tokens.token_last_used_at(token)


def access_token_renewable_until(token: Any) -> Any:
    return tokens.token_renewable_until(token)


def access_token_points_used(token: Any) -> int:
    return ratelimit.budget_used(ratelimit.token_budget_key(token))
