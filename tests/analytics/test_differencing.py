"""The differencing attack, mounted: a creator compares overlapping ranges to learn one viewer's
country (or a breakdown with its exact total, to learn one view's traffic source).

Through the API the attack is exact without the defense, and with it the answers are the exact
counts plus the keyed tree noise, the same on every repetition. On the publishing code itself,
over many videos, the attack's success is measured with and without the defense, against a
stronger attacker who averages many range pairs, and against the alternative of noise keyed on
the exact range (PriPeARL's per-query noise). The figures are printed (``pytest -s``) and quoted
in docs/PRIVACY.md.
"""

import random
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from pytest_django import Settings

from engagement.analytics.privacy import EPOCH, Noise, Thresholds, block_noise, noise_secret, publish_breakdown
from tests.analytics.conftest import backdate, crowd_watches, days_ago, people, roll_up, watch
from tests.api.cases import assert_data
from tests.api.conftest import World, gid

COUNTRIES = ("FR", "DE", "US", "BR", "JP")
BASE = {"FR": 60, "DE": 45, "US": 30, "BR": 25, "JP": 20}
THRESHOLDS = Thresholds(min_audience=100, min_bucket=10)
SCALE = 2.0

QUERY = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) { insights {
    audienceCountries(from: $from, to: $to) { buckets { key count } }
    trafficSources(from: $from, to: $to) { buckets { key count } }
    daily(from: $from, to: $to) { date views }
  } }
}
"""


def _counts(insights: dict[str, Any], field: str) -> dict[str, int]:
    return {bucket["key"]: bucket["count"] for bucket in insights[field]["buckets"]}


def _difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: after.get(key, 0) - before.get(key, 0) for key in sorted(set(after) | set(before))}


def test_the_attack_through_the_api(gql: Any, world: World, settings: Settings) -> None:
    """Given 150 people who first watched on one day and one more (from DE) the next day, when
    the creator compares the breakdowns of [day 1] and [day 1, day 2] (and the traffic sources
    with the exact daily views), then without noise the difference is exactly that person's
    country and the source of that one view; with the defense, each answer is the exact count
    plus the keyed noise of its blocks, identical when asked again, so the difference is noise."""
    video = backdate(world.public_video, 20)
    day1, day2 = days_ago(4), days_ago(3)
    crowd_watches(video, day1, {"FR": 60, "DE": 40, "US": 30, "BR": 20})
    watch(video, people(1, country="DE"), day2)
    roll_up(days_ago(10))
    client = gql(world.creator)

    def ask(first: date, last: date) -> dict[str, Any]:
        response = client(QUERY, {"id": gid(video), "from": first.isoformat(), "to": last.isoformat()})
        return dict(assert_data(response, ("video", "insights")))

    settings.PRIVACY_NOISE_SCALE = 0
    before, after = ask(day1, day1), ask(day1, day2)

    assert _difference(_counts(after, "audienceCountries"), _counts(before, "audienceCountries")) == {
        "BR": 0,
        "DE": 1,
        "FR": 0,
        "US": 0,
    }
    assert sum(day["views"] for day in after["daily"]) - sum(day["views"] for day in before["daily"]) == 1
    assert _difference(_counts(after, "trafficSources"), _counts(before, "trafficSources")) == {"FOR_YOU": 1}

    settings.PRIVACY_NOISE_SCALE = SCALE
    noisy_before, noisy_after = ask(day1, day1), ask(day1, day2)
    exact = {"FR": 60, "DE": 40, "US": 30, "BR": 20}

    for answer, (first, last), extra in ((noisy_before, (day1, day1), 0), (noisy_after, (day1, day2), 1)):
        noise = Noise.for_range(f"video:{video.pk}:COUNTRY", first, last)
        expected = {key: max(0, count + (extra if key == "DE" else 0) + noise(key)) for key, count in exact.items()}
        assert _counts(answer, "audienceCountries") == {key: n for key, n in expected.items() if n >= 10}
        views = Noise.for_range(f"video:{video.pk}:TRAFFIC_SOURCE", first, last)("FOR_YOU")
        assert _counts(answer, "trafficSources") == {"FOR_YOU": 150 + extra + views}
    assert ask(day1, day2) == noisy_after  # asking again gives nothing new to average
    assert noisy_after["daily"] == after["daily"]  # totals stay exact


# Measured on the publishing code, over many videos ------------------------------------------------


def _published(noise: Callable[[str], int], counts: dict[str, int]) -> dict[str, int]:
    breakdown = publish_breakdown(counts, audience=sum(counts.values()), noise=noise, thresholds=THRESHOLDS)
    return {bucket.key: bucket.count or 0 for bucket in breakdown.buckets}


def _range_keyed(label: str, first: date, last: date) -> Callable[[str], int]:
    """The alternative defense: one noise draw per exact range (PriPeARL keyed on the query)."""
    secret = noise_secret()
    return lambda key: block_noise(secret, SCALE, f"{label}:{key}|{first}|{last}", (0, 0))


def _attack(video: int, rng: random.Random, *, pairs: int, noise_of: Callable[..., Any]) -> bool:
    """The target (random country) first watches on ``day``; the base audience the day before.
    The attacker compares ``pairs`` range pairs [day-1-a, day-1] vs [day-1-a, day], sums the
    differences per country and names the largest. Returns whether that is the target's."""
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    target = rng.choice(COUNTRIES)
    label = f"video:{video}:COUNTRY"
    score: Counter[str] = Counter()
    for start in range(pairs):
        first = day - timedelta(days=1 + start)
        before = _published(noise_of(label, first, day - timedelta(days=1)), BASE)
        after = _published(noise_of(label, first, day), {**BASE, target: BASE[target] + 1})
        score.update(_difference(after, before))
    best = max(score[country] for country in COUNTRIES)
    return rng.choice([country for country in COUNTRIES if score[country] == best]) == target


