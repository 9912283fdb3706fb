"""Video and account insights through the API, on both engines: who reads what (every role),
the thresholds, the noise as clients see it, and the daily series."""

from datetime import timedelta
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import AccountType, ProfileView, User
from engagement import services
from engagement.analytics.privacy import Period, noise_scale
from engagement.models import Like, Notification
from tests.analytics.conftest import (
    at,
    backdate,
    both_engines,
    crowd_watches,
    days_ago,
    follow_all,
    last_ten_days,
    people,
    roll_up,
    token_for,
    watch,
)
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World, gid
from tests.factories import make_user, make_video

NEW_VIDEO_FIELDS = ("daily", "trafficSources", "audienceCountries", "audienceGenders", "audienceAges", "viewerTypes")
ALL_SCOPES = ("INSIGHTS_READ", "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")

BREAKDOWN = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) { insights { saveCount FIELD(from: $from, to: $to) { suppressed buckets { key count share } } } }
}
"""
DAILY = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) {
    insights {
      daily(from: $from, to: $to) {
        date views likes saves shares comments downloads watchSeconds completions newFollowers
      }
    }
  }
}
"""


def breakdown_query(field: str) -> str:
    return BREAKDOWN.replace("FIELD", field)


def selection_of(field: str) -> str:
    return f"{field}(from: $from, to: $to) {{ __typename }}"


@pytest.fixture
def audience(world: World) -> World:
    """150 people (COUNTRY_MIX) watched the creator's public video five days ago, rolled up."""
    crowd_watches(world.public_video, days_ago(5))
    roll_up(days_ago(10))
    return world


# Who may read the new fields -------------------------------------------------------------------


def _denied_clients(gql: Any, world: World) -> dict[str, tuple[Any, tuple[str, ...], str]]:
    """Each role that must not read the creator's video insights: its client, the path of the
    denial and the code."""
    services.insights_access_grant(actor=world.creator, username="other_viewer", video_id=world.locked_video.pk)
    no_insights = token_for(world.creator, "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")
    insights = ("video", "insights")
    return {
        "anonymous": (gql(None), insights, "UNAUTHENTICATED"),
        "another viewer": (gql(world.viewer), insights, "FORBIDDEN"),
        "another creator": (gql(world.other_creator), insights, "FORBIDDEN"),
        "delegate of another video": (gql(world.other_viewer), insights, "FORBIDDEN"),
        "the owner's token without INSIGHTS_READ": (gql(token=no_insights), insights, "FORBIDDEN"),
    }


@pytest.mark.parametrize("field", NEW_VIDEO_FIELDS)
def test_new_video_insights_are_denied_to_every_other_role(
    gql: Any, audience: World, subtests: pytest.Subtests, field: str
) -> None:
    """Given the creator's public video, which every role may see, when each other role asks for
    a series or breakdown, then ``insights`` is null with the documented code; the owner, on a
    session or with an INSIGHTS_READ token, gets the data."""
    world = audience
    query = (
        f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ id insights {{ {selection_of(field)} }} }} }}"
    )
    variables = {"id": gid(world.public_video), **last_ten_days()}
    for role, (client, path, code) in _denied_clients(gql, world).items():
        with subtests.test(role=role):
            response = client(query, variables)

            assert_denied(response, path, code)
            assert response.data["video"]["id"] == gid(world.public_video)
    for role, client in {
        "owner": gql(world.creator),
        "owner's INSIGHTS_READ token": gql(token=token_for(world.creator, "INSIGHTS_READ")),
    }.items():
        with subtests.test(role=role):
            assert_data(client(query, variables), ("video", "insights", field))


@pytest.mark.parametrize("field", NEW_VIDEO_FIELDS)
def test_a_personal_accounts_video_has_totals_only(gql: Any, world: World, field: str) -> None:
    """Given a PERSONAL account's video, then its owner reads the totals, and the series and
    breakdowns are FORBIDDEN (creator and business accounts only), alone on their path."""
    video = make_video(world.viewer)
    query = (
        "query($id: ID!, $from: Date!, $to: Date!) "
        f"{{ video(id: $id) {{ insights {{ saveCount {selection_of(field)} }} }} }}"
    )

    response = gql(world.viewer)(query, {"id": gid(video), **last_ten_days()})

    assert_denied(response, ("video", "insights", field), "FORBIDDEN")
    assert response.data["video"]["insights"]["saveCount"] == 0


