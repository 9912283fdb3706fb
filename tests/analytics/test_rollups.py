"""``manage.py rollup_insights``: what a day rolls up to, idempotence, days in progress and final
days, and reads that use the rollups only."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountType, Follow, FollowStatus, ProfileView, User
from engagement.analytics import keys
from engagement.analytics import selectors as analytics
from engagement.analytics.models import (
    AccountDailyBucket,
    AccountDailyStats,
    Dimension,
    InsightsDay,
    VideoDailyBucket,
    VideoDailyStats,
)
from engagement.analytics.privacy import Period
from engagement.analytics.rollups import day_bounds, rollup_day
from engagement.models import Comment, DeviceType, Download, Favorite, Like, Share, ShareChannel, TrafficSource
from tests.analytics.conftest import at, days_ago, follow_all, people, share, watch
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rollup_insights", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stats_row(video: Any, day: Any) -> dict[str, Any]:
    row = VideoDailyStats.objects.filter(video=video, day=day).values().get()
    return {key: value for key, value in row.items() if key not in ("id", "video_id", "day")}


def buckets(video: Any, day: Any, dimension: str) -> dict[str, int]:
    rows = VideoDailyBucket.objects.filter(video=video, day=day, dimension=dimension, country="")
    return dict(rows.values_list("key", "count"))


@pytest.fixture
def creator() -> User:
    return make_user("rollup_creator", account_type=AccountType.CREATOR)


def test_a_day_rolls_up_to_its_totals_and_buckets(creator: User) -> None:
    """Given a day with views (one viewer twice, the owner, an anonymous one), likes, saves, a
    share, a comment, a download and a follow from the video, when it is rolled up, then each
    total is that day's count, viewers are signed-in people other than the owner, and the buckets
    count each of those people once: by declared country, gender and age, the source of their
    first view, and their viewer types."""
    video = make_video(creator, duration_seconds=20)
    day = days_ago(3)
    french, german = people(1, country="FR", gender="FEMALE", birth_year=2000)[0], people(1, country="DE")[0]
    watch(video, [french, french, german], day, seconds=20)
    watch(video, [creator, None], day, seconds=5, source=TrafficSource.SEARCH)
    Like.objects.create(user=french, video=video, created_at=at(day))
    Favorite.objects.create(user=french, video=video, created_at=at(day))
    Favorite.objects.create(user=german, video=video, created_at=at(day - timedelta(days=1)))
    Share.objects.create(user=german, video=video, channel="SMS", created_at=at(day))
    Comment.objects.create(author=german, video=video, text="hi", created_at=at(day))
    Download.objects.create(user=german, video=video, created_at=at(day))
    Follow.objects.create(follower=german, followee=creator, source_video=video, created_at=at(day))

    out, _ = run("--date", day.isoformat())

    assert f"{day}: 1 video(s)" in out and "final" in out
    assert stats_row(video, day) == {
        "views": 5,
        "likes": 1,
        "saves": 1,
        "shares": 1,
        "comments": 1,
        "downloads": 1,
        "watch_seconds": 70,
        "completions": 3,
        "new_followers": 1,
        "viewers": 2,
        "new_viewers": 2,
    }
    assert buckets(video, day, Dimension.TRAFFIC_SOURCE) == {"FOR_YOU": 2}
    assert buckets(video, day, Dimension.COUNTRY) == {"FR": 1, "DE": 1}
    assert buckets(video, day, Dimension.GENDER) == {"FEMALE": 1, "UNKNOWN": 1}
    assert buckets(video, day, Dimension.AGE) == {keys.age_key(2000, day): 1, "UNKNOWN": 1}
    assert buckets(video, day, Dimension.VIEWER_TYPE) == {"NEW": 2, "NON_FOLLOWER": 1, "FOLLOWER": 1}


def test_breakdowns_count_a_person_once_per_video_and_period(creator: User, settings: Any) -> None:
    """Given 28-day periods and a viewer who watches a video on two days of one period and again
    in the next period, then the second day adds nothing to any breakdown, and the next period
    counts them again, as RETURNING; the daily totals count every day's viewers."""
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(days_ago(70))
    video = make_video(creator)
    viewer = people(1, country="JP")[0]
    first, second, later = period.first, period.first + timedelta(days=1), period.last + timedelta(days=1)
    for day in (first, second, later):
        watch(video, [viewer], day)

    run("--since", first.isoformat())

    assert buckets(video, first, Dimension.COUNTRY) == {"JP": 1}
    assert buckets(video, first, Dimension.VIEWER_TYPE) == {"NEW": 1, "NON_FOLLOWER": 1}
    assert buckets(video, second, Dimension.COUNTRY) == buckets(video, second, Dimension.VIEWER_TYPE) == {}
    assert buckets(video, later, Dimension.COUNTRY) == {"JP": 1}
    assert buckets(video, later, Dimension.VIEWER_TYPE) == {"RETURNING": 1, "NON_FOLLOWER": 1}
    assert (stats_row(video, second)["viewers"], stats_row(video, second)["new_viewers"]) == (1, 0)


