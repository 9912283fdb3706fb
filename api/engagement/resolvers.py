"""How the engagement types' fields get their values, engine-neutral: ``resolve(root, call,
**arguments)`` as ``api.engagement.types`` declares them. Access is the selectors' and
policies' job; these only pick the selector and shape its answer."""

from collections.abc import Callable
from datetime import date
from typing import Any

from accounts.models import User
from api.declarations import Call
from engagement import counters, search, selectors
from engagement.analytics import export_links, exports, overview, top_rates, weekly
from engagement.analytics import selectors as analytics
from engagement.analytics.models import InsightsExport
from engagement.analytics.privacy import Breakdown
from engagement.analytics.rates import Rate
from engagement.analytics.retention import Retention, video_retention
from engagement.media import links
from engagement.media.links import MediaFile
from engagement.models import Comment, Favorite, Hashtag, Notification, Video
from engagement.selectors import InsightTotals
from kernel.pagination import Page

# What a page of videos loads only for a query that reads it.
VIDEO_FLAG_FIELDS = frozenset({"viewerHasSaved", "viewerHasLiked"})


def reads_video_flags(call: Call) -> bool:
    """Whether the videos of the connection being resolved are asked for the viewer's flags."""
    return bool(VIDEO_FLAG_FIELDS & call.selection().under("edges", "node").names())


def video_counter(name: str) -> Any:
    """The total as reads show it: the counters row plus any spilled slots (``engagement.counters``)."""
    return lambda video: counters.totals(video)[name]


def video_viewer_flag(name: str) -> Any:
    """``viewer_has_saved``/``viewer_has_liked``: annotated in SQL by the page that asked for them."""
    return lambda video, call: selectors.video_viewer_flags(viewer=call.viewer, video=video)[name]


