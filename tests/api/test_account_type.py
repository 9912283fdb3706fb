"""Account types: ``switchAccountType`` and what each type's insights show (README, "Account
types"). PERSONAL reads totals; CREATOR also daily series and breakdowns; BUSINESS also save
analytics (saves per day, top videos by saves), for the owner and, on videos, for their
delegates. Every owner reads the save total. Switching deletes nothing."""

from typing import Any

import pytest

from accounts.models import AccountType, User
from engagement import services
from engagement.models import Favorite, Video
from tests.analytics.conftest import at, backdate, days_ago, last_ten_days, roll_up, token_for, watch
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import gid
from tests.factories import make_user, make_video

SWITCH = """
mutation($input: SwitchAccountTypeInput!) {
  switchAccountType(input: $input) { me { accountType } viewer { username accountType } }
}
"""
VIDEO_INSIGHTS = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) { insights { saveCount daily(from: $from, to: $to) { date views saves } } }
}
"""
TOP_BY_SAVES = """
query($from: Date!, $to: Date!) { me { insights { topVideosBySaves(from: $from, to: $to) { count video { id } } } } }
"""
BREAKDOWN = """
query($id: ID!, $from: Date!, $to: Date!) { video(id: $id) { insights { trafficSources(from: $from, to: $to) {
  suppressed } } } }
