"""Reads of the daily rollups: a video's series and breakdowns, an account's insights.

Keyword-only, viewer first, each checked by the insights policies; they read the rollup tables
only, never the interaction tables. Breakdowns describe whole periods that have ended and whose
days are final (their rows never change again): see ``engagement.analytics.privacy``.
"""

from dataclasses import dataclass
from datetime import UTC, date

from django.conf import settings
from django.db.models import Max, Sum

from accounts import places
from accounts.models import User
from accounts.selectors import require_signed_in
from accounts.viewers import Viewer
from engagement import policies
from engagement import selectors as video_selectors
from engagement.analytics import rates, releases
from engagement.analytics.models import (
    AccountDailyStats,
    Dimension,
    InsightsDay,
    VideoDailyStats,
)
from engagement.analytics.privacy import (
    AggregateResult,
    Breakdown,
    Period,
    Release,
    check_range,
    days_in,
    geo_enabled,
    periods_between,
    publish_breakdown,
    publish_grid,
)
from engagement.analytics.rates import Rate
from engagement.analytics.rollups import final_window, is_released
from engagement.models import Video
from engagement.selectors import InsightTotals
from kernel.errors import PermissionDenied

TOP_VIDEOS = 10
SUPPRESSED = Breakdown(suppressed=True, buckets=())
VIDEO_DIMENSIONS = frozenset(
    {
        Dimension.REGION,
        Dimension.TRAFFIC_SOURCE,
        Dimension.COUNTRY,
        Dimension.GENDER,
        Dimension.AGE,
        Dimension.VIEWER_TYPE,
        Dimension.DEVICE,
        Dimension.SHARE_CHANNEL,
    }
)
FOLLOWER_DIMENSIONS = frozenset(
    {
        Dimension.FOLLOWER_COUNTRY,
        Dimension.FOLLOWER_REGION,
        Dimension.FOLLOWER_GENDER,
        Dimension.FOLLOWER_AGE,
        Dimension.FOLLOWER_DEVICE,
    }
)


@dataclass(frozen=True)
class VideoDay(AggregateResult):
    date: date
    views: int
    likes: int
    saves: int | None  # None where save analytics are not shown (``policies.can_view_save_analytics``)
    shares: int
    comments: int
    downloads: int
    watch_seconds: int
    completions: int
    new_followers: int


@dataclass(frozen=True)
class ViewersDay(AggregateResult):
    date: date
    viewers: int


@dataclass(frozen=True)
class CountryViewers(AggregateResult):
    """A video's viewers of one country per day, noised (``video_country_viewers``)."""

    suppressed: bool
    days: tuple[ViewersDay, ...]
    covered_from: date | None = None
    covered_to: date | None = None


@dataclass(frozen=True)
class FollowerDay(AggregateResult):
    date: date
    followers: int
    new_followers: int


@dataclass(frozen=True)
class AccountDay:
    """One UTC day of an account's totals, for an export (``followerGrowth`` shows them less the
    profile views)."""

    date: date
    followers: int
    new_followers: int
    profile_views: int


@dataclass(frozen=True)
class VideoActivity:
    """One day of one of the owner's videos with activity, for an export."""

    video: Video
    day: VideoDay


@dataclass(frozen=True)
class TopVideo:
    """One of the owner's videos with its total over a range (SELF: the owner's own)."""

    owner_id: int
    video: Video
    count: int


@dataclass(frozen=True)
class AccountInsights:
    """The account whose insights these are: only ever the viewer's own (SELF)."""

    owner: User

    @property
    def owner_id(self) -> int:
        return int(self.owner.pk)

    @property
    def follower_count(self) -> int:
        return int(self.owner.follower_count)


# Which days a read may use ---------------------------------------------------------------------


def last_rolled_up_day() -> date | None:
    return InsightsDay.objects.aggregate(last=Max("day"))["last"]


def released_periods(first: date, last: date) -> list[Period]:
    """The periods holding a day of ``[first, last]`` that breakdowns may describe: ended, and
    final up to their last day (days before the first rolled-up day count as empty)."""
    window = final_window()
    return [period for period in periods_between(first, last) if is_released(period, window)]


# Videos ------------------------------------------------------------------------------------------


def require_video_breakdowns(viewer: Viewer, video: Video) -> None:
    if not policies.can_view_insight_breakdowns(viewer, video):
        raise PermissionDenied("Daily series and breakdowns are for creator and business accounts' videos.")


def video_daily_series(*, viewer: Viewer, video: Video, first: date, last: date) -> list[VideoDay]:
    """One entry per day from ``first`` (or the day the video was posted) to ``last`` (or the last
    rolled-up day, which may still be in progress): exact totals, zeros on quiet days."""
    require_video_breakdowns(viewer, video)
    check_range(first, last)
    rolled_up = last_rolled_up_day()
    start, end = max(first, video.created_at.astimezone(UTC).date()), min(last, rolled_up or first)
    if rolled_up is None or start > end:
        return []
    rows = {row.day: row for row in VideoDailyStats.objects.filter(video=video, day__range=(start, end))}
    saves = policies.can_view_save_analytics(viewer, video)
    return [_video_day(day, rows.get(day), saves=saves) for day in days_in(start, end)]