def test_a_person_counts_in_so_many_of_one_creators_videos_per_period(creator: User, settings: Any) -> None:
    """Given PRIVACY_VIDEOS_PER_PERSON = 1 and a viewer who watches three of the creator's videos
    (two on one day) and one of someone else's, then only the creator's video they watched first
    counts them, and the other creator's video counts them too: the bound is per creator."""
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(days_ago(70))
    first_video, second_video, third_video = make_video(creator), make_video(creator), make_video(creator)
    elsewhere = make_video(make_user("another_creator"))
    viewer = people(1, country="KR")[0]
    watch(second_video, [viewer], period.first, hour=9)
    watch(first_video, [viewer], period.first, hour=8)
    watch(elsewhere, [viewer], period.first, hour=10)
    watch(third_video, [viewer], period.first + timedelta(days=3))

    run("--since", period.first.isoformat())

    counted = VideoDailyBucket.objects.filter(dimension=Dimension.COUNTRY, country="").values_list(
        "video_id", flat=True
    )
    assert sorted(counted) == sorted([first_video.pk, elsewhere.pk])
    assert stats_row(second_video, period.first)["viewers"] == 1  # the daily totals count them all


@pytest.mark.parametrize(
    ("position", "duration", "key"),
    [(0, 20, "DEPTH_000"), (1, 20, "DEPTH_005"), (7, 30, "DEPTH_020"), (29, 30, "DEPTH_095"), (30, 30, "DEPTH_100")],
)
def test_a_depth_key_is_the_last_step_of_5_percent_reached(position: int, duration: int, key: str) -> None:
    assert keys.watch_depth_key(position, duration) == key
    assert key in keys.vocabulary(Dimension.WATCH_DEPTH)


def test_watch_depth_counts_each_viewer_once_at_their_first_view(creator: User, settings: Any) -> None:
    """Given 28-day periods, viewers of a 20-second video whose first views reach 20, 19, 10, 1 and
    0 seconds, one of whom watches to the end later that day and another the next day, and the
    owner's and an anonymous view to the end, then WATCH_DEPTH counts each person once, at the
    last 5% step of their first view in the period, and nothing the next day."""
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(days_ago(70))
    day = period.first + timedelta(days=2)
    video = make_video(creator, duration_seconds=20)
    viewers = people(5)
    for viewer, position in zip(viewers, (20, 19, 10, 1, 0), strict=True):
        watch(video, [viewer], day, hour=9, seconds=position, position=position)
    watch(video, viewers[2:3], day, hour=15, seconds=20, replayed=True)
    watch(video, viewers[3:4], day + timedelta(days=1), seconds=20)
    watch(video, [creator, None], day, hour=8, seconds=20)

    for rolled in (day, day + timedelta(days=1)):
        rollup_day(rolled)

    assert buckets(video, day, Dimension.WATCH_DEPTH) == {
        "DEPTH_100": 1,
        "DEPTH_095": 1,
        "DEPTH_050": 1,
        "DEPTH_005": 1,
        "DEPTH_000": 1,
    }
    assert buckets(video, day + timedelta(days=1), Dimension.WATCH_DEPTH) == {}


