"""``Me.insights.overview``: exact totals of a range from the daily rollups, the previous range and
the relative change, what each account type shows, who may read it, bad ranges, and what it costs
in SQL. API tests on both engines (``both_engines``)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from accounts.models import AccountType, Follow, User
from engagement import services
from engagement.analytics.models import AccountDailyStats, InsightsDay, VideoDailyStats
from engagement.analytics.overview import Comparison, Span, account_overview, relative_change
from engagement.analytics.privacy import days_in
from engagement.analytics.rollups import rollup_day
from engagement.analytics.selectors import AccountInsights
from engagement.models import Video
from kernel.errors import InvalidInput, PermissionDenied
from tests.analytics.conftest import at, both_engines, days_ago, follow_all, people, token_for
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World
from tests.factories import make_user, make_video

pytestmark = pytest.mark.both_engines

# The range asked for, the previous range of the same 7 days, and the day before that.
FIRST, LAST = date(2025, 3, 10), date(2025, 3, 16)
PREVIOUS_FIRST, PREVIOUS_LAST = date(2025, 3, 3), date(2025, 3, 9)
ROLLED_UP_FROM = date(2025, 3, 2)
RANGE = {"from": FIRST.isoformat(), "to": LAST.isoformat()}

OVERVIEW = """
query($from: Date!, $to: Date!, $compareTo: InsightsComparison) {
  me {
    insights {
      overview(from: $from, to: $to, compareTo: $compareTo) {
        from to previousFrom previousTo
        totals { ...Figures }
        previous { ...Figures }
        change { ...Changes }
      }
    }
  }
}
fragment Figures on OverviewTotals {
  views likes comments shares saves downloads watchSeconds completions profileViews
  followersGained followersLost netFollowers engagementRate shareRate saveRate completionRate
}
fragment Changes on OverviewChange {
  views likes comments shares saves downloads watchSeconds completions profileViews
  followersGained followersLost netFollowers engagementRate shareRate saveRate completionRate
}
"""

COUNTS = ("views", "likes", "comments", "shares", "saves", "downloads", "watch_seconds", "completions")


def _video_day(video: Video, day: date, *figures: int) -> None:
    VideoDailyStats.objects.create(video=video, day=day, **dict(zip(COUNTS, figures, strict=True)))


def _account_day(owner: User, day: date, *, followers: int, gained: int = 0, profile_views: int = 0) -> None:
    AccountDailyStats.objects.create(
        owner=owner, day=day, followers=followers, new_followers=gained, profile_views=profile_views
    )


def _rolled_up(first: date, last: date) -> None:
    InsightsDay.objects.bulk_create(
        (InsightsDay(day=day, finalized=True, rolled_up_at=datetime.now(UTC)) for day in days_in(first, last)),
        ignore_conflicts=True,
    )


def seeded_owner(account_type: str) -> User:
    """An owner of ``account_type`` with rollups written by hand (no interaction rows at all):

    ========================  ==========  ==========
    figure                    previous    range
    ========================  ==========  ==========
    views                     60          150 (two videos)
    likes, comments, shares   3, 3, 0     15, 5, 5
    saves, downloads          0, 1        10, 2
    watch seconds             500         1,300
    completions               30          50
    profile views             4           7
    followers at the start    20          30
    follows gained            12          8
    followers at the end      30          35
    ========================  ==========  ==========

    and rows that must not count: the day after the range, and another owner's video in it."""
    owner = make_user(account_type=account_type)
    first, second = make_video(owner), make_video(owner)
    _video_day(first, FIRST, 100, 10, 5, 4, 6, 2, 1000, 40)
    _video_day(second, LAST, 50, 5, 0, 1, 4, 0, 300, 10)
    _video_day(first, PREVIOUS_LAST, 60, 3, 3, 0, 0, 1, 500, 30)
    _video_day(first, LAST + timedelta(days=1), 999, 99, 99, 99, 99, 99, 999, 99)
    _video_day(make_video(make_user()), FIRST + timedelta(days=2), 777, 77, 77, 77, 77, 77, 777, 77)
    _account_day(owner, ROLLED_UP_FROM, followers=20)
    _account_day(owner, PREVIOUS_FIRST + timedelta(days=2), followers=32, gained=12, profile_views=4)
    _account_day(owner, PREVIOUS_LAST, followers=30)
    _account_day(owner, FIRST + timedelta(days=1), followers=33, gained=5, profile_views=7)
    _account_day(owner, FIRST + timedelta(days=4), followers=36, gained=3)
    _account_day(owner, LAST, followers=35)
    _account_day(owner, LAST + timedelta(days=1), followers=90, gained=55, profile_views=99)
    _rolled_up(ROLLED_UP_FROM, LAST + timedelta(days=1))
    return owner


