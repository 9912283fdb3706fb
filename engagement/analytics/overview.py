"""The account overview: a range's exact totals over the viewer's own videos and account, and
optionally the previous range's and the relative change.

Read from the daily rollups alone (``VideoDailyStats`` of the owner's videos, ``AccountDailyStats``
and which days are rolled up), each in one SQL aggregate whatever the range, the number of
videos or the comparison: three queries at most. Exact totals, like ``profileViews`` and the
daily series: no breakdown, so no period, noise or gate (docs/PRIVACY.md §8.1).
"""

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum

from accounts.models import User
from accounts.viewers import Viewer
from engagement import policies
from engagement.analytics import rates
from engagement.analytics.models import AccountDailyStats, InsightsDay, VideoDailyStats
from engagement.analytics.privacy import check_range
from engagement.analytics.rates import Rate
from engagement.analytics.selectors import AccountInsights, own_account
from kernel.errors import InvalidInput

VIDEO_COUNTS = ("views", "likes", "comments", "shares", "saves", "downloads", "watch_seconds", "completions")


class Comparison(models.TextChoices):
    PREVIOUS_PERIOD = "PREVIOUS_PERIOD", "The range of equal length that ends the day before `from`."


@dataclass(frozen=True)
class Span:
    """Whole UTC days ``first`` to ``last``."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def day_before(self) -> date:
        """Whose end-of-day followers the range starts from."""
        return _days_before(self.first, 1)

    def previous(self) -> "Span":
        """The span of equal length that ends the day before this one starts."""
        return Span(_days_before(self.first, self.days), self.day_before)


def _days_before(day: date, days: int) -> date:
    try:
        return day - timedelta(days=days)
    except OverflowError:
        raise InvalidInput("The range starts too early in the calendar.", field="from") from None


@dataclass(frozen=True)
class OverviewTotals:
    """One range's totals (SELF: the owner's own). None where the account's type does not show
    a figure, or the followers' days are not all rolled up, or a rate has no views."""

    owner_id: int
    views: int
    likes: int
    comments: int
    shares: int
    saves: int | None
    downloads: int
    watch_seconds: int
    completions: int
    profile_views: int
    followers_gained: int | None
    followers_lost: int | None
    net_followers: int | None
    engagement_rate: float | None
    share_rate: float | None
    save_rate: float | None
    completion_rate: float | None


METRICS = tuple(field.name for field in fields(OverviewTotals) if field.name != "owner_id")


@dataclass(frozen=True)
class OverviewChange:
    """The relative change of each metric of ``OverviewTotals`` from the previous range."""

    owner_id: int
    changes: dict[str, float | None]

    def __getattr__(self, name: str) -> float | None:
        if name in METRICS:
            return self.changes[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class InsightsOverview:
    owner_id: int
    first: date
    last: date
    totals: OverviewTotals
    previous_first: date | None = None
    previous_last: date | None = None
    previous: OverviewTotals | None = None
    change: OverviewChange | None = None


def relative_change(current: float | None, previous: float | None) -> float | None:
    """``(current - previous) / |previous|``: the sign says which way it went, also from a negative
    net; None when either is None or the previous is 0."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


def account_overview(
    *, viewer: Viewer, insights: AccountInsights, first: date, last: date, compare_to: Comparison | None = None
) -> InsightsOverview:
    """The viewer's own overview of ``first``..``last`` (and of the previous range, with
    ``compare_to``); every account type, with what its type shows."""
    owner = own_account(viewer, insights)
    check_range(first, last)
    current = Span(first, last)
    spans = [current, current.previous()] if compare_to == Comparison.PREVIOUS_PERIOD else [current]
    saves = policies.shows_save_analytics(viewer, owner)
    followers = policies.can_view_account_insight_breakdowns(viewer, owner)
    videos = _video_sums(owner, spans)
    accounts = _account_sums(owner, spans)
    rolled_up = _rolled_up(spans) if followers else [False] * len(spans)
    totals = [
        _totals(owner, video, account, saves=saves, followers=complete)
        for video, account, complete in zip(videos, accounts, rolled_up, strict=True)
    ]
    if len(spans) == 1:
        return InsightsOverview(owner_id=owner.pk, first=first, last=last, totals=totals[0])
    now, before = totals
    return InsightsOverview(
        owner_id=owner.pk,
        first=first,
        last=last,
        totals=now,
        previous_first=spans[1].first,
        previous_last=spans[1].last,
        previous=before,
        change=OverviewChange(
            owner.pk, {name: relative_change(getattr(now, name), getattr(before, name)) for name in METRICS}
        ),
    )


def _each(spans: list[Span], **aggregates: Any) -> dict[str, Any]:
    """Each aggregate once per span, named ``<name>_<index>``: ``aggregates`` map a name to a
    function of the span giving the expression."""
    return {f"{name}_{index}": make(span) for index, span in enumerate(spans) for name, make in aggregates.items()}


def _within(span: Span) -> Q:
    return Q(day__range=(span.first, span.last))


def _video_sums(owner: User, spans: list[Span]) -> list[dict[str, int]]:
    """The totals of the owner's videos in each span: one query."""
    row = VideoDailyStats.objects.filter(
        video__owner_id=owner.pk, day__range=(min(span.first for span in spans), spans[0].last)
    ).aggregate(**_each(spans, **{name: _summed(name) for name in VIDEO_COUNTS}))
    return [{name: int(row[f"{name}_{index}"] or 0) for name in VIDEO_COUNTS} for index in range(len(spans))]