def test_devices_and_share_channels_count_a_person_once_per_video_and_period(creator: User, settings: Any) -> None:
    """Given 28-day periods, a viewer whose first view of the period is on a tablet (a phone later
    that day and the next) and a sharer whose first share is by SMS (email later that day,
    WhatsApp the next), then each counts once, by that first view's device and that first
    share's channel; the next period counts them again by their first there. The owner's own
    view and share and an anonymous view count in no breakdown (the daily totals count them)."""
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(days_ago(70))
    video = make_video(creator)
    viewer, sharer = people(2)
    first, second, later = period.first, period.first + timedelta(days=1), period.last + timedelta(days=1)
    watch(video, [viewer], first, hour=8, device=DeviceType.TABLET)
    watch(video, [viewer], first, hour=9, device=DeviceType.PHONE)
    watch(video, [viewer], second, device=DeviceType.PHONE)
    watch(video, [viewer], later, device=DeviceType.DESKTOP)
    watch(video, [creator, None], first, hour=7, device=DeviceType.SMART_TV)
    share(video, [sharer], first, hour=8, channel=ShareChannel.SMS)
    share(video, [sharer], first, hour=9, channel=ShareChannel.EMAIL)
    share(video, [sharer], second, channel=ShareChannel.WHATSAPP)
    share(video, [sharer], later, channel=ShareChannel.COPY_LINK)
    share(video, [creator], first, hour=7, channel=ShareChannel.DIRECT_MESSAGE)

    run("--since", first.isoformat())

    assert buckets(video, first, Dimension.DEVICE) == {"TABLET": 1}
    assert buckets(video, first, Dimension.SHARE_CHANNEL) == {"SMS": 1}
    assert buckets(video, second, Dimension.DEVICE) == buckets(video, second, Dimension.SHARE_CHANNEL) == {}
    assert buckets(video, later, Dimension.DEVICE) == {"DESKTOP": 1}
    assert buckets(video, later, Dimension.SHARE_CHANNEL) == {"COPY_LINK": 1}
    assert (stats_row(video, first)["views"], stats_row(video, first)["shares"]) == (4, 3)


def test_of_two_views_or_shares_at_the_same_moment_the_first_recorded_counts(creator: User) -> None:
    """Given a viewer's two views and a sharer's two shares recorded with the same time, then the
    one recorded first (the lower id) is their first of the day, and the person counts once."""
    video = make_video(creator)
    day = days_ago(4)
    viewer = people(1)[0]
    watch(video, [viewer], day, device=DeviceType.SMART_TV)
    watch(video, [viewer], day, device=DeviceType.PHONE)
    share(video, [viewer], day, channel=ShareChannel.EMAIL)
    share(video, [viewer], day, channel=ShareChannel.SMS)

    run("--date", day.isoformat())

    assert buckets(video, day, Dimension.DEVICE) == {"SMART_TV": 1}
    assert buckets(video, day, Dimension.SHARE_CHANNEL) == {"EMAIL": 1}
    assert stats_row(video, day)["viewers"] == 1


