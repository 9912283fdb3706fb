"""How far views go, through the API on both engines: the exact averages of the totals
(``averagePercentViewed``, ``rewatchRate``) and the retention curve published from the noisy
WATCH_DEPTH release (docs/PRIVACY.md §8): its points, its audience floor, its noise as clients see
it, and who may read it."""

from datetime import timedelta
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import User
from engagement import services
from engagement.analytics import keys
from engagement.analytics.privacy import Period
from engagement.models import Video
from tests.analytics.conftest import (
    backdate,
    both_engines,
    days_ago,
    last_ten_days,
    people,
    roll_up,
    token_for,
    watch,
)
from tests.api.cases import assert_data, assert_denied
from tests.api.conftest import World, gid
from tests.factories import make_video, password_of

pytestmark = pytest.mark.both_engines

RETENTION = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) {
    id
    insights { retention(from: $from, to: $to) { suppressed coveredFrom coveredTo points { percent viewers } } }
  }
}
"""
TOTALS = "query($id: ID!) { video(id: $id) { insights { viewCount averagePercentViewed rewatchRate completionRate } } }"
RECORD = """
mutation($input: RecordViewInput!) { recordView(input: $input) { video { viewCount } } }
"""
# How far 100 people's first views went into a 100-second video: the last 5% step each reached.
DEPTHS = {100: 40, 52: 30, 24: 20, 3: 10}


def curve_of(shares: dict[int, float]) -> list[dict[str, Any]]:
    """The 21 points of a curve, ``shares`` giving the share from each listed percent on."""
    points, share = [], 0.0
    for percent in keys.DEPTH_PERCENTS:
        share = shares.get(percent, share)
        points.append({"percent": percent, "viewers": share})
    return points


def crowd_at_depths(video: Video, day: Any, depths: dict[int, int] = DEPTHS) -> list[User]:
    """``depths[position]`` new people each watch ``video`` on ``day`` as far as ``position``."""
    crowd = []
    for position, n in depths.items():
        viewers = people(n)
        watch(video, viewers, day, seconds=position, position=position)
        crowd += viewers
    return crowd


def retention_of(client: Any, video: Video, **range_: str) -> dict[str, Any]:
    response = client(RETENTION, {"id": gid(video), **(range_ or last_ten_days())})
    return assert_data(response, ("video", "insights", "retention"))


@pytest.fixture
def long_video(world: World) -> Video:
    return make_video(world.creator, duration_seconds=100)


# The totals: exact ---------------------------------------------------------------------------------


def test_views_average_how_far_they_went_and_how_often_they_replayed(gql: Any, world: World) -> None:
    """Given three views of a 40-second video recorded through the API (to a quarter, to the end
    after a replay, and an old client's 3 seconds, counted as far as they go), then the owner reads
    the mean share reached and the share of replays, exactly; a video without views reads 0."""
    video = make_video(world.creator, duration_seconds=40)
    views: list[tuple[User | None, dict[str, Any]]] = [
        (world.viewer, {"watchedSeconds": 10, "watchPosition": 10, "device": "PHONE"}),
        (world.other_viewer, {"watchedSeconds": 50, "watchPosition": 40, "replayed": True, "device": "DESKTOP"}),
        (None, {"watchedSeconds": 3}),
    ]
    for viewer, playback in views:
        response = gql(viewer)(RECORD, {"input": {"videoId": gid(video), "trafficSource": "FOR_YOU", **playback}})
        assert_data(response, ("recordView", "video"))

    totals = assert_data(gql(world.creator)(TOTALS, {"id": gid(video)}), ("video", "insights"))
    quiet = assert_data(gql(world.creator)(TOTALS, {"id": gid(world.locked_video)}), ("video", "insights"))

    assert totals == {
        "viewCount": 3,
        "averagePercentViewed": pytest.approx(100 * (10 + 40 + 3) / (3 * 40)),
        "rewatchRate": pytest.approx(1 / 3),
        "completionRate": pytest.approx(1 / 3),
    }
    assert quiet == {"viewCount": 0, "averagePercentViewed": 0.0, "rewatchRate": 0.0, "completionRate": 0.0}


def test_the_totals_leave_with_an_erased_viewer(gql: Any, world: World) -> None:
    """Given a viewer who replayed the video to its end and another who watched a quarter, when
    the first deletes their account, then the averages are the second one's alone."""
    video = make_video(world.creator, duration_seconds=40)
    services.view_record(
        actor=world.other_viewer,
        video_id=video.pk,
        watched_seconds=80,
        traffic_source="FOR_YOU",
        watch_position=40,
        replayed=True,
    )
    services.view_record(actor=world.viewer, video_id=video.pk, watched_seconds=10, traffic_source="FOR_YOU")

    services.user_delete_account(actor=world.other_viewer, password=password_of("other_viewer"))

    totals = assert_data(gql(world.creator)(TOTALS, {"id": gid(video)}), ("video", "insights"))
    assert totals == {"viewCount": 1, "averagePercentViewed": 25.0, "rewatchRate": 0.0, "completionRate": 0.0}


# The curve, exact (noise off: tests/analytics/conftest.py) -----------------------------------------


def test_the_curve_is_the_share_of_viewers_at_each_depth_or_beyond(
    gql: Any, world: World, long_video: Video, settings: Any
) -> None:
    """Given 100 people whose first views reached 100%, 52%, 24% and 3% (40, 30, 20 and 10 of
    them), then the curve has its 21 points: everyone at 0%, 90% up to 20%, 70% up to 50%, 40%
    to the end. A later view of the same person in the period, anonymous views and the owner's
    own do not move it. (Days final as soon as they end: yesterday is covered at any hour.)"""
    settings.INSIGHTS_FINALIZE_AFTER_SECONDS = 0
    day = days_ago(5)
    crowd = crowd_at_depths(long_video, day)
    watch(long_video, crowd[-10:], day, hour=18, seconds=100)  # the 3% ones again, to the end
    watch(long_video, [None, world.creator], day, seconds=100)

    roll_up(days_ago(10))
    retention = retention_of(gql(world.creator), long_video)

    assert retention == {
        "suppressed": False,
        "coveredFrom": days_ago(10).isoformat(),
        "coveredTo": days_ago(1).isoformat(),
        "points": curve_of({0: 1.0, 5: 0.9, 25: 0.7, 55: 0.4}),
    }


def test_no_curve_below_the_audience_floor(gql: Any, world: World, long_video: Video) -> None:
    """Given 99 people on one day and one more the next, then over the first day the curve is
    suppressed with no point, and over both days it shows, covering them."""
    crowd_at_depths(long_video, days_ago(5), {100: 60, 50: 39})
    watch(long_video, people(1), days_ago(4), seconds=100)
    roll_up(days_ago(10))
    client = gql(world.creator)
    start = days_ago(10).isoformat()

    below = retention_of(client, long_video, **{"from": start, "to": days_ago(5).isoformat()})
    at_floor = retention_of(client, long_video, **{"from": start, "to": days_ago(4).isoformat()})

    assert (below["suppressed"], below["points"]) == (True, [])
    assert (at_floor["suppressed"], at_floor["coveredTo"]) == (False, days_ago(4).isoformat())
    assert at_floor["points"] == curve_of({0: 1.0, 55: 0.61})


def test_no_curve_before_a_period_has_ended(gql: Any, world: World, long_video: Video) -> None:
    """Given the crowd watched today (rolled up, in progress), then the curve is suppressed and
    covers nothing: today's counts may still change."""
    crowd_at_depths(long_video, days_ago(0))
    roll_up(days_ago(0))

    retention = retention_of(
        gql(world.creator), long_video, **{"from": days_ago(2).isoformat(), "to": days_ago(0).isoformat()}
    )

    assert retention == {"suppressed": True, "coveredFrom": None, "coveredTo": None, "points": []}


# The curve, noisy ------------------------------------------------------------------------------------


def test_a_noisy_curve_agrees_with_itself_and_across_engines(world: World, settings: Settings) -> None:
    """Given the default budget and 28-day periods, then the curve asked twice, from the other
    engine, or over another range of the same period, is the same answer covering the whole
    period: 21 points from 1 down, never rising, noisy and yet near the exact shares."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_PERIOD_DAYS = 1.0, 28
    period = Period.of(days_ago(40))
    video = make_video(world.creator, duration_seconds=100)
    crowd_at_depths(video, period.first + timedelta(days=3), {100: 1000, 50: 600, 0: 400})
    roll_up(period.first)
    clients = both_engines(world.creator)
    whole = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    inside = {**whole, "from": (period.first + timedelta(days=5)).isoformat()}

    answers = [retention_of(client, video, **whole) for client in clients.values()]
    again = retention_of(clients["strawberry"], video, **whole)
    same_period = retention_of(clients["graphene"], video, **inside)

    assert answers[0] == answers[1] == again == same_period
    retention = answers[0]
    assert (retention["coveredFrom"], retention["coveredTo"]) == (whole["from"], whole["to"])
    shares = [point["viewers"] for point in retention["points"]]
    assert [point["percent"] for point in retention["points"]] == list(keys.DEPTH_PERCENTS)
    assert shares[0] == 1.0 and shares == sorted(shares, reverse=True)
    assert retention["points"] != curve_of({0: 1.0, 5: 0.8, 55: 0.5})  # noisy ...
    by_percent = dict(zip(keys.DEPTH_PERCENTS, shares, strict=True))
    assert abs(by_percent[50] - 0.8) < 0.2 and abs(by_percent[100] - 0.5) < 0.2  # ... near


# Who may read it ---------------------------------------------------------------------------------


def test_the_curve_is_denied_to_every_other_role(gql: Any, world: World) -> None:
    """Given the creator's public video with a curve to show, then anonymous, another viewer,
    another creator, a delegate of another video and the owner's token without INSIGHTS_READ get
    ``insights`` null with the documented code; the owner, the owner's INSIGHTS_READ token, a
    delegate of the video and the delegate's INSIGHTS_READ token read the same curve, and the
    delegate's token without INSIGHTS_READ is refused."""
    video = backdate(world.public_video, 20)
    crowd_at_depths(video, days_ago(5), {10: 100})  # a third of its 30 seconds
    roll_up(days_ago(10))
    services.insights_access_grant(actor=world.creator, username="other_viewer", video_id=world.locked_video.pk)
    services.insights_access_grant(actor=world.creator, username="other_creator", video_id=video.pk)
    insights = ("video", "insights")
    denied = {
        "anonymous": (gql(None), "UNAUTHENTICATED"),
        "another viewer": (gql(world.viewer), "FORBIDDEN"),
        "delegate of another video": (gql(world.other_viewer), "FORBIDDEN"),
        "owner's token without INSIGHTS_READ": (
            gql(token=token_for(world.creator, "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")),
            "FORBIDDEN",
        ),
        "delegate's token without INSIGHTS_READ": (
            gql(token=token_for(world.other_creator, "PROFILE_READ", "INTERACTIONS_WRITE")),
            "FORBIDDEN",
        ),
    }
    allowed = {
        "owner": gql(world.creator),
        "owner's INSIGHTS_READ token": gql(token=token_for(world.creator, "INSIGHTS_READ")),
        "delegate": gql(world.other_creator),
        "delegate's INSIGHTS_READ token": gql(token=token_for(world.other_creator, "INSIGHTS_READ")),
    }
    variables = {"id": gid(video), **last_ten_days()}

    for role, (client, code) in denied.items():
        response = client(RETENTION, variables)
        assert_denied(response, insights, code)
        assert response.data["video"]["id"] == gid(video), role
    curves = {role: retention_of(client, video) for role, client in allowed.items()}
    assert all(curve == curves["owner"] for curve in curves.values()), curves
    assert curves["owner"]["points"] == curve_of({0: 1.0, 35: 0.0})


def test_a_personal_accounts_video_has_no_curve(gql: Any, world: World) -> None:
    """Given a PERSONAL account's video with a crowd of viewers, then its owner reads the totals
    and the curve alone is FORBIDDEN (creator and business accounts only), on its own path."""
    video = backdate(make_video(world.viewer, duration_seconds=100), 20)
    crowd_at_depths(video, days_ago(5))
    roll_up(days_ago(10))
    query = RETENTION.replace("insights {", "insights { saveCount")

    response = gql(world.viewer)(query, {"id": gid(video), **last_ten_days()})

    assert_denied(response, ("video", "insights", "retention"), "FORBIDDEN")
    assert response.data["video"]["insights"]["saveCount"] == 0