def _video_day(day: date, row: VideoDailyStats | None, *, saves: bool) -> VideoDay:
    if row is None:
        return VideoDay(day, 0, 0, 0 if saves else None, 0, 0, 0, 0, 0, 0)
    return VideoDay(
        date=day,
        views=row.views,
        likes=row.likes,
        saves=row.saves if saves else None,
        shares=row.shares,
        comments=row.comments,
        downloads=row.downloads,
        watch_seconds=row.watch_seconds,
        completions=row.completions,
        new_followers=row.new_followers,
    )


def video_rate(*, viewer: Viewer, totals: InsightTotals, rate: Rate) -> float | None:
    """A rate of the video's lifetime totals, from the counters its other totals read. ``totals``
    come from ``engagement.selectors.video_insights``, which checked the viewer may read them;
    whether saves count is the owner's account type's (``policies.shows_save_analytics``)."""
    assert totals.video is not None, "insights built without their video"
    counts = {
        "views": totals.view_count,
        "likes": totals.like_count,
        "comments": totals.comment_count,
        "shares": totals.share_count,
        "saves": totals.save_count,
        "completions": totals.completion_count,
    }
    return rates.rate_of(rate, counts, saves=policies.shows_save_analytics(viewer, totals.video.owner))


def video_breakdown(
    *, viewer: Viewer, video: Video, dimension: str, first: date, last: date, country: str | None = None
) -> Breakdown:
    """One breakdown of a video's viewers (or sharers) over the released periods of the range:
    each person once per period, noised and gated by ``publish_breakdown``; ``country``: of the
    people of that country only (regions: always of one country)."""
    require_video_breakdowns(viewer, video)
    check_range(first, last)
    assert dimension in VIDEO_DIMENSIONS, dimension
    country = check_slice(dimension, country)
    periods = released_periods(first, last)
    if not periods:
        return SUPPRESSED
    return _publish(releases.video_release(video, dimension, periods, country))


def video_country_viewers(*, viewer: Viewer, video: Video, country: str, first: date, last: date) -> CountryViewers:
    """The video's viewers of ``country`` on each day of the range that lies in a released
    period: each counted on the day of their first view of it in the period, and every day
    noised (a grid, no gate). A period whose country audience is below the floor shows no day."""
    require_video_breakdowns(viewer, video)
    check_range(first, last)
    code = check_slice(releases.VIEWERS_BY_DAY, country)
    assert code is not None
    shown: list[ViewersDay] = []
    for period in released_periods(first, last):
        release = releases.country_days(video, code, period)
        noisy = publish_grid(release, min_audience=int(settings.PRIVACY_MIN_AUDIENCE))
        if noisy is not None:
            days = days_in(max(first, period.first), min(last, period.last))
            shown.extend(ViewersDay(day, noisy[day.isoformat()]) for day in days)
    if not shown:
        return CountryViewers(suppressed=True, days=())
    return CountryViewers(suppressed=False, days=tuple(shown), covered_from=shown[0].date, covered_to=shown[-1].date)


def check_slice(dimension: str, country: str | None) -> str | None:
    """The country a breakdown is sliced by, checked: a known ISO code; ``FORBIDDEN`` while the
    geographic analytics are off. The schema already asks for one where the answer is always one
    country's (regions) and offers none on a breakdown by country."""
    regional = dimension in (Dimension.REGION, Dimension.FOLLOWER_REGION)
    assert country is not None or not regional, "regions are always one country's"
    assert country is None or dimension not in (Dimension.COUNTRY, Dimension.FOLLOWER_COUNTRY), dimension
    if country is None:
        return None
    if not geo_enabled():
        raise PermissionDenied("Geographic analytics are turned off on this service (PRIVACY_GEO_EPSILON=0).")
    return places.clean_country(country, allow_empty=False)


def _publish(release: Release) -> Breakdown:
    return publish_breakdown(
        release, min_audience=int(settings.PRIVACY_MIN_AUDIENCE), min_bucket=int(settings.PRIVACY_MIN_BUCKET)
    )


# Accounts ----------------------------------------------------------------------------------------


def account_insights(*, viewer: Viewer) -> AccountInsights:
    return AccountInsights(owner=require_signed_in(viewer))


def own_account(viewer: Viewer, insights: AccountInsights, *, breakdowns: bool = False) -> User:
    """The account whose insights the viewer reads: their own (``breakdowns``: of a creator or
    business account), else ``PermissionDenied``."""
    if breakdowns and not policies.can_view_account_insight_breakdowns(viewer, insights.owner):
        raise PermissionDenied("Follower series and breakdowns are for creator and business accounts.")
    if not policies.can_view_account_insights(require_signed_in(viewer), insights.owner):
        raise PermissionDenied("Account insights are their account's alone.")
    return insights.owner