@pytest.mark.parametrize(
    ("videos_per_person", "counted"), [(1, ("first", "elsewhere")), (2, ("first", "second", "elsewhere"))]
)
def test_a_sharer_counts_in_so_many_of_one_creators_videos_per_period(
    creator: User, settings: Any, videos_per_person: int, counted: tuple[str, ...]
) -> None:
    """Given PRIVACY_VIDEOS_PER_PERSON videos per person and a sharer who shares three of the
    creator's videos (two on one day) and one of someone else's, then the creator's videos they
    shared first count them, up to the bound, and the other creator's video counts them too.
    Watching a video of the creator first takes no sharer's place: a person counts as a viewer
    and as a sharer, each within the bound (privacy.VIDEO_MEMBERSHIPS)."""
    settings.PRIVACY_PERIOD_DAYS, settings.PRIVACY_VIDEOS_PER_PERSON = 28, videos_per_person
    period = Period.of(days_ago(70))
    videos = {name: make_video(creator) for name in ("first", "second", "third", "watched")}
    videos["elsewhere"] = make_video(make_user("another_creator"))
    sharer = people(1)[0]
    watch(videos["watched"], [sharer], period.first, hour=7)
    share(videos["second"], [sharer], period.first, hour=9)
    share(videos["first"], [sharer], period.first, hour=8)
    share(videos["elsewhere"], [sharer], period.first, hour=10)
    share(videos["third"], [sharer], period.first + timedelta(days=3))

    run("--since", period.first.isoformat())

    shared = VideoDailyBucket.objects.filter(dimension=Dimension.SHARE_CHANNEL, country="").values_list(
        "video_id", flat=True
    )
    assert sorted(shared) == sorted(videos[name].pk for name in counted)
    watched = VideoDailyBucket.objects.filter(dimension=Dimension.DEVICE, country="").values_list("video_id", flat=True)
    assert list(watched) == [videos["watched"].pk]


def test_followers_count_by_the_device_of_their_latest_view(creator: User) -> None:
    """Given followers who last watched (anything, anyone's) on a tablet, on a desktop before the
    day and on a television only after it, and one who never watched, then the day's snapshot
    counts them by the device of their latest view up to the day's end, UNKNOWN when there is
    none; a pending follower, a deactivated one and one whose account was deleted are not in
    it. Each follower is in one device bucket, as in one country bucket."""
    day = days_ago(3)
    someone_elses = make_video(make_user("someone_else"))
    switcher, desktop, never = people(3)
    pending, deactivated, deleted = people(3)
    follow_all([switcher, desktop, never, deactivated, deleted], creator, day - timedelta(days=2))
    Follow.objects.create(follower=pending, followee=creator, status=FollowStatus.PENDING, created_at=at(day))
    watch(someone_elses, [switcher, desktop, deleted, deactivated, pending], day - timedelta(days=1), device="PHONE")
    watch(make_video(creator), [switcher], day, hour=9, device=DeviceType.TABLET)
    watch(someone_elses, [desktop], day - timedelta(days=1), hour=13, device=DeviceType.DESKTOP)
    watch(someone_elses, [desktop, never], day + timedelta(days=1), device=DeviceType.SMART_TV)
    User.objects.filter(pk=deactivated.pk).update(is_active=False)
    deleted.delete()  # its follows go with it, its views stay as anonymous ones

    run("--date", day.isoformat())

    def account_buckets(dimension: str) -> dict[str, int]:
        rows = AccountDailyBucket.objects.filter(owner=creator, day=day, dimension=dimension, country="")
        return dict(rows.values_list("key", "count"))

    assert account_buckets(Dimension.FOLLOWER_DEVICE) == {"TABLET": 1, "DESKTOP": 1, "UNKNOWN": 1}
    assert sum(account_buckets(Dimension.FOLLOWER_COUNTRY).values()) == 3


