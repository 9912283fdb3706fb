"""Rates: the pure definitions (``engagement.analytics.rates``), each video's lifetime rates on
``VideoInsights`` for owners and delegates of each account type, and the top videos by rate
(ranked in SQL, at least ``RATE_MIN_VIEWS`` views). API tests on both engines."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountType, User
from engagement import services
from engagement.analytics.models import VideoDailyStats
from engagement.analytics.rates import Rate, counted, rate_of, ratio
from engagement.analytics.top_rates import RATE_MIN_VIEWS
from engagement.models import Video
from tests.analytics.conftest import both_engines, people, token_for
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import gid
from tests.factories import make_user, make_video

pytestmark = pytest.mark.both_engines

# The pure definitions --------------------------------------------------------------------------------

TOTALS = {"views": 200, "likes": 20, "comments": 10, "shares": 10, "saves": 20, "completions": 100}


@pytest.mark.parametrize(
    ("rate", "saves", "expected"),
    [
        (Rate.ENGAGEMENT, True, 0.3),  # (20 + 10 + 10 + 20) / 200
        (Rate.ENGAGEMENT, False, 0.2),  # (20 + 10 + 10) / 200
        (Rate.SHARE, True, 0.05),
        (Rate.SHARE, False, 0.05),
        (Rate.SAVE, True, 0.1),
        (Rate.SAVE, False, None),
        (Rate.COMPLETION, True, 0.5),
        (Rate.COMPLETION, False, 0.5),
    ],
)
def test_each_rate_is_its_counts_over_views(rate: Rate, saves: bool, expected: float | None) -> None:
    assert rate_of(rate, TOTALS, saves=saves) == expected


@pytest.mark.parametrize("rate", list(Rate))
def test_no_views_no_rate(rate: Rate) -> None:
    assert rate_of(rate, {**TOTALS, "views": 0}, saves=True) is None


def test_what_each_rate_counts() -> None:
    """The same names the top lists sum in SQL; saves join the engagement rate with save analytics."""
    assert counted(Rate.ENGAGEMENT, saves=False) == ("likes", "comments", "shares")
    assert counted(Rate.ENGAGEMENT, saves=True) == ("likes", "comments", "shares", "saves")
    assert [counted(rate, saves=True) for rate in (Rate.SHARE, Rate.SAVE, Rate.COMPLETION)] == [
        ("shares",),
        ("saves",),
        ("completions",),
    ]
    assert ratio(3, 4) == 0.75 and ratio(3, 0) is None
    assert rate_of(Rate.ENGAGEMENT, {**TOTALS, "likes": 400}, saves=False) == 2.1  # more interactions than views


# Each video's lifetime rates ------------------------------------------------------------------------

VIDEO_RATES = """
query($id: ID!) { video(id: $id) { insights { viewCount saveCount engagementRate shareRate saveRate } } }
"""


def engaged_video(account_type: str) -> tuple[User, Video]:
    """A video of an ``account_type`` owner with 8 views, a like, a comment, a share and a save,
    each through its service (so the counters ``VideoInsights`` reads moved)."""
    owner = make_user(account_type=account_type)
    video = make_video(owner)
    fans = people(8)
    for fan in fans:
        services.view_record(actor=fan, video_id=video.pk, watched_seconds=5, traffic_source="FOR_YOU")
    services.like_add(actor=fans[0], video_id=video.pk)
    services.comment_create(actor=fans[1], video_id=video.pk, text="nice")
    services.share_create(actor=fans[2], video_id=video.pk, channel="COPY_LINK")
    services.favorite_add(actor=fans[3], video_id=video.pk)
    return owner, video


def video_rates(user: User | None, video: Video, *, token: str | None = None) -> Any:
    answers = [client(VIDEO_RATES, {"id": gid(video)}) for client in both_engines(user, token=token).values()]
    assert answers[0].data == answers[1].data
    assert [error["path"] for error in answers[0].errors] == [error["path"] for error in answers[1].errors]
    return answers[0]


@pytest.mark.parametrize(
    ("account_type", "engagement", "save_rate"),
    [
        (AccountType.BUSINESS, 0.5, 0.125),  # (1 + 1 + 1 + 1) / 8
        (AccountType.CREATOR, 0.375, None),  # (1 + 1 + 1) / 8: saves only count with save analytics
        (AccountType.PERSONAL, 0.375, None),
    ],
)
def test_a_videos_rates_for_its_owner_and_a_delegate(
    db: None, account_type: str, engagement: float, save_rate: float | None
) -> None:
    """Given a video with 8 views, a like, a comment, a share and a save, then its owner and a
    delegate read the same rates: saves count (and the save rate shows) for a business account's
    video only; every owner still reads the save total."""
    owner, video = engaged_video(account_type)
    delegate = make_user(account_type=AccountType.BUSINESS)  # the delegate's own type changes nothing
    services.insights_access_grant(actor=owner, username=delegate.username, video_id=video.pk)

    for reader in (owner, delegate):
        insights = assert_data(video_rates(reader, video), ("video", "insights"))
        assert insights == {
            "viewCount": 8,
            "saveCount": 1,
            "engagementRate": engagement,
            "shareRate": 0.125,
            "saveRate": save_rate,
        }


def test_a_video_without_views_has_no_rates(db: None) -> None:
    owner = make_user(account_type=AccountType.BUSINESS)
    video = make_video(owner)

    insights = assert_data(video_rates(owner, video), ("video", "insights"))

    assert insights == {"viewCount": 0, "saveCount": 0, "engagementRate": None, "shareRate": None, "saveRate": None}


def test_a_videos_rates_are_denied_to_everyone_else(db: None) -> None:
    """Anonymous, another account, and the owner's token without INSIGHTS_READ: insights is null
    with the documented code; the owner's INSIGHTS_READ token reads the rates."""
    owner, video = engaged_video(AccountType.BUSINESS)

    assert_denied(video_rates(None, video), ("video", "insights"), "UNAUTHENTICATED")
    assert_denied(video_rates(make_user(), video), ("video", "insights"), "FORBIDDEN")
    no_insights = token_for(owner, "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")
    assert_denied(video_rates(None, video, token=no_insights), ("video", "insights"), "FORBIDDEN")
    with_insights = video_rates(None, video, token=token_for(owner, "INSIGHTS_READ"))
    assert assert_data(with_insights, ("video", "insights", "saveRate")) == 0.125


