"""The device and share-channel breakdowns through the API: ``VideoInsights.audienceDevices`` and
``shareChannels``, ``Me.insights.followerDevices``. What each counts, the audience floor (sharers
for share channels), the noise as clients see it on both engines, and who may read them."""

from datetime import date, timedelta
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import User
from engagement import services
from engagement.analytics.privacy import Period, noise_scale
from engagement.models import DeviceType, ShareChannel, Video
from tests.analytics.conftest import (
    both_engines,
    crowd_watches,
    days_ago,
    follow_all,
    last_ten_days,
    people,
    roll_up,
    share,
    token_for,
    video_insight_readers,
    watch,
)
from tests.api.cases import assert_data, assert_denied
from tests.api.conftest import World, gid
from tests.factories import make_video

VIDEO_FIELDS = ("audienceDevices", "shareChannels")
SELECTION = "{ suppressed coveredFrom coveredTo buckets { key count share } }"
VIDEO = f"""
query($id: ID!, $from: Date!, $to: Date!) {{
  video(id: $id) {{
    id
    insights {{
      saveCount
      audienceDevices(from: $from, to: $to) {SELECTION}
      shareChannels(from: $from, to: $to) {SELECTION}
    }}
  }}
}}
"""
ACCOUNT = f"""
query($from: Date!, $to: Date!) {{
  me {{ insights {{ followerCount followerDevices(from: $from, to: $to) {SELECTION} }} }}
}}
"""
NOT_SHOWN = {"suppressed": True, "buckets": []}


def shown(breakdown: dict[str, Any]) -> dict[str, int] | None:
    """The shown counts by key; None when suppressed."""
    return None if breakdown["suppressed"] else {bucket["key"]: bucket["count"] for bucket in breakdown["buckets"]}


def video_breakdowns(client: Any, video: Video, **variables: str) -> dict[str, Any]:
    response = client(VIDEO, {"id": gid(video), **last_ten_days(), **variables})
    return assert_data(response, ("video", "insights"))


def follower_devices(client: Any, **variables: str) -> dict[str, Any]:
    return assert_data(client(ACCOUNT, {**last_ten_days(), **variables}), ("me", "insights", "followerDevices"))


def devices(video: Video, mix: dict[str, int], day: date, **attributes: Any) -> list[User]:
    """New viewers who watch ``video`` on ``day`` from the devices of ``mix``."""
    viewers = []
    for device, n in mix.items():
        crowd = people(n, **attributes)
        watch(video, crowd, day, device=device)
        viewers += crowd
    return viewers


def channels(video: Video, mix: dict[str, int], day: date, *, sharers: list[User] | None = None) -> None:
    """Sharers of ``video`` on ``day`` through the channels of ``mix`` (new people unless given)."""
    pool = iter(sharers if sharers is not None else people(sum(mix.values())))
    for channel, n in mix.items():
        share(video, [next(pool) for _ in range(n)], day, channel=channel)


# What each counts (noise off: exact counts) -----------------------------------------------------


@pytest.mark.both_engines
def test_devices_and_channels_count_each_person_once(gql: Any, world: World) -> None:
    """Given 120 viewers (60 on a phone, 40 on a tablet, 20 on a desktop) of whom 30 watch again
    on a television, an anonymous television and the owner's own, and 123 sharers (70 by link, 30
    by direct message, 10 by WhatsApp, 5 by email and 8 by another channel) of whom 30 share again
    by SMS, then each person shows once, by their first view's device and their first share's
    channel; the email and other channels merge into OTHER."""
    day = days_ago(5)
    video = world.public_video
    viewers = devices(video, {DeviceType.PHONE: 60, DeviceType.TABLET: 40, DeviceType.DESKTOP: 20}, day)
    watch(video, [*viewers[:30], None, world.creator], day, hour=14, device=DeviceType.SMART_TV)
    mix: dict[str, int] = {
        ShareChannel.COPY_LINK: 70,
        ShareChannel.DIRECT_MESSAGE: 30,
        ShareChannel.WHATSAPP: 10,
        ShareChannel.EMAIL: 5,
        ShareChannel.OTHER: 8,
    }
    sharers = people(sum(mix.values()))
    channels(video, mix, day, sharers=sharers)
    share(video, [*sharers[:30], world.creator], day, hour=14, channel=ShareChannel.SMS)
    roll_up(days_ago(10))

    insights = video_breakdowns(gql(world.creator), video)

    assert shown(insights["audienceDevices"]) == {"PHONE": 60, "TABLET": 40, "DESKTOP": 20}
    assert shown(insights["shareChannels"]) == {"COPY_LINK": 70, "DIRECT_MESSAGE": 30, "OTHER": 13, "WHATSAPP": 10}
    assert insights["shareChannels"]["buckets"][-1] == {"key": "OTHER", "count": 13, "share": pytest.approx(13 / 123)}


