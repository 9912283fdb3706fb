"""Followers' activity by weekday and hour in the creator's time zone, and the best times to post.

The rollup counts each follower at most once per period, on one weekday drawn for them, in the
UTC hour of their first view that day (``rollups.designated_weekday``). A read publishes the
whole week of the released periods, 168 UTC cells, with ``publish_grid``: noise on every cell,
clamped at 0, nothing below the audience floor. Only then are the cells moved into the creator's
time zone, and the best times picked from them: both post-process one release, so asking for
them, again or together, tells nothing more.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from accounts.models import User
from accounts.time_zones import zone_of
from accounts.viewers import Viewer
from engagement import policies
from engagement.analytics import keys
from engagement.analytics.models import Dimension
from engagement.analytics.privacy import AggregateResult, check_range, publish_grid
from engagement.analytics.releases import follower_activity_release
from engagement.analytics.selectors import AccountInsights, check_slice, released_periods
from kernel.errors import PermissionDenied

BEST_TIMES = 3
HOURS = 24
WEEK_HOURS = 7 * HOURS


class Weekday(models.TextChoices):
    """In ``date.weekday()`` order: Monday first."""

    MONDAY = "MONDAY", "Monday"
    TUESDAY = "TUESDAY", "Tuesday"
    WEDNESDAY = "WEDNESDAY", "Wednesday"
    THURSDAY = "THURSDAY", "Thursday"
    FRIDAY = "FRIDAY", "Friday"
    SATURDAY = "SATURDAY", "Saturday"
    SUNDAY = "SUNDAY", "Sunday"


WEEKDAYS: tuple[str, ...] = tuple(Weekday.values)


@dataclass(frozen=True)
class ActivitySlot(AggregateResult):
    weekday: str
    hour: int
    count: int
    share: float


@dataclass(frozen=True)
class PostingTime(AggregateResult):
    weekday: str
    hour: int
    share: float


@dataclass(frozen=True)
class WeeklyActivity:
    """The viewer's own (SELF): it names their time zone. ``suppressed``: no ended period in the
    range, or fewer followers than the audience floor; then no slot."""

    owner_id: int
    suppressed: bool
    time_zone: str
    slots: tuple[ActivitySlot, ...] = ()
    covered_from: date | None = None
    covered_to: date | None = None
    periods: int = 0  # the released periods the slots sum
    scale: float = 0.0  # the noise scale of each slot's count in each period


def account_weekly_activity(
    *, viewer: Viewer, insights: AccountInsights, first: date, last: date, country: str | None = None
) -> WeeklyActivity:
    """Every local weekday and hour, Monday 00 first, over the released periods of the range: for
    creator and business accounts, their own alone; ``country``: of its followers only."""
    owner = _own_breakdowns(viewer, insights)
    check_range(first, last)
    country = check_slice(Dimension.FOLLOWER_WEEKHOUR, country)
    zone = zone_of(owner.time_zone)
    periods = released_periods(first, last)
    if not periods:
        return WeeklyActivity(owner.pk, suppressed=True, time_zone=zone.key)
    release = follower_activity_release(owner, Dimension.FOLLOWER_WEEKHOUR, periods, country)
    covered_from, covered_to = release.covered
    grid = publish_grid(release, min_audience=int(settings.PRIVACY_MIN_AUDIENCE))
    slots = () if grid is None else _local_slots(grid, offset_minutes(zone, covered_to))
    scale = release.noise.scale
    return WeeklyActivity(owner.pk, grid is None, zone.key, slots, covered_from, covered_to, len(periods), scale)


def account_best_times(
    *, viewer: Viewer, insights: AccountInsights, first: date, last: date, country: str | None = None
) -> list[PostingTime]:
    """The ``BEST_TIMES`` local slots with the most active followers (the earlier in the week on a
    tie), from the same release as ``account_weekly_activity``; none when it is suppressed or too
    faint to tell (``tells_apart_hours``), and never an empty slot."""
    activity = account_weekly_activity(viewer=viewer, insights=insights, first=first, last=last, country=country)
    if not tells_apart_hours(activity):
        return []
    busiest = sorted((slot for slot in activity.slots if slot.count > 0), key=lambda slot: -slot.count)
    return [PostingTime(slot.weekday, slot.hour, slot.share) for slot in busiest[:BEST_TIMES]]


def tells_apart_hours(activity: WeeklyActivity) -> bool:
    """Whether the week's noisy total reaches one noise scale per slot (168 · b · √periods): below
    it most of what a slot shows is its noise, and the busiest slots are the noise's picks (at
    1,000 followers and the default budget no better than a random hour). Read from the published
    counts alone, so it spends nothing."""
    total = sum(slot.count for slot in activity.slots)
    return bool(activity.slots) and total >= WEEK_HOURS * activity.scale * math.sqrt(activity.periods)


def _own_breakdowns(viewer: Viewer, insights: AccountInsights) -> User:
    if not policies.can_view_account_insight_breakdowns(viewer, insights.owner):
        raise PermissionDenied("Follower breakdowns are for creator and business accounts, their own alone.")
    return insights.owner


def offset_minutes(zone: ZoneInfo, day: date) -> int:
    """The zone's offset from UTC in force on ``day`` (at noon UTC), in minutes: one offset for the
    whole grid, so a range across a daylight-saving change reads in the offset of its last day."""
    offset = datetime.combine(day, time(12), tzinfo=UTC).astimezone(zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds()) // 60


def local_cell(weekday: int, hour: int, offset: int) -> tuple[int, int]:
    """The local ``(weekday, hour)`` a UTC cell starts in, ``offset`` minutes from UTC. With a
    half-hour offset a cell straddles two local hours and goes whole to the first: at +5:30
    (Asia/Kolkata) UTC 09:00-09:59 is 14:30-15:29 and counts at 14. Every cell moves by the same
    amount, so no two land on one local cell."""
    start = (weekday * HOURS + hour) * 60 + offset
    return divmod(start // 60 % WEEK_HOURS, HOURS)


def _local_slots(grid: dict[str, int], offset: int) -> tuple[ActivitySlot, ...]:
    local = {
        local_cell(weekday, hour, offset): grid[keys.weekhour_key(weekday, hour)]
        for weekday in range(7)
        for hour in range(HOURS)
    }
    total = sum(local.values())
    return tuple(
        ActivitySlot(WEEKDAYS[weekday], hour, count, count / total if total else 0.0)
        for (weekday, hour), count in sorted(local.items())
    )