# Thresholds, as clients see them (noise off: the exact rule) -------------------------------------


def test_breakdowns_merge_small_buckets_into_other(gql: Any, audience: World) -> None:
    """Given 150 people (FR 60, DE 40, US 30, IT 8, ES 7, JP 5), then the countries show FR, DE
    and US, and IT, ES and JP (each below 10) merged into OTHER (20)."""
    variables = {"id": gid(audience.public_video), **last_ten_days()}
    response = gql(audience.creator)(breakdown_query("audienceCountries"), variables)

    breakdown = assert_data(response, ("video", "insights", "audienceCountries"))
    assert breakdown == {
        "suppressed": False,
        "buckets": [
            {"key": "FR", "count": 60, "share": 0.4},
            {"key": "DE", "count": 40, "share": pytest.approx(0.26667, abs=1e-4)},
            {"key": "US", "count": 30, "share": 0.2},
            {"key": "OTHER", "count": 20, "share": pytest.approx(0.13333, abs=1e-4)},
        ],
    }


def test_other_is_left_out_when_still_small(gql: Any, world: World) -> None:
    """Given FR 95 and IT 5 (100 people), then FR shows and OTHER (5) is left out."""
    crowd_watches(world.public_video, days_ago(5), {"FR": 95, "IT": 5})
    roll_up(days_ago(10))

    variables = {"id": gid(world.public_video), **last_ten_days()}
    response = gql(world.creator)(breakdown_query("audienceCountries"), variables)

    assert assert_data(response, ("video", "insights", "audienceCountries")) == {
        "suppressed": False,
        "buckets": [{"key": "FR", "count": 95, "share": 1.0}],
    }


@pytest.mark.parametrize("field", NEW_VIDEO_FIELDS[1:])
def test_no_breakdown_below_the_audience_floor(gql: Any, world: World, field: str) -> None:
    """Given 99 people on one day and one more the next day, then over the first day every
    breakdown is suppressed with no bucket at all, and over both days they show."""
    crowd_watches(world.public_video, days_ago(5), {"FR": 99})
    watch(world.public_video, people(1, country="FR"), days_ago(4))
    roll_up(days_ago(10))
    variables = {"id": gid(world.public_video), "from": days_ago(10).isoformat()}

    below = gql(world.creator)(breakdown_query(field), {**variables, "to": days_ago(5).isoformat()})
    at_floor = gql(world.creator)(breakdown_query(field), {**variables, "to": days_ago(4).isoformat()})

    assert assert_data(below, ("video", "insights", field)) == {"suppressed": True, "buckets": []}
    assert assert_data(at_floor, ("video", "insights", field))["suppressed"] is False


def test_thresholds_come_from_settings(gql: Any, world: World, settings: Settings) -> None:
    """Given PRIVACY_MIN_AUDIENCE=5 and PRIVACY_MIN_BUCKET=3, then 6 people show, split 4/2 with
    the 2 merged into OTHER and left out."""
    settings.PRIVACY_MIN_AUDIENCE, settings.PRIVACY_MIN_BUCKET = 5, 3
    crowd_watches(world.public_video, days_ago(5), {"FR": 4, "DE": 2})
    roll_up(days_ago(10))

    variables = {"id": gid(world.public_video), **last_ten_days()}
    response = gql(world.creator)(breakdown_query("audienceCountries"), variables)

    assert assert_data(response, ("video", "insights", "audienceCountries"))["buckets"] == [
        {"key": "FR", "count": 4, "share": 1.0}
    ]