def _summed(column: str) -> Any:
    return lambda span: Sum(column, filter=_within(span))


def _account_sums(owner: User, spans: list[Span]) -> list[dict[str, int]]:
    """Each span's profile views and follows gained, and the followers at the end of the day
    before it and of its last day: one query."""
    row = AccountDailyStats.objects.filter(
        owner_id=owner.pk, day__range=(min(span.day_before for span in spans), spans[0].last)
    ).aggregate(
        **_each(
            spans,
            profile_views=_summed("profile_views"),
            gained=_summed("new_followers"),
            start=lambda span: Sum("followers", filter=Q(day=span.day_before)),
            end=lambda span: Sum("followers", filter=Q(day=span.last)),
        )
    )
    names = ("profile_views", "gained", "start", "end")
    return [{name: int(row[f"{name}_{index}"] or 0) for name in names} for index in range(len(spans))]


def _rolled_up(spans: list[Span]) -> list[bool]:
    """Whether every day from the day before each span to its last is rolled up: only then are
    its follower figures exact (a day not rolled up has no row, which reads as no followers)."""
    row = InsightsDay.objects.filter(day__range=(min(span.day_before for span in spans), spans[0].last)).aggregate(
        **_each(spans, days=lambda span: Count("day", filter=Q(day__range=(span.day_before, span.last))))
    )
    return [row[f"days_{index}"] == span.days + 1 for index, span in enumerate(spans)]


def _totals(
    owner: User, video: dict[str, int], account: dict[str, int], *, saves: bool, followers: bool
) -> OverviewTotals:
    counts: dict[str, int | None] = {**video, "saves": video["saves"] if saves else None}
    gained, start, end = account["gained"], account["start"], account["end"]
    return OverviewTotals(
        owner_id=owner.pk,
        views=video["views"],
        likes=video["likes"],
        comments=video["comments"],
        shares=video["shares"],
        saves=counts["saves"],
        downloads=video["downloads"],
        watch_seconds=video["watch_seconds"],
        completions=video["completions"],
        profile_views=account["profile_views"],
        followers_gained=gained if followers else None,
        followers_lost=max(0, start + gained - end) if followers else None,
        net_followers=end - start if followers else None,
        engagement_rate=rates.rate_of(Rate.ENGAGEMENT, counts, saves=saves),
        share_rate=rates.rate_of(Rate.SHARE, counts, saves=saves),
        save_rate=rates.rate_of(Rate.SAVE, counts, saves=saves),
        completion_rate=rates.rate_of(Rate.COMPLETION, counts, saves=saves),
    )
