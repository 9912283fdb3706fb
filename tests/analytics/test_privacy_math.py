"""The publishing rules on their own (no database): tiling of days, keyed noise, thresholds,
the merge into OTHER and the bucket vocabulary."""

import statistics
from datetime import date, timedelta

import pytest
from pytest_django import Settings

from backend.errors import InvalidInput
from engagement.analytics import keys
from engagement.analytics.privacy import (
    EPOCH,
    MAX_RANGE_DAYS,
    Breakdown,
    Bucket,
    Noise,
    Thresholds,
    block_noise,
    check_range,
    days_in,
    dyadic_blocks,
    publish_breakdown,
)

T = Thresholds(min_audience=100, min_bucket=10)


def no_noise(key: str) -> int:
    return 0


def _covered(blocks: list[tuple[int, int]]) -> list[date]:
    return [EPOCH + timedelta(days=(index << level) + i) for level, index in blocks for i in range(1 << level)]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2024, 1, 1), date(2024, 1, 1)),
        (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2023, 12, 30), date(2024, 12, 29)),
        (date(2024, 2, 3), date(2024, 2, 10)),
    ],
)
def test_blocks_tile_the_range_exactly_with_at_most_two_per_level(first: date, last: date) -> None:
    """Given a range, its blocks cover each of its days once and nothing else, aligned, and no
    level is used more than twice (so a year needs at most 17 blocks)."""
    blocks = dyadic_blocks(first, last)

    assert sorted(_covered(blocks)) == days_in(first, last)
    assert all(((index << level) % (1 << level)) == 0 for level, index in blocks)
    levels = [level for level, _ in blocks]
    assert max(levels.count(level) for level in set(levels)) <= 2
    assert len(blocks) <= 17


def test_overlapping_ranges_share_their_blocks() -> None:
    """Given [1, 16] and [1, 15] (days since the epoch's aligned 16-day block), then the longer
    range is one block and the shorter four: they share noise wherever they share blocks."""
    start = EPOCH + timedelta(days=16 * 500)
    assert dyadic_blocks(start, start + timedelta(days=15)) == [(4, 500)]
    assert dyadic_blocks(start, start + timedelta(days=14)) == [(3, 1000), (2, 2002), (1, 4006), (0, 8014)]


def test_block_noise_is_deterministic_keyed_and_centred() -> None:
    """The same key, label and block always give the same noise; another label or block another
    noise; over many blocks the noise averages out near 0 with a mean size near the scale."""
    secret = b"k" * 32
    assert block_noise(secret, 2.0, "video:1:COUNTRY:FR", (0, 9000)) == block_noise(
        secret, 2.0, "video:1:COUNTRY:FR", (0, 9000)
    )
    draws = [block_noise(secret, 2.0, "video:1:COUNTRY:FR", (0, day)) for day in range(20000)]
    others = [block_noise(b"x" * 32, 2.0, "video:1:COUNTRY:FR", (0, day)) for day in range(20000)]

    assert draws != others
    assert abs(statistics.mean(draws)) < 0.1
    assert 1.7 < statistics.mean(abs(value) for value in draws) < 2.1  # 2a/(1-a^2) = 1.92 for a = e^-0.5
    assert block_noise(secret, 0, "any", (0, 1)) == 0


def test_noise_of_a_range_is_the_sum_of_its_blocks(settings: Settings) -> None:
    settings.PRIVACY_NOISE_SCALE = 2.0
    first, last = date(2024, 3, 1), date(2024, 3, 31)
    noise = Noise.for_range("video:7:AGE", first, last)

    expected = sum(block_noise(noise.secret, 2.0, "video:7:AGE:AGE_18_24", block) for block in noise.blocks)

    assert noise("AGE_18_24") == expected
    assert noise("AGE_18_24") == Noise.for_range("video:7:AGE", first, last)("AGE_18_24")


def test_no_breakdown_below_the_audience_floor() -> None:
    """99 people: nothing at all, whatever the buckets; 100: the buckets show."""
    counts = {"FR": 60, "DE": 39}

    assert publish_breakdown(counts, audience=99, noise=no_noise, thresholds=T) == Breakdown(True, ())
    assert publish_breakdown(counts, audience=100, noise=no_noise, thresholds=T).suppressed is False


def test_small_buckets_merge_into_other_with_shares_of_the_shown_total() -> None:
    """FR 70 and DE 20 show; IT 6 and ES 4 (each below 10) merge into OTHER = 10, which shows."""
    breakdown = publish_breakdown({"FR": 70, "DE": 20, "IT": 6, "ES": 4}, audience=100, noise=no_noise, thresholds=T)

    assert breakdown.buckets == (
        Bucket("FR", 70, 0.7),
        Bucket("DE", 20, 0.2),
        Bucket(keys.OTHER, 10, 0.1),
    )