# Top videos by rate ------------------------------------------------------------------------------------

FIRST, LAST = date(2025, 3, 10), date(2025, 3, 16)
RANGE = {"from": FIRST.isoformat(), "to": LAST.isoformat()}
TOP = """
query($from: Date!, $to: Date!) {
  me {
    insights {
      FIELD(from: $from, to: $to) { rate views video { caption } }
    }
  }
}
"""
COUNTS = ("views", "likes", "comments", "shares", "saves", "completions")


def _day(video: Video, day: date, *figures: int) -> None:
    VideoDailyStats.objects.create(video=video, day=day, **dict(zip(COUNTS, figures, strict=True)))


def ranked_owner(account_type: str) -> User:
    """An owner whose videos had, in the range:

    =====  =====  ====================================  ==========  =====  ====  ==========
    video  views  likes, comments, shares, saves        engagement  share  save  completion
    =====  =====  ====================================  ==========  =====  ====  ==========
    a      200    20, 10, 10, 20                        .3 (.2)     .05    .1    .5
    b      100    10, 5, 15, 0                          .3 (.3)     .15    0     .8
    c      99     99, 0, 99, 99 (too few views)
    d      60+40  50, 0, 0, 0 (on two days)             .5 (.5)     0      0     0
    =====  =====  ====================================  ==========  =====  ====  ==========

    (engagement without saves in brackets), and outside the range e's 500 views, and another
    owner's video."""
    owner = make_user(account_type=account_type)
    a, b, c, d, e = (make_video(owner, caption=name) for name in "abcde")
    _day(a, FIRST, 200, 20, 10, 10, 20, 100)
    _day(b, LAST, 100, 10, 5, 15, 0, 80)
    _day(c, FIRST, 99, 99, 0, 99, 99, 99)
    _day(d, FIRST, 60, 30, 0, 0, 0, 0)
    _day(d, LAST, 40, 20, 0, 0, 0, 0)
    _day(e, LAST + timedelta(days=1), 500, 500, 500, 500, 500, 500)
    _day(make_video(make_user(), caption="not mine"), FIRST, 1000, 1000, 0, 1000, 1000, 1000)
    return owner


def top(user: User | None, field: str, variables: dict[str, str] = RANGE, *, token: str | None = None) -> Any:
    query = TOP.replace("FIELD", field)
    answers = [client(query, variables) for client in both_engines(user, token=token).values()]
    assert answers[0].data == answers[1].data
    assert answers[0].codes == answers[1].codes
    return answers[0]