def account_daily_totals(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> list[AccountDay]:
    """Followers at the end of each day, follows gained and profile views that day (exact), up to
    the last rolled-up day."""
    owner = own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    rolled_up = last_rolled_up_day()
    if rolled_up is None or first > rolled_up:
        return []
    end = min(last, rolled_up)
    rows = {row.day: row for row in AccountDailyStats.objects.filter(owner=owner, day__range=(first, end))}
    return [
        AccountDay(day, rows[day].followers, rows[day].new_followers, rows[day].profile_views)
        if day in rows
        else AccountDay(day, 0, 0, 0)
        for day in days_in(first, end)
    ]


def account_follower_growth(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> list[FollowerDay]:
    """``account_daily_totals`` without the profile views (a total of its own, ``profileViews``)."""
    return [
        FollowerDay(day.date, day.followers, day.new_followers)
        for day in account_daily_totals(viewer=viewer, insights=insights, first=first, last=last)
    ]


def account_video_days(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> list[VideoActivity]:
    """Every day of every one of the account's videos with activity in the range, by day then
    video: the entries ``video_daily_series`` gives, all videos at once, quiet days left out. A day
    whose only activity is in a column the owner may not see (saves, below a business account) is
    quiet too, or its presence would tell what the column hides."""
    owner = own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    saves = policies.can_view_account_save_analytics(viewer, owner)
    videos = policies.insights_videos(viewer, Video.objects.filter(owner=owner))
    rows = (
        VideoDailyStats.objects.filter(video__in=videos, day__range=(first, last))
        .select_related("video")
        .order_by("day", "video_id")
    )
    entries = [(row.video, _video_day(row.day, row, saves=saves)) for row in rows]
    return [VideoActivity(video=video, day=day) for video, day in entries if _has_activity(day)]


def _has_activity(day: VideoDay) -> bool:
    """Any count shown is above zero (``saves`` is None where it is not shown)."""
    counts = (day.views, day.likes, day.saves, day.shares, day.comments, day.downloads, day.watch_seconds)
    return any(counts) or day.completions > 0 or day.new_followers > 0


def account_follower_breakdown(
    *, viewer: Viewer, insights: AccountInsights, dimension: str, first: date, last: date, country: str | None = None
) -> Breakdown:
    """The followers at the end of the last released period of the range, by one attribute: one
    release per period, however often someone follows and unfollows within it; ``country``: the
    followers of that country only."""
    owner = own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    assert dimension in FOLLOWER_DIMENSIONS, dimension
    country = check_slice(dimension, country)
    periods = released_periods(first, last)
    if not periods:
        return SUPPRESSED
    return _publish(releases.follower_release(owner, dimension, periods[-1], country))


def account_follower_activity(
    *, viewer: Viewer, insights: AccountInsights, first: date, last: date, country: str | None = None
) -> Breakdown:
    """Followers by the UTC hour of their first activity in each released period of the range
    (each follower once per period); withheld while the account has fewer followers than the
    audience floor. ``country``: the followers of that country only."""
    owner = own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    country = check_slice(Dimension.FOLLOWER_ACTIVITY, country)
    periods = released_periods(first, last)
    if not periods:
        return SUPPRESSED
    return _publish(releases.follower_activity_release(owner, Dimension.FOLLOWER_ACTIVITY, periods, country))


def account_profile_views(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> int:
    """Exact profile views in the range (a total: every account type)."""
    owner = own_account(viewer, insights, breakdowns=False)
    check_range(first, last)
    total = AccountDailyStats.objects.filter(owner=owner, day__range=(first, last)).aggregate(n=Sum("profile_views"))
    return int(total["n"] or 0)


def account_top_videos(
    *, viewer: Viewer, insights: AccountInsights, by: str, first: date, last: date
) -> list[TopVideo]:
    """The owner's videos with the most views (``by="views"``: every account type) or saves in the
    range (save analytics: business accounts)."""
    owner = own_account(viewer, insights, breakdowns=False)
    assert by in ("views", "saves"), by
    if by == "saves" and not policies.can_view_account_save_analytics(viewer, owner):
        raise PermissionDenied("Top videos by saves are for business accounts; every owner sees save totals.")
    check_range(first, last)
    ranked = list(
        VideoDailyStats.objects.filter(video__owner=owner, day__range=(first, last))
        .values("video_id")
        .annotate(total=Sum(by))
        .filter(total__gt=0)
        .order_by("-total", "video_id")
        .values_list("video_id", "total")[:TOP_VIDEOS]
    )
    videos = video_selectors.videos_by_ids(viewer=owner, video_ids=[video_id for video_id, _ in ranked])
    return [
        TopVideo(owner_id=owner.pk, video=videos[video_id], count=int(total))
        for video_id, total in ranked
        if video_id in videos
    ]
