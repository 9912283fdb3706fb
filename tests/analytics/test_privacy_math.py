"""The publishing rules on their own (no database): periods, the budget and the noise scale,
keyed noise, the gate decided on noisy counts, the merge into OTHER and the bucket vocabulary."""

import math
import statistics
from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from pytest_django import Settings

from engagement.analytics import keys
from engagement.analytics.privacy import (
    EPOCH,
    MAX_RANGE_DAYS,
    PHANTOM_RATE,
    Breakdown,
    Bucket,
    Noise,
    Period,
    Release,
    budget_units,
    check_range,
    gate,
    geo_budget_units,
    geo_enabled,
    geo_noise_scale,
    keyed_noise,
    noise_scale,
    noise_tail,
    periods_between,
    publish_breakdown,
)
from kernel.errors import InvalidInput

COVERED = (date(2024, 1, 1), date(2024, 1, 28))


def fixed_noise(scale: float, values: Mapping[str, int] | None = None, periods: int = 1) -> Noise:
    """A ``Noise`` whose draws are given (0 for keys not listed), for tests of the publishing rules."""

    class Given(Noise):
        def __call__(self, key: str) -> int:
            return (values or {}).get(key, 0)

    return Given(b"", scale, "test", tuple(Period(index, 28) for index in range(periods)))


def release(counts: Mapping[str, int], *, audience: int, noise: Noise | None = None, pairs: bool = False) -> Release:
    dimension = "VIEWER_TYPE" if pairs else "COUNTRY"
    return Release(
        counts=counts,
        vocabulary=keys.vocabulary(dimension),
        noise=noise or fixed_noise(0),
        audience=audience,
        covered=COVERED,
        pairs=keys.VIEWER_TYPE_PAIRS if pairs else (),
    )


def publish(rel: Release) -> Breakdown:
    return publish_breakdown(rel, min_audience=100, min_bucket=10)


def test_periods_are_aligned_runs_of_days_from_the_epoch() -> None:
    """Every day is in exactly one period; a range is answered from every period holding one of
    its days, so two ranges over the same periods read the very same releases."""
    period = Period.of(date(2024, 3, 15), 28)

    assert (period.first - EPOCH).days % 28 == 0 and period.last == period.first + timedelta(days=27)
    assert period.first <= date(2024, 3, 15) <= period.last
    assert Period.of(period.last + timedelta(days=1), 28) == Period(period.index + 1, 28)


def test_a_range_reads_every_period_holding_one_of_its_days(settings: Settings) -> None:
    settings.PRIVACY_PERIOD_DAYS = 28
    period = Period.of(date(2024, 3, 15))

    assert periods_between(period.first + timedelta(days=3), period.first + timedelta(days=9)) == [period]
    assert periods_between(period.last, period.last + timedelta(days=1)) == [period, Period(period.index + 1, 28)]


