"""Field resolution for the engagement types, engine-neutral: each engine's resolver is a one-line
call here, so what a field returns is decided once. Access is the selectors' and policies' job."""

from typing import Any

from accounts.policies import Viewer
from backend.pagination import Page
from engagement import selectors
from engagement.models import Favorite, Notification, Video
from engagement.selectors import InsightTotals


def video_counter(video: Video, name: str) -> int:
    return int(getattr(video.counters, name))


def video_viewer_flag(video: Video, name: str) -> bool:
    """``viewer_has_saved``/``viewer_has_liked``, annotated in SQL by the selectors."""
    return bool(getattr(video, name, False))


def video_comments(viewer: Viewer, video: Video, *, first: int | None, after: str | None) -> Page[Any]:
    return selectors.comments_page(viewer=viewer, video=video, first=first, after=after)


def video_insights(viewer: Viewer, video: Video) -> InsightTotals:
    return selectors.video_insights(viewer=viewer, video=video)


def favorite_video(favorite: Favorite) -> Video | None:
    """Null once the saver may no longer see the video (rule 4)."""
    return favorite.video if selectors.favorite_is_available(favorite) else None


def favorite_is_available(favorite: Favorite) -> bool:
    return selectors.favorite_is_available(favorite)


def notification_video(notification: Notification) -> Video | None:
    return notification.video if getattr(notification, "video_is_visible", False) else None