def business_figures() -> dict[str, Any]:
    return {
        "views": 150,
        "likes": 15,
        "comments": 5,
        "shares": 5,
        "saves": 10,
        "downloads": 2,
        "watchSeconds": 1300,
        "completions": 50,
        "profileViews": 7,
        "followersGained": 8,
        "followersLost": 3,  # 30 + 8 - 35
        "netFollowers": 5,
        "engagementRate": pytest.approx(35 / 150),  # likes, comments, shares and saves
        "shareRate": pytest.approx(5 / 150),
        "saveRate": pytest.approx(10 / 150),
        "completionRate": pytest.approx(50 / 150),
    }


def previous_business_figures() -> dict[str, Any]:
    return {
        "views": 60,
        "likes": 3,
        "comments": 3,
        "shares": 0,
        "saves": 0,
        "downloads": 1,
        "watchSeconds": 500,
        "completions": 30,
        "profileViews": 4,
        "followersGained": 12,
        "followersLost": 2,  # 20 + 12 - 30
        "netFollowers": 10,
        "engagementRate": pytest.approx(0.1),
        "shareRate": 0.0,
        "saveRate": 0.0,
        "completionRate": 0.5,
    }


def business_change() -> dict[str, Any]:
    return {
        "views": 1.5,
        "likes": 4.0,
        "comments": pytest.approx(2 / 3),
        "shares": None,  # from 0
        "saves": None,
        "downloads": 1.0,
        "watchSeconds": 1.6,
        "completions": pytest.approx(2 / 3),
        "profileViews": 0.75,
        "followersGained": pytest.approx(-1 / 3),
        "followersLost": 0.5,
        "netFollowers": -0.5,
        "engagementRate": pytest.approx(4 / 3),
        "shareRate": None,
        "saveRate": None,
        "completionRate": pytest.approx(-1 / 3),
    }


def ask(user: User | None, variables: dict[str, Any], *, token: str | None = None) -> Any:
    """The overview as both engines answer it, checked to be the same answer (each error's
    request id aside)."""
    answers = [client(OVERVIEW, variables) for client in both_engines(user, token=token).values()]
    assert _same_for_any_request(answers[0].body) == _same_for_any_request(answers[1].body)
    return answers[0]


def _same_for_any_request(body: dict[str, Any]) -> dict[str, Any]:
    errors = [
        {**error, "extensions": {k: v for k, v in error["extensions"].items() if k != "requestId"}}
        for error in body.get("errors", [])
    ]
    return {**body, "errors": errors}


# The figures ---------------------------------------------------------------------------------------


def test_a_business_account_reads_exact_totals_of_its_range(db: None) -> None:
    """Given the seeded rollups, then the range's totals are the sums of its days over the owner's
    videos and account only, with the rates of those sums; nothing is compared."""
    owner = seeded_owner(AccountType.BUSINESS)

    overview = assert_data(ask(owner, RANGE), ("me", "insights", "overview"))

    assert overview == {
        "from": "2025-03-10",
        "to": "2025-03-16",
        "previousFrom": None,
        "previousTo": None,
        "totals": business_figures(),
        "previous": None,
        "change": None,
    }


def test_the_previous_period_is_as_long_and_ends_the_day_before(db: None) -> None:
    """Given compareTo: PREVIOUS_PERIOD, then the previous range is the 7 days before `from`, with
    its own exact totals, and the change of each figure is (now - before) / before, null where
    the previous figure is 0."""
    owner = seeded_owner(AccountType.BUSINESS)

    overview = assert_data(ask(owner, {**RANGE, "compareTo": "PREVIOUS_PERIOD"}), ("me", "insights", "overview"))

    assert (overview["previousFrom"], overview["previousTo"]) == ("2025-03-03", "2025-03-09")
    assert overview["totals"] == business_figures()
    assert overview["previous"] == previous_business_figures()
    assert overview["change"] == business_change()