def test_other_is_left_out_when_still_small() -> None:
    """IT 5 and ES 4 merge into OTHER = 9 < 10: left out; shares are of what is shown."""
    breakdown = publish_breakdown({"FR": 80, "DE": 20, "IT": 5, "ES": 4}, audience=109, noise=no_noise, thresholds=T)

    assert breakdown.buckets == (Bucket("FR", 80, 0.8), Bucket("DE", 20, 0.2))


def test_a_native_other_key_always_joins_the_merged_other() -> None:
    breakdown = publish_breakdown({"FOR_YOU": 90, "OTHER": 30}, audience=120, noise=no_noise, thresholds=T)

    assert [bucket.key for bucket in breakdown.buckets] == ["FOR_YOU", "OTHER"]
    assert breakdown.buckets[1].count == 30


def test_a_bucket_shows_only_when_its_exact_and_noisy_counts_both_reach_the_threshold() -> None:
    """FR (exact 12) pushed down to 9 by its noise merges; DE (exact 8) pushed up to 11 merges
    too, since no bucket may describe fewer than 10 people; US shows with its noisy count; OTHER
    (exact 20, noisy 20) shows. The published count is never the exact one when noise is on."""
    noise = {"FR": -3, "DE": +3, "US": +2, keys.OTHER: 0}.__getitem__

    breakdown = publish_breakdown({"US": 100, "FR": 12, "DE": 8}, audience=120, noise=noise, thresholds=T)

    assert [(bucket.key, bucket.count) for bucket in breakdown.buckets] == [("US", 102), ("OTHER", 20)]


def test_other_shows_only_when_its_exact_count_reaches_the_threshold() -> None:
    """Two small buckets (4 and 3) merge into an OTHER of 7: left out even if its noise lifts it."""
    noise = {"FR": 0, "IT": 0, "ES": 0, keys.OTHER: +5}.__getitem__

    breakdown = publish_breakdown({"FR": 100, "IT": 4, "ES": 3}, audience=107, noise=noise, thresholds=T)

    assert [bucket.key for bucket in breakdown.buckets] == ["FR"]


def test_pairs_show_only_when_both_sides_pass() -> None:
    """Viewer types come in pairs: NEW/RETURNING shows (shares within the pair); FOLLOWER 5 is
    too small, so FOLLOWER/NON_FOLLOWER is left out entirely rather than showing a share of 1."""
    counts = {"NEW": 75, "RETURNING": 25, "FOLLOWER": 5, "NON_FOLLOWER": 95}

    breakdown = publish_breakdown(counts, audience=100, noise=no_noise, thresholds=T, pairs=keys.VIEWER_TYPE_PAIRS)

    assert breakdown.buckets == (Bucket("NEW", 75, 0.75), Bucket("RETURNING", 25, 0.25))


def test_range_checks() -> None:
    check_range(date(2024, 1, 1), date(2024, 1, 1) + timedelta(days=MAX_RANGE_DAYS - 1))
    with pytest.raises(InvalidInput, match="not be after"):
        check_range(date(2024, 1, 2), date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="366 days"):
        check_range(date(2024, 1, 1), date(2024, 1, 1) + timedelta(days=MAX_RANGE_DAYS))


def test_bucket_keys_come_from_a_closed_vocabulary() -> None:
    """Self-declared values outside the vocabulary count as UNKNOWN; every key is an enum value."""
    assert len(keys.COUNTRY_CODES) == 249
    assert keys.country_key("FR") == "FR"
    assert keys.country_key("ZZ") == keys.UNKNOWN
    assert keys.country_key("") == keys.UNKNOWN
    assert keys.gender_key("") == keys.UNKNOWN
    on = date(2024, 6, 1)
    assert [keys.age_key(year, on) for year in (None, 2010, 2006, 2000, 1990, 1980, 1970, 1960)] == [
        keys.UNKNOWN,
        "AGE_13_17",
        "AGE_18_24",
        "AGE_18_24",
        "AGE_25_34",
        "AGE_35_44",
        "AGE_45_54",
        "AGE_55_PLUS",
    ]
    assert keys.hour_key(7) == "HOUR_07"
    produced = {
        *keys.COUNTRY_CODES,
        keys.UNKNOWN,
        keys.OTHER,
        "AGE_55_PLUS",
        "HOUR_23",
        *(key for pair in keys.VIEWER_TYPE_PAIRS for key in pair),
    }
    assert produced <= set(keys.InsightKey.values)