def ranking(response: Any, field: str) -> list[tuple[str, float, int]]:
    rows = assert_data(response, ("me", "insights", field))
    return [(row["video"]["caption"], row["rate"], row["views"]) for row in rows]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("topVideosByEngagementRate", [("d", 0.5, 100), ("a", 0.3, 200), ("b", 0.3, 100)]),  # a tie: more views first
        ("topVideosByShareRate", [("b", 0.15, 100), ("a", 0.05, 200), ("d", 0.0, 100)]),
        ("topVideosByCompletionRate", [("b", 0.8, 100), ("a", 0.5, 200), ("d", 0.0, 100)]),
        ("topVideosBySaveRate", [("a", 0.1, 200), ("b", 0.0, 100), ("d", 0.0, 100)]),  # then the older first
    ],
)
def test_a_business_account_ranks_its_videos_by_each_rate(db: None, field: str, expected: list[Any]) -> None:
    """Only the owner's videos with at least RATE_MIN_VIEWS views in the range (c has 99; d
    reaches 100 over two days) are ranked, with the rate and views of the range."""
    assert RATE_MIN_VIEWS == 100
    owner = ranked_owner(AccountType.BUSINESS)

    assert ranking(top(owner, field), field) == expected


def test_a_creators_engagement_rate_leaves_saves_out(db: None) -> None:
    owner = ranked_owner(AccountType.CREATOR)

    rows = ranking(top(owner, "topVideosByEngagementRate"), "topVideosByEngagementRate")

    assert rows == [("d", 0.5, 100), ("b", 0.3, 100), ("a", pytest.approx(0.2), 200)]


@pytest.mark.parametrize("account_type", [AccountType.CREATOR, AccountType.PERSONAL])
def test_top_videos_by_save_rate_is_for_business_accounts(db: None, account_type: str) -> None:
    """Like top videos by saves: FORBIDDEN for creator and personal accounts, whose other top
    lists by rate answer."""
    owner = ranked_owner(account_type)

    assert_denied(top(owner, "topVideosBySaveRate"), ("me", "insights", "topVideosBySaveRate"), "FORBIDDEN")
    assert ranking(top(owner, "topVideosByShareRate"), "topVideosByShareRate")[0] == ("b", 0.15, 100)


def test_ten_videos_at_most(db: None) -> None:
    """Given 12 videos with 100 views each, one more share apiece, then the 10 best show, best first."""
    owner = make_user(account_type=AccountType.BUSINESS)
    for number in range(12):
        _day(make_video(owner, caption=f"v{number}"), FIRST, 100, 0, 0, number, 0, 0)

    rows = ranking(top(owner, "topVideosByShareRate"), "topVideosByShareRate")

    assert [caption for caption, _, _ in rows] == [f"v{number}" for number in range(11, 1, -1)]


def test_the_top_lists_are_the_accounts_own(db: None) -> None:
    """Anonymous: `me` is null. A delegate of all the owner's videos, or another account, gets its
    own (empty) list, never the owner's videos; a token without INSIGHTS_READ is FORBIDDEN."""
    owner = ranked_owner(AccountType.BUSINESS)
    delegate = make_user(account_type=AccountType.BUSINESS)
    services.insights_access_grant(actor=owner, username=delegate.username, video_id=None)
    field = "topVideosByEngagementRate"

    assert top(None, field).body == {"data": {"me": None}}
    assert ranking(top(delegate, field), field) == []
    no_insights = token_for(owner, "PROFILE_READ", "INTERACTIONS_WRITE")
    assert_denied(top(None, field, token=no_insights), ("me", "insights"), "FORBIDDEN")
    assert len(ranking(top(None, field, token=token_for(owner, "INSIGHTS_READ", "PROFILE_READ")), field)) == 3


@pytest.mark.parametrize("field", ["topVideosByEngagementRate", "topVideosBySaveRate"])
def test_a_bad_range_is_bad_user_input(db: None, field: str) -> None:
    owner = make_user(account_type=AccountType.BUSINESS)

    response = top(owner, field, {"from": "2025-03-16", "to": "2025-03-10"})

    assert assert_single_error(response, "BAD_USER_INPUT")["path"] == ["me", "insights", field]


def test_ranked_in_sql_in_a_fixed_number_of_queries(db: None) -> None:
    """Ranking 3 videos or 30 costs the same queries: the sums, the quotient, the order and the
    cut are SQL; only the 10 shown are loaded."""
    owner = ranked_owner(AccountType.BUSINESS)
    client = both_engines(owner)["strawberry"]
    query = TOP.replace("FIELD", "topVideosByEngagementRate")

    def queries() -> int:
        client("{ __typename }")
        with CaptureQueriesContext(connection) as captured:
            response = client(query, RANGE)
        assert response.errors == []
        return len(captured)

    few = queries()
    for number in range(27):
        _day(make_video(owner, caption=f"more{number}"), FIRST, 100 + number, 1, 0, 0, 0, 0)

    assert queries() == few
