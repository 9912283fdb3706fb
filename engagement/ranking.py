"""The For You score (docs/ARCHITECTURE.md, "The For You ranking"; docs/PRIVACY.md §11): the
formula, and the order of a page.

The hourly refresh (``engagement.analytics.ranking_refresh``) scores every video with ``score``
from aggregates alone and stores it in ``VideoRank``; ``for_you`` orders a page by it in SQL,
adding the boosts of the viewer's own rows. What enters the score:

- likes, comments and shares, as the public totals they are;
- saves and completions, totals only a video's owner may read, as the refresh releases them:
  per settled day with keyed noise, summed over ``WINDOW_DAYS`` and coarsened into levels;
- age, counted at the ranking's hour: a point less every ``AGE_UNIT_HOURS``, which also halves
  the points a new video starts with, so that it is seen before anyone could engage with it.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from accounts.policies import accepted_followee_ids
from accounts.viewers import Viewer
from engagement import policies
from engagement.models import Favorite, Like, Video, View

SCORE = "for_you_score"  # the annotation ``for_you`` adds and ``kernel.pagination.ranked_page`` pages by

WINDOW_DAYS = 7  # the settled days whose saves and completions count
AGE_UNIT_HOURS = 12.0  # each costs a point (as much as halving the likes) and halves NEW_VIDEO_POINTS
NEW_VIDEO_POINTS = 6.0  # what a video starts with, before any engagement
LIKE_WEIGHT, COMMENT_WEIGHT, SHARE_WEIGHT = 1.0, 1.5, 2.0  # per doubling of the public total
SAVE_WEIGHT = 1.5  # per save level
COMPLETION_WEIGHT = 0.3  # per tenth of the completion rate
COMPLETION_MIN_VIEWS = 20  # a completion rate is read over this many views at least
FOLLOWED_BOOST = 2.0  # the viewer follows the creator: as if a day younger
AFFINITY_BOOST = 1.0  # the viewer saved or liked a video of the creator: as if 12 hours younger


@dataclass(frozen=True)
class Signals:
    """What a score reads of a video: its public totals, and over the window its noisy saves
    and completions and its views."""

    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    completions: int = 0
    views: int = 0


def save_level(saves: int) -> int:
    """Log buckets of the (noisy) saves: 0 for none, 1 for 1-2, 2 for 3-6, 3 for 7-14..."""
    return int(math.log2(1 + max(saves, 0)))


def completion_level(completions: int, views: int) -> int:
    """The completion rate in tenths, 0 to 10, over at least ``COMPLETION_MIN_VIEWS`` views."""
    return int(10 * min(1.0, max(completions, 0) / max(views, COMPLETION_MIN_VIEWS)))


def score(signals: Signals, *, age_hours: float) -> float:
    """The formula docs/ARCHITECTURE.md writes out: points for engagement and for being new,
    less a point per ``AGE_UNIT_HOURS`` of age."""
    age = max(age_hours, 0.0) / AGE_UNIT_HOURS
    return (
        LIKE_WEIGHT * math.log2(1 + signals.likes)
        + COMMENT_WEIGHT * math.log2(1 + signals.comments)
        + SHARE_WEIGHT * math.log2(1 + signals.shares)
        + SAVE_WEIGHT * save_level(signals.saves)
        + COMPLETION_WEIGHT * completion_level(signals.completions, signals.views)
        + NEW_VIDEO_POINTS * 2.0 ** (-age)
        - age
    )


# A video posted since the last ranking has no rank row: it scores as a new video with nothing
# yet, the same for all of them until the next ranking, so pages stay stable in between.
FRESH_SCORE = score(Signals(), age_hours=0.0)


# The order of a page ---------------------------------------------------------------------------


def for_you(viewer: Viewer, videos: QuerySet[Video], *, personal: bool) -> QuerySet[Video]:
    """``videos`` with their score as ``SCORE``: the stored one, or ``FRESH_SCORE`` for a video
    ranked not yet. ``personal`` (a signed-in viewer's session): plus the boosts of the viewer's
    own follows, saves and likes, without the videos they saved or watched to the end. Nobody
    else's rows enter, so what one person does never moves another's order until a ranking
    has released it."""
    order: Any = Coalesce(F("rank__score"), Value(FRESH_SCORE), output_field=FloatField())
    if personal:
        saved = policies.own_favorites(viewer, Favorite.objects.all())
        liked = policies.own_likes(viewer, Like.objects.all())
        completed = policies.own_views(viewer, View.objects.filter(completed=True))
        videos = videos.exclude(pk__in=saved.values("video_id")).exclude(pk__in=completed.values("video_id"))
        followed = Q(owner_id__in=accepted_followee_ids(viewer))
        affinity = Q(owner_id__in=saved.values("video__owner_id")) | Q(owner_id__in=liked.values("video__owner_id"))
        order = order + _boost(followed, FOLLOWED_BOOST) + _boost(affinity, AFFINITY_BOOST)
    return videos.annotate(**{SCORE: order})


def _boost(condition: Q, points: float) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0.0), output_field=FloatField())
