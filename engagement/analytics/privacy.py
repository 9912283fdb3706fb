"""Publishing breakdowns under a stated privacy loss (docs/PRIVACY.md §8).

Pure functions, no database: periods, the noise scale the budget allows, keyed noise, the gate a
bucket must pass and the merge into ``OTHER``.

The model in short: a breakdown is released per *period* (``PRIVACY_PERIOD_DAYS`` days counted
from ``EPOCH``) and only once the period has ended; one person weighs at most a fixed amount in
all of one creator's releases of a period (``budget_units``); every bucket of the whole closed
vocabulary gets two-sided geometric noise whose scale spends ``PRIVACY_EPSILON`` over those
releases; and whether a bucket is shown is decided on its noisy count alone. A range's answer is
the sum of its periods' releases, and the noise is keyed, so asking again, or asking another range
over the same periods, only repeats what was released.
"""

import hashlib
import hmac
import logging
import math
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from engagement.analytics.keys import OTHER
from kernel.errors import InvalidInput

EPOCH = date(2000, 1, 1)
MAX_RANGE_DAYS = 366
# The chance that a breakdown shows a bucket nobody is in (its noise alone crossed the gate).
PHANTOM_RATE = 0.01
# Memberships one person holds in a creator's releases of a period: follower country, gender, age,
# device, activity hour and weekday-hour; then per video counted (at most PRIVACY_VIDEOS_PER_PERSON
# as a viewer, and as many as a sharer): country, gender, age, traffic source, device, watch depth,
# the two viewer-type pairs, and share channel.
FOLLOWER_MEMBERSHIPS = 6
VIDEO_MEMBERSHIPS = 9
# The geographic releases spend a budget of their own, PRIVACY_GEO_EPSILON (docs/PRIVACY.md §8.4).
# Memberships in them: the follower's region, and their gender, age, device, activity hour and
# weekday-hour within their country; then per video counted: the viewer's region, and their
# gender, age, traffic source, device, watch depth and the two viewer-type pairs within their
# country, the day of their first view (viewers per day of a country), and the sharer's channel
# within their country.
GEO_FOLLOWER_MEMBERSHIPS = 6
GEO_VIDEO_MEMBERSHIPS = 10
_SALT = b"engagement.analytics.privacy.noise"
_logger = logging.getLogger(__name__)


class AggregateResult:
    """Marker of the aggregates the insights selectors build after their own policy check:
    numbers only, so the field guard lets their owner-aggregate fields through."""


@dataclass(frozen=True)
class Bucket(AggregateResult):
    key: str
    count: int | None
    share: float


@dataclass(frozen=True)
class Breakdown(AggregateResult):
    """``suppressed``: fewer than ``PRIVACY_MIN_AUDIENCE`` people, or no ended period in the
    range. ``covered_from``/``covered_to``: the whole periods the buckets describe."""

    suppressed: bool
    buckets: tuple[Bucket, ...]
    covered_from: date | None = None
    covered_to: date | None = None


def check_range(first: date, last: date) -> None:
    """Whole days from ``EPOCH`` on (periods are counted from it), within periods the calendar
    holds whole, ``from`` not after ``to``, at most ``MAX_RANGE_DAYS`` days."""
    if first < EPOCH:
        raise InvalidInput(f"`from` is too early: insights start on {EPOCH.isoformat()}.", field="from")
    if first > last:
        raise InvalidInput("`from` must not be after `to`.", field="from")
    if last > date.max - timedelta(days=period_days()):
        raise InvalidInput("`to` is too late in the calendar: its period would end after it.", field="to")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(f"A range spans at most {MAX_RANGE_DAYS} days.", field="to")


