"""Reads of the daily rollups: a video's series and breakdowns, an account's insights.

Keyword-only, viewer first, each checked by the insights policies; they read the rollup tables
only, never the interaction tables. Breakdowns cover final days only (their rows never change
again), which the differencing defense needs: see ``engagement.analytics.privacy``.
"""

from dataclasses import dataclass
from datetime import UTC, date

from django.db.models import Max, Sum

from accounts.models import User
from accounts.policies import Viewer
from accounts.selectors import require_signed_in
from backend.errors import PermissionDenied
from engagement import policies
from engagement import selectors as video_selectors
from engagement.analytics.keys import VIEWER_TYPE_PAIRS
from engagement.analytics.models import (
    AccountDailyBucket,
    AccountDailyStats,
    Dimension,
    InsightsDay,
    VideoDailyBucket,
    VideoDailyStats,
)
from engagement.analytics.privacy import (
    EPOCH,
    AggregateResult,
    Breakdown,
    Noise,
    Thresholds,
    check_range,
    days_in,
    publish_breakdown,
)
from engagement.models import Video

TOP_VIDEOS = 10
SUPPRESSED = Breakdown(suppressed=True, buckets=())
VIDEO_DIMENSIONS = frozenset(
    {Dimension.TRAFFIC_SOURCE, Dimension.COUNTRY, Dimension.GENDER, Dimension.AGE, Dimension.VIEWER_TYPE}
)
FOLLOWER_DIMENSIONS = frozenset({Dimension.FOLLOWER_COUNTRY, Dimension.FOLLOWER_GENDER, Dimension.FOLLOWER_AGE})


@dataclass(frozen=True)
class VideoDay(AggregateResult):
    date: date
    views: int
    likes: int
    saves: int
    shares: int
    comments: int
    downloads: int
    watch_seconds: int
    completions: int
    new_followers: int


@dataclass(frozen=True)
class FollowerDay(AggregateResult):
    date: date
    followers: int
    new_followers: int


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


def final_window() -> tuple[date, date] | None:
    """``(first, last)``: from the earliest final day, the run of consecutive final days. A day
    inside it never changes again; a day after a gap waits until the gap is rolled up."""
    days = list(InsightsDay.objects.filter(finalized=True).order_by("day").values_list("day", flat=True))
    if not days:
        return None
    end = days[0]
    for day in days[1:]:
        if (day - end).days != 1:
            break
        end = day
    return days[0], end


def _final_range(first: date, last: date) -> tuple[date, date] | None:
    window = final_window()
    if window is None:
        return None
    start, end = max(first, window[0]), min(last, window[1])
    return (start, end) if start <= end else None


# Videos ------------------------------------------------------------------------------------------


def _require_video_breakdowns(viewer: Viewer, video: Video) -> None:
    if not policies.can_view_insight_breakdowns(viewer, video):
        raise PermissionDenied("Daily series and breakdowns are for creator and business accounts' videos.")


def video_daily_series(*, viewer: Viewer, video: Video, first: date, last: date) -> list[VideoDay]:
    """One entry per day from ``first`` (or the day the video was posted) to ``last`` (or the last
    rolled-up day, which may still be in progress): exact totals, zeros on quiet days."""
    _require_video_breakdowns(viewer, video)
    check_range(first, last)
    rolled_up = last_rolled_up_day()
    start, end = max(first, video.created_at.astimezone(UTC).date()), min(last, rolled_up or first)
    if rolled_up is None or start > end:
        return []
    rows = {row.day: row for row in VideoDailyStats.objects.filter(video=video, day__range=(start, end))}
    return [_video_day(day, rows.get(day)) for day in days_in(start, end)]


