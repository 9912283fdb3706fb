"""``Me.insights.followerActivityByWeekday`` and ``bestTimesToPost`` through the API: the exact
grid (noise off) moved into the creator's time zone, suppression, the noise as clients see it, and
who may read them, on both engines."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from accounts.models import AccountType, User
from engagement import services
from engagement.analytics.privacy import Period, days_in
from engagement.analytics.rollups import designated_weekday, rollup_day
from engagement.analytics.selectors import account_insights
from engagement.analytics.weekly import account_weekly_activity, local_cell
from kernel.errors import PermissionDenied
from tests.analytics.conftest import both_engines, days_ago, follow_all, people, token_for, watch
from tests.analytics.test_rollups import RAW_TABLES
from tests.api.cases import assert_data, assert_denied
from tests.api.conftest import World
from tests.factories import make_user, make_video

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
MON, WED, FRI, SUN = 0, 2, 4, 6
# Followers by the UTC weekday drawn for them and the hour they are active every day: 150 in all.
CROWD = {(FRI, 18): 50, (MON, 7): 40, (WED, 12): 30, (SUN, 20): 20, (MON, 2): 10}

QUERY = """
query($from: Date!, $to: Date!) {
  me {
    insights {
      followerActivityByWeekday(from: $from, to: $to) {
        suppressed timeZone coveredFrom coveredTo slots { weekday hour count share }
      }
      bestTimesToPost(from: $from, to: $to) { weekday hour share }
    }
  }
}
"""


@pytest.fixture(autouse=True)
def weekly_periods(settings: Settings) -> None:
    """Periods of one week: every follower's weekday falls once in each."""
    settings.PRIVACY_PERIOD_DAYS = 7


def week_of(day: date) -> Period:
    return Period.of(day, 7)


def whole(period: Period) -> dict[str, str]:
    return {"from": period.first.isoformat(), "to": period.last.isoformat()}


def crowd(creator: User, period: Period, cells: Mapping[tuple[int, int], int] = CROWD) -> None:
    """For each UTC cell, that many followers whose weekday in ``period`` is the cell's, active
    every day of it at the cell's hour; the period rolled up (and so released)."""
    elsewhere = make_video(make_user())
    for (weekday, hour), n in cells.items():
        chosen: list[User] = []
        while len(chosen) < n:
            chosen += [fan for fan in people(7 * n) if designated_weekday(period, fan.pk) == weekday]
        follow_all(chosen[:n], creator, period.first - timedelta(days=1))
        for day in days_in(period.first, period.last):
            watch(elsewhere, chosen[:n], day, hour=hour)
    for day in days_in(period.first, period.last):
        rollup_day(day)


def set_zone(user: User, zone: str) -> None:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])


def ask(user: User, variables: dict[str, str]) -> dict[str, Any]:
    """The answer, the same from both engines."""
    answers = [client(QUERY, variables).body for client in both_engines(user).values()]
    assert answers[0] == answers[1]
    return dict(answers[0]["data"]["me"]["insights"])


def local_slots(cells: Mapping[tuple[int, int], int], shift: int) -> list[dict[str, Any]]:
    """The 168 slots expected when every UTC cell moves ``shift`` whole hours."""
    total = sum(cells.values())
    moved = {divmod((weekday * 24 + hour + shift) % 168, 24): n for (weekday, hour), n in cells.items()}
    return [
        {"weekday": WEEKDAYS[weekday], "hour": hour, "count": moved.get((weekday, hour), 0), "share": 0.0}
        | ({"share": pytest.approx(moved[(weekday, hour)] / total)} if (weekday, hour) in moved else {})
        for weekday in range(7)
        for hour in range(24)
    ]


# The exact grid, in the creator's zone (noise off) ----------------------------------------------

ZONES = [
    pytest.param("UTC", date(2025, 1, 15), 0, id="UTC"),
    pytest.param("Asia/Tokyo", date(2025, 1, 15), 9, id="Tokyo+9: Sunday 20 UTC is Monday 05"),
    pytest.param("America/New_York", date(2025, 1, 15), -5, id="New York in winter-5: Monday 02 UTC is Sunday 21"),
    pytest.param("America/New_York", date(2025, 7, 16), -4, id="New York in summer-4"),
    pytest.param("Asia/Kolkata", date(2025, 1, 15), 5, id="Kolkata+5:30: 09:00 UTC is 14:30, at 14"),
    # The week of Saturday 8 to Friday 14 March 2025, across New York's switch on Sunday 9 March.
    pytest.param("America/New_York", date(2025, 3, 9), -4, id="a week across a switch: the offset on coveredTo"),
]


