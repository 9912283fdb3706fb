"""Daily rollups: one UTC day of interactions turned into counts per video and per account.

Rolling a day up replaces its rows in one transaction, so running it again gives the same rows
(idempotent) and a day can be rolled up while in progress and again later. Two rollups at once
would both insert the rows of a day that has none yet, and one would fail on PostgreSQL: a
rollup runs alone (``rollup_days``), the worker's hourly one and a command's alike. Once a day has been
rolled up after it ended (plus ``INSIGHTS_FINALIZE_AFTER_SECONDS`` for late writes) it is final:
its totals may still be recomputed, but its breakdown rows are kept as they are, because the
differencing defense relies on published days never changing (docs/PRIVACY.md).
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, ExtractHour, RowNumber
from django.utils import timezone

from accounts.models import AccountType, Follow, FollowStatus, ProfileView, User
from engagement.analytics import keys
from engagement.analytics.models import (
    AccountDailyBucket,
    AccountDailyStats,
    Dimension,
    InsightsDay,
    VideoDailyBucket,
    VideoDailyStats,
)
from engagement.analytics.privacy import Period, days_in
from engagement.models import Comment, Download, Favorite, Like, Share, Video, View
from kernel.job_locks import job_lock

BREAKDOWN_ACCOUNT_TYPES = (AccountType.CREATOR, AccountType.BUSINESS)
_COUNTED = ((Like, "likes"), (Favorite, "saves"), (Share, "shares"), (Comment, "comments"), (Download, "downloads"))

BucketKey = tuple[int, str, str, str]  # (video or owner id, dimension, country slice or "", key)
ROLLUP_LOCK = "insights rollup"  # kernel.job_locks: one rollup at a time


@dataclass(frozen=True)
class DayRollup:
    day: date
    videos: int
    accounts: int
    finalized: bool
    breakdowns_kept: bool  # the day was final already: its breakdowns were left as they were


def final_window() -> tuple[date, date] | None:
    """``(first, last)``: from the earliest final day, the run of consecutive final days. A day
    inside it never changes again; a day after a gap waits until the gap is rolled up."""
    days = list(InsightsDay.objects.filter(finalized=True).order_by("day").values_list("day", flat=True))
    if not days:
        return None
    end = days[0]
    for day in days[1:]:
        if (day - end).days != 1:
            break
        end = day
    return days[0], end


def is_released(period: Period, window: tuple[date, date] | None) -> bool:
    """Breakdowns may describe ``period``: it ended, and it is final up to its last day (days
    before the first rolled-up day count as empty)."""
    return window is not None and window[0] <= period.last <= window[1]


def _period_ended(period: Period) -> bool:
    """A period whose last day is final may have been published: its days' breakdowns are never
    written again, a backfill of days before the first rolled-up one included (they stay empty).
    Read from the stored markers, not the window of consecutive final days, which a backfill
    after a gap shrinks."""
    return InsightsDay.objects.filter(day=period.last, finalized=True).exists()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def recent_days(today: date) -> list[date]:
    """What the hourly rollup rolls up: yesterday, which it finalizes, and today so far."""
    return days_in(today - timedelta(days=1), today)


def rollup_days(
    days: list[date], *, now: datetime, progress: Callable[[int], object] | None = None
) -> list[DayRollup] | None:
    """Roll ``days`` up one after the other, unless another rollup is running: then None, and
    nothing done (it redoes the same days or its own; the next hour's run catches up)."""
    with job_lock(ROLLUP_LOCK) as alone:
        if not alone:
            return None
        results = []
        for day in days:
            results.append(rollup_day(day, now=now))
            if progress is not None:
                progress(1)
        return results


def rollup_day(day: date, *, now: datetime | None = None) -> DayRollup:
    """Replace the rollup rows of ``day`` with counts computed from the interaction tables."""
    now = now or timezone.now()
    start, end = day_bounds(day)
    finalize = now >= end + timedelta(seconds=settings.INSIGHTS_FINALIZE_AFTER_SECONDS)
    with transaction.atomic():
        marker = InsightsDay.objects.select_for_update().filter(day=day).first()
        keep_breakdowns = (marker is not None and marker.finalized) or _period_ended(Period.of(day))
        video_stats, video_buckets = _video_counts(day, start, end)
        account_stats, account_buckets = _account_counts(day, start, end)
        video_ids = set(Video.objects.filter(pk__in=list(video_stats)).values_list("pk", flat=True))
        owner_ids = set(User.objects.filter(pk__in=list(account_stats)).values_list("pk", flat=True))

        VideoDailyStats.objects.filter(day=day).delete()
        VideoDailyStats.objects.bulk_create(
            VideoDailyStats(video_id=video_id, day=day, **counts)
            for video_id, counts in video_stats.items()
            if video_id in video_ids
        )
        AccountDailyStats.objects.filter(day=day).delete()
        AccountDailyStats.objects.bulk_create(
            AccountDailyStats(owner_id=owner_id, day=day, **counts)
            for owner_id, counts in account_stats.items()
            if owner_id in owner_ids
        )
        if not keep_breakdowns:
            VideoDailyBucket.objects.filter(day=day).delete()
            VideoDailyBucket.objects.bulk_create(
                VideoDailyBucket(video_id=video_id, day=day, dimension=dimension, country=country, key=key, count=count)
                for (video_id, dimension, country, key), count in video_buckets.items()
                if video_id in video_ids
            )
            AccountDailyBucket.objects.filter(day=day).delete()
            AccountDailyBucket.objects.bulk_create(
                AccountDailyBucket(
                    owner_id=owner_id, day=day, dimension=dimension, country=country, key=key, count=count
                )
                for (owner_id, dimension, country, key), count in account_buckets.items()
                if owner_id in owner_ids
            )
        InsightsDay.objects.update_or_create(
            day=day, defaults={"finalized": keep_breakdowns or finalize, "rolled_up_at": now}
        )
    return DayRollup(
        day=day,
        videos=len(video_ids),
        accounts=len(owner_ids),
        finalized=keep_breakdowns or finalize,
        breakdowns_kept=keep_breakdowns,
    )


def _in_day(start: datetime, end: datetime) -> Q:
    return Q(created_at__gte=start, created_at__lt=end)


def _video_counts(day: date, start: datetime, end: datetime) -> tuple[dict[int, Counter[str]], Counter[BucketKey]]:
    """Per video: the day's totals; per video, dimension and key: the breakdown counts."""
    in_day = _in_day(start, end)
    stats: dict[int, Counter[str]] = defaultdict(Counter)
    buckets: Counter[BucketKey] = Counter()
    views = View.objects.filter(in_day).values("video_id")
    for row in views.annotate(
        n=Count("pk"), seconds=Sum("watched_seconds"), done=Count("pk", filter=Q(completed=True))
    ):
        stats[row["video_id"]].update(views=row["n"], watch_seconds=row["seconds"] or 0, completions=row["done"])
    for model, name in _COUNTED:
        for video_id, n in _per_key(model.objects.filter(in_day), "video_id"):
            stats[video_id][name] = n
    follows = Follow.objects.filter(in_day, status=FollowStatus.ACCEPTED, source_video__isnull=False)
    for video_id, n in _per_key(follows, "source_video_id"):
        stats[video_id]["new_followers"] = n
    slots: Counter[tuple[int, int]] = Counter()  # (viewer, owner): videos counted today
    for person in _viewers(start, end, Period.of(day).first):
        _count_viewer(day, person, stats[person["video_id"]], buckets, slots)
    buckets.update(_first_shares(start, end, Period.of(day).first))
    return stats, buckets


def _per_key(qs: Any, field: str) -> list[tuple[int, int]]:
    return list(qs.values(field).annotate(n=Count("pk")).values_list(field, "n"))


def _firsts_of_the_day(model: type[View] | type[Share], person: str, start: datetime, end: datetime) -> Any:
    """The rows of ``model`` in ``[start, end)`` that are each person's first on each video that
    day (the earliest, the lowest id among equals), and no other. Ranked with ROW_NUMBER() in one
    pass over the day, whatever the planner's statistics say (an anti-join chose a plan 8 times
    slower on unanalysed tables): what is then asked of each person and video is asked once per
    pair, not once per row."""
    ranked = (
        model.objects.filter(created_at__gte=start, created_at__lt=end)
        .alias(
            rank=Window(
                RowNumber(), partition_by=[F("video_id"), F(person)], order_by=[F("created_at").asc(), F("pk").asc()]
            )
        )
        .filter(rank=1)
    )
    return model.objects.filter(pk__in=ranked.values("pk"))


def _owner_videos_before(model: type[View] | type[Share], person: str, opens: datetime, start: datetime) -> Any:
    """How many of the outer row's owner's videos its person viewed or shared from ``opens`` (the
    period's start) to ``start`` (today's): the slots of ``PRIVACY_VIDEOS_PER_PERSON`` already used."""
    return (
        model.objects.filter(
            **{person: OuterRef(person)},
            video__owner_id=OuterRef("video__owner_id"),
            created_at__gte=opens,
            created_at__lt=start,
        )
        .values(person)
        .annotate(n=Count("video_id", distinct=True))
        .values("n")
    )


def _viewers(start: datetime, end: datetime, period_start: date) -> Any:
    """The first view of the day of each video by each signed-in viewer (the owner aside),
    earliest first: its source, device and position, the viewer's declared attributes, whether
    they had watched the video before (ever, and before the period), whether they follow its
    owner, and how many of the owner's videos they had watched earlier in the period."""
    opens = datetime.combine(period_start, time.min, tzinfo=UTC)
    same = View.objects.filter(video_id=OuterRef("video_id"), viewer_id=OuterRef("viewer_id"))
    follows = Follow.objects.filter(
        follower_id=OuterRef("viewer_id"), followee_id=OuterRef("video__owner_id"), status=FollowStatus.ACCEPTED
    )
    watched_in_period = _owner_videos_before(View, "viewer_id", opens, start)
    return (
        _firsts_of_the_day(View, "viewer_id", start, end)
        .filter(viewer__isnull=False)
        .exclude(viewer_id=F("video__owner_id"))
        .values(
            "video_id",
            "video__owner_id",
            "video__duration_seconds",
            "viewer_id",
            "viewer__country",
            "viewer__region",
            "viewer__gender",
            "viewer__birth_year",
            "device",
            source=F("traffic_source"),
            position=F("position_seconds"),
        )
        .annotate(
            returning=Exists(same.filter(created_at__lt=start)),
            before_period=Exists(same.filter(created_at__lt=opens)),
            earlier_in_period=Exists(same.filter(created_at__gte=opens, created_at__lt=start)),
            owner_videos_in_period=Coalesce(Subquery(watched_in_period), 0),
            follower=Exists(follows),
        )
        .order_by("created_at", "video_id")
        .iterator()
    )


def _count_viewer(
    day: date,
    person: dict[str, Any],
    stats: Counter[str],
    buckets: Counter[BucketKey],
    slots: Counter[tuple[int, int]],
) -> None:
    """The daily totals count every viewer of the day (new: their first view ever). Breakdowns
    count a person once per video and period, on their first view of it in the period, and in
    at most ``PRIVACY_VIDEOS_PER_PERSON`` of one owner's videos per period: the contribution
    bound the privacy model's loss rests on (docs/PRIVACY.md §8)."""
    video_id = person["video_id"]
    stats["viewers"] += 1
    stats["new_viewers"] += 0 if person["returning"] else 1
    if person["earlier_in_period"]:
        return
    owner = (person["viewer_id"], person["video__owner_id"])
    if person["owner_videos_in_period"] + slots[owner] >= settings.PRIVACY_VIDEOS_PER_PERSON:
        return
    slots[owner] += 1
    country = keys.country_key(person["viewer__country"])
    buckets[(video_id, Dimension.COUNTRY, "", country)] += 1
    sliced: tuple[tuple[str, str], ...] = (
        (Dimension.GENDER, keys.gender_key(person["viewer__gender"])),
        (Dimension.AGE, keys.age_key(person["viewer__birth_year"], day)),
        (Dimension.TRAFFIC_SOURCE, person["source"]),
        (Dimension.DEVICE, person["device"]),
        (Dimension.WATCH_DEPTH, keys.watch_depth_key(person["position"], person["video__duration_seconds"])),
        (Dimension.VIEWER_TYPE, keys.RETURNING if person["before_period"] else keys.NEW),
        (Dimension.VIEWER_TYPE, keys.FOLLOWER if person["follower"] else keys.NON_FOLLOWER),
    )
    region = (Dimension.REGION, keys.region_key(person["viewer__region"], country))
    _count_sliced(buckets, video_id, country, sliced, region=region)


def _count_sliced(
    buckets: Counter[BucketKey],
    scope_id: int,
    country: str,
    sliced: tuple[tuple[str, str], ...],
    n: int = 1,
    *,
    region: tuple[str, str] | None = None,
) -> None:
    """``n`` people of a video or an account in each of ``sliced``: in the whole breakdowns, and
    again within their country (the geographic releases), with their ``region`` bucket if given.
    Nobody is in the slice of an unknown country: no filter names it."""
    country = keys.country_key(country)
    for dimension, key in sliced:
        buckets[(scope_id, dimension, "", key)] += n
    if country == keys.UNKNOWN:
        return
    for dimension, key in sliced if region is None else (region, *sliced):
        buckets[(scope_id, dimension, country, key)] += n


def _first_shares(start: datetime, end: datetime, period_start: date) -> Counter[BucketKey]:
    """The share-channel buckets, whole and by the sharer's country: signed-in sharers (the owner
    aside) whose first share of the video in the period is today, by its channel, each in at most
    ``PRIVACY_VIDEOS_PER_PERSON`` of one owner's videos per period (the first they share): once
    per video and period, like a viewer."""
    opens = datetime.combine(period_start, time.min, tzinfo=UTC)
    shared_in_period = _owner_videos_before(Share, "user_id", opens, start)
    earlier_in_period = Share.objects.filter(
        video_id=OuterRef("video_id"), user_id=OuterRef("user_id"), created_at__gte=opens, created_at__lt=start
    )
    sharers = (
        _firsts_of_the_day(Share, "user_id", start, end)
        .exclude(user_id=F("video__owner_id"))
        .values("video_id", "video__owner_id", "user_id", "channel", "user__country")
        .annotate(
            earlier_in_period=Exists(earlier_in_period),
            owner_videos_in_period=Coalesce(Subquery(shared_in_period), 0),
        )
        .order_by("created_at", "video_id")
    )
    counted: Counter[BucketKey] = Counter()
    slots: Counter[tuple[int, int]] = Counter()  # (sharer, owner): videos counted today
    for row in sharers.iterator():
        owner = (row["user_id"], row["video__owner_id"])
        if (
            row["earlier_in_period"]
            or row["owner_videos_in_period"] + slots[owner] >= settings.PRIVACY_VIDEOS_PER_PERSON
        ):
            continue
        slots[owner] += 1
        _count_sliced(counted, row["video_id"], row["user__country"], ((Dimension.SHARE_CHANNEL, row["channel"]),))
    return counted


def _account_counts(day: date, start: datetime, end: datetime) -> tuple[dict[int, Counter[str]], Counter[BucketKey]]:
    """Per account: followers at the end of the day, follows gained and profile views; for
    creator and business accounts also the follower breakdowns, hourly and weekday-hour activity."""
    in_day = _in_day(start, end)
    stats: dict[int, Counter[str]] = defaultdict(Counter)
    buckets: Counter[BucketKey] = Counter()
    for owner_id, n in _per_key(Follow.objects.filter(in_day, status=FollowStatus.ACCEPTED), "followee_id"):
        stats[owner_id]["new_followers"] = n
    for owner_id, n in _per_key(ProfileView.objects.filter(in_day), "profile_id"):
        stats[owner_id]["profile_views"] = n
    followed = Follow.objects.filter(status=FollowStatus.ACCEPTED, created_at__lt=end, follower__is_active=True)
    counted = followed.filter(Q(followee__account_type__in=BREAKDOWN_ACCOUNT_TYPES) | Q(followee_id__in=list(stats)))
    for owner_id, n in _per_key(counted, "followee_id"):
        stats[owner_id]["followers"] = n
    creators = followed.filter(followee__account_type__in=BREAKDOWN_ACCOUNT_TYPES)
    buckets.update(_follower_snapshot(creators, day, end))
    for owner_id, country, hour, n in _first_activity(creators, start, end, Period.of(day).first):
        _count_sliced(buckets, owner_id, country, ((Dimension.FOLLOWER_ACTIVITY, keys.hour_key(hour)),), n)
    buckets.update(_weekhour_activity(creators, day, start, end))
    return stats, buckets


def _follower_snapshot(creators: Any, day: date, end: datetime) -> Counter[BucketKey]:
    """The followers at the end of the day by country, gender, age and device (that of their
    latest view by then, or UNKNOWN), and within their country by region and the rest."""
    latest_device = View.objects.filter(viewer_id=OuterRef("follower_id"), created_at__lt=end).order_by(
        "-created_at", "-pk"
    )
    devices = creators.annotate(device=Coalesce(Subquery(latest_device.values("device")[:1]), Value(keys.UNKNOWN)))
    rows = devices.values_list(
        "followee_id", "follower__country", "follower__region", "follower__gender", "follower__birth_year", "device"
    ).annotate(n=Count("pk"))
    buckets: Counter[BucketKey] = Counter()
    for owner_id, country, region, gender, birth_year, device, n in rows:
        country = keys.country_key(country)
        buckets[(owner_id, Dimension.FOLLOWER_COUNTRY, "", country)] += n
        sliced = (
            (Dimension.FOLLOWER_GENDER, keys.gender_key(gender)),
            (Dimension.FOLLOWER_AGE, keys.age_key(birth_year, day)),
            (Dimension.FOLLOWER_DEVICE, device),
        )
        region_key = (Dimension.FOLLOWER_REGION, keys.region_key(region, country))
        _count_sliced(buckets, owner_id, country, sliced, n, region=region_key)
    return buckets


def _first_activity(creators: Any, start: datetime, end: datetime, period_start: date) -> Any:
    """``(owner, country, hour, followers)``: followers whose first activity (a view) of the period
    falls in that UTC hour of the day: each follower counts once per period."""
    opens = datetime.combine(period_start, time.min, tzinfo=UTC)
    views = View.objects.filter(viewer_id=OuterRef("follower_id"))
    first_today = views.filter(created_at__gte=start, created_at__lt=end).order_by("created_at")
    return (
        creators.filter(Exists(first_today))
        .exclude(Exists(views.filter(created_at__gte=opens, created_at__lt=start)))
        .annotate(first_at=Subquery(first_today.values("created_at")[:1], output_field=DateTimeField()))
        .annotate(hour=ExtractHour("first_at"))
        .values("followee_id", "follower__country", "hour")
        .annotate(n=Count("follower_id", distinct=True))
        .values_list("followee_id", "follower__country", "hour", "n")
    )


def designated_weekday(period: Period, follower_id: int) -> int:
    """The one weekday (``date.weekday()``: Monday 0) on which a follower may count in the
    weekday-hour breakdown of ``period``: a hash of the period's index and the follower, the same
    in every process and every rollup (Python's ``hash()`` of a string changes per process)."""
    digest = hashlib.sha256(f"{period.index}:{follower_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 7


def _weekhour_activity(creators: Any, day: date, start: datetime, end: datetime) -> Counter[BucketKey]:
    """Followers by the UTC weekday and hour they were active in, sampled: each follower counts
    at most once per period, on the first day of the period that falls on their designated
    weekday (``designated_weekday``) on which they were active (a view), in the UTC hour of
    their first view that day.

    Why sample one weekday: counting a follower on every day they are active would give them up
    to one membership per day of the period, and the budget allows one. Counting them on the
    first day they are active, as the hourly activity does, keeps one but piles everyone onto
    the period's first days, so whichever weekdays those are would look busiest. A weekday drawn
    for each follower by a hash, blind to what they do, keeps one membership and is unbiased
    across weekdays: the followers designated to a weekday are a random seventh of all of them,
    so each weekday-hour counts a seventh of the followers active then, whichever weekday it is.
    The price is accuracy: a cell holds about a seventh of its people, against the same noise.
    """
    period = Period.of(day)
    views = View.objects.filter(viewer_id=OuterRef("follower_id"))
    first_today = views.filter(created_at__gte=start, created_at__lt=end).order_by("created_at", "pk")
    rows = creators.filter(Exists(first_today))
    weeks_before = (day - period.first).days // 7  # earlier days of the period on the same weekday
    if weeks_before:
        was_active = Q()
        for weeks in range(1, weeks_before + 1):
            opens, closes = day_bounds(day - timedelta(days=7 * weeks))
            was_active |= Q(created_at__gte=opens, created_at__lt=closes)
        rows = rows.exclude(Exists(views.filter(was_active)))
    first_hours = (
        rows.annotate(first_at=Subquery(first_today.values("created_at")[:1], output_field=DateTimeField()))
        .annotate(hour=ExtractHour("first_at"))
        .values_list("followee_id", "follower_id", "follower__country", "hour")
    )
    counted: Counter[BucketKey] = Counter()
    for owner_id, follower_id, country, hour in first_hours.iterator():
        if designated_weekday(period, follower_id) == day.weekday():
            cell = ((Dimension.FOLLOWER_WEEKHOUR, keys.weekhour_key(day.weekday(), hour)),)
            _count_sliced(counted, owner_id, country, cell)
    return counted