def test_each_breakdown_counts_what_it_says(gql: Any, world: World) -> None:
    """Each breakdown counts people once per period (one day here): by the source of their first
    view, their country, gender and age, and as NEW/RETURNING and FOLLOWER/NON_FOLLOWER pairs."""
    viewers = crowd_watches(world.public_video, days_ago(5), {"FR": 120})
    follow_all(viewers[:40], world.creator, days_ago(5) - timedelta(days=1))
    watch(world.public_video, viewers[:30], days_ago(5) + timedelta(days=1), source="SEARCH")
    roll_up(days_ago(10))
    client = gql(world.creator)
    variables = {"id": gid(world.public_video), **last_ten_days()}

    def buckets(field: str) -> dict[str, int]:
        data = assert_data(client(breakdown_query(field), variables), ("video", "insights", field))
        return {bucket["key"]: bucket["count"] for bucket in data["buckets"]}

    assert buckets("trafficSources") == {"FOR_YOU": 120, "SEARCH": 30}
    assert buckets("audienceCountries") == {"FR": 150}
    assert buckets("audienceGenders") == {"UNKNOWN": 150}
    assert buckets("audienceAges") == {"UNKNOWN": 150}
    assert buckets("viewerTypes") == {"NEW": 120, "RETURNING": 30, "FOLLOWER": 70, "NON_FOLLOWER": 80}


def test_breakdowns_leave_out_days_that_are_not_final(gql: Any, world: World) -> None:
    """Given the crowd watched today and today was rolled up (in progress), then the daily series
    shows today's views while breakdowns are suppressed: today's buckets may still change."""
    crowd_watches(world.public_video, days_ago(0))
    roll_up(days_ago(0))
    variables = {"id": gid(world.public_video), "from": days_ago(2).isoformat(), "to": days_ago(0).isoformat()}
    client = gql(world.creator)

    countries = assert_data(client(breakdown_query("audienceCountries"), variables), ("video", "insights"))
    daily = assert_data(client(DAILY, variables), ("video", "insights", "daily"))

    assert countries["audienceCountries"] == {"suppressed": True, "buckets": []}
    assert daily[-1]["date"] == days_ago(0).isoformat() and daily[-1]["views"] == 150


# The noise, as clients see it --------------------------------------------------------------------


def test_noisy_breakdowns_agree_with_themselves_and_across_engines(world: World, settings: Settings) -> None:
    """Given the default budget and 28-day periods, then a breakdown asked twice, from the other
    engine, or over another range of the same periods, is the same answer, covering the whole
    period; the shown counts are near the exact ones, and totals stay exact."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_PERIOD_DAYS = 1.0, 28
    period = Period.of(days_ago(40))
    crowd_watches(world.public_video, period.first + timedelta(days=3), {"FR": 900, "DE": 600, "IT": 5})
    roll_up(period.first)
    clients = both_engines(world.creator)
    query = breakdown_query("audienceCountries").replace("buckets", "coveredFrom coveredTo buckets")
    variables = {"id": gid(world.public_video), "from": period.first.isoformat(), "to": period.last.isoformat()}
    inside = {**variables, "from": (period.first + timedelta(days=5)).isoformat()}

    answers = [client(query, variables).body for client in clients.values()]
    again = clients["strawberry"](query, variables).body
    same_periods = clients["graphene"](query, inside).body

    assert answers[0] == answers[1] == again == same_periods
    countries = answers[0]["data"]["video"]["insights"]["audienceCountries"]
    assert (countries["coveredFrom"], countries["coveredTo"]) == (period.first.isoformat(), period.last.isoformat())
    shown = {bucket["key"]: bucket["count"] for bucket in countries["buckets"]}
    assert {"FR", "DE"} <= set(shown)  # (an empty country shows by noise alone with chance PHANTOM_RATE)
    assert shown != {"FR": 900, "DE": 600}  # noisy ...
    assert all(abs(shown[key] - exact) <= 8 * noise_scale() for key, exact in (("FR", 900), ("DE", 600)))  # ... near
    assert answers[0]["data"]["video"]["insights"]["saveCount"] == 2  # totals stay exact


# The daily series --------------------------------------------------------------------------------


def test_daily_series_has_one_exact_entry_per_day(gql: Any, world: World) -> None:
    """Given views and a like on one day, then the series runs from the video's first day to the
    last rolled-up day in the range, zeros included, with that day's exact totals (but saves,
    which a creator account's series leaves out: tests/api/test_account_type.py)."""
    video = make_video(world.creator, duration_seconds=10)
    video.created_at = video.created_at - timedelta(days=8)
    video.save(update_fields=["created_at"])
    watch(video, people(3), days_ago(5), seconds=10)
    Like.objects.create(user=world.viewer, video=video, created_at=video.created_at + timedelta(days=3))
    roll_up(days_ago(8))

    response = gql(world.creator)(DAILY, {"id": gid(video), **last_ten_days()})

    daily = assert_data(response, ("video", "insights", "daily"))
    assert [entry["date"] for entry in daily] == [days_ago(n).isoformat() for n in range(8, 0, -1)]
    by_day = {entry["date"]: entry for entry in daily}
    assert by_day[days_ago(5).isoformat()] == {
        "date": days_ago(5).isoformat(),
        "views": 3,
        "likes": 1,
        "saves": None,
        "shares": 0,
        "comments": 0,
        "downloads": 0,
        "watchSeconds": 30,
        "completions": 3,
        "newFollowers": 0,
    }
    assert sum(entry["views"] for entry in daily) == 3


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [(days_ago(1), days_ago(2), "not be after"), (days_ago(400), days_ago(1), "366 days")],
)
def test_a_bad_range_is_bad_user_input(gql: Any, world: World, first: Any, last: Any, message: str) -> None:
    response = gql(world.creator)(
        DAILY, {"id": gid(world.public_video), "from": first.isoformat(), "to": last.isoformat()}
    )

    error = assert_single_error(response, "BAD_USER_INPUT")
    assert message in error["message"] and error["path"] == ["video", "insights", "daily"]