def test_the_noise_scale_spends_the_budget_over_everything_one_person_is_in(settings: Settings) -> None:
    """One person is in 6 follower releases and 9 per video counted, each moved by at most 2 when
    their data changes: 30 at one video per person, so epsilon 1 needs a scale of 30."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_VIDEOS_PER_PERSON = 1.0, 1
    assert budget_units(1) == 30 and budget_units(3) == 66
    assert noise_scale() == 30.0
    settings.PRIVACY_EPSILON = 0.5
    assert noise_scale() == 60.0
    settings.PRIVACY_EPSILON = math.inf
    assert noise_scale() == 0.0


def test_keyed_noise_is_deterministic_keyed_and_two_sided_geometric() -> None:
    """The same key and label always give the same noise; another key another; over many labels
    it is centred, with the variance 2a/(1-a)^2 of a two-sided geometric of a = e^(-1/scale)."""
    secret = b"k" * 32
    assert keyed_noise(secret, 20.0, "video:1:COUNTRY:FR|28:9") == keyed_noise(secret, 20.0, "video:1:COUNTRY:FR|28:9")
    draws = [keyed_noise(secret, 20.0, f"video:1:COUNTRY:FR|28:{n}") for n in range(40000)]
    others = [keyed_noise(b"x" * 32, 20.0, f"video:1:COUNTRY:FR|28:{n}") for n in range(40000)]
    alpha = math.exp(-1 / 20)

    assert draws != others
    assert abs(statistics.mean(draws)) < 0.5
    assert statistics.pvariance(draws) == pytest.approx(2 * alpha / (1 - alpha) ** 2, rel=0.05)
    assert keyed_noise(secret, 0, "any") == 0


def test_the_noise_of_several_periods_is_the_sum_of_theirs(settings: Settings) -> None:
    settings.PRIVACY_EPSILON = 1.0
    periods = [Period(900, 28), Period(901, 28)]
    both = Noise.for_periods("video:7:AGE", periods)

    singles = [Noise.for_periods("video:7:AGE", [period])("AGE_18_24") for period in periods]

    assert both("AGE_18_24") == sum(singles)
    assert both("AGE_18_24") == Noise.for_periods("video:7:AGE", periods)("AGE_18_24")


def test_the_noise_key_is_its_own_and_refused_when_missing(settings: Settings) -> None:
    """Breakdowns are noised with PRIVACY_NOISE_KEY alone: SECRET_KEY changes nothing, and with
    DEBUG off and no key, nothing is published."""
    from django.core.exceptions import ImproperlyConfigured

    settings.PRIVACY_EPSILON = 1.0
    before = Noise.for_periods("video:1:COUNTRY", [Period(900, 28)])("FR")
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert Noise.for_periods("video:1:COUNTRY", [Period(900, 28)])("FR") == before
    settings.PRIVACY_NOISE_KEY, settings.DEBUG = "", False
    with pytest.raises(ImproperlyConfigured, match="DJANGO_PRIVACY_NOISE_KEY"):
        Noise.for_periods("video:1:COUNTRY", [Period(900, 28)])


def test_the_tail_of_summed_noise_is_exact() -> None:
    """One period: P(noise >= t) = a^t / (1 + a); two: against a direct sum over the pair."""
    alpha = math.exp(-1 / 20)
    assert noise_tail(20.0, 1, 50) == pytest.approx(alpha**50 / (1 + alpha), rel=1e-9)
    pmf = {x: (1 - alpha) / (1 + alpha) * alpha ** abs(x) for x in range(-2000, 2001)}
    direct = sum(p * sum(q for y, q in pmf.items() if x + y >= 60) for x, p in pmf.items() if abs(x) < 600)
    assert noise_tail(20.0, 2, 60) == pytest.approx(direct, rel=1e-3)


@pytest.mark.parametrize(("vocabulary", "periods"), [(250, 1), (250, 13), (5, 1), (24, 3)])
def test_the_gate_keeps_empty_buckets_out_at_the_stated_rate(vocabulary: int, periods: int) -> None:
    """The gate is the least count at which the vocabulary's empty buckets together show one by
    noise alone with chance PHANTOM_RATE at most; never below PRIVACY_MIN_BUCKET."""
    threshold = gate(20.0, periods, vocabulary, 10)

    assert vocabulary * noise_tail(20.0, periods, threshold) <= PHANTOM_RATE
    assert vocabulary * noise_tail(20.0, periods, threshold - 1) > PHANTOM_RATE
    assert gate(0.0, periods, vocabulary, 10) == 10


def test_no_breakdown_below_the_audience_floor() -> None:
    """99 people: nothing at all, whatever the buckets; 100: the buckets show."""
    counts = {"FR": 60, "DE": 39}

    assert publish(release(counts, audience=99)) == Breakdown(True, (), *COVERED)
    assert publish(release(counts, audience=100)).suppressed is False


def test_small_buckets_merge_into_other_with_shares_of_the_shown_total() -> None:
    """FR 70 and DE 20 show; IT 6 and ES 4 (each below 10) merge into OTHER = 10, which shows."""
    breakdown = publish(release({"FR": 70, "DE": 20, "IT": 6, "ES": 4}, audience=100))

    assert breakdown.buckets == (Bucket("FR", 70, 0.7), Bucket("DE", 20, 0.2), Bucket(keys.OTHER, 10, 0.1))
    assert (breakdown.covered_from, breakdown.covered_to) == COVERED


def test_other_is_left_out_when_still_small() -> None:
    """IT 5 and ES 4 merge into OTHER = 9 < 10: left out; shares are of what is shown."""
    breakdown = publish(release({"FR": 80, "DE": 20, "IT": 5, "ES": 4}, audience=109))

    assert breakdown.buckets == (Bucket("FR", 80, 0.8), Bucket("DE", 20, 0.2))


def test_the_gate_reads_the_noisy_count_only() -> None:
    """With noise, whether a bucket shows is decided on its noisy count: DE (exact 150) pushed
    under the gate merges into OTHER; US (exact 100) pushed over it shows; a country nobody is in
    gets noise like any other and shows if the noise alone crosses the gate. So no single person,
    among sybils holding every other seat, opens or closes a bucket."""
    t = gate(20.0, 1, len(keys.vocabulary("COUNTRY")), 10)
    noise = fixed_noise(20.0, {"FR": +5, "DE": -20, "US": +40, "SN": t + 5, "IT": -2 * t})
    counts = {"FR": t + 100, "DE": t + 10, "US": t - 30, "IT": 2 * t}
    audience = sum(counts.values())

    breakdown = publish(release(counts, audience=audience, noise=noise))

    shown = [(bucket.key, bucket.count) for bucket in breakdown.buckets]
    assert shown == [("FR", t + 105), ("US", t + 10), ("SN", t + 5), ("OTHER", 2 * t - 40)]


def test_pairs_show_only_when_both_sides_pass() -> None:
    """Viewer types come in pairs: NEW/RETURNING shows (shares within the pair); FOLLOWER 5 is
    too small, so FOLLOWER/NON_FOLLOWER is left out entirely rather than showing a share of 1."""
    counts = {"NEW": 75, "RETURNING": 25, "FOLLOWER": 5, "NON_FOLLOWER": 95}

    breakdown = publish(release(counts, audience=100, pairs=True))

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


# The geographic releases: their own budget, and slices that publish no exact figure ------------


def test_the_geographic_scale_spends_its_own_budget(settings: Settings) -> None:
    """One person is in 6 geographic follower releases and 10 per video counted, each moved by at
    most 2: 32 at one video per person, so PRIVACY_GEO_EPSILON 1 needs a scale of 32, whatever
    PRIVACY_EPSILON spends on the whole breakdowns."""
    settings.PRIVACY_GEO_EPSILON, settings.PRIVACY_EPSILON, settings.PRIVACY_VIDEOS_PER_PERSON = 1.0, 0.25, 1
    assert geo_budget_units(1) == 32 and geo_budget_units(3) == 72
    assert geo_noise_scale() == 32.0 and noise_scale() == 120.0
    settings.PRIVACY_VIDEOS_PER_PERSON = 3
    assert geo_noise_scale() == 72.0
    settings.PRIVACY_GEO_EPSILON = 0.5
    assert geo_noise_scale() == 144.0
    settings.PRIVACY_GEO_EPSILON = math.inf
    assert geo_noise_scale() == 0.0


@pytest.mark.parametrize(
    ("epsilon", "enabled"), [(0, False), (0.0, False), (1e-6, True), (1.0, True), (math.inf, True)]
)
def test_a_geographic_budget_of_zero_turns_them_off(settings: Settings, epsilon: float, enabled: bool) -> None:
    """PRIVACY_GEO_EPSILON 0 means no geographic release at all (the selectors answer FORBIDDEN),
    and no scale to noise them with."""
    settings.PRIVACY_GEO_EPSILON = epsilon

    assert geo_enabled() is enabled
    if not enabled:
        with pytest.raises(AssertionError, match="geographic releases are off"):
            geo_noise_scale()


def slice_of(counts: Mapping[str, int], *, total: int, merge_other: bool = True, noise: Noise | None = None) -> Release:
    """A country's slice by gender: its floor and OTHER read ``total``, the country's noisy count."""
    return Release(
        counts=counts,
        vocabulary=keys.vocabulary("GENDER"),
        noise=noise or fixed_noise(0),
        audience=total,
        covered=COVERED,
        total=total,
        merge_other=merge_other,
    )


@pytest.mark.parametrize(
    ("total", "other"),
    [
        pytest.param(150, 30, id="OTHER is the rest of the noisy count, not the exact rest of 6"),
        pytest.param(129, None, id="a rest of 9 is below the gate"),
        pytest.param(110, None, id="a noisy count under the shown buckets: no negative OTHER"),
    ],
)
def test_a_slices_other_is_what_its_shown_buckets_leave_of_the_given_total(total: int, other: int | None) -> None:
    """FEMALE 100 and MALE 20 show; UNKNOWN 6 (exact, below the gate) does not, and OTHER is
    computed from the given total, never from the exact sum of the slice (126): so the slice tells
    nothing of the country's exact count beyond its noisy one."""
    breakdown = publish(slice_of({"FEMALE": 100, "MALE": 20, "UNKNOWN": 6}, total=total))

    shown = {bucket.key: bucket.count for bucket in breakdown.buckets}
    assert shown == {"FEMALE": 100, "MALE": 20} | ({keys.OTHER: other} if other else {})
    if other:
        last = breakdown.buckets[-1]
        assert (last.key, last.count, last.share) == (keys.OTHER, other, pytest.approx(other / total))