def days_in(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


# Periods -----------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """Days ``first … last``: the ``index``-th run of ``length`` days counted from ``EPOCH``."""

    index: int
    length: int

    @classmethod
    def of(cls, day: date, length: int | None = None) -> "Period":
        length = length or period_days()
        return cls((day - EPOCH).days // length, length)

    @property
    def first(self) -> date:
        return EPOCH + timedelta(days=self.index * self.length)

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.length - 1)


def period_days() -> int:
    return int(settings.PRIVACY_PERIOD_DAYS)


def periods_between(first: date, last: date) -> list[Period]:
    """Every period that holds a day of ``[first, last]``."""
    start, end = Period.of(first), Period.of(last)
    return [Period(index, start.length) for index in range(start.index, end.index + 1)]


# The budget --------------------------------------------------------------------------------------


def budget_units(videos_per_person: int) -> int:
    """The most one person can move all of a creator's releases of one period, in bucket counts:
    each membership, replaced by another value, takes one from a bucket and gives one to another."""
    return 2 * (FOLLOWER_MEMBERSHIPS + VIDEO_MEMBERSHIPS * videos_per_person)


def geo_budget_units(videos_per_person: int) -> int:
    """``budget_units`` of the geographic releases (regions, and breakdowns sliced by country)."""
    return 2 * (GEO_FOLLOWER_MEMBERSHIPS + GEO_VIDEO_MEMBERSHIPS * videos_per_person)


def noise_scale() -> float:
    """The scale ``b`` of the noise on every bucket: releases of total sensitivity ``Δ`` with
    ``P(x) ∝ exp(-|x|/b)`` spend ``Δ/b``, so ``b = Δ/ε`` spends ``ε`` per person and period.
    An infinite ``PRIVACY_EPSILON`` (tests of the exact counts only) means no noise."""
    return _scale(budget_units(int(settings.PRIVACY_VIDEOS_PER_PERSON)), float(settings.PRIVACY_EPSILON))


def geo_enabled() -> bool:
    """Whether the geographic releases may be made: ``PRIVACY_GEO_EPSILON`` 0 turns them off."""
    return float(settings.PRIVACY_GEO_EPSILON) > 0


def geo_noise_scale() -> float:
    """``noise_scale`` of the geographic releases: their own budget, ``PRIVACY_GEO_EPSILON``."""
    assert geo_enabled(), "geographic releases are off"
    return _scale(geo_budget_units(int(settings.PRIVACY_VIDEOS_PER_PERSON)), float(settings.PRIVACY_GEO_EPSILON))


def _scale(units: int, epsilon: float) -> float:
    return 0.0 if math.isinf(epsilon) else units / epsilon


# Noise -------------------------------------------------------------------------------------------


def _uniform(digest: bytes) -> float:
    """A number in (0, 1] from 8 bytes."""
    return (int.from_bytes(digest, "big") + 1) / 2**64


def keyed_noise(secret: bytes, scale: float, label: str) -> int:
    """Two-sided geometric (discrete Laplace) noise, ``P(x) ∝ exp(-|x|/scale)``, fixed by the
    key and the label (scope, breakdown, bucket and period): the same inputs, the same noise."""
    if scale <= 0:
        return 0
    digest = hmac.new(secret, label.encode(), hashlib.sha256).digest()
    alpha = math.exp(-1.0 / scale)
    draws = [math.floor(math.log(_uniform(digest[i : i + 8])) / math.log(alpha)) for i in (0, 8)]
    return draws[0] - draws[1]


@dataclass(frozen=True)
class Noise:
    """The noise of one scope and breakdown (``video:42:COUNTRY``) summed over some periods."""

    secret: bytes = field(repr=False)  # never in a traceback or a log line
    scale: float
    label: str
    periods: tuple[Period, ...]

    @classmethod
    def for_periods(cls, label: str, periods: Sequence[Period], *, scale: float | None = None) -> "Noise":
        """``scale``: the geographic releases' (``geo_noise_scale``); the breakdowns' by default."""
        return cls(noise_secret(), noise_scale() if scale is None else scale, label, tuple(periods))

    def __call__(self, key: str) -> int:
        return sum(
            keyed_noise(self.secret, self.scale, f"{self.label}:{key}|{period.length}:{period.index}")
            for period in self.periods
        )


@cache
def _development_key() -> bytes:
    _logger.warning("DJANGO_PRIVACY_NOISE_KEY is unset: breakdown noise uses a random key until restart.")
    return secrets.token_bytes(32)


def noise_secret() -> bytes:
    """The noise key, from ``PRIVACY_NOISE_KEY`` alone: never derived from ``SECRET_KEY``, whose
    development fallback is public. Unset, development draws a random key per process and
    anything else refuses."""
    key = str(settings.PRIVACY_NOISE_KEY)
    if key:
        return hmac.new(key.encode(), _SALT, hashlib.sha256).digest()
    if settings.DEBUG:
        return _development_key()
    raise ImproperlyConfigured("Set DJANGO_PRIVACY_NOISE_KEY: breakdowns are noised with a dedicated secret key.")


# The gate ----------------------------------------------------------------------------------------


@cache
def _difference_of_sums(scale: float, periods: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The sum of ``periods`` noises is ``A - B``, ``A`` and ``B`` independent negative binomials
    (each noise is a difference of two geometrics): ``B``'s probabilities and ``A``'s tail sums,
    up to where what is left is below ``e^-40``."""
    alpha = math.exp(-1.0 / scale)
    size = int((periods + 40) * scale) + 100
    pmf = [(1 - alpha) ** periods]
    for k in range(1, 2 * size):
        pmf.append(pmf[-1] * alpha * (k + periods - 1) / k)
    tail = [0.0] * (2 * size + 1)
    for k in range(2 * size - 1, -1, -1):
        tail[k] = tail[k + 1] + pmf[k]
    return tuple(pmf[:size]), tuple(tail)


def noise_tail(scale: float, periods: int, threshold: int) -> float:
    """``P(sum of `periods` noises >= threshold)``, for ``0 <= threshold``."""
    pmf, tail = _difference_of_sums(scale, periods)
    return sum(p * tail[min(threshold + k, len(tail) - 1)] for k, p in enumerate(pmf))


@cache
def gate(scale: float, periods: int, vocabulary: int, min_bucket: int) -> int:
    """The noisy count a bucket must reach to be shown: at least ``min_bucket``, and high enough
    that the whole vocabulary's empty buckets show one by noise alone with chance ``PHANTOM_RATE``
    at most. Decided on the noisy count only, so no single person opens or closes a bucket."""
    if scale <= 0:
        return min_bucket
    low, high = min_bucket, min_bucket
    while vocabulary * noise_tail(scale, periods, high) > PHANTOM_RATE:
        low, high = high, high * 2
    while low < high:  # the least threshold that keeps within the rate
        middle = (low + high) // 2
        too_low = vocabulary * noise_tail(scale, periods, middle) > PHANTOM_RATE
        low, high = (middle + 1, high) if too_low else (low, middle)
    return high


@dataclass(frozen=True)
class Release:
    """What one breakdown publishes from: exact counts per key over its periods, its vocabulary,
    the noise of those periods, and the exact audience its gate reads (people in the range, or
    followers).

    A slice of a breakdown (the people of one country) knows no exact figure it may publish: its
    ``audience`` and ``total`` (what ``OTHER`` is the rest of) are then a noisy count already
    released (the country's bucket of the whole breakdown), and without such a count
    ``merge_other`` is off."""

    counts: Mapping[str, int]
    vocabulary: Collection[str]
    noise: Noise
    audience: int
    covered: tuple[date, date]
    pairs: Sequence[tuple[str, str]] = ()
    total: int | None = None  # None: the exact sum of ``counts``
    merge_other: bool = True


def publish_breakdown(release: Release, *, min_audience: int, min_bucket: int) -> Breakdown:
    """The buckets that may be shown, with noisy counts and shares of the shown total.

    Nothing below ``min_audience`` people (an exact count, like the totals published beside it).
    Every key of the vocabulary gets noise, present or not, and a bucket is shown when its noisy
    count reaches ``gate``; ``OTHER`` is what the shown buckets leave of the exact total. With
    ``pairs`` (two-sided splits such as new vs returning) there is no ``OTHER``: a pair is shown
    only when both sides pass.
    """
    first, last = release.covered
    if release.audience < min_audience:
        return Breakdown(suppressed=True, buckets=(), covered_from=first, covered_to=last)
    noise = release.noise
    threshold = gate(noise.scale, len(noise.periods), len(release.vocabulary), min_bucket)
    noisy = {key: max(0, release.counts.get(key, 0) + noise(key)) for key in release.vocabulary}
    if release.pairs:
        passing = [pair for pair in release.pairs if all(noisy[key] >= threshold for key in pair)]
        shown = {key: noisy[key] for pair in passing for key in pair}
    else:
        shown = {key: count for key, count in noisy.items() if key != OTHER and count >= threshold}
        total = sum(release.counts.values()) if release.total is None else release.total
        rest = total - sum(shown.values())
        if release.merge_other and rest >= threshold:
            shown[OTHER] = rest
    return Breakdown(suppressed=False, buckets=_buckets(shown), covered_from=first, covered_to=last)


def publish_grid(release: Release, *, min_audience: int) -> dict[str, int] | None:
    """Every key of a fixed grid (a retention curve's depths, the week's 168 hours) with its noisy count clamped at 0,
    in the vocabulary's order; None below ``min_audience`` people.

    No gate: every key of the vocabulary is noised and every one is shown, so which keys show
    tells nothing, and whatever is computed from these counts (shares, sums) is post-processing
    of the same release, spending nothing more. Only for a grid that is shown whole."""
    if release.audience < min_audience:
        return None
    return {key: max(0, release.counts.get(key, 0) + release.noise(key)) for key in release.vocabulary}


def _buckets(counts: Mapping[str, int]) -> tuple[Bucket, ...]:
    """Largest first, ``OTHER`` last; shares of the shown total."""
    total = sum(counts.values())
    order = sorted(counts, key=lambda key: (key == OTHER, -counts[key], key))
    return tuple(Bucket(key=key, count=counts[key], share=counts[key] / total if total else 0.0) for key in order)