def _mean_error(days: int, samples: int = 3000) -> float:
    """Mean |published - exact| of a bucket over ranges of ``days`` days (away from the 0 clamp)."""
    first = date(2024, 1, 1)
    return statistics.mean(
        abs(
            Noise.for_range(
                f"video:{n}:COUNTRY", first + timedelta(days=n % 300), first + timedelta(days=n % 300 + days - 1)
            )("FR")
        )
        for n in range(samples)
    )


def _success(pairs: int, noise_of: Callable[..., Any], trials: int) -> float:
    rng = random.Random(20240501)
    return sum(_attack(video, rng, pairs=pairs, noise_of=noise_of) for video in range(trials)) / trials


def test_the_defense_measured(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """Without noise the attack names the target's country every time. With the keyed tree noise
    it is right about as often as a guess among five (20%), and averaging 29 overlapping range
    pairs does not help; noise keyed on each exact range does fall to that averaging. A published
    bucket is off by about the noise scale per block (≈5 over 30 days at scale 2)."""
    settings.PRIVACY_NOISE_SCALE = SCALE
    tree = Noise.for_range

    def exact(label: str, first: date, last: date) -> Callable[[str], int]:
        return lambda key: 0

    figures = {
        "no noise, 1 pair": _success(1, exact, 300),
        "tree noise, 1 pair": _success(1, tree, 2000),
        "tree noise, 29 pairs": _success(29, tree, 300),
        "range-keyed noise, 29 pairs": _success(29, _range_keyed, 300),
    }
    errors = {f"{days} day(s)": _mean_error(days) for days in (1, 7, 30, 90)}
    errors["follower snapshot"] = statistics.mean(
        abs(Noise.for_range(f"account:{n}:FOLLOWER_COUNTRY", EPOCH, date(2024, 1, 1) + timedelta(days=n))("FR"))
        for n in range(3000)
    )
    with capsys.disabled():
        print("\ndifferencing attack, success naming the target's country (chance: 20%):")
        for name, rate in figures.items():
            print(f"  {name:28s} {rate:6.1%}")
        print("mean absolute error of a published bucket, by range length:")
        for name, error in errors.items():
            print(f"  {name:18s} {error:5.2f}")

    assert figures["no noise, 1 pair"] == 1.0
    assert figures["tree noise, 1 pair"] < 0.35
    assert figures["tree noise, 29 pairs"] < 0.40
    assert figures["range-keyed noise, 29 pairs"] > figures["tree noise, 29 pairs"] + 0.15
    assert 1.5 < errors["1 day(s)"] < 2.4 and 3.5 < errors["30 day(s)"] < 6.5