def video_comments(video: Video, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return selectors.comments_page(viewer=call.viewer, video=video, first=first, after=after)


def video_file_url(kind: MediaFile) -> Callable[[Video, Call], str | None]:
    def resolve(video: Video, call: Call) -> str | None:
        url = links.file_url(call.viewer, video, kind)
        return call.request.build_absolute_uri(url) if url else None

    return resolve


def video_processing_error(video: Video, call: Call) -> str | None:
    media = links.media_of(video)
    return media.error or None if media is not None else None


def video_remix_of(video: Video, call: Call) -> Video | None:
    return selectors.remix_source(viewer=call.viewer, video=video)


def video_remixes(video: Video, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return selectors.remixes_page(viewer=call.viewer, video=video, first=first, after=after)


def comment_reply_to(comment: Comment, call: Call) -> Comment | None:
    return selectors.comment_parent(viewer=call.viewer, comment=comment)


def comment_replies(comment: Comment, call: Call, *, first: int | None, after: str | None) -> Page[Any]:
    return selectors.replies_page(viewer=call.viewer, comment=comment, first=first, after=after)


def comment_reply_count(comment: Comment, call: Call) -> int:
    return selectors.reply_count(viewer=call.viewer, comment=comment)


def video_pinned_comment(video: Video, call: Call) -> Comment | None:
    return selectors.pinned_comment(viewer=call.viewer, video=video)


def video_insights(video: Video, call: Call) -> InsightTotals:
    return selectors.video_insights(viewer=call.viewer, video=video)


def favorite_video(favorite: Favorite) -> Video | None:
    """Null once the saver may no longer see the video."""
    return favorite.video if selectors.favorite_is_available(favorite) else None


def favorite_is_available(favorite: Favorite) -> bool:
    return selectors.favorite_is_available(favorite)


def notification_video(notification: Notification) -> Video | None:
    return notification.video if getattr(notification, "video_is_visible", False) else None


# Search and hashtags -----------------------------------------------------------------------------


def hashtag_videos(hashtag: Hashtag, call: Call, *, first: int | None, after: str | None) -> Page[Video]:
    return search.hashtag_videos_page(
        viewer=call.viewer, hashtag=hashtag, first=first, after=after, viewer_flags=reads_video_flags(call)
    )


def search_videos(found: search.Search, call: Call, *, first: int | None, after: str | None) -> Page[Video]:
    return search.videos_search_page(
        viewer=call.viewer, search=found, first=first, after=after, viewer_flags=reads_video_flags(call)
    )


def search_users(found: search.Search, call: Call, *, first: int | None, after: str | None) -> Page[User]:
    return search.users_search_page(viewer=call.viewer, search=found, first=first, after=after)


def search_hashtags(found: search.Search, call: Call, *, first: int | None, after: str | None) -> Page[Hashtag]:
    return search.hashtags_search_page(viewer=call.viewer, search=found, first=first, after=after)


# Insights: series and breakdowns of a video, the viewer's account -------------------------------


def insights_daily(totals: InsightTotals, call: Call, *, first: date, last: date) -> list[analytics.VideoDay]:
    return analytics.video_daily_series(viewer=call.viewer, video=_insights_video(totals), first=first, last=last)


def insights_breakdown(dimension: str) -> Any:
    def resolve(totals: InsightTotals, call: Call, *, first: date, last: date, country: str | None = None) -> Breakdown:
        return analytics.video_breakdown(
            viewer=call.viewer,
            video=_insights_video(totals),
            dimension=dimension,
            first=first,
            last=last,
            country=country,
        )

    return resolve


def insights_country_viewers(
    totals: InsightTotals, call: Call, *, first: date, last: date, country: str
) -> analytics.CountryViewers:
    return analytics.video_country_viewers(
        viewer=call.viewer, video=_insights_video(totals), country=country, first=first, last=last
    )


def insights_rate(rate: Rate) -> Any:
    def resolve(totals: InsightTotals, call: Call) -> float | None:
        return analytics.video_rate(viewer=call.viewer, totals=totals, rate=rate)

    return resolve


def insights_retention(
    totals: InsightTotals, call: Call, *, first: date, last: date, country: str | None = None
) -> Retention:
    return video_retention(viewer=call.viewer, video=_insights_video(totals), first=first, last=last, country=country)


def _insights_video(totals: InsightTotals) -> Video:
    assert totals.video is not None, "insights built without their video"
    return totals.video


def account_follower_growth(
    insights: analytics.AccountInsights, call: Call, *, first: date, last: date
) -> list[analytics.FollowerDay]:
    return analytics.account_follower_growth(viewer=call.viewer, insights=insights, first=first, last=last)


def account_follower_breakdown(dimension: str) -> Any:
    def resolve(
        insights: analytics.AccountInsights, call: Call, *, first: date, last: date, country: str | None = None
    ) -> Breakdown:
        return analytics.account_follower_breakdown(
            viewer=call.viewer, insights=insights, dimension=dimension, first=first, last=last, country=country
        )

    return resolve


def account_follower_activity(
    insights: analytics.AccountInsights, call: Call, *, first: date, last: date, country: str | None = None
) -> Breakdown:
    return analytics.account_follower_activity(
        viewer=call.viewer, insights=insights, first=first, last=last, country=country
    )


def account_weekly_activity(
    insights: analytics.AccountInsights, call: Call, *, first: date, last: date, country: str | None = None
) -> weekly.WeeklyActivity:
    return weekly.account_weekly_activity(
        viewer=call.viewer, insights=insights, first=first, last=last, country=country
    )


def account_best_times(
    insights: analytics.AccountInsights, call: Call, *, first: date, last: date, country: str | None = None
) -> list[weekly.PostingTime]:
    return weekly.account_best_times(viewer=call.viewer, insights=insights, first=first, last=last, country=country)


def account_profile_views(insights: analytics.AccountInsights, call: Call, *, first: date, last: date) -> int:
    return analytics.account_profile_views(viewer=call.viewer, insights=insights, first=first, last=last)


def account_top_videos(by: str) -> Any:
    def resolve(
        insights: analytics.AccountInsights, call: Call, *, first: date, last: date
    ) -> list[analytics.TopVideo]:
        return analytics.account_top_videos(viewer=call.viewer, insights=insights, by=by, first=first, last=last)

    return resolve


def account_overview(
    insights: analytics.AccountInsights, call: Call, *, first: date, last: date, compare_to: str | None = None
) -> overview.InsightsOverview:
    comparison = None if compare_to is None else overview.Comparison(compare_to)
    return overview.account_overview(
        viewer=call.viewer, insights=insights, first=first, last=last, compare_to=comparison
    )


def account_top_videos_by_rate(rate: Rate) -> Any:
    def resolve(
        insights: analytics.AccountInsights, call: Call, *, first: date, last: date
    ) -> list[top_rates.TopVideoByRate]:
        return top_rates.account_top_videos_by_rate(
            viewer=call.viewer, insights=insights, rate=rate, first=first, last=last
        )

    return resolve


def account_insights_exports(
    insights: analytics.AccountInsights, call: Call, *, first: int | None, after: str | None
) -> Page[InsightsExport]:
    return exports.exports_page(viewer=call.viewer, insights=insights, first=first, after=after)


def insights_export_download_url(export: InsightsExport, call: Call) -> str | None:
    url = export_links.download_url(call.viewer, export)
    return call.request.build_absolute_uri(url) if url else None
