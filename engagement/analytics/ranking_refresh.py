"""The hourly refresh of the For You ranking (docs/PRIVACY.md §11): every video scored with
``engagement.ranking.score`` from aggregates alone, into ``VideoRank``.

Saves and completions are totals only a video's owner may read, so the ranking reads them from
the daily rollups of *settled* days only (``SETTLE_DAYS``: the hourly rollup still rewrites
yesterday and today), each video's day released once: its count plus two-sided geometric noise
of scale ``1/RANKING_EPSILON``, keyed by the noise key, the day and that day's rollup. Ranking
again repeats the same releases, so refreshing draws no new sample of any noise to average away.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from engagement.analytics.models import InsightsDay, VideoDailyStats
from engagement.analytics.privacy import keyed_noise, noise_secret
from engagement.counters import TOTALS, parse_totals, with_totals
from engagement.models import Video, VideoRank
from engagement.ranking import WINDOW_DAYS, Signals, score

SETTLE_DAYS = 2  # the window ends the day before yesterday: the rollup of yesterday is still redone hourly
_CHUNK = 1000

DailyCounts = dict[date, tuple[int, int, int]]  # day -> (saves, completions, views)


@dataclass(frozen=True)
class Ranking:
    """One refresh: its hour, how many videos it scored, and the settled days it read."""

    ranked_at: datetime
    videos: int
    days: tuple[date, ...]


def ranking_hour(now: datetime) -> datetime:
    """Ages count at the hour a ranking belongs to, so ranking again within it changes nothing."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def settled_days(at: datetime) -> tuple[date, date]:
    """The window: the ``WINDOW_DAYS`` days that end ``SETTLE_DAYS`` days before ``at``'s."""
    last = at.date() - timedelta(days=SETTLE_DAYS)
    return last - timedelta(days=WINDOW_DAYS - 1), last


def noise_scale() -> float:
    """``b = 1/ε``: a count with one save more or less is told apart at ``e^ε`` at best. An
    infinite ``RANKING_EPSILON`` (tests of the formula only) means no noise."""
    epsilon = float(settings.RANKING_EPSILON)
    if epsilon <= 0:
        raise ImproperlyConfigured("RANKING_EPSILON must be positive.")
    return 0.0 if math.isinf(epsilon) else 1.0 / epsilon


def released_count(
    secret: bytes, scale: float, *, signal: str, video_id: int, day: date, rolled_up_at: datetime, count: int
) -> int:
    """One video's ``signal`` (saves or completions) of one settled day as the ranking reads it:
    the count plus noise fixed by the key, the day and the day's rollup. A day rolled up again (a
    backfill) is a new release with new noise, never the old noise on a new count."""
    label = f"rank:{signal}:{video_id}:{day.isoformat()}:{rolled_up_at.isoformat()}"
    return count + keyed_noise(secret, scale, label)


def rank_videos(*, now: datetime | None = None, progress: Callable[[int], object] | None = None) -> Ranking:
    """Score every video and replace its ``VideoRank`` row in one transaction, so a reader sees
    one ranking or the next, never a mix. Idempotent within an hour on the same rollups."""
    at = ranking_hour(now or timezone.now())
    first, last = settled_days(at)
    releases = dict(
        InsightsDay.objects.filter(day__range=(first, last), finalized=True).values_list("day", "rolled_up_at")
    )
    secret, scale = (noise_secret(), noise_scale()) if releases else (b"", 0.0)
    scores: dict[int, float] = {}
    for videos in _chunks():
        daily = _daily_counts([row["pk"] for row in videos], list(releases))
        for row in videos:
            signals = _signals(row, daily[row["pk"]], releases, secret, scale)
            scores[row["pk"]] = score(signals, age_hours=(at - row["created_at"]).total_seconds() / 3600)
        if progress is not None:
            progress(len(videos))
    _store(scores, at)
    return Ranking(ranked_at=at, videos=len(scores), days=tuple(sorted(releases)))


def videos_to_rank() -> int:
    """How many videos ``rank_videos`` walks, for a progress bar's total."""
    return Video.objects.count()


def _chunks() -> Iterator[list[dict[str, Any]]]:
    """Every video with its public totals, a keyset chunk at a time."""
    last = 0
    while True:
        videos = with_totals(Video.objects.filter(pk__gt=last)).order_by("pk")
        rows = list(videos.values("pk", "created_at", TOTALS)[:_CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _daily_counts(video_ids: list[int], days: list[date]) -> defaultdict[int, DailyCounts]:
    counts: defaultdict[int, DailyCounts] = defaultdict(dict)
    rows = VideoDailyStats.objects.filter(video_id__in=video_ids, day__in=days)
    for video_id, day, saves, completions, views in rows.values_list(
        "video_id", "day", "saves", "completions", "views"
    ):
        counts[video_id][day] = (saves, completions, views)
    return counts


def _signals(
    row: dict[str, Any], daily: DailyCounts, releases: dict[date, datetime], secret: bytes, scale: float
) -> Signals:
    """Noise on every settled day since the video was posted, with or without a rollup row, so
    that which days had a save is not told by which days are noisy."""
    totals = parse_totals(row[TOTALS]) if row[TOTALS] else {}
    posted = row["created_at"].astimezone(UTC).date()
    saves = completions = views = 0
    for day, rolled_up_at in releases.items():
        if day < posted:
            continue
        day_saves, day_completions, day_views = daily.get(day, (0, 0, 0))
        release = {"video_id": row["pk"], "day": day, "rolled_up_at": rolled_up_at}
        saves += released_count(secret, scale, signal="saves", count=day_saves, **release)
        completions += released_count(secret, scale, signal="completions", count=day_completions, **release)
        views += day_views
    return Signals(
        likes=totals.get("like_count", 0),
        comments=totals.get("comment_count", 0),
        shares=totals.get("share_count", 0),
        saves=saves,
        completions=completions,
        views=views,
    )


def _store(scores: dict[int, float], at: datetime) -> None:
    """Upsert every score; a video deleted since it was read is left out."""
    with transaction.atomic():
        existing = set(Video.objects.values_list("pk", flat=True))
        VideoRank.objects.bulk_create(
            (VideoRank(video_id=pk, score=value, ranked_at=at) for pk, value in scores.items() if pk in existing),
            batch_size=_CHUNK,
            update_conflicts=True,
            unique_fields=["video"],
            update_fields=["score", "ranked_at"],
        )
