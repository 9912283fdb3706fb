"""How ``User``, ``Me`` and ``AccessToken`` fields get their values, engine-neutral:
``resolve(root, call, **arguments)`` as ``api.accounts.types`` declares them. Pages come back
with their nodes (a follow edge becomes the user it points at)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts import selectors, tokens
from accounts.models import User
from accounts.viewers import request_user
from api.declarations import Call
from api.engagement.resolvers import VIDEO_FLAG_FIELDS, reads_video_flags
from engagement import selectors as engagement_selectors
from engagement.analytics import selectors as analytics
from kernel import ratelimit
from kernel.ids import decode_id
from kernel.pagination import Page, page_map


def blank_to_none(attribute: str) -> Any:
    """Optional profile fields are stored blank and shown as null."""
    return lambda user: getattr(user, attribute) or None


def user_videos(user: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.user_videos_page(
        viewer=call.viewer, owner=user, first=first, after=after, viewer_flags=reads_video_flags(call)
    )


def user_liked_videos(user: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    page = engagement_selectors.liked_videos_page(viewer=call.viewer, user=user, first=first, after=after)
    return page_map(page, lambda like: like.video)


def me_favorites(me: User, call: Call, *, first: int | None, after: str | None, collection_id: str | None) -> Page[Any]:
    collection = (
        decode_id(collection_id, expected="FavoriteCollection", field="collectionId") if collection_id else None
    )
    node = call.selection().under("edges", "node")
    return engagement_selectors.favorites_page(
        viewer=call.viewer,
        first=first,
        after=after,
        collection_id=collection,
        viewer_flags=bool(VIDEO_FLAG_FIELDS & node.under("video").names()),
        collection="collection" in node,
    )


def me_collections(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.collections_page(viewer=call.viewer, first=first, after=after)


def me_following(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    page = selectors.following_page(viewer=call.viewer, user=me, first=first, after=after)
    return page_map(page, _followee)


def me_following_feed(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.following_feed_page(
        viewer=call.viewer, first=first, after=after, viewer_flags=reads_video_flags(call)
    )


def me_followers(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    page = selectors.followers_page(viewer=call.viewer, user=me, first=first, after=after)
    return page_map(page, _follower)


def me_follow_requests(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return page_map(selectors.follow_requests_page(viewer=call.viewer, first=first, after=after), _follower)


def me_notifications(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.notifications_page(viewer=call.viewer, first=first, after=after)


def me_unread_notification_count(me: User, call: Call) -> int:
    return engagement_selectors.unread_notification_count(viewer=call.viewer)


# Blocks and mutes: the viewer's own ------------------------------------------------------------


def me_blocked_users(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return page_map(selectors.blocked_users_page(viewer=call.viewer, first=first, after=after), _blocked)


def me_muted_users(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return page_map(selectors.muted_users_page(viewer=call.viewer, first=first, after=after), _muted)


def user_viewer_has_blocked(user: User, call: Call) -> bool:
    return user.pk in _own_blocks_and_mutes(call).blocked_ids


def user_viewer_has_muted(user: User, call: Call) -> bool:
    return user.pk in _own_blocks_and_mutes(call).muted_ids


_OWN_BLOCKS_AND_MUTES = "_own_blocks_and_mutes"


def _own_blocks_and_mutes(call: Call) -> selectors.OwnBlocksAndMutes:
    """Read once per request and kept on its viewer (as Django keeps a user's permissions), so a
    page of users costs one query for both flags of every row; a mutation that changes them
    forgets it (``forget_own_blocks_and_mutes``)."""
    viewer = call.viewer
    known: selectors.OwnBlocksAndMutes | None = viewer.__dict__.get(_OWN_BLOCKS_AND_MUTES)
    if known is None:
        known = viewer.__dict__[_OWN_BLOCKS_AND_MUTES] = selectors.own_blocks_and_mutes(viewer=viewer)
    return known


def forget_own_blocks_and_mutes(request: HttpRequest) -> None:
    request_user(request).__dict__.pop(_OWN_BLOCKS_AND_MUTES, None)


def _blocked(block: Any) -> User:
    blocked: User = block.blocked
    return blocked


def _muted(mute: Any) -> User:
    muted: User = mute.muted
    return muted


def _followee(edge: Any) -> User:
    followee: User = edge.followee
    return followee


def _follower(edge: Any) -> User:
    follower: User = edge.follower
    return follower


EXPORT_FORMAT = "silent-saves-export/1"


def me_export(me: User, call: Call) -> dict[str, Any]:
    """``Me.export``: everything held about the viewer in one JSON document (the right of access)."""
    return {
        "format": EXPORT_FORMAT,
        "exportedAt": timezone.now().isoformat(),
        "account": selectors.account_export(viewer=call.viewer),
        **engagement_selectors.engagement_export(viewer=call.viewer),
    }


def me_insights(me: User, call: Call) -> Any:
    return analytics.account_insights(viewer=call.viewer)


def me_managed_videos(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return engagement_selectors.managed_videos_page(viewer=call.viewer, first=first, after=after)


# Access tokens: listed with their details, never the token -----------------------------------


def me_access_tokens(me: User, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return tokens.access_tokens_page(viewer=call.viewer, first=first, after=after)


def access_token_application(token: Any) -> str | None:
    return token.application.name if token.application else None


def access_token_points_used(token: Any) -> int:
    return ratelimit.budget_used(ratelimit.token_budget_key(token))
