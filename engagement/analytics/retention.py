"""A video's retention curve: the share of its viewers who reached each 5% step of it.

Read from the WATCH_DEPTH rows the rollup writes (each counted viewer once per video and period,
at the last step their first view of the period reached) and published like a breakdown
(docs/PRIVACY.md §8): the released periods of the range, keyed noise on every depth, nothing below
``PRIVACY_MIN_AUDIENCE`` people. Unlike a breakdown the grid is fixed and shown whole, so no
depth is gated (``privacy.publish_grid``); the curve is computed from the noisy counts alone.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from accounts.viewers import Viewer
from engagement.analytics import keys
from engagement.analytics.models import Dimension
from engagement.analytics.privacy import AggregateResult, check_range, publish_grid
from engagement.analytics.releases import video_release
from engagement.analytics.selectors import check_slice, released_periods, require_video_breakdowns
from engagement.models import Video


@dataclass(frozen=True)
class RetentionPoint(AggregateResult):
    """``viewers``: the share, from 0 to 1, of the viewers who reached ``percent`` of the video."""

    percent: int
    viewers: float


@dataclass(frozen=True)
class Retention(AggregateResult):
    """``suppressed``: fewer than ``PRIVACY_MIN_AUDIENCE`` people, or no ended period in the
    range; then no point. ``covered_from``/``covered_to``: the whole periods the curve describes."""

    suppressed: bool
    points: tuple[RetentionPoint, ...]
    covered_from: date | None = None
    covered_to: date | None = None


def video_retention(*, viewer: Viewer, video: Video, first: date, last: date, country: str | None = None) -> Retention:
    """The curve of the released periods of ``[first, last]``, one point per step of
    ``keys.DEPTH_PERCENTS``; ``country``: of the viewers of that country only."""
    require_video_breakdowns(viewer, video)
    check_range(first, last)
    country = check_slice(Dimension.WATCH_DEPTH, country)
    periods = released_periods(first, last)
    if not periods:
        return Retention(suppressed=True, points=())
    release = video_release(video, Dimension.WATCH_DEPTH, periods, country)
    covered = release.covered
    noisy = publish_grid(release, min_audience=int(settings.PRIVACY_MIN_AUDIENCE))
    if noisy is None:
        return Retention(suppressed=True, points=(), covered_from=covered[0], covered_to=covered[1])
    return Retention(suppressed=False, points=curve(noisy), covered_from=covered[0], covered_to=covered[1])


def curve(depths: Mapping[str, int]) -> tuple[RetentionPoint, ...]:
    """At each step ``p``, the share of the total whose depth is ``p`` or more. The counts are at
    least 0, so the sums from the end grow towards 0%: the curve never rises, and starts at 1."""
    total = sum(depths.values())
    points, reached = [], 0
    for percent in reversed(keys.DEPTH_PERCENTS):
        reached += depths.get(keys.depth_key(percent), 0)
        points.append(RetentionPoint(percent=percent, viewers=reached / total if total else 0.0))
    return tuple(reversed(points))
