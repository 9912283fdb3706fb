"""The rollup of followers by UTC weekday and hour (FOLLOWER_WEEKHOUR): each follower counts at
most once per period, on the first day of the period that falls on their designated weekday and on
which they were active, at the hour of their first view that day."""

from collections import Counter
from datetime import date, timedelta

import pytest
from pytest_django import Settings

from accounts.models import AccountType, User
from engagement.analytics import keys
from engagement.analytics.models import AccountDailyBucket, Dimension
from engagement.analytics.privacy import Period, days_in
from engagement.analytics.rollups import designated_weekday, rollup_day
from engagement.models import View
from tests.analytics.conftest import days_ago, follow_all, people, watch
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def four_week_periods(settings: Settings) -> None:
    settings.PRIVACY_PERIOD_DAYS = 28


def weekhour_rows(owner: User) -> dict[tuple[date, str], int]:
    rows = AccountDailyBucket.objects.filter(owner=owner, dimension=Dimension.FOLLOWER_WEEKHOUR, country="")
    return {(row.day, row.key): row.count for row in rows}


def designated_days(period: Period, follower: User) -> list[date]:
    """The days of ``period`` on the follower's designated weekday: four in 28 days."""
    weekday = designated_weekday(period, follower.pk)
    return [day for day in days_in(period.first, period.last) if day.weekday() == weekday]


def roll_up(first: date, last: date) -> None:
    for day in days_in(first, last):
        rollup_day(day)


def test_a_follower_counts_once_per_period_on_their_weekday_at_their_first_hour() -> None:
    """Given three followers of a creator (and of a personal account) and two 28-day periods:
    ``early`` active every day at 13:00 and, on the first day of their weekday, at 06:00 too
    (written after); ``late`` active every day but the first day of their weekday; ``never``
    active every day but those of their weekday. Then, in each period, ``early`` counts once, on
    the first day of their weekday at 06:00 (13:00 in the second period), ``late`` once, on the
    second day of theirs, ``never`` not at all; the personal account gets no row."""
    creator, personal = make_user(account_type=AccountType.CREATOR), make_user()
    first = Period.of(days_ago(90))
    second = Period(first.index + 1, first.length)
    early, late, never = fans = people(3)
    follow_all(fans, creator, first.first - timedelta(days=1))
    follow_all(fans, personal, first.first - timedelta(days=1))
    elsewhere = make_video(make_user())
    for day in days_in(first.first, second.last):
        period = Period.of(day)
        watch(elsewhere, [early], day, hour=13)
        if day != designated_days(period, late)[0]:
            watch(elsewhere, [late], day, hour=13)
        if day.weekday() != designated_weekday(period, never.pk):
            watch(elsewhere, [never], day, hour=13)
    watch(elsewhere, [early], designated_days(first, early)[0], hour=6)

    roll_up(first.first, second.last)

    def cell(day: date, hour: int) -> tuple[date, str]:
        return day, keys.weekhour_key(day.weekday(), hour)

    assert weekhour_rows(creator) == dict(
        Counter(
            [
                cell(designated_days(first, early)[0], 6),
                cell(designated_days(first, late)[1], 13),
                cell(designated_days(second, early)[0], 13),
                cell(designated_days(second, late)[1], 13),
            ]
        )
    )
    assert weekhour_rows(personal) == {}


def test_every_follower_active_all_period_counts_once_on_the_weekday_drawn_for_them() -> None:
    """Given 70 followers active every day of a period at 20:00, then the period holds 70
    memberships, each follower's on their own weekday: the weekdays are drawn for the followers,
    not taken from the period's first days (the period starts on whatever weekday it does)."""
    creator = make_user(account_type=AccountType.CREATOR)
    period = Period.of(days_ago(60))
    fans = people(70)
    follow_all(fans, creator, period.first - timedelta(days=1))
    elsewhere = make_video(make_user())
    for day in days_in(period.first, period.last):
        watch(elsewhere, fans, day, hour=20)

    roll_up(period.first, period.last)

    by_weekday = Counter(keys.weekhour_key(designated_weekday(period, fan.pk), 20) for fan in fans)
    rows = weekhour_rows(creator)
    assert sum(rows.values()) == 70
    assert {key: sum(n for (_, k), n in rows.items() if k == key) for key in by_weekday} == dict(by_weekday)
    assert all(day < period.first + timedelta(days=7) for day, _ in rows)  # each on the first day of its weekday
    assert len(by_weekday) >= 5  # spread over the week (70 draws leave two weekdays empty once in 4,000)


def test_the_designated_weekday_is_a_stable_hash_of_the_period_and_the_follower() -> None:
    """A fixed function of the period's index and the follower's id (the same in every process:
    never Python's per-process ``hash()``), spread evenly over the weekdays and drawn afresh each
    period."""
    pinned = [designated_weekday(Period(9000, 28), follower) for follower in range(1, 11)]
    spread = Counter(designated_weekday(Period(300, 28), follower) for follower in range(7000))
    per_period = {designated_weekday(Period(index, 28), 42) for index in range(50)}

    assert pinned == [6, 3, 0, 0, 5, 5, 0, 0, 4, 5]  # a change would move followers within a period
    assert set(spread) == set(range(7)) and all(900 <= n <= 1100 for n in spread.values())
    assert per_period == set(range(7))


def test_a_final_day_keeps_its_weekday_hours() -> None:
    """Given a final day holding a follower's weekday-hour, when their view is deleted and the day
    rolled up again, then the row stays as published."""
    creator = make_user(account_type=AccountType.CREATOR)
    period = Period.of(days_ago(60))
    fan = people(1)[0]
    follow_all([fan], creator, period.first - timedelta(days=1))
    day = designated_days(period, fan)[0]
    watch(make_video(make_user()), [fan], day, hour=10)
    rollup_day(day)
    published = weekhour_rows(creator)

    View.objects.filter(viewer=fan).delete()
    rollup_day(day)

    assert published == {(day, keys.weekhour_key(day.weekday(), 10)): 1} == weekhour_rows(creator)
