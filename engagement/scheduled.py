"""The worker's scheduled jobs (``CELERY_BEAT_SCHEDULE`` in backend/settings.py): the work of the
management commands of the same names, which stay for manual runs. Each may run twice, and twice
at once, with the result of one run: the rollup runs alone (``rollups.rollup_days``), the ranking
upserts scores fixed within the hour, folding locks the slot rows it moves, the clean-up of
insights exports deletes only what has expired."""

import logging
from datetime import UTC

from celery import shared_task
from django.utils import timezone

from engagement import counters
from engagement.analytics import exports, ranking_refresh, rollups

logger = logging.getLogger(__name__)


@shared_task(name="engagement.rollup_insights")
def rollup_insights() -> None:
    """Yesterday and today, as ``manage.py rollup_insights`` without options, then the ranking,
    which reads the rollups. A run that finds another rolling up leaves the ranking to it."""
    now = timezone.now()
    results = rollups.rollup_days(rollups.recent_days(now.astimezone(UTC).date()), now=now)
    if results is None:
        logger.info("insights rollup skipped: another rollup is running")
        return
    rank_videos.delay()


@shared_task(name="engagement.rank_videos")
def rank_videos() -> None:
    """The For You ranking (``manage.py rank_videos``)."""
    ranking = ranking_refresh.rank_videos()
    logger.info("ranked %s video(s) as of %s", ranking.videos, ranking.ranked_at)


@shared_task(name="engagement.fold_counters")
def fold_counters() -> None:
    """Spilled counter steps back into each video's totals row (``manage.py fold_counters``)."""
    folded = counters.counters_fold()
    logger.info("folded %s counter slot row(s)", folded)


@shared_task(name="engagement.delete_expired_insights_exports")
def delete_expired_insights_exports() -> None:
    """Insights exports past their end (``INSIGHTS_EXPORT_TTL_SECONDS``): rows and files."""
    deleted = exports.delete_expired(now=timezone.now())
    logger.info("deleted %s expired insights export(s)", deleted)