@pytest.mark.both_engines
def test_share_channels_read_their_own_audience_floor(gql: Any, world: World) -> None:
    """Given 150 viewers of whom 99 share, then the devices show and the share channels are
    suppressed; one more sharer the next day lifts them over the floor. On another video 100
    people share and nobody watches: its share channels show, its devices do not."""
    crowd = crowd_watches(world.public_video, days_ago(5))
    channels(world.public_video, {ShareChannel.COPY_LINK: 99}, days_ago(5), sharers=crowd)
    channels(world.public_video, {ShareChannel.COPY_LINK: 1}, days_ago(4))
    shared_only = make_video(world.creator)
    channels(shared_only, {ShareChannel.SMS: 100}, days_ago(5))
    roll_up(days_ago(10))
    client = gql(world.creator)
    first_day = {"from": days_ago(10).isoformat(), "to": days_ago(5).isoformat()}

    below = video_breakdowns(client, world.public_video, **first_day)
    both_days = video_breakdowns(client, world.public_video)
    sharers_only = video_breakdowns(client, shared_only)

    assert shown(below["audienceDevices"]) == {"UNKNOWN": 150}
    assert {key: below["shareChannels"][key] for key in NOT_SHOWN} == NOT_SHOWN
    assert shown(both_days["shareChannels"]) == {"COPY_LINK": 100}
    assert shown(sharers_only["shareChannels"]) == {"SMS": 100}
    assert {key: sharers_only["audienceDevices"][key] for key in NOT_SHOWN} == NOT_SHOWN


@pytest.mark.both_engines
def test_followers_by_the_device_of_their_latest_view(gql: Any, world: World, settings: Any) -> None:
    """Given 120 followers: 70 who watched on a tablet and later on a phone, 20 on a tablet, 20
    who never watched and 10 who watched for the first time today (after the last final day),
    then the snapshot counts 70 phones, 20 tablets and 30 UNKNOWN. (Days final as soon as they
    end, so that yesterday is the last final day whatever the hour the test runs at.)"""
    settings.INSIGHTS_FINALIZE_AFTER_SECONDS = 0
    before, day = days_ago(6), days_ago(5)
    someone_elses = make_video(world.other_creator)
    phones = devices(someone_elses, {DeviceType.TABLET: 70}, before)
    watch(world.public_video, phones, day, device=DeviceType.PHONE)
    tablets = devices(someone_elses, {DeviceType.TABLET: 20}, day)
    today = people(10)
    watch(someone_elses, today, days_ago(0), device=DeviceType.DESKTOP)
    follow_all([*phones, *tablets, *people(20), *today], world.creator, before)
    roll_up(days_ago(10))

    devices_shown = follower_devices(gql(world.creator))

    assert shown(devices_shown) == {"PHONE": 70, "TABLET": 20, "UNKNOWN": 30}
    assert devices_shown["coveredTo"] == days_ago(1).isoformat()


@pytest.mark.both_engines
def test_follower_devices_wait_for_the_audience_floor(gql: Any, world: World) -> None:
    """Given 99 followers, followerDevices is suppressed; with a hundredth it shows."""
    crowd = people(100)
    follow_all(crowd[:99], world.creator, days_ago(5))
    follow_all(crowd[99:], world.creator, days_ago(4))
    roll_up(days_ago(10))
    client = gql(world.creator)

    below = follower_devices(client, to=days_ago(5).isoformat())
    at_floor = follower_devices(client, to=days_ago(4).isoformat())

    assert {key: below[key] for key in NOT_SHOWN} == NOT_SHOWN
    assert shown(at_floor) == {"UNKNOWN": 100}


# The noise, as clients see it --------------------------------------------------------------------