def test_a_final_day_keeps_its_device_share_and_follower_device_rows(creator: User) -> None:
    """Given a final day, when what its device, share-channel and follower-device buckets were
    computed from changes (the first views' device, the first shares' channel, a new sharer, a
    later view of the followers on another device) and it is rolled up again, then those buckets
    stay as published while the totals follow the data."""
    video = make_video(creator)
    day = days_ago(5)
    viewers = people(2)
    follow_all(viewers, creator, day - timedelta(days=1))
    watch(video, viewers, day, hour=10, device=DeviceType.PHONE)
    share(video, viewers, day, channel=ShareChannel.SMS)

    def published() -> tuple[dict[str, int], ...]:
        follower_devices = AccountDailyBucket.objects.filter(
            owner=creator, day=day, dimension=Dimension.FOLLOWER_DEVICE, country=""
        )
        return (
            buckets(video, day, Dimension.DEVICE),
            buckets(video, day, Dimension.SHARE_CHANNEL),
            dict(follower_devices.values_list("key", "count")),
        )

    run("--date", day.isoformat())
    video.views.update(device=DeviceType.DESKTOP)
    Share.objects.update(channel=ShareChannel.EMAIL)
    share(video, people(1), day, channel=ShareChannel.WHATSAPP)
    watch(video, viewers, day, hour=11, device=DeviceType.SMART_TV)

    out, _ = run("--date", day.isoformat())

    assert "breakdowns kept" in out
    assert published() == ({"PHONE": 2}, {"SMS": 2}, {"PHONE": 2})
    assert (stats_row(video, day)["views"], stats_row(video, day)["shares"]) == (4, 3)


def _all_rows() -> list[Any]:
    return [
        sorted(model.objects.values_list(*[f.attname for f in model._meta.fields if f.attname != "id"]))
        for model in (VideoDailyStats, VideoDailyBucket, AccountDailyStats, AccountDailyBucket)
    ]


def test_rolling_up_again_gives_the_same_rows(creator: User) -> None:
    """Idempotent: a second run over the same days replaces the rows with identical ones."""
    video = make_video(creator)
    crowd = people(30, country="BR")
    follow_all(crowd[:10], creator, days_ago(6))
    for n in range(5, 1, -1):
        watch(video, crowd[: 5 * n], days_ago(n))
    run("--since", days_ago(6).isoformat())
    first = _all_rows()

    run("--since", days_ago(6).isoformat())

    assert _all_rows() == first
    assert all(first)


def test_today_is_rolled_up_in_progress_and_final_later(creator: User) -> None:
    """Given today rolled up while in progress, then it counts in the daily series but not in
    breakdowns; rolled up again after the day (and the grace period) it becomes final."""
    video = make_video(creator)
    today = days_ago(0)
    watch(video, people(3), today, hour=0)

    out, _ = run("--date", today.isoformat())

    assert "in progress" in out
    assert InsightsDay.objects.get(day=today).finalized is False
    assert analytics.final_window() is None
    _, end = day_bounds(today)
    assert rollup_day(today, now=end + timedelta(minutes=30)).finalized is False  # still in the grace period
    assert rollup_day(today, now=end + timedelta(hours=2)).finalized is True
    assert analytics.final_window() == (today, today)


def test_a_final_day_keeps_its_breakdowns_while_totals_are_recomputed(creator: User) -> None:
    """Given a final day, when the data behind it changes (a viewer declares another country,
    another view is deleted) and it is rolled up again, then its totals follow the data but its
    breakdowns stay as published: a changed bucket would hand out the difference."""
    video = make_video(creator)
    day = days_ago(5)
    viewers = people(2, country="FR")
    watch(video, viewers, day)
    run("--date", day.isoformat())
    User.objects.filter(pk=viewers[0].pk).update(country="IT")
    video.views.filter(viewer=viewers[1]).delete()

    out, _ = run("--date", day.isoformat())

    assert "breakdowns kept" in out
    assert stats_row(video, day)["views"] == 1
    assert buckets(video, day, Dimension.COUNTRY) == {"FR": 2}