def _video_day(day: date, row: VideoDailyStats | None) -> VideoDay:
    if row is None:
        return VideoDay(day, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    return VideoDay(
        date=day,
        views=row.views,
        likes=row.likes,
        saves=row.saves,
        shares=row.shares,
        comments=row.comments,
        downloads=row.downloads,
        watch_seconds=row.watch_seconds,
        completions=row.completions,
        new_followers=row.new_followers,
    )


def video_audience(*, video: Video, first: date, last: date) -> int:
    """A lower bound of the distinct signed-in people who watched in the range: people counted
    once on the day of their first view, or the busiest day's viewers, whichever is more."""
    totals = VideoDailyStats.objects.filter(video=video, day__range=(first, last)).aggregate(
        first_time=Sum("new_viewers"), busiest=Max("viewers")
    )
    return max(totals["first_time"] or 0, totals["busiest"] or 0)


def video_breakdown(*, viewer: Viewer, video: Video, dimension: str, first: date, last: date) -> Breakdown:
    """One breakdown of a video's audience over the final days of the range, thresholded and with
    keyed noise (``publish_breakdown``)."""
    _require_video_breakdowns(viewer, video)
    check_range(first, last)
    assert dimension in VIDEO_DIMENSIONS, dimension
    window = _final_range(first, last)
    if window is None:
        return SUPPRESSED
    start, end = window
    thresholds = Thresholds.from_settings()
    audience = video_audience(video=video, first=start, last=end)
    if audience < thresholds.min_audience:
        return SUPPRESSED
    rows = VideoDailyBucket.objects.filter(video=video, dimension=dimension, day__range=(start, end))
    counts = dict(rows.values("key").annotate(total=Sum("count")).values_list("key", "total"))
    return publish_breakdown(
        counts,
        audience=audience,
        noise=Noise.for_range(f"video:{video.pk}:{dimension}", start, end),
        thresholds=thresholds,
        pairs=VIEWER_TYPE_PAIRS if dimension == Dimension.VIEWER_TYPE else (),
    )


# Accounts ----------------------------------------------------------------------------------------


def account_insights(*, viewer: Viewer) -> AccountInsights:
    return AccountInsights(owner=require_signed_in(viewer))


def _own_account(viewer: Viewer, insights: AccountInsights, *, breakdowns: bool) -> User:
    if breakdowns and not policies.can_view_account_insight_breakdowns(viewer, insights.owner):
        raise PermissionDenied("Follower series and breakdowns are for creator and business accounts.")
    if not breakdowns and require_signed_in(viewer).pk != insights.owner_id:
        raise PermissionDenied("Account insights are their account's alone.")
    return insights.owner


def account_follower_growth(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> list[FollowerDay]:
    """Followers at the end of each day and follows gained that day (exact), up to the last
    rolled-up day."""
    owner = _own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    rolled_up = last_rolled_up_day()
    if rolled_up is None or first > rolled_up:
        return []
    end = min(last, rolled_up)
    rows = {row.day: row for row in AccountDailyStats.objects.filter(owner=owner, day__range=(first, end))}
    return [
        FollowerDay(day, rows[day].followers, rows[day].new_followers) if day in rows else FollowerDay(day, 0, 0)
        for day in days_in(first, end)
    ]


def _followers_on(owner: User, day: date) -> int:
    return AccountDailyStats.objects.filter(owner=owner, day=day).values_list("followers", flat=True).first() or 0


def account_follower_breakdown(
    *, viewer: Viewer, insights: AccountInsights, dimension: str, first: date, last: date
) -> Breakdown:
    """The followers as of the last final day of the range, by one attribute. A snapshot is a sum
    of every change since ``EPOCH``, so its noise tiles ``[EPOCH, day]``: comparing two days
    only ever reveals the same fixed noisy blocks."""
    owner = _own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    assert dimension in FOLLOWER_DIMENSIONS, dimension
    window = _final_range(first, last)
    if window is None:
        return SUPPRESSED
    day = window[1]
    thresholds = Thresholds.from_settings()
    followers = _followers_on(owner, day)
    if followers < thresholds.min_audience:
        return SUPPRESSED
    rows = AccountDailyBucket.objects.filter(owner=owner, dimension=dimension, day=day)
    return publish_breakdown(
        dict(rows.values_list("key", "count")),
        audience=followers,
        noise=Noise.for_range(f"account:{owner.pk}:{dimension}", EPOCH, day),
        thresholds=thresholds,
    )


def account_follower_activity(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> Breakdown:
    """Followers active in each UTC hour, counted once per follower, hour and day, over the final
    days of the range; withheld while the account has fewer followers than the audience floor."""
    owner = _own_account(viewer, insights, breakdowns=True)
    check_range(first, last)
    window = _final_range(first, last)
    if window is None:
        return SUPPRESSED
    start, end = window
    thresholds = Thresholds.from_settings()
    followers = _followers_on(owner, end)
    if followers < thresholds.min_audience:
        return SUPPRESSED
    rows = AccountDailyBucket.objects.filter(
        owner=owner, dimension=Dimension.FOLLOWER_ACTIVITY, day__range=(start, end)
    )
    counts = dict(rows.values("key").annotate(total=Sum("count")).values_list("key", "total"))
    return publish_breakdown(
        counts,
        audience=followers,
        noise=Noise.for_range(f"account:{owner.pk}:{Dimension.FOLLOWER_ACTIVITY}", start, end),
        thresholds=thresholds,
    )


def account_profile_views(*, viewer: Viewer, insights: AccountInsights, first: date, last: date) -> int:
    """Exact profile views in the range (a total: every account type)."""
    owner = _own_account(viewer, insights, breakdowns=False)
    check_range(first, last)
    total = AccountDailyStats.objects.filter(owner=owner, day__range=(first, last)).aggregate(n=Sum("profile_views"))
    return int(total["n"] or 0)


def account_top_videos(
    *, viewer: Viewer, insights: AccountInsights, by: str, first: date, last: date
) -> list[TopVideo]:
    """The owner's videos with the most views (``by="views"``) or saves in the range (totals:
    every account type)."""
    owner = _own_account(viewer, insights, breakdowns=False)
    check_range(first, last)
    assert by in ("views", "saves"), by
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