@pytest.mark.parametrize(
    ("first", "last", "previous"),
    [
        (date(2025, 3, 1), date(2025, 3, 1), (date(2025, 2, 28), date(2025, 2, 28))),
        (date(2024, 3, 1), date(2024, 3, 31), (date(2024, 1, 30), date(2024, 2, 29))),  # a leap February
        (date(2025, 1, 1), date(2025, 12, 31), (date(2024, 1, 2), date(2024, 12, 31))),  # 365 days, not a year
    ],
)
def test_previous_period_arithmetic(first: date, last: date, previous: tuple[date, date]) -> None:
    span = Span(first, last).previous()

    assert (span.first, span.last) == previous
    assert span.days == Span(first, last).days


@pytest.mark.parametrize(
    ("current", "previous", "change"),
    [(15, 3, 4.0), (0, 4, -1.0), (4, 0, None), (0, 0, None), (None, 3, None), (3, None, None), (5, -10, 1.5)],
)
def test_relative_change(current: float | None, previous: float | None, change: float | None) -> None:
    """(current - previous) / |previous|: null from 0 or null; from a negative net the sign still
    says which way it went."""
    assert relative_change(current, previous) == change


def test_a_creator_reads_everything_but_saves(db: None) -> None:
    """Given a CREATOR account, then saves and the save rate are null in both ranges and their
    change too, and the engagement rate counts likes, comments and shares only."""
    owner = seeded_owner(AccountType.CREATOR)

    overview = assert_data(ask(owner, {**RANGE, "compareTo": "PREVIOUS_PERIOD"}), ("me", "insights", "overview"))

    no_saves = {"saves": None, "saveRate": None}
    assert overview["totals"] == {**business_figures(), **no_saves, "engagementRate": pytest.approx(25 / 150)}
    assert overview["previous"] == {**previous_business_figures(), **no_saves}
    assert overview["change"] == {
        **business_change(),
        **no_saves,
        "engagementRate": pytest.approx((25 / 150 - 0.1) / 0.1),
    }


def test_a_personal_account_reads_no_saves_and_no_follower_changes(db: None) -> None:
    """Given a PERSONAL account, then the totals show, and saves, the save rate and followers
    gained, lost and net are null (the rollup does not count its followers every day)."""
    owner = seeded_owner(AccountType.PERSONAL)

    overview = assert_data(ask(owner, {**RANGE, "compareTo": "PREVIOUS_PERIOD"}), ("me", "insights", "overview"))

    hidden = {"saves": None, "saveRate": None, "followersGained": None, "followersLost": None, "netFollowers": None}
    assert overview["totals"] == {**business_figures(), **hidden, "engagementRate": pytest.approx(25 / 150)}
    assert overview["previous"] == {**previous_business_figures(), **hidden}
    assert {name for name, change in overview["change"].items() if change is None} >= set(hidden)


def test_follower_changes_wait_until_every_day_is_rolled_up(db: None) -> None:
    """Given the day before the previous range was never rolled up, then the previous range's
    follower figures are null (its start is unknown, not 0) and so are their changes, while the
    range's own show; every other figure stays."""
    owner = seeded_owner(AccountType.CREATOR)
    InsightsDay.objects.filter(day=ROLLED_UP_FROM).delete()

    overview = assert_data(ask(owner, {**RANGE, "compareTo": "PREVIOUS_PERIOD"}), ("me", "insights", "overview"))

    followers = ("followersGained", "followersLost", "netFollowers")
    assert [overview["totals"][name] for name in followers] == [8, 3, 5]
    assert [overview["previous"][name] for name in followers] == [None, None, None]
    assert [overview["change"][name] for name in followers] == [None, None, None]
    assert overview["previous"]["views"] == 60


def test_no_views_no_rates(db: None) -> None:
    """Given a business account with nothing rolled up in the range, then every count is 0 and
    every rate null (no views), and the follower figures are null (its days are not rolled up)."""
    owner = make_user(account_type=AccountType.BUSINESS)

    totals = assert_data(ask(owner, RANGE), ("me", "insights", "overview", "totals"))

    assert totals == {
        **dict.fromkeys(("views", "likes", "comments", "shares", "saves", "downloads"), 0),
        **dict.fromkeys(("watchSeconds", "completions", "profileViews"), 0),
        **dict.fromkeys(("followersGained", "followersLost", "netFollowers"), None),
        **dict.fromkeys(("engagementRate", "shareRate", "saveRate", "completionRate"), None),
    }