@pytest.mark.parametrize(("zone", "day", "shift"), ZONES)
def test_the_week_is_exact_and_local(world: World, zone: str, day: date, shift: int) -> None:
    """Given 150 followers active every day of a week at fixed UTC hours, each counted on the
    weekday drawn for them, then all 168 slots show, Monday 00 first, each cell moved into the
    creator's zone by its offset on ``coveredTo`` (a half hour down to the hour the cell starts
    in); the best times to post are the three busiest of them."""
    period = week_of(day)
    crowd(world.creator, period)
    set_zone(world.creator, zone)

    insights = ask(world.creator, whole(period))

    week = insights["followerActivityByWeekday"]
    assert {key: week[key] for key in ("suppressed", "timeZone", "coveredFrom", "coveredTo")} == {
        "suppressed": False,
        "timeZone": zone,
        "coveredFrom": period.first.isoformat(),
        "coveredTo": period.last.isoformat(),
    }
    expected = local_slots(CROWD, shift)
    assert week["slots"] == expected
    busiest = sorted((slot for slot in expected if slot["count"]), key=lambda slot: -slot["count"])[:3]
    assert insights["bestTimesToPost"] == [{key: slot[key] for key in ("weekday", "hour", "share")} for slot in busiest]


@pytest.mark.parametrize(
    ("utc", "offset", "local"),
    [
        pytest.param((MON, 0), -210, (SUN, 20), id="St John's-3:30: Monday 00:00 UTC is Sunday 20:30"),
        pytest.param((SUN, 23), 345, (MON, 4), id="Kathmandu+5:45: Sunday 23:00 UTC is Monday 04:45"),
        pytest.param((WED, 13), 0, (WED, 13), id="UTC"),
    ],
)
def test_a_cell_moves_whole_to_the_local_hour_it_starts_in(
    utc: tuple[int, int], offset: int, local: tuple[int, int]
) -> None:
    assert local_cell(*utc, offset) == local


def test_the_cells_of_a_week_land_on_distinct_local_cells() -> None:
    for offset in (-210, -300, 0, 330, 345, 540, 840):
        assert len({local_cell(weekday, hour, offset) for weekday in range(7) for hour in range(24)}) == 168


def test_the_read_takes_three_queries_of_the_rollups(world: World) -> None:
    """The released periods, the summed cells and the follower snapshot: never an interaction
    table, however many followers."""
    period = week_of(date(2025, 1, 15))
    crowd(world.creator, period)
    insights = account_insights(viewer=world.creator)

    with CaptureQueriesContext(connection) as queries:
        account_weekly_activity(viewer=world.creator, insights=insights, first=period.first, last=period.last)

    assert len(queries.captured_queries) == 3
    assert not [query for query in queries.captured_queries if any(table in query["sql"] for table in RAW_TABLES)]


# Suppression -------------------------------------------------------------------------------------


def test_nothing_shows_below_the_audience_floor_or_before_a_period_ended(world: World) -> None:
    """Given 99 followers, then the week is suppressed, with the covered days but no slot, and
    there is no best time; a range whose period has not ended is suppressed with nothing
    covered. The time zone is said either way."""
    period = week_of(date(2025, 1, 15))
    crowd(world.creator, period, {(FRI, 18): 99})
    set_zone(world.creator, "Asia/Tokyo")

    below = ask(world.creator, whole(period))
    today = ask(world.creator, {"from": days_ago(0).isoformat(), "to": days_ago(0).isoformat()})

    assert below == {
        "followerActivityByWeekday": {
            "suppressed": True,
            "timeZone": "Asia/Tokyo",
            "coveredFrom": period.first.isoformat(),
            "coveredTo": period.last.isoformat(),
            "slots": [],
        },
        "bestTimesToPost": [],
    }
    assert today["followerActivityByWeekday"] == {
        "suppressed": True,
        "timeZone": "Asia/Tokyo",
        "coveredFrom": None,
        "coveredTo": None,
        "slots": [],
    }
    assert today["bestTimesToPost"] == []


def test_one_more_follower_lifts_the_floor(world: World) -> None:
    """Given 100 followers, the floor itself, then the week shows."""
    period = week_of(date(2025, 1, 15))
    crowd(world.creator, period, {(FRI, 18): 100})

    assert ask(world.creator, whole(period))["followerActivityByWeekday"]["suppressed"] is False


# The noise, as clients see it ----------------------------------------------------------------------


