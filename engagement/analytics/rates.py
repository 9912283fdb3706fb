"""The rates insights show, defined once: the overview, each video's lifetime rates and the top
lists by rate all compute them here, from totals named as the daily rollup's columns.

Every rate is a count over views:

- engagement: likes + comments + shares, plus saves where save analytics show (business
  accounts, ``engagement.policies.shows_save_analytics``);
- share: shares; save: saves (save analytics only); completion: completions (views watched to
  the end).

Pure functions: no database, no policy. The caller says whether save analytics show.
"""

import enum
from collections.abc import Mapping


class Rate(enum.StrEnum):
    ENGAGEMENT = "engagement"
    SHARE = "share"
    SAVE = "save"
    COMPLETION = "completion"


VIEWS = "views"
_ENGAGEMENT = ("likes", "comments", "shares")
_SAVES = "saves"
_ONE_COUNT = {Rate.SHARE: "shares", Rate.SAVE: _SAVES, Rate.COMPLETION: "completions"}


def shown(rate: Rate, *, saves: bool) -> bool:
    """Whether the rate exists for an account: the save rate only where save analytics show."""
    return rate is not Rate.SAVE or saves


def counted(rate: Rate, *, saves: bool) -> tuple[str, ...]:
    """The totals a rate adds up over views: what the top lists sum and rank on in SQL."""
    if rate is Rate.ENGAGEMENT:
        return (*_ENGAGEMENT, _SAVES) if saves else _ENGAGEMENT
    return (_ONE_COUNT[rate],)


def ratio(count: int, views: int) -> float | None:
    """``count / views``; None without views (no rate to speak of)."""
    return count / views if views > 0 else None


def rate_of(rate: Rate, totals: Mapping[str, int | None], *, saves: bool) -> float | None:
    """The rate of ``totals`` (``views`` and what ``counted`` names); None where it is not shown
    (the save rate without save analytics) or there were no views."""
    if not shown(rate, saves=saves):
        return None
    return ratio(sum(int(totals[name] or 0) for name in counted(rate, saves=saves)), int(totals[VIEWS] or 0))
