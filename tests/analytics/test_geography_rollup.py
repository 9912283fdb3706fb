"""What a day rolls up to by country: the slice rows of a video's breakdowns and of its shares
(``country`` set to the person's declared country), the region rows, nobody's slice without a
country, and a final day's slice rows kept as published (docs/PRIVACY.md §8)."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import AccountType, User
from engagement.analytics import keys
from engagement.analytics.models import Dimension, VideoDailyBucket
from engagement.models import DeviceType, Share, ShareChannel, TrafficSource, Video
from tests.analytics.conftest import days_ago, follow_all, people, share, watch
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db


def roll_up(day: Any) -> str:
    out = StringIO()
    call_command("rollup_insights", "--date", day.isoformat(), stdout=out, stderr=StringIO())
    return out.getvalue()


def slices(video: Video, day: Any) -> dict[str, dict[tuple[str, str], int]]:
    """The video's rows of ``day`` of a country's slice, by country, then (dimension, key)."""
    rows = VideoDailyBucket.objects.filter(video=video, day=day).exclude(country="")
    by_country: dict[str, dict[tuple[str, str], int]] = {}
    for country, dimension, key, n in rows.values_list("country", "dimension", "key", "count"):
        by_country.setdefault(country, {})[(dimension, key)] = n
    return by_country


@pytest.fixture
def creator() -> User:
    return make_user("geo_creator", account_type=AccountType.CREATOR)


def test_a_viewer_of_a_known_country_counts_again_in_its_slice(creator: User) -> None:
    """Given a French woman of Paris (FR-75C) who follows the creator, watching on a tablet from
    search to half way (twice: her first view counts), and a German of no region sharing by SMS,
    then each is in the whole rows and again in their own country's slice, in every video
    dimension, with their region by top-level subdivision (FR-IDF; UNKNOWN) and the sharer's
    channel in the sharer's country; nobody is in a slice by country (the whole holds those)."""
    video = make_video(creator, duration_seconds=100)
    day = days_ago(3)
    [french] = people(1, country="FR", region="FR-75C", gender="FEMALE", birth_year=1990)
    [german] = people(1, country="DE", gender="MALE", birth_year=2000)
    follow_all([french], creator, day - timedelta(days=1))
    watch(video, [french], day, hour=9, seconds=50, source=TrafficSource.SEARCH, device=DeviceType.TABLET)
    watch(video, [french], day, hour=10, seconds=100, source=TrafficSource.PROFILE, device=DeviceType.PHONE)
    watch(video, [german], day, seconds=100, device=DeviceType.SMART_TV)
    share(video, [german], day, channel=ShareChannel.SMS)

    roll_up(day)

    assert slices(video, day) == {
        "FR": {
            (Dimension.REGION, "FR-IDF"): 1,
            (Dimension.GENDER, "FEMALE"): 1,
            (Dimension.AGE, keys.age_key(1990, day)): 1,
            (Dimension.TRAFFIC_SOURCE, "SEARCH"): 1,
            (Dimension.DEVICE, "TABLET"): 1,
            (Dimension.WATCH_DEPTH, "DEPTH_050"): 1,
            (Dimension.VIEWER_TYPE, keys.NEW): 1,
            (Dimension.VIEWER_TYPE, keys.FOLLOWER): 1,
        },
        "DE": {
            (Dimension.REGION, keys.UNKNOWN): 1,
            (Dimension.GENDER, "MALE"): 1,
            (Dimension.AGE, keys.age_key(2000, day)): 1,
            (Dimension.TRAFFIC_SOURCE, "FOR_YOU"): 1,
            (Dimension.DEVICE, "SMART_TV"): 1,
            (Dimension.WATCH_DEPTH, "DEPTH_100"): 1,
            (Dimension.VIEWER_TYPE, keys.NEW): 1,
            (Dimension.VIEWER_TYPE, keys.NON_FOLLOWER): 1,
            (Dimension.SHARE_CHANNEL, "SMS"): 1,
        },
    }
    whole = VideoDailyBucket.objects.filter(video=video, day=day, country="", dimension=Dimension.COUNTRY)
    assert dict(whole.values_list("key", "count")) == {"FR": 1, "DE": 1}


def test_people_of_no_known_country_have_no_slice(creator: User) -> None:
    """Given viewers and sharers who declared no country, or a code outside the vocabulary, then
    they count in the whole rows (country UNKNOWN) and in no slice at all."""
    video = make_video(creator)
    day = days_ago(3)
    nobody = [*people(2, gender="FEMALE", region="FR-75C"), *people(1, country="ZZ")]
    watch(video, nobody, day)
    share(video, nobody, day, channel=ShareChannel.WHATSAPP)

    roll_up(day)

    assert slices(video, day) == {}
    whole = VideoDailyBucket.objects.filter(video=video, day=day, country="")
    assert dict(whole.filter(dimension=Dimension.COUNTRY).values_list("key", "count")) == {keys.UNKNOWN: 3}
    assert dict(whole.filter(dimension=Dimension.SHARE_CHANNEL).values_list("key", "count")) == {"WHATSAPP": 3}


def test_a_final_day_keeps_its_slice_rows_as_published(creator: User) -> None:
    """Given a final day, when its viewers change country, region and gender, a new French viewer
    and sharer come in and the shares change channel, and it is rolled up again, then its slice
    rows stay as published: a changed slice would hand out the difference, like a changed whole."""
    video = make_video(creator)
    day = days_ago(5)
    viewers = people(2, country="FR", region="FR-69", gender="MALE")
    watch(video, viewers, day)
    share(video, viewers, day, channel=ShareChannel.SMS)
    roll_up(day)
    published = slices(video, day)
    User.objects.filter(pk=viewers[0].pk).update(country="IT", region="", gender="FEMALE")
    User.objects.filter(pk=viewers[1].pk).update(region="FR-75C")
    newcomer = people(1, country="FR")
    watch(video, newcomer, day)
    share(video, newcomer, day, channel=ShareChannel.EMAIL)
    Share.objects.update(channel=ShareChannel.COPY_LINK)

    out = roll_up(day)

    assert "breakdowns kept" in out
    assert published["FR"][(Dimension.REGION, "FR-ARA")] == 2
    assert published["FR"][(Dimension.SHARE_CHANNEL, "SMS")] == 2
    assert slices(video, day) == published