def test_noisy_breakdowns_agree_with_themselves_and_across_engines(world: World, settings: Settings) -> None:
    """Given the default budget and 28-day periods, then each breakdown asked twice, from the
    other engine, or over another range of the same period, is the same answer; the shown counts
    are noisy but near the exact ones."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_PERIOD_DAYS = 1.0, 28
    period = Period.of(days_ago(40))
    day = period.first + timedelta(days=3)
    crowd = devices(world.public_video, {DeviceType.PHONE: 400, DeviceType.TABLET: 300}, day)
    channels(world.public_video, {ShareChannel.COPY_LINK: 400, ShareChannel.SMS: 300}, day, sharers=crowd)
    follow_all(crowd, world.creator, day)
    roll_up(period.first)
    clients = both_engines(world.creator)
    whole = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    inside = {**whole, "from": (period.first + timedelta(days=5)).isoformat()}

    def read(client: Any, variables: dict[str, str]) -> tuple[Any, ...]:
        insights = video_breakdowns(client, world.public_video, **variables)
        return (insights["audienceDevices"], insights["shareChannels"], follower_devices(client, **variables))

    answers = [read(client, whole) for client in clients.values()]
    again, same_period = read(clients["strawberry"], whole), read(clients["graphene"], inside)

    assert answers[0] == answers[1] == again == same_period
    exact = ({"PHONE": 400, "TABLET": 300}, {"COPY_LINK": 400, "SMS": 300}, {"PHONE": 400, "TABLET": 300})
    for breakdown, counts in zip(answers[0], exact, strict=True):
        assert (breakdown["coveredFrom"], breakdown["coveredTo"]) == (period.first.isoformat(), period.last.isoformat())
        noisy = shown(breakdown)
        assert noisy is not None and set(counts) <= set(noisy)  # (a phantom shows with chance PHANTOM_RATE)
        assert {key: noisy[key] for key in counts} != counts  # noisy ...
        assert all(abs(noisy[key] - n) <= 8 * noise_scale() for key, n in counts.items())  # ... near


# Who may read them -------------------------------------------------------------------------------


@pytest.fixture
def audience(world: World) -> World:
    """150 viewers, 110 of them sharers, 120 of them followers of the creator, five days ago."""
    crowd = crowd_watches(world.public_video, days_ago(5))
    channels(world.public_video, {ShareChannel.SMS: 110}, days_ago(5), sharers=crowd)
    follow_all(crowd[:120], world.creator, days_ago(5))
    roll_up(days_ago(10))
    return world


@pytest.mark.both_engines
@pytest.mark.parametrize("field", VIDEO_FIELDS)
def test_video_breakdowns_for_the_owner_and_delegates_only(
    gql: Any, audience: World, subtests: pytest.Subtests, field: str
) -> None:
    """Given the creator's public video, which every role may see, then ``insights`` is denied with
    the documented code to anonymous, another viewer, another creator, a delegate of another video
    and the owner's or the delegate's token without INSIGHTS_READ; the owner and a delegate of the
    video, on a session or with an INSIGHTS_READ token, read the breakdown."""
    world = audience
    denied, allowed = video_insight_readers(gql, world, world.public_video)
    query = (
        "query($id: ID!, $from: Date!, $to: Date!) "
        f"{{ video(id: $id) {{ id insights {{ {field}(from: $from, to: $to) {{ suppressed }} }} }} }}"
    )
    variables = {"id": gid(world.public_video), **last_ten_days()}
    for role, (client, code) in denied.items():
        with subtests.test(role=role):
            response = client(query, variables)

            assert_denied(response, ("video", "insights"), code)
            assert response.data["video"]["id"] == gid(world.public_video)
    for role, client in allowed.items():
        with subtests.test(role=role):
            assert assert_data(client(query, variables), ("video", "insights", field)) == {"suppressed": False}
    stranger = gql(world.other_creator)(query, {**variables, "id": gid(world.locked_video)})
    assert_denied(stranger, ("video", "insights"), "FORBIDDEN")


@pytest.mark.both_engines
@pytest.mark.parametrize("field", VIDEO_FIELDS)
def test_a_personal_accounts_video_has_no_device_or_share_breakdown(gql: Any, world: World, field: str) -> None:
    """Given a PERSONAL account's video, then its owner and its delegate read the totals and the
    breakdown is FORBIDDEN (creator and business accounts only), alone on its path."""
    video = make_video(world.viewer)
    services.insights_access_grant(actor=world.viewer, username="other_viewer", video_id=video.pk)
    query = (
        "query($id: ID!, $from: Date!, $to: Date!) "
        f"{{ video(id: $id) {{ insights {{ saveCount {field}(from: $from, to: $to) {{ suppressed }} }} }} }}"
    )

    for user in (world.viewer, world.other_viewer):
        response = gql(user)(query, {"id": gid(video), **last_ten_days()})

        assert_denied(response, ("video", "insights", field), "FORBIDDEN")
        assert response.data["video"]["insights"]["saveCount"] == 0


@pytest.mark.both_engines
def test_follower_devices_are_the_accounts_own(gql: Any, audience: World) -> None:
    """followerDevices is the signed-in account's own: the creator and its INSIGHTS_READ token read
    the 120 followers; a delegate of all the creator's videos, another creator and any other user
    read their own account (nothing to show); a PERSONAL account is FORBIDDEN, a token without
    INSIGHTS_READ is denied ``insights`` itself, and an anonymous caller has no ``me``."""
    world = audience
    services.insights_access_grant(actor=world.creator, username="other_creator")
    without = token_for(world.creator, "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")

    assert shown(follower_devices(gql(world.creator))) == {"UNKNOWN": 120}
    assert shown(follower_devices(gql(token=token_for(world.creator, "INSIGHTS_READ")))) == {"UNKNOWN": 120}
    delegate = follower_devices(gql(world.other_creator))
    assert {key: delegate[key] for key in NOT_SHOWN} == NOT_SHOWN
    assert_denied(gql(world.viewer)(ACCOUNT, last_ten_days()), ("me", "insights", "followerDevices"), "FORBIDDEN")
    assert_denied(gql(token=without)(ACCOUNT, last_ten_days()), ("me", "insights"), "FORBIDDEN")
    assert gql(None)(ACCOUNT, last_ten_days()).body == {"data": {"me": None}}