"""


def _saved_video(owner_type: str) -> tuple[User, Video]:
    """An owner of ``owner_type`` with a video posted ten days ago, which two fans watched and
    saved five days ago, rolled up."""
    owner = make_user(account_type=owner_type)
    video = backdate(make_video(owner), 10)
    fans = [make_user(), make_user()]
    for fan in fans:
        services.favorite_add(actor=fan, video_id=video.pk)
    watch(video, fans, days_ago(5))
    Favorite.objects.filter(video=video).update(created_at=at(days_ago(5)))
    roll_up(days_ago(10))
    return owner, video


def _saves_of(response: Any) -> dict[str, int | None]:
    """The day with the saves, and the save total, as the response shows them."""
    insights = assert_data(response, ("video", "insights"))
    by_day = {day["date"]: day["saves"] for day in insights["daily"]}
    return {"total": insights["saveCount"], "that day": by_day[days_ago(5).isoformat()]}


# Switching ---------------------------------------------------------------------------------------


def test_switching_goes_each_way_and_twice_is_once(gql: Any, db: None) -> None:
    """Given a personal account, when it switches to CREATOR, to BUSINESS (twice) and back to
    PERSONAL, then each payload shows the new type as ``me`` and as the public ``viewer``, and
    the second identical switch answers the same."""
    me = make_user()
    client = gql(me)

    answers = [client(SWITCH, {"input": {"accountType": kind}}) for kind in ("CREATOR", "BUSINESS", "BUSINESS")]
    back = client(SWITCH, {"input": {"accountType": "PERSONAL"}})

    assert [assert_data(answer, ("switchAccountType", "me", "accountType")) for answer in answers] == [
        "CREATOR",
        "BUSINESS",
        "BUSINESS",
    ]
    assert answers[2].body == answers[1].body
    assert back.data["switchAccountType"]["viewer"] == {"username": me.username, "accountType": "PERSONAL"}
    me.refresh_from_db()
    assert me.account_type == AccountType.PERSONAL


def test_an_unknown_type_is_bad_user_input_and_changes_nothing(gql: Any, db: None) -> None:
    me = make_user(account_type=AccountType.CREATOR)

    response = gql(me)(SWITCH, {"input": {"accountType": "ENTERPRISE"}})

    assert assert_single_error(response, "BAD_USER_INPUT")
    me.refresh_from_db()
    assert me.account_type == AccountType.CREATOR


def test_switching_is_for_a_signed_in_session_only(gql: Any, db: None) -> None:
    me = make_user()

    anonymous = gql(None)(SWITCH, {"input": {"accountType": "BUSINESS"}})
    token = gql(token=token_for(me, "PROFILE_READ", "INSIGHTS_READ", "INTERACTIONS_WRITE"))(
        SWITCH, {"input": {"accountType": "BUSINESS"}}
    )

    assert_denied(anonymous, ("switchAccountType",), "UNAUTHENTICATED")
    assert_denied(token, ("switchAccountType",), "FORBIDDEN")
    me.refresh_from_db()
    assert me.account_type == AccountType.PERSONAL


# What each type shows ----------------------------------------------------------------------------


def test_a_business_owner_reads_saves_per_day_and_top_videos_by_saves(gql: Any, db: None) -> None:
    owner, video = _saved_video(AccountType.BUSINESS)
    client = gql(owner)

    saves = _saves_of(client(VIDEO_INSIGHTS, {"id": gid(video), **last_ten_days()}))
    top = client(TOP_BY_SAVES, last_ten_days())

    assert saves == {"total": 2, "that day": 2}
    assert assert_data(top, ("me", "insights", "topVideosBySaves")) == [{"count": 2, "video": {"id": gid(video)}}]


def test_a_creator_reads_the_save_total_and_series_without_saves_and_no_top_by_saves(gql: Any, db: None) -> None:
    """Given a CREATOR account's saved video, then its owner reads the save total, the daily
    series with every figure but saves (null), and the breakdowns; top videos by saves is
    FORBIDDEN."""
    owner, video = _saved_video(AccountType.CREATOR)
    client = gql(owner)

    series = client(VIDEO_INSIGHTS, {"id": gid(video), **last_ten_days()})
    breakdown = client(BREAKDOWN, {"id": gid(video), **last_ten_days()})
    top = client(TOP_BY_SAVES, last_ten_days())

    assert _saves_of(series) == {"total": 2, "that day": None}
    assert {day["views"] for day in series.data["video"]["insights"]["daily"]} == {0, 2}
    assert_data(breakdown, ("video", "insights", "trafficSources"))
    assert_denied(top, ("me", "insights", "topVideosBySaves"), "FORBIDDEN")


def test_a_personal_account_reads_the_save_total_only(gql: Any, db: None) -> None:
    """Given a PERSONAL account's saved video, then its owner reads the save total; the series
    and top videos by saves are FORBIDDEN, each alone on its path."""
    owner, video = _saved_video(AccountType.PERSONAL)
    client = gql(owner)
    totals = "query($id: ID!) { video(id: $id) { insights { saveCount } } }"

    series = client(VIDEO_INSIGHTS, {"id": gid(video), **last_ten_days()})
    top = client(TOP_BY_SAVES, last_ten_days())

    assert assert_data(client(totals, {"id": gid(video)}), ("video", "insights", "saveCount")) == 2
    assert_denied(series, ("video", "insights", "daily"), "FORBIDDEN")
    assert series.data["video"]["insights"]["saveCount"] == 2
    assert_denied(top, ("me", "insights", "topVideosBySaves"), "FORBIDDEN")


@pytest.mark.parametrize(("owner_type", "saves_that_day"), [(AccountType.BUSINESS, 2), (AccountType.CREATOR, None)])
def test_a_delegate_reads_what_the_owners_type_shows(
    gql: Any, db: None, owner_type: str, saves_that_day: int | None
) -> None:
    """Given a video whose insights were delegated, then the delegate's series has saves per day
    for a business owner's video and none for a creator's, as the owner's own would."""
    owner, video = _saved_video(owner_type)
    delegate = make_user()
    services.insights_access_grant(actor=owner, username=delegate.username, video_id=video.pk)

    saves = _saves_of(gql(delegate)(VIDEO_INSIGHTS, {"id": gid(video), **last_ten_days()}))

    assert saves == {"total": 2, "that day": saves_that_day}


def test_switching_back_narrows_what_shows_and_deletes_nothing(gql: Any, db: None) -> None:
    """Given a business account with a delegate on its video, when it switches to PERSONAL, then
    owner and delegate read totals only; when it switches back to BUSINESS, the same rollups
    show again and the delegation still holds."""
    owner, video = _saved_video(AccountType.BUSINESS)
    delegate = make_user()
    services.insights_access_grant(actor=owner, username=delegate.username, video_id=video.pk)
    variables = {"id": gid(video), **last_ten_days()}
    before = _saves_of(gql(delegate)(VIDEO_INSIGHTS, variables))

    gql(owner)(SWITCH, {"input": {"accountType": "PERSONAL"}})
    narrowed = {who: gql(who)(VIDEO_INSIGHTS, variables) for who in (owner, delegate)}
    gql(owner)(SWITCH, {"input": {"accountType": "BUSINESS"}})

    for response in narrowed.values():
        assert_denied(response, ("video", "insights", "daily"), "FORBIDDEN")
        assert response.data["video"]["insights"]["saveCount"] == 2
    assert _saves_of(gql(delegate)(VIDEO_INSIGHTS, variables)) == before == {"total": 2, "that day": 2}
    assert _saves_of(gql(owner)(VIDEO_INSIGHTS, variables)) == before