def test_followers_gained_lost_and_net_with_an_unfollow(db: None) -> None:
    """Given three accounts follow a creator on one day, which is rolled up, and one of them
    unfollows the next day, then over both days the creator gained 3, lost 1 and netted 2. Once
    the day of the follows is rolled up again, the follow taken back is no longer gained (nor
    lost): "gained" counts the new follows still standing when their day was rolled up."""
    creator = make_user(account_type=AccountType.CREATOR)
    fans = people(3)
    follow_day, unfollow_day = days_ago(3), days_ago(2)
    for fan in fans:
        services.follow(actor=fan, username=creator.username)
    Follow.objects.filter(followee=creator).update(created_at=at(follow_day, 8))
    for day in days_in(follow_day - timedelta(days=1), follow_day):
        rollup_day(day)
    account_services.unfollow(actor=fans[0], username=creator.username)
    for day in days_in(unfollow_day, days_ago(0)):
        rollup_day(day)
    variables = {"from": follow_day.isoformat(), "to": unfollow_day.isoformat()}

    before = assert_data(ask(creator, variables), ("me", "insights", "overview", "totals"))
    rollup_day(follow_day)
    after = assert_data(ask(creator, variables), ("me", "insights", "overview", "totals"))

    figures = ("followersGained", "followersLost", "netFollowers")
    assert [before[name] for name in figures] == [3, 1, 2]
    assert [after[name] for name in figures] == [2, 0, 2]


def test_the_overview_reads_the_rollups_of_real_interactions(db: None) -> None:
    """Given views, a like and a share of a business account's video yesterday, and a profile
    view, rolled up, then the overview of yesterday counts them."""
    owner = make_user(account_type=AccountType.BUSINESS)
    video = make_video(owner, duration_seconds=10)
    fans = people(4)
    for fan in fans:
        services.view_record(actor=fan, video_id=video.pk, watched_seconds=10, traffic_source="FOR_YOU")
    services.like_add(actor=fans[0], video_id=video.pk)
    services.share_create(actor=fans[1], video_id=video.pk, channel="COPY_LINK")
    services.favorite_add(actor=fans[2], video_id=video.pk)
    for day in days_in(days_ago(2), days_ago(0)):
        rollup_day(day)
    today = {"from": days_ago(0).isoformat(), "to": days_ago(0).isoformat()}

    totals = assert_data(ask(owner, today), ("me", "insights", "overview", "totals"))

    assert {name: totals[name] for name in ("views", "likes", "shares", "saves", "completions")} == {
        "views": 4,
        "likes": 1,
        "shares": 1,
        "saves": 1,
        "completions": 4,
    }
    assert totals["engagementRate"] == 0.75
    assert totals["followersGained"] == 0 and totals["netFollowers"] == 0


# Who may read it -------------------------------------------------------------------------------------


def test_the_overview_is_denied_to_anyone_but_the_account(gql: Any, world: World) -> None:
    """Anonymous: `me` is null. Another user, a delegate of all the owner's videos, or anyone else
    reads their own overview (there is no argument to ask for another account's), never the
    owner's figures; the selector refuses another account's insights outright."""
    owner = seeded_owner(AccountType.BUSINESS)
    services.insights_access_grant(actor=owner, username=world.other_creator.username, video_id=None)

    assert gql(None)(OVERVIEW, RANGE).body == {"data": {"me": None}}
    for someone in (world.other_creator, world.viewer):
        totals = assert_data(ask(someone, RANGE), ("me", "insights", "overview", "totals"))
        assert totals["views"] == 0 and totals["profileViews"] == 0
    with pytest.raises(PermissionDenied):
        account_overview(viewer=world.other_creator, insights=AccountInsights(owner=owner), first=FIRST, last=LAST)


@pytest.mark.parametrize("scopes", [("PROFILE_READ",), ("PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")])
def test_a_token_without_the_insights_scope_is_forbidden(db: None, scopes: tuple[str, ...]) -> None:
    owner = seeded_owner(AccountType.BUSINESS)

    response = ask(None, RANGE, token=token_for(owner, *scopes))

    assert_denied(response, ("me", "insights"), "FORBIDDEN")