def test_accounts_roll_up_followers_profile_views_and_active_hours(creator: User) -> None:
    """Given followers with declared attributes, a profile view and followers watching anything
    at 07:00 (and one again at 21:00), then the account's day holds the follower total, the
    follows gained, the profile views, the follower snapshot by attribute and the followers by the
    hour of their first activity in the period (once each)."""
    day = days_ago(2)
    other_video = make_video(make_user("someone_else"))
    fans = people(3, country="FR", gender="MALE", birth_year=1990)
    follow_all(fans, creator, day)
    follow_all(people(1, country="US"), creator, day - timedelta(days=1))
    Follow.objects.create(follower=people(1)[0], followee=creator, status=FollowStatus.PENDING, created_at=at(day))
    ProfileView.objects.create(profile=creator, created_at=at(day))
    watch(other_video, fans, day, hour=7)
    watch(other_video, fans[:1] * 2, day, hour=21)

    run("--date", day.isoformat())

    row = AccountDailyStats.objects.get(owner=creator, day=day)
    assert (row.followers, row.new_followers, row.profile_views) == (4, 3, 1)

    def account_buckets(dimension: str) -> dict[str, int]:
        rows = AccountDailyBucket.objects.filter(owner=creator, day=day, dimension=dimension, country="")
        return dict(rows.values_list("key", "count"))

    assert account_buckets(Dimension.FOLLOWER_COUNTRY) == {"FR": 3, "US": 1}
    assert account_buckets(Dimension.FOLLOWER_GENDER) == {"MALE": 3, "UNKNOWN": 1}
    assert account_buckets(Dimension.FOLLOWER_ACTIVITY) == {"HOUR_07": 3}


def test_the_final_window_stops_at_a_gap() -> None:
    """Days 6, 5 and 3 ago are final, day 4 ago was never rolled up: breakdowns may use days 6
    and 5 only, until day 4 is rolled up (it could not change what was already published)."""
    for n in (6, 5, 3):
        rollup_day(days_ago(n))

    assert analytics.final_window() == (days_ago(6), days_ago(5))
    rollup_day(days_ago(4))
    assert analytics.final_window() == (days_ago(6), days_ago(3))


RAW_TABLES = (
    "engagement_view",
    "engagement_like",
    "engagement_favorite",
    "engagement_share",
    "engagement_comment",
    "engagement_download",
    "accounts_follow",
    "accounts_profileview",
)


def _touching_raw_tables(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if any(table in query["sql"] for table in RAW_TABLES)]


def _filters(dimension: str, by_country: str, by_region: str) -> tuple[str | None, ...]:
    """The country filters a breakdown takes: none for countries, one for regions, else both."""
    return {by_country: (None,), by_region: ("FR",)}.get(dimension, (None, "FR"))


