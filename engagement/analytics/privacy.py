"""Publishing aggregates without singling anyone out (docs/ARCHITECTURE.md §2, rule 2; docs/PRIVACY.md §8).

Pure functions, no database: thresholds, the merge into ``OTHER`` and the differencing defense.

The defense is deterministic keyed noise laid on a dyadic tree of days (the "tree mechanism" of
continual counting, with PriPeARL's keyed pseudorandomness). Every aligned block of days
(1 day, 2 days, 4 days, ... counted from ``EPOCH``) gets, per scope, breakdown and key, a fixed
noise drawn from HMAC(SECRET_KEY); a range's noisy count is its exact count plus the noise of the
blocks that tile it. So a repeated query agrees with itself, and comparing overlapping ranges only
ever yields sums of the same fixed noisy blocks: the noise cannot be averaged away.
"""

import hashlib
import hmac
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings

from backend.errors import InvalidInput
from engagement.analytics.keys import OTHER

EPOCH = date(2000, 1, 1)
MAX_RANGE_DAYS = 366
_NOISE_SALT = b"engagement.analytics.privacy.noise"


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
    """``suppressed``: the population is below ``PRIVACY_MIN_AUDIENCE``, so nothing is shown."""

    suppressed: bool
    buckets: tuple[Bucket, ...]


@dataclass(frozen=True)
class Thresholds:
    min_audience: int
    min_bucket: int

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(min_audience=int(settings.PRIVACY_MIN_AUDIENCE), min_bucket=int(settings.PRIVACY_MIN_BUCKET))


def check_range(first: date, last: date) -> None:
    """Whole days, ``from`` not after ``to``, at most ``MAX_RANGE_DAYS`` days."""
    if first > last:
        raise InvalidInput("`from` must not be after `to`.", field="from")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(f"A range spans at most {MAX_RANGE_DAYS} days.", field="to")


def days_in(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def dyadic_blocks(first: date, last: date) -> list[tuple[int, int]]:
    """The canonical tiling of ``[first, last]`` by aligned blocks ``(level, index)``: block
    ``(l, i)`` covers days ``i·2^l … (i+1)·2^l - 1`` after ``EPOCH``. At most two blocks per
    level, so a year needs at most 17; days before ``EPOCH`` are not covered."""
    start, end = max((first - EPOCH).days, 0), (last - EPOCH).days + 1
    blocks = []
    while start < end:
        level = 0
        while start % (2 << level) == 0 and start + (2 << level) <= end:
            level += 1
        blocks.append((level, start >> level))
        start += 1 << level
    return blocks


def _uniform(digest: bytes) -> float:
    """A number in (0, 1] from 8 bytes."""
    return (int.from_bytes(digest, "big") + 1) / 2**64


def block_noise(secret: bytes, scale: float, label: str, block: tuple[int, int]) -> int:
    """Two-sided geometric (discrete Laplace) noise with ``E|noise| ≈ scale``, fixed by the key,
    the label (scope, breakdown and bucket key) and the block: the same inputs, the same noise."""
    if scale <= 0:
        return 0
    digest = hmac.new(secret, f"{label}|{block[0]}|{block[1]}".encode(), hashlib.sha256).digest()
    alpha = math.exp(-1.0 / scale)
    draws = [math.floor(math.log(_uniform(digest[i : i + 8])) / math.log(alpha)) for i in (0, 8)]
    return draws[0] - draws[1]


@dataclass(frozen=True)
class Noise:
    """The noise of one scope and breakdown (``video:42:COUNTRY``) over one tiling of days."""

    secret: bytes = field(repr=False)  # never in a traceback or a log line
    scale: float
    label: str
    blocks: tuple[tuple[int, int], ...]

    @classmethod
    def for_range(cls, label: str, first: date, last: date) -> "Noise":
        return cls(noise_secret(), float(settings.PRIVACY_NOISE_SCALE), label, tuple(dyadic_blocks(first, last)))

    def __call__(self, key: str) -> int:
        return sum(block_noise(self.secret, self.scale, f"{self.label}:{key}", block) for block in self.blocks)


def noise_secret() -> bytes:
    """The noise key, derived from SECRET_KEY: rotating SECRET_KEY draws fresh noise (see docs)."""
    return hmac.new(settings.SECRET_KEY.encode(), _NOISE_SALT, hashlib.sha256).digest()


def publish_breakdown(
    counts: Mapping[str, int],
    *,
    audience: int,
    noise: Callable[[str], int],
    thresholds: Thresholds,
    pairs: Sequence[tuple[str, str]] = (),
) -> Breakdown:
    """The buckets that may be shown, with noisy counts and shares of the shown total.

    Nothing below ``min_audience`` people. A bucket is shown only when both its exact and its
    noisy count reach ``min_bucket``: the exact test is the hard rule (no bucket ever describes
    fewer people), the noisy one keeps the day a bucket appears from pinning its count at the
    threshold. The others merge into ``OTHER`` (a key named OTHER always does), shown under the
    same rule. With ``pairs`` (two-sided splits such as new vs returning) there is no ``OTHER``:
    a pair is shown only when both sides pass.
    """
    if audience < thresholds.min_audience:
        return Breakdown(suppressed=True, buckets=())
    present = {key: count for key, count in counts.items() if count > 0}
    noisy = {key: max(0, count + noise(key)) for key, count in present.items()}

    def passes(key: str, exact: int, published: int) -> bool:
        return key != OTHER and exact >= thresholds.min_bucket and published >= thresholds.min_bucket

    if pairs:
        groups = [
            {key: noisy.get(key, 0) for key in pair}
            for pair in pairs
            if all(passes(key, present.get(key, 0), noisy.get(key, 0)) for key in pair)
        ]
        return Breakdown(suppressed=False, buckets=tuple(bucket for group in groups for bucket in _buckets(group)))
    shown = {key: noisy[key] for key in present if passes(key, present[key], noisy[key])}
    merged = sum(count for key, count in present.items() if key not in shown)
    if merged:
        other = max(0, merged + noise(OTHER))
        if merged >= thresholds.min_bucket and other >= thresholds.min_bucket:
            shown[OTHER] = other
    return Breakdown(suppressed=False, buckets=_buckets(shown))


def _buckets(counts: Mapping[str, int]) -> tuple[Bucket, ...]:
    """Largest first, ``OTHER`` last; shares of the shown total."""
    total = sum(counts.values())
    order = sorted(counts, key=lambda key: (key == OTHER, -counts[key], key))
    return tuple(Bucket(key=key, count=counts[key], share=counts[key] / total if total else 0.0) for key in order)
