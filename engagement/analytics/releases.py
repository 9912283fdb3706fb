"""What each breakdown publishes from: exact counts, vocabulary, keyed noise and audience.

A whole breakdown reads the rollup rows of no country under the breakdowns' budget
(``PRIVACY_EPSILON``). A *slice*, the people of one country (a ``country:`` filter, or regions),
reads that country's rows under the geographic budget (``PRIVACY_GEO_EPSILON``), with noise of
its own label. A slice knows no exact figure it may publish: how many people of the country there
are is itself only published noised, as the country's bucket of the whole country breakdown. So
the slice's audience floor and its ``OTHER`` read that noisy count, which costs nothing more
(post-processing of a release already made), and where no such count describes the slice's
people (sharers, active followers) it merges no ``OTHER``. See docs/PRIVACY.md §8.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Sum

from accounts.models import User
from engagement.analytics import keys
from engagement.analytics.models import AccountDailyBucket, Dimension, VideoDailyBucket
from engagement.analytics.privacy import Noise, Period, Release, days_in, geo_noise_scale
from engagement.models import Video

# People counted on the day of their first view of a video in the period, by country: the whole
# country breakdown's rows, released again day by day for one country (``country_days``).
VIEWERS_BY_DAY = "VIEWERS_BY_DAY"


def video_release(video: Video, dimension: str, periods: Sequence[Period], country: str | None = None) -> Release:
    """What one video breakdown (or grid) of ``periods`` publishes from; ``country``: its slice."""
    rows = VideoDailyBucket.objects.filter(video=video, day__range=(periods[0].first, periods[-1].last))
    covered = (periods[0].first, periods[-1].last)
    pairs = keys.VIEWER_TYPE_PAIRS if dimension == Dimension.VIEWER_TYPE else ()
    if country is None:
        people = rows.filter(country="", dimension=_audience_dimension(dimension)).aggregate(n=Sum("count"))["n"]
        return Release(
            counts=_summed(rows.filter(country="", dimension=dimension)),
            vocabulary=keys.vocabulary(dimension),
            noise=Noise.for_periods(f"video:{video.pk}:{dimension}", periods),
            audience=int(people or 0),
            covered=covered,
            pairs=pairs,
        )
    people = _noisy_people(video_release(video, Dimension.COUNTRY, periods), country)
    return Release(
        counts=_summed(rows.filter(country=country, dimension=dimension)),
        vocabulary=slice_vocabulary(dimension, country),
        noise=Noise.for_periods(f"video:{video.pk}:{dimension}@{country}", periods, scale=geo_noise_scale()),
        audience=people,
        covered=covered,
        pairs=pairs,
        total=people,
        merge_other=dimension != Dimension.SHARE_CHANNEL,  # sharers are not the country's viewers
    )


def country_days(video: Video, country: str, period: Period) -> Release:
    """The people of ``country`` counted on each day of ``period`` (on their first view of the
    video in it): one key per day, each noised; its audience is the country's noisy viewers."""
    rows = VideoDailyBucket.objects.filter(
        video=video, dimension=Dimension.COUNTRY, country="", key=country, day__range=(period.first, period.last)
    )
    counts = {day.isoformat(): int(count) for day, count in rows.values_list("day", "count")}
    return Release(
        counts=counts,
        vocabulary=tuple(day.isoformat() for day in days_in(period.first, period.last)),
        noise=Noise.for_periods(f"video:{video.pk}:{VIEWERS_BY_DAY}@{country}", [period], scale=geo_noise_scale()),
        audience=_noisy_people(video_release(video, Dimension.COUNTRY, [period]), country),
        covered=(period.first, period.last),
    )


def follower_release(owner: User, dimension: str, period: Period, country: str | None = None) -> Release:
    """What a follower breakdown publishes from: the snapshot at the end of ``period``."""
    counts = _snapshot(owner, dimension, period.last, country or "")
    covered = (period.first, period.last)
    if country is None:
        return Release(
            counts=counts,
            vocabulary=keys.vocabulary(dimension),
            noise=Noise.for_periods(f"account:{owner.pk}:{dimension}", [period]),
            audience=sum(counts.values()),
            covered=covered,
        )
    people = _noisy_people(follower_release(owner, Dimension.FOLLOWER_COUNTRY, period), country)
    return Release(
        counts=counts,
        vocabulary=slice_vocabulary(dimension, country),
        noise=Noise.for_periods(f"account:{owner.pk}:{dimension}@{country}", [period], scale=geo_noise_scale()),
        audience=people,
        covered=covered,
        total=people,
    )


def follower_activity_release(
    owner: User, dimension: str, periods: Sequence[Period], country: str | None = None
) -> Release:
    """What a breakdown of followers' activity publishes from: its counts summed over ``periods``
    (each follower once per period), their noise, and as audience the followers of the last
    period's snapshot (of ``country``: its noisy count)."""
    rows = AccountDailyBucket.objects.filter(
        owner=owner, dimension=dimension, country=country or "", day__range=(periods[0].first, periods[-1].last)
    )
    covered = (periods[0].first, periods[-1].last)
    if country is None:
        followers = _snapshot(owner, Dimension.FOLLOWER_COUNTRY, periods[-1].last, "")
        return Release(
            counts=_summed(rows),
            vocabulary=keys.vocabulary(dimension),
            noise=Noise.for_periods(f"account:{owner.pk}:{dimension}", periods),
            audience=sum(followers.values()),
            covered=covered,
        )
    return Release(
        counts=_summed(rows),
        vocabulary=keys.vocabulary(dimension),
        noise=Noise.for_periods(f"account:{owner.pk}:{dimension}@{country}", periods, scale=geo_noise_scale()),
        audience=_noisy_people(follower_release(owner, Dimension.FOLLOWER_COUNTRY, periods[-1]), country),
        covered=covered,
        merge_other=False,  # the active followers of a country are no published count
    )


def slice_vocabulary(dimension: str, country: str) -> tuple[str, ...]:
    """The keys of a slice: a country's top-level subdivisions for regions, else the whole's."""
    if dimension in (Dimension.REGION, Dimension.FOLLOWER_REGION):
        return keys.region_vocabulary(country)
    return keys.vocabulary(dimension)


def _noisy_people(whole: Release, country: str) -> int:
    """The people of ``country``, as the whole country breakdown publishes them (its noisy
    bucket), or 0 while that breakdown is below the audience floor and publishes nothing."""
    if whole.audience < int(settings.PRIVACY_MIN_AUDIENCE):
        return 0
    return max(0, whole.counts.get(country, 0) + whole.noise(country))


def _audience_dimension(dimension: str) -> str:
    """Whose count the audience floor reads: a share-channel breakdown counts sharers, each in one
    channel bucket; the others count viewers, each in one country bucket."""
    return Dimension.SHARE_CHANNEL if dimension == Dimension.SHARE_CHANNEL else Dimension.COUNTRY


def _snapshot(owner: User, dimension: str, day: date, country: str) -> dict[str, int]:
    rows = AccountDailyBucket.objects.filter(owner=owner, dimension=dimension, country=country, day=day)
    return {key: int(count) for key, count in rows.values_list("key", "count")}


def _summed(rows: Any) -> dict[str, int]:
    return {
        key: int(total) for key, total in rows.values("key").annotate(total=Sum("count")).values_list("key", "total")
    }
