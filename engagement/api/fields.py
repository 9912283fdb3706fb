"""Field resolution for the engagement types, engine-neutral: each engine's resolver is a one-line
call here, so what a field returns is decided once. Access is the selectors' and policies' job."""

from datetime import date
from typing import Any

from accounts.policies import Viewer
from backend.pagination import Page
from engagement import counters, selectors
from engagement.analytics import selectors as analytics
from engagement.analytics.privacy import Breakdown
from engagement.models import Favorite, Notification, Video
from engagement.selectors import InsightTotals


def video_counter(video: Video, name: str) -> int:
    """The total as reads show it: the counters row plus any spilled slots (``engagement.counters``)."""
    return counters.totals(video)[name]


def video_viewer_flag(viewer: Viewer, video: Video, name: str) -> bool:
    """``viewer_has_saved``/``viewer_has_liked``: annotated in SQL by the page that asked for them."""
    return selectors.video_viewer_flags(viewer=viewer, video=video)[name]


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


# Insights: series and breakdowns of a video, the viewer's account -------------------------------


def insights_daily(viewer: Viewer, totals: InsightTotals, *, first: date, last: date) -> list[analytics.VideoDay]:
    return analytics.video_daily_series(viewer=viewer, video=_insights_video(totals), first=first, last=last)


def insights_breakdown(viewer: Viewer, totals: InsightTotals, dimension: str, *, first: date, last: date) -> Breakdown:
    video = _insights_video(totals)
    return analytics.video_breakdown(viewer=viewer, video=video, dimension=dimension, first=first, last=last)


def _insights_video(totals: InsightTotals) -> Video:
    assert totals.video is not None, "insights built without their video"
    return totals.video


def account_follower_growth(
    viewer: Viewer, insights: analytics.AccountInsights, *, first: date, last: date
) -> list[analytics.FollowerDay]:
    return analytics.account_follower_growth(viewer=viewer, insights=insights, first=first, last=last)


def account_follower_breakdown(
    viewer: Viewer, insights: analytics.AccountInsights, dimension: str, *, first: date, last: date
) -> Breakdown:
    return analytics.account_follower_breakdown(
        viewer=viewer, insights=insights, dimension=dimension, first=first, last=last
    )


def account_follower_activity(
    viewer: Viewer, insights: analytics.AccountInsights, *, first: date, last: date
) -> Breakdown:
    return analytics.account_follower_activity(viewer=viewer, insights=insights, first=first, last=last)


def account_profile_views(viewer: Viewer, insights: analytics.AccountInsights, *, first: date, last: date) -> int:
    return analytics.account_profile_views(viewer=viewer, insights=insights, first=first, last=last)


def account_top_videos(
    viewer: Viewer, insights: analytics.AccountInsights, by: str, *, first: date, last: date
) -> list[analytics.TopVideo]:
    return analytics.account_top_videos(viewer=viewer, insights=insights, by=by, first=first, last=last)
