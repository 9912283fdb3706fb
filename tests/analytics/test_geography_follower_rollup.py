"""The rollup of followers within their country (the slices the geographic releases read): every
follower breakdown again under the follower's country, regions by top-level subdivision, the
hourly and weekday-hour activity, nothing for followers of no known country, and a final day's
slice rows kept as published."""

from collections import Counter
from datetime import date, timedelta

import pytest
from pytest_django import Settings

from accounts.models import AccountType, User
from engagement.analytics import keys
from engagement.analytics.models import AccountDailyBucket, Dimension
from engagement.analytics.privacy import Period, days_in
from engagement.analytics.rollups import designated_weekday, rollup_day
from engagement.models import DeviceType
from tests.analytics.conftest import days_ago, follow_all, people, watch
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db

Rows = dict[tuple[str, str, str], int]  # (dimension, country slice or "", key) -> count


@pytest.fixture
def creator() -> User:
    return make_user("geo_creator", account_type=AccountType.CREATOR)


def rows_of(owner: User, day: date, *dimensions: str) -> Rows:
    rows = AccountDailyBucket.objects.filter(owner=owner, day=day, dimension__in=dimensions)
    return {(row.dimension, row.country, row.key): row.count for row in rows}


def sliced(rows: Rows, country: str) -> Rows:
    return {bucket: n for bucket, n in rows.items() if bucket[1] == country}


SNAPSHOT = (
    Dimension.FOLLOWER_COUNTRY,
    Dimension.FOLLOWER_GENDER,
    Dimension.FOLLOWER_AGE,
    Dimension.FOLLOWER_DEVICE,
    Dimension.FOLLOWER_REGION,
)


@pytest.fixture
def followed(creator: User) -> date:
    """Five days ago the creator's followers were: 3 women of Paris (FR-75C) aged 30 on a phone,
    2 men of FR who declared Bavaria (a region outside their country), 1 French follower who
    declared nothing more, 2 of DE in Bavaria, 2 of no country who declared Paris all the same,
    and 1 of a country no ISO code names. Returns the day."""
    day = days_ago(5)
    year = day.year - 30
    elsewhere = make_video(make_user())
    parisians = people(3, country="FR", region="FR-75C", gender="FEMALE", birth_year=year)
    watch(elsewhere, parisians, day, hour=9, device=DeviceType.PHONE)
    crowd = [
        *parisians,
        *people(2, country="FR", region="DE-BY", gender="MALE"),
        *people(1, country="FR"),
        *people(2, country="DE", region="DE-BY"),
        *people(2, region="FR-75C", gender="FEMALE"),
        *people(1, country="ZZ", region="FR-75C"),
    ]
    follow_all(crowd, creator, day - timedelta(days=1))
    rollup_day(day)
    return day


def test_every_follower_breakdown_is_written_again_within_the_followers_country(creator: User, followed: date) -> None:
    """Then the whole rows count all 11 followers, unchanged by the slices; FR's slice counts its
    6 by gender, age and device, and by region: Paris under its top level FR-IDF, a region outside
    the country and none as UNKNOWN; DE's counts its 2 in DE-BY. No region row describes the whole,
    no follower breakdown by country is sliced."""
    rows = rows_of(creator, followed, *SNAPSHOT)

    assert sliced(rows, "") == {
        (Dimension.FOLLOWER_COUNTRY, "", "FR"): 6,
        (Dimension.FOLLOWER_COUNTRY, "", "DE"): 2,
        (Dimension.FOLLOWER_COUNTRY, "", keys.UNKNOWN): 3,
        (Dimension.FOLLOWER_GENDER, "", "FEMALE"): 5,
        (Dimension.FOLLOWER_GENDER, "", "MALE"): 2,
        (Dimension.FOLLOWER_GENDER, "", keys.UNKNOWN): 4,
        (Dimension.FOLLOWER_AGE, "", "AGE_25_34"): 3,
        (Dimension.FOLLOWER_AGE, "", keys.UNKNOWN): 8,
        (Dimension.FOLLOWER_DEVICE, "", "PHONE"): 3,
        (Dimension.FOLLOWER_DEVICE, "", keys.UNKNOWN): 8,
    }
    assert sliced(rows, "FR") == {
        (Dimension.FOLLOWER_GENDER, "FR", "FEMALE"): 3,
        (Dimension.FOLLOWER_GENDER, "FR", "MALE"): 2,
        (Dimension.FOLLOWER_GENDER, "FR", keys.UNKNOWN): 1,
        (Dimension.FOLLOWER_AGE, "FR", "AGE_25_34"): 3,
        (Dimension.FOLLOWER_AGE, "FR", keys.UNKNOWN): 3,
        (Dimension.FOLLOWER_DEVICE, "FR", "PHONE"): 3,
        (Dimension.FOLLOWER_DEVICE, "FR", keys.UNKNOWN): 3,
        (Dimension.FOLLOWER_REGION, "FR", "FR-IDF"): 3,
        (Dimension.FOLLOWER_REGION, "FR", keys.UNKNOWN): 3,
    }
    assert sliced(rows, "DE") == {
        (Dimension.FOLLOWER_GENDER, "DE", keys.UNKNOWN): 2,
        (Dimension.FOLLOWER_AGE, "DE", keys.UNKNOWN): 2,
        (Dimension.FOLLOWER_DEVICE, "DE", keys.UNKNOWN): 2,
        (Dimension.FOLLOWER_REGION, "DE", "DE-BY"): 2,
    }