def test_every_slot_is_noisy_never_negative_and_asked_again_the_same(world: World, settings: Settings) -> None:
    """Given the default budget, then all 168 slots show, none below 0, empty cells with counts of
    their noise alone, and asking again, from the other engine or over another range of the same
    period gives the same answer; the best times are the busiest of those very slots."""
    settings.PRIVACY_EPSILON = 1.0
    period = week_of(date(2025, 1, 15))
    crowd(world.creator, period)
    inside = {"from": period.first.isoformat(), "to": (period.first + timedelta(days=2)).isoformat()}

    insights = ask(world.creator, whole(period))

    assert ask(world.creator, inside) == ask(world.creator, whole(period)) == insights
    slots = insights["followerActivityByWeekday"]["slots"]
    counts = {(WEEKDAYS.index(slot["weekday"]), slot["hour"]): slot["count"] for slot in slots}
    assert len(slots) == 168 and min(counts.values()) >= 0
    empty = [count for cell, count in counts.items() if cell not in CROWD]
    assert 0 < sum(count > 0 for count in empty) < len(empty)  # each key's own noise, clamped
    assert counts != {cell: CROWD.get(cell, 0) for cell in counts}
    assert sum(slot["share"] for slot in slots) == pytest.approx(1.0)
    assert insights["bestTimesToPost"] == []  # 150 followers in 168 slots of noise 30: noise's picks


def test_best_times_show_once_the_week_stands_above_its_noise(world: World, settings: Settings) -> None:
    """Given the same 150 followers under a budget whose noise is small beside them (scale 1), then
    the best times are the busiest of the noisy slots; under the default budget they were withheld."""
    settings.PRIVACY_EPSILON = 30.0
    period = week_of(date(2025, 1, 15))
    crowd(world.creator, period)

    insights = ask(world.creator, whole(period))

    slots = insights["followerActivityByWeekday"]["slots"]
    busiest = sorted(slots, key=lambda slot: -slot["count"])[:3]
    assert insights["bestTimesToPost"] == [{key: slot[key] for key in ("weekday", "hour", "share")} for slot in busiest]
    assert insights["bestTimesToPost"][0]["weekday"] == "FRIDAY"


# Who may read it -----------------------------------------------------------------------------------

FIELDS = ("followerActivityByWeekday", "bestTimesToPost")


@pytest.mark.both_engines
def test_a_personal_account_is_refused_both_fields(gql: Any, world: World) -> None:
    response = gql(world.viewer)(QUERY, whole(week_of(date(2025, 1, 15))))

    assert sorted((error["path"][-1], error["extensions"]["code"]) for error in response.errors) == sorted(
        (field, "FORBIDDEN") for field in FIELDS
    )
    assert response.data["me"]["insights"] == dict.fromkeys(FIELDS)


@pytest.mark.both_engines
def test_a_delegate_reads_their_own_account_never_the_owners(gql: Any, world: World) -> None:
    """Given the creator granted the other creator all their insights and has a crowd, then the
    other creator's ``Me.insights`` is their own (no follower: suppressed), and the selector
    refuses them the creator's: account insights are never delegated."""
    period = week_of(date(2025, 1, 15))
    crowd(world.creator, period)
    services.insights_access_grant(actor=world.creator, username="other_creator")

    response = gql(world.other_creator)(QUERY, whole(period))

    assert assert_data(response, ("me", "insights", "followerActivityByWeekday"))["suppressed"] is True
    assert response.data["me"]["insights"]["bestTimesToPost"] == []
    with pytest.raises(PermissionDenied):
        account_weekly_activity(
            viewer=world.other_creator,
            insights=account_insights(viewer=world.creator),
            first=period.first,
            last=period.last,
        )


@pytest.mark.both_engines
def test_tokens_need_insights_read_and_anonymous_gets_nothing(gql: Any, world: World) -> None:
    variables = whole(week_of(date(2025, 1, 15)))
    without = token_for(world.creator, "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")

    refused = gql(token=without)(QUERY, variables)
    allowed = gql(token=token_for(world.creator, "INSIGHTS_READ"))(QUERY, variables)
    anonymous = gql(None)(QUERY, variables)

    assert_denied(refused, ("me", "insights"), "FORBIDDEN")
    assert assert_data(allowed, ("me", "insights"))["followerActivityByWeekday"]["suppressed"] is True
    assert anonymous.body == {"data": {"me": None}}


def test_a_business_account_reads_it_too(world: World) -> None:
    owner = make_user("weekly_business", account_type=AccountType.BUSINESS)
    period = week_of(date(2025, 1, 15))
    crowd(owner, period)

    assert ask(owner, whole(period))["bestTimesToPost"][0] == {"weekday": "FRIDAY", "hour": 18, "share": 50 / 150}
