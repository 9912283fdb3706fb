"""The viewer's videos with the highest rates over a range, ranked in SQL from the daily rollups.

A rate over a handful of views says little (one share of three views is a third), so only videos
with at least ``RATE_MIN_VIEWS`` views in the range are ranked. The rates are ``rates``' own: the
sums come from SQL, which orders by the same quotient in floating point.
"""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import add
from typing import Any

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast

from accounts.viewers import Viewer
from engagement import policies
from engagement import selectors as video_selectors
from engagement.analytics import rates
from engagement.analytics.models import VideoDailyStats
from engagement.analytics.privacy import check_range
from engagement.analytics.rates import VIEWS, Rate
from engagement.analytics.selectors import TOP_VIDEOS, AccountInsights, own_account
from engagement.models import Video
from kernel.errors import PermissionDenied

RATE_MIN_VIEWS = 100


@dataclass(frozen=True)
class TopVideoByRate:
    """One of the owner's videos with its rate and views over a range (SELF: the owner's own)."""

    owner_id: int
    video: Video
    rate: float
    views: int


def account_top_videos_by_rate(
    *, viewer: Viewer, insights: AccountInsights, rate: Rate, first: date, last: date
) -> list[TopVideoByRate]:
    """The owner's ``TOP_VIDEOS`` videos with the highest ``rate`` in the range among those with
    ``RATE_MIN_VIEWS`` views or more, ties by views then oldest first; the save rate for business
    accounts only."""
    owner = own_account(viewer, insights)
    if rate is Rate.SAVE and not policies.can_view_account_save_analytics(viewer, owner):
        raise PermissionDenied("Top videos by save rate are for business accounts.")
    check_range(first, last)
    saves = policies.shows_save_analytics(viewer, owner)
    names = (VIEWS, *rates.counted(rate, saves=saves))
    ranked = list(
        VideoDailyStats.objects.filter(video__owner_id=owner.pk, day__range=(first, last))
        .values("video_id")
        .annotate(**{_total(name): Sum(name) for name in names})
        .filter(**{f"{_total(VIEWS)}__gte": RATE_MIN_VIEWS})
        .annotate(rate=_quotient(names[1:]))
        .order_by("-rate", f"-{_total(VIEWS)}", "video_id")[:TOP_VIDEOS]
    )
    videos = video_selectors.videos_by_ids(viewer=owner, video_ids=[row["video_id"] for row in ranked])
    return [
        TopVideoByRate(
            owner_id=owner.pk,
            video=videos[row["video_id"]],
            rate=_rate_of(rate, row, names, saves=saves),
            views=int(row[_total(VIEWS)]),
        )
        for row in ranked
        if row["video_id"] in videos
    ]


def _total(name: str) -> str:
    return f"total_{name}"


def _quotient(counted: tuple[str, ...]) -> Any:
    """The rate in SQL: the summed counts over the summed views, in double precision (exactly the
    quotient Python computes from the same integers)."""
    numerator = reduce(add, (F(_total(name)) for name in counted))
    return Cast(numerator, FloatField()) / Cast(F(_total(VIEWS)), FloatField())


def _rate_of(rate: Rate, row: dict[str, Any], names: tuple[str, ...], *, saves: bool) -> float:
    value = rates.rate_of(rate, {name: row[_total(name)] for name in names}, saves=saves)
    assert value is not None, "ranked videos have views"
    return value
