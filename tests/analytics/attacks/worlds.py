"""Where the attacks run: four consecutive periods well in the past, the attacker's accounts, and
one rollup of every world, written straight into the interaction tables."""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from accounts.models import AccountType, User
from engagement.analytics.privacy import Period, days_in
from engagement.analytics.rollups import rollup_day
from engagement.models import Video
from tests.analytics.conftest import people
from tests.factories import make_video

# The documented settings (tests/analytics/conftest.py turns noise and periods off for its tests).
DEFAULTS: dict[str, Any] = {
    "PRIVACY_MIN_AUDIENCE": 100,
    "PRIVACY_MIN_BUCKET": 10,
    "PRIVACY_EPSILON": 1.0,
    "PRIVACY_GEO_EPSILON": 1.0,
    "PRIVACY_PERIOD_DAYS": 28,
    "PRIVACY_VIDEOS_PER_PERSON": 1,
    "INSIGHTS_FINALIZE_AFTER_SECONDS": 3600,
}
PERIODS = 4
_sybils = count(1)


@dataclass(frozen=True)
class Layout:
    """``PERIODS`` consecutive periods, the first holding the day 120 days ago: ended long ago, so
    a rollup through the day after the last one makes them all final and released."""

    periods: tuple[Period, ...]

    @classmethod
    def in_the_past(cls) -> "Layout":
        first = Period.of(datetime.now(UTC).date() - timedelta(days=120))
        return cls(tuple(Period(first.index + offset, first.length) for offset in range(PERIODS)))

    def day(self, period: int, offset: int) -> date:
        return self.periods[period].first + timedelta(days=offset)

    def whole(self, period: int) -> tuple[date, date]:
        return self.periods[period].first, self.periods[period].last


@dataclass(frozen=True)
class World:
    """One creator, whose audience holds a target with one candidate value. ``padding``: the
    attacker's own accounts in each key, which it knows (per video, when there are videos)."""

    layout: Layout
    creator: User
    padding: Mapping[str, int]
    videos: tuple[Video, ...] = ()


Worlds = dict[str, dict[str, World]]  # by attack, then by the target's value


@dataclass
class Build:
    """One build of every world: pools of the attacker's accounts, reused across creators (the
    per-creator caps never see them together), and changes that must happen between two days'
    rollups, as the hourly job would see them (an unfollow)."""

    layout: Layout
    pools: dict[tuple[str, int, frozenset[tuple[str, Any]]], list[User]] = field(default_factory=dict, init=False)
    changes: dict[date, list[Callable[[], None]]] = field(default_factory=lambda: defaultdict(list), init=False)

    def accounts(self, tag: str, n: int, **attributes: Any) -> list[User]:
        pool = (tag, n, frozenset(attributes.items()))
        if pool not in self.pools:
            # Never signed in to: no password drawn (thousands of accounts per build).
            self.pools[pool] = User.objects.bulk_create(
                User(username=f"sybil{next(_sybils)}", password=UNUSABLE_PASSWORD_PREFIX, **attributes)
                for _ in range(n)
            )
        return self.pools[pool]

    def creator(self) -> User:
        return people(1, account_type=AccountType.CREATOR)[0]

    def videos(self, creator: User, n: int, **fields: Any) -> tuple[Video, ...]:
        return tuple(make_video(creator, **fields) for _ in range(n))

    def on(self, day: date, change: Callable[[], None]) -> None:
        self.changes[day].append(change)

    def roll_up(self) -> None:
        """Every day from the first period's first to the day after the last period, in order,
        each after the changes due that day."""
        first, last = self.layout.periods[0].first, self.layout.periods[-1].last + timedelta(days=1)
        for day in days_in(first, last):
            for change in self.changes.pop(day, []):
                change()
            rollup_day(day)
        assert not self.changes, "a change falls outside the rolled-up days"