def test_followers_of_no_known_country_get_no_slice_rows(creator: User, followed: date) -> None:
    """The 3 followers of no country, or of one no ISO code names, count in the whole rows only:
    every row is of the whole, FR or DE, and each slice sums to its country's followers."""
    rows = rows_of(creator, followed, *SNAPSHOT)

    assert {country for _, country, _ in rows} == {"", "FR", "DE"}
    for dimension in (Dimension.FOLLOWER_GENDER, Dimension.FOLLOWER_REGION):
        for country, n in (("FR", 6), ("DE", 2)):
            assert sum(count for (d, c, _), count in rows.items() if (d, c) == (dimension, country)) == n


def test_activity_is_written_again_within_the_followers_country(creator: User, settings: Settings) -> None:
    """Given week-long periods and, every day of one, 3 French followers active at 09:00, 2 German
    ones at 18:00 and 2 of no country at 09:00, then the hourly activity of the period's first day
    holds 5 at HOUR_09 and 2 at HOUR_18 whole, and per country its own; each follower's
    weekday-hour counts once, on the weekday drawn for them, whole and in their country's slice."""
    settings.PRIVACY_PERIOD_DAYS = 7
    period = Period.of(days_ago(20), 7)
    elsewhere = make_video(make_user())
    french, german, nowhere = people(3, country="FR"), people(2, country="DE"), people(2)
    follow_all([*french, *german, *nowhere], creator, period.first - timedelta(days=1))
    for day in days_in(period.first, period.last):
        watch(elsewhere, [*french, *nowhere], day, hour=9)
        watch(elsewhere, german, day, hour=18)
        rollup_day(day)

    activity = rows_of(creator, period.first, Dimension.FOLLOWER_ACTIVITY)
    weekhours = AccountDailyBucket.objects.filter(owner=creator, dimension=Dimension.FOLLOWER_WEEKHOUR)

    assert activity == {
        (Dimension.FOLLOWER_ACTIVITY, "", "HOUR_09"): 5,
        (Dimension.FOLLOWER_ACTIVITY, "", "HOUR_18"): 2,
        (Dimension.FOLLOWER_ACTIVITY, "FR", "HOUR_09"): 3,
        (Dimension.FOLLOWER_ACTIVITY, "DE", "HOUR_18"): 2,
    }
    assert not AccountDailyBucket.objects.filter(dimension=Dimension.FOLLOWER_ACTIVITY, day__gt=period.first).exists()

    def cells(fans: list[User], hour: int, country: str) -> Counter[tuple[str, str]]:
        return Counter((country, keys.weekhour_key(designated_weekday(period, fan.pk), hour)) for fan in fans)

    counted: Counter[tuple[str, str]] = Counter()
    for row in weekhours:
        counted[(row.country, row.key)] += row.count
    assert counted == (
        cells([*french, *nowhere], 9, "") + cells(german, 18, "") + cells(french, 9, "FR") + cells(german, 18, "DE")
    )


def test_a_final_days_slice_rows_are_kept_as_published(creator: User, followed: date) -> None:
    """Given the final day rolled up, when its followers move (the Parisians to DE in Berlin, the
    German ones to no country) and it is rolled up again, then its slice rows are the published
    ones, while the day's follower total follows the data."""
    published = rows_of(creator, followed, *SNAPSHOT, Dimension.FOLLOWER_ACTIVITY)
    User.objects.filter(region="FR-75C", country="FR").update(country="DE", region="DE-BE")
    User.objects.filter(country="DE", region="DE-BY").update(country="")
    follow_all(people(1, country="FR"), creator, followed - timedelta(days=1))

    result = rollup_day(followed)

    assert result.breakdowns_kept
    assert rows_of(creator, followed, *SNAPSHOT, Dimension.FOLLOWER_ACTIVITY) == published
    assert creator.daily_stats.get(day=followed).followers == 12