# The viewer's account ------------------------------------------------------------------------------

ACCOUNT = """
query($from: Date!, $to: Date!) {
  me {
    insights {
      followerCount
      followerGrowth(from: $from, to: $to) { date followers newFollowers }
      followerCountries(from: $from, to: $to) { suppressed buckets { key count } }
      followerGenders(from: $from, to: $to) { suppressed buckets { key count } }
      followerAges(from: $from, to: $to) { suppressed buckets { key count } }
      followerActivity(from: $from, to: $to) { suppressed buckets { key count } }
      profileViews(from: $from, to: $to)
      topVideosByViews(from: $from, to: $to) { count video { id } }
    }
  }
}
"""


def test_account_insights_of_a_creator(gql: Any, world: World) -> None:
    """Given 100 followers from FR then 10 from DE, two profile views and followers watching at
    09:00, then the creator reads the follower total and growth, the follower breakdowns as of
    the range's last day, the active hours, the profile views and the top videos."""
    fans = people(100, country="FR", gender="FEMALE")
    follow_all(fans, world.creator, days_ago(5))
    follow_all(people(10, country="DE"), world.creator, days_ago(5) + timedelta(days=1))
    ProfileView.objects.bulk_create([ProfileView(profile=world.creator, created_at=at(days_ago(5))) for _ in range(2)])
    watch(world.public_video, fans, days_ago(5), hour=9)
    User.objects.filter(pk=world.creator.pk).update(follower_count=111)  # the world's friend follows too
    roll_up(days_ago(10))

    response = gql(world.creator)(ACCOUNT, last_ten_days())

    insights = assert_data(response, ("me", "insights"))
    assert insights["followerCount"] == 111
    growth = {entry["date"]: (entry["followers"], entry["newFollowers"]) for entry in insights["followerGrowth"]}
    assert growth[(days_ago(5) - timedelta(days=1)).isoformat()] == (0, 0)
    assert growth[days_ago(5).isoformat()] == (100, 100)
    assert growth[(days_ago(5) + timedelta(days=1)).isoformat()] == (110, 10)
    assert insights["followerCountries"] == {
        "suppressed": False,
        "buckets": [{"key": "FR", "count": 100}, {"key": "DE", "count": 10}],
    }
    assert insights["followerGenders"]["buckets"] == [{"key": "FEMALE", "count": 100}, {"key": "UNKNOWN", "count": 10}]
    assert insights["followerAges"]["buckets"] == [{"key": "UNKNOWN", "count": 110}]
    assert insights["followerActivity"]["buckets"] == [{"key": "HOUR_09", "count": 100}]
    assert insights["profileViews"] == 2
    assert insights["topVideosByViews"] == [{"count": 100, "video": {"id": gid(world.public_video)}}]


def test_follower_breakdowns_wait_for_the_audience_floor(gql: Any, world: World) -> None:
    """Given 99 followers, the follower breakdowns and active hours are suppressed."""
    follow_all(people(99, country="FR"), world.creator, days_ago(5))
    roll_up(days_ago(10))

    insights = assert_data(gql(world.creator)(ACCOUNT, last_ten_days()), ("me", "insights"))

    for field in ("followerCountries", "followerGenders", "followerAges", "followerActivity"):
        assert insights[field] == {"suppressed": True, "buckets": []}