def test_reads_use_the_rollups_only(creator: User) -> None:
    """Given rolled-up days, when the series and breakdowns are read, then no query touches an
    interaction table (views, likes, saves, shares, comments, downloads, follows, profile views);
    top videos are ranked from the rollups too (only the listed videos are then loaded, through
    the video selector like any other video)."""
    video = make_video(creator)
    crowd = people(120, country="FR")
    follow_all(crowd, creator, days_ago(4))
    watch(video, crowd, days_ago(3))
    run("--since", days_ago(4).isoformat())
    insights = analytics.account_insights(viewer=creator)
    first, last = days_ago(10), days_ago(0)

    with CaptureQueriesContext(connection) as queries:
        analytics.video_daily_series(viewer=creator, video=video, first=first, last=last)
        for dimension in analytics.VIDEO_DIMENSIONS:
            for country in _filters(dimension, analytics.Dimension.COUNTRY, analytics.Dimension.REGION):
                analytics.video_breakdown(
                    viewer=creator, video=video, dimension=dimension, first=first, last=last, country=country
                )
        analytics.video_country_viewers(viewer=creator, video=video, country="FR", first=first, last=last)
        for dimension in analytics.FOLLOWER_DIMENSIONS:
            for country in _filters(
                dimension, analytics.Dimension.FOLLOWER_COUNTRY, analytics.Dimension.FOLLOWER_REGION
            ):
                analytics.account_follower_breakdown(
                    viewer=creator, insights=insights, dimension=dimension, first=first, last=last, country=country
                )
        for country in (None, "FR"):
            analytics.account_follower_activity(
                viewer=creator, insights=insights, first=first, last=last, country=country
            )
        analytics.account_follower_growth(viewer=creator, insights=insights, first=first, last=last)
        analytics.account_profile_views(viewer=creator, insights=insights, first=first, last=last)
    with CaptureQueriesContext(connection) as ranking:
        top = analytics.account_top_videos(viewer=creator, insights=insights, by="views", first=first, last=last)

    assert len(queries.captured_queries) > 10
    assert _touching_raw_tables(queries) == []
    ranked = [query["sql"] for query in ranking.captured_queries if "engagement_videodailystats" in query["sql"]]
    assert len(ranked) == 1 and not any(table in ranked[0] for table in RAW_TABLES)
    assert [(entry.video.pk, entry.count) for entry in top] == [(video.pk, 120)]


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_is_drawn_on_a_terminal_only() -> None:
    terminal, pipe = _Terminal(), StringIO()

    call_command("rollup_insights", "--since", days_ago(2).isoformat(), stdout=StringIO(), stderr=terminal)
    call_command("rollup_insights", stdout=StringIO(), stderr=pipe)

    assert "Rolling up" in terminal.getvalue() and "3/3" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_without_options_it_rolls_up_yesterday_and_today() -> None:
    out, _ = run("--no-progress")

    assert f"{days_ago(1)}:" in out and f"{days_ago(0)}:" in out and "Rolled up 2 day(s)." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2024-13-01"), "not a date"),
        (("--date", "2024-01-01", "--since", "2024-01-01"), "not both"),
        (("--date", (days_ago(-1)).isoformat()), "in the future"),
        (("--since", (days_ago(-2)).isoformat()), "in the future"),
    ],
)
def test_bad_arguments_are_refused(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not InsightsDay.objects.exists()


def test_a_backfill_never_writes_into_an_ended_period(creator: User, settings: Any) -> None:
    """Given rollups that began on the tenth day of a period and ran past its end (so it may have
    been published), when a day before them is rolled up later (after a gap), then that day's
    breakdowns stay empty: the period's answer, under its unchanged noise, must not move."""
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(days_ago(70))
    video = make_video(creator)
    watch(video, people(5, country="DE"), period.first + timedelta(days=1))
    watch(video, people(5, country="FR"), period.first + timedelta(days=12))
    run("--since", (period.first + timedelta(days=9)).isoformat())

    out, _ = run("--since", period.first.isoformat())  # its first day leaves a gap: the window shrinks to it

    assert f"{period.first + timedelta(days=1)}: 1 video(s)" in out and "breakdowns kept" in out
    assert buckets(video, period.first + timedelta(days=1), Dimension.COUNTRY) == {}
    assert buckets(video, period.first + timedelta(days=12), Dimension.COUNTRY) == {"FR": 5}


def test_a_published_follower_breakdown_keeps_its_audience(creator: User, settings: Any) -> None:
    """Given a period published with 100 followers, when one unfollows later and the period's last
    day is rolled up again, then its follower breakdown still shows: its audience is the frozen
    snapshot, not the recomputed daily total."""
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(days_ago(70))
    follow_all(people(100, country="FR"), creator, period.first)
    run("--since", period.first.isoformat())
    insights = analytics.account_insights(viewer=creator)

    def countries() -> Any:
        dimension, first, last = Dimension.FOLLOWER_COUNTRY, period.first, period.last
        return analytics.account_follower_breakdown(
            viewer=creator, insights=insights, dimension=dimension, first=first, last=last
        )

    before = countries()
    Follow.objects.filter(followee=creator).first().delete()  # type: ignore[union-attr]
    run("--date", period.last.isoformat())

    assert before.suppressed is False and countries() == before