def test_without_a_published_total_a_slice_never_shows_other() -> None:
    """``merge_other`` off (active followers, sharers of a country: no count of them was
    published): whatever the total and the rest, no OTHER, and the shown buckets keep their
    shares of what is shown; a vocabulary's own OTHER key is no exception."""
    counts = {"FEMALE": 70, "MALE": 20, "UNKNOWN": 6}

    breakdown = publish(slice_of(counts, total=500, merge_other=False))

    assert [(bucket.key, bucket.count, bucket.share) for bucket in breakdown.buckets] == [
        ("FEMALE", 70, pytest.approx(70 / 90)),
        ("MALE", 20, pytest.approx(20 / 90)),
    ]
    channels = Release(
        counts={"SMS": 50, keys.OTHER: 40},
        vocabulary=keys.vocabulary("SHARE_CHANNEL"),
        noise=fixed_noise(0),
        audience=500,
        covered=COVERED,
        total=500,
        merge_other=False,
    )
    assert [bucket.key for bucket in publish(channels).buckets] == ["SMS"]


def test_a_slices_floor_reads_its_given_audience() -> None:
    """A slice of 150 exact people whose country's noisy count is 99 is suppressed; at 100 it shows."""
    counts = {"FEMALE": 150}

    assert publish(slice_of(counts, total=99)) == Breakdown(True, (), *COVERED)
    assert publish(slice_of(counts, total=100)).suppressed is False