def test_a_personal_account_gets_its_totals_only(gql: Any, world: World) -> None:
    """Given a PERSONAL account, then follower total, profile views and top videos answer, and
    the growth series and every breakdown are FORBIDDEN, each on its own path."""
    response = gql(world.viewer)(ACCOUNT, last_ten_days())

    insights = response.data["me"]["insights"]
    denied = sorted(error["path"][-1] for error in response.errors)
    assert denied == sorted(
        ["followerGrowth", "followerCountries", "followerGenders", "followerAges", "followerActivity"]
    )
    assert set(response.codes) == {"FORBIDDEN"}
    world.viewer.refresh_from_db()
    assert insights["followerCount"] == world.viewer.follower_count == 1
    assert insights["profileViews"] == 0


def test_account_insights_are_always_the_viewers_own(gql: Any, world: World) -> None:
    """Every role that signs in reads its own account (there is no argument to ask for another):
    another creator sees its own follower count, not the creator's."""
    User.objects.filter(pk=world.creator.pk).update(follower_count=500)
    query = "{ me { username insights { followerCount } } }"

    for user in (world.other_creator, world.viewer, world.creator):
        user.refresh_from_db()
        response = gql(user)(query)
        assert response.data == {"me": {"username": user.username, "insights": {"followerCount": user.follower_count}}}
    assert gql(None)(query).body == {"data": {"me": None}}


def test_recording_a_profile_view_counts_it_and_notifies_no_one(gql: Any, world: World) -> None:
    """Anyone may record a view of a profile (anonymous too); the owner's own visits do not
    count, no notification is made, and who viewed is not stored."""
    document = "mutation($name: String!) { recordProfileView(input: {username: $name}) { user { username } } }"
    before = Notification.objects.count()

    for user in (None, world.viewer, world.creator):
        response = gql(user)(document, {"name": "creator"})
        assert response.data == {"recordProfileView": {"user": {"username": "creator"}}}

    assert ProfileView.objects.filter(profile=world.creator).count() == 2
    assert [field.name for field in ProfileView._meta.fields] == ["id", "profile", "created_at"]
    assert Notification.objects.count() == before
    missing = gql(None)(document, {"name": "nobody_here"})
    assert_single_error(missing, "NOT_FOUND")


def test_business_accounts_get_breakdowns_too(gql: Any, world: World) -> None:
    owner = make_user("a_business", account_type=AccountType.BUSINESS)
    video = make_video(owner)
    crowd_watches(video, days_ago(5))
    roll_up(days_ago(10))

    response = gql(owner)(breakdown_query("audienceCountries"), {"id": gid(video), **last_ten_days()})

    assert assert_data(response, ("video", "insights", "audienceCountries"))["suppressed"] is False


FOLLOW = """
mutation($name: String!, $video: ID) {
  follow(input: {username: $name, sourceVideoId: $video}) { status }
}
"""


def test_a_follow_from_a_video_counts_in_its_daily_new_followers(gql: Any, world: World) -> None:
    """Given the other viewer follows the creator from their public video, then that day's entry
    of the video's series counts one new follower; a video of another account, or one the
    follower cannot see, is refused and follows no one."""
    video = backdate(world.public_video, 3)
    client = gql(world.other_viewer)

    wrong_owner = client(FOLLOW, {"name": "creator", "video": gid(world.other_creator_video)})
    invisible = client(FOLLOW, {"name": "creator", "video": gid(world.private_video)})
    followed = client(FOLLOW, {"name": "creator", "video": gid(video)})
    roll_up(days_ago(1))

    assert assert_single_error(wrong_owner, "BAD_USER_INPUT")["extensions"]["field"] == "sourceVideoId"
    assert_single_error(invisible, "NOT_FOUND")
    assert followed.data == {"follow": {"status": "ACCEPTED"}}
    today = {"id": gid(video), "from": days_ago(0).isoformat(), "to": days_ago(0).isoformat()}
    daily = assert_data(gql(world.creator)(DAILY, today), ("video", "insights", "daily"))
    assert [(entry["date"], entry["newFollowers"]) for entry in daily] == [(days_ago(0).isoformat(), 1)]