def test_an_insights_token_reads_the_overview(db: None) -> None:
    owner = seeded_owner(AccountType.BUSINESS)

    response = ask(None, RANGE, token=token_for(owner, "INSIGHTS_READ", "PROFILE_READ"))

    assert assert_data(response, ("me", "insights", "overview", "totals")) == business_figures()


# Bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "message", "field"),
    [
        ({"from": "2025-03-16", "to": "2025-03-10"}, "not be after", "from"),
        ({"from": "2024-01-01", "to": "2025-01-01"}, "366 days", "to"),
        ({"from": "0001-01-01", "to": "0001-01-02", "compareTo": "PREVIOUS_PERIOD"}, "too early", "from"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "too early", "from"),
    ],
)
def test_a_bad_range_is_bad_user_input(db: None, variables: dict[str, str], message: str, field: str) -> None:
    owner = make_user(account_type=AccountType.BUSINESS)

    response = ask(owner, variables)

    error = assert_single_error(response, "BAD_USER_INPUT")
    assert message in error["message"] and error["extensions"]["field"] == field
    assert error["path"] == ["me", "insights", "overview"]


def test_an_unknown_comparison_is_refused_before_anything_runs(db: None) -> None:
    owner = make_user(account_type=AccountType.BUSINESS)

    response = ask(owner, {**RANGE, "compareTo": "LAST_YEAR"})

    assert response.status == 200 and response.data is None
    assert response.codes == ["BAD_USER_INPUT"]


# What it costs -----------------------------------------------------------------------------------------


def test_three_queries_whatever_the_videos_days_and_comparison(db: None) -> None:
    """The overview is three aggregates (the videos' rollups, the account's, the rolled-up days)
    with a comparison or without, for 2 videos or 30, over 7 days or a year; a personal account
    needs no rolled-up days (it shows no follower changes)."""
    owner = seeded_owner(AccountType.BUSINESS)
    personal = seeded_owner(AccountType.PERSONAL)
    insights, personal_insights = AccountInsights(owner=owner), AccountInsights(owner=personal)

    def queries(viewer: User, of: AccountInsights, first: date, compare: Comparison | None) -> int:
        with CaptureQueriesContext(connection) as captured:
            account_overview(viewer=viewer, insights=of, first=first, last=LAST, compare_to=compare)
        return len(captured)

    small = [queries(owner, insights, FIRST, compare) for compare in (None, Comparison.PREVIOUS_PERIOD)]
    for video in [make_video(owner) for _ in range(28)]:
        for offset in range(3):
            _video_day(video, FIRST + timedelta(days=offset), 1, 1, 1, 1, 1, 1, 1, 1)
    large = [queries(owner, insights, date(2024, 3, 17), compare) for compare in (None, Comparison.PREVIOUS_PERIOD)]

    assert small == large == [3, 3]
    assert queries(personal, personal_insights, FIRST, Comparison.PREVIOUS_PERIOD) == 2


def test_the_selector_refuses_a_bad_range_without_a_query(db: None) -> None:
    owner = make_user(account_type=AccountType.BUSINESS)

    with CaptureQueriesContext(connection) as captured, pytest.raises(InvalidInput):
        account_overview(viewer=owner, insights=AccountInsights(owner=owner), first=LAST, last=FIRST)

    assert len(captured) == 0


def test_follows_written_on_a_day_count_in_the_next_rollup_only(db: None) -> None:
    """A follow of today, before today is rolled up again, is not in the overview yet: it reads
    the rollups alone, never the follow table."""
    creator = make_user(account_type=AccountType.CREATOR)
    for day in days_in(days_ago(2), days_ago(0)):
        rollup_day(day)
    follow_all(people(2), creator, days_ago(0))
    today = {"from": days_ago(0).isoformat(), "to": days_ago(0).isoformat()}

    before = assert_data(ask(creator, today), ("me", "insights", "overview", "totals"))
    rollup_day(days_ago(0), now=at(days_ago(0), 23))
    after = assert_data(ask(creator, today), ("me", "insights", "overview", "totals"))

    assert (before["followersGained"], before["netFollowers"]) == (0, 0)
    assert (after["followersGained"], after["netFollowers"]) == (2, 2)
