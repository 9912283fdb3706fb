"""What the breakdowns' privacy costs a creator in accuracy: ``python -m bench.privacy_accuracy``.

Synthetic audiences of typical shapes (a long tail of countries, a few genders and age bands),
published by ``engagement.analytics.privacy.publish_breakdown`` at the configured settings with
fresh noise keys, and compared with the exact counts: how much of the audience lands in buckets
of its own (the rest is in OTHER), the error of a shown count, and of a shown share. The slices
of the largest country (its genders, its regions) are published as the service publishes a
``country:`` filter: at the geographic budget's noise scale, their floor and OTHER reading the
country's noisy count. No database.
"""

import argparse
import os
import secrets
import statistics
import sys
from collections.abc import Mapping
from dataclasses import dataclass

import django

# The shape of an audience: the share of each of its values, largest first.
COUNTRIES = (0.30, 0.16, 0.10, 0.07, 0.05, 0.04, 0.03, 0.03, 0.02, 0.02) + (0.01,) * 18
GENDERS = (0.52, 0.42, 0.04, 0.02)
AGES = (0.08, 0.34, 0.30, 0.14, 0.08, 0.04, 0.02)
# The regions of the largest country, shaped like France's population (27 keys in its vocabulary).
REGIONS = (0.18, 0.12, 0.09, 0.09, 0.09, 0.08, 0.08, 0.06, 0.05, 0.05, 0.04, 0.04, 0.01, 0.01, 0.01)
SLICED_COUNTRY = "FR"


@dataclass(frozen=True)
class Accuracy:
    shown_buckets: float
    audience_in_own_bucket: float
    count_error: float
    share_error_points: float


def exact_counts(size: int, shape: tuple[float, ...], vocabulary: tuple[str, ...]) -> dict[str, int]:
    return {key: round(size * share) for key, share in zip(vocabulary, shape, strict=False)}


def measure(size: int, shape: tuple[float, ...], dimension: str, trials: int, *, sliced: bool = False) -> Accuracy:
    """``sliced``: the ``size`` people are the largest country's, published as its slice."""
    from django.conf import settings
    from django.test import override_settings

    from engagement.analytics import keys
    from engagement.analytics.privacy import Noise, Period, Release, geo_noise_scale, publish_breakdown
    from engagement.analytics.releases import slice_vocabulary

    vocabulary = slice_vocabulary(dimension, SLICED_COUNTRY) if sliced else keys.vocabulary(dimension)
    counts = exact_counts(size, shape, vocabulary)
    total = sum(counts.values())
    period = Period(1000, int(settings.PRIVACY_PERIOD_DAYS))
    shown: list[int] = []
    in_own: list[float] = []
    errors: list[int] = []
    share_errors: list[float] = []
    for _ in range(trials):
        with override_settings(PRIVACY_NOISE_KEY=secrets.token_urlsafe(32)):
            if sliced:
                noise = Noise.for_periods(f"bench:{dimension}@{SLICED_COUNTRY}", [period], scale=geo_noise_scale())
                noisy_total = max(0, total + Noise.for_periods("bench:COUNTRY", [period])(SLICED_COUNTRY))
            else:
                noise, noisy_total = Noise.for_periods(f"bench:{dimension}", [period]), total
        release = Release(
            counts,
            vocabulary,
            noise,
            audience=noisy_total,
            covered=(period.first, period.last),
            total=noisy_total if sliced else None,
        )
        breakdown = publish_breakdown(
            release, min_audience=int(settings.PRIVACY_MIN_AUDIENCE), min_bucket=int(settings.PRIVACY_MIN_BUCKET)
        )
        own = [bucket for bucket in breakdown.buckets if bucket.key != keys.OTHER]
        shown.append(len(own))
        in_own.append(sum(counts.get(bucket.key, 0) for bucket in own) / total)
        errors.extend(abs((bucket.count or 0) - counts.get(bucket.key, 0)) for bucket in own)
        share_errors.extend(abs(bucket.share - counts.get(bucket.key, 0) / total) * 100 for bucket in own)
    return Accuracy(
        shown_buckets=statistics.mean(shown),
        audience_in_own_bucket=statistics.mean(in_own),
        count_error=statistics.mean(errors) if errors else 0.0,
        share_error_points=statistics.mean(share_errors) if share_errors else 0.0,
    )


def table(sizes: list[int], trials: int) -> str:
    from django.conf import settings

    from engagement.analytics.privacy import geo_noise_scale, noise_scale

    lines = [
        f"PRIVACY_EPSILON={settings.PRIVACY_EPSILON} and PRIVACY_GEO_EPSILON={settings.PRIVACY_GEO_EPSILON} per "
        f"{settings.PRIVACY_PERIOD_DAYS} days, PRIVACY_VIDEOS_PER_PERSON={settings.PRIVACY_VIDEOS_PER_PERSON}: noise "
        f"scale {noise_scale():g}, {geo_noise_scale():g} in a country's slice; {trials} noise keys each",
        "",
        "| people | breakdown | buckets shown | people in own buckets | error of a count | error of a share |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    shapes: Mapping[str, tuple[float, ...]] = {"COUNTRY": COUNTRIES, "GENDER": GENDERS, "AGE": AGES}
    slices: Mapping[str, tuple[float, ...]] = {"GENDER": GENDERS, "REGION": REGIONS}
    for size in sizes:
        rows = [(size, dimension, shape, False) for dimension, shape in shapes.items()]
        in_country = round(size * COUNTRIES[0])
        rows += [(in_country, dimension, shape, True) for dimension, shape in slices.items()]
        for people, dimension, shape, sliced in rows:
            result = measure(people, shape, dimension, trials, sliced=sliced)
            name = f"{dimension.lower()}, {SLICED_COUNTRY} only" if sliced else dimension.lower()
            lines.append(
                f"| {people:,} | {name} | {result.shown_buckets:.1f} | "
                f"{result.audience_in_own_bucket:.0%} | {result.count_error:.1f} | "
                f"{result.share_error_points:.2f} pt |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], prog="python -m bench.privacy_accuracy")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000], help="audience sizes (people)")
    parser.add_argument("--trials", type=int, default=200, help="noise keys per size and breakdown")
    args = parser.parse_args(argv)
    django.setup()
    print(table(args.sizes, args.trials))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # no key needed: each trial sets its own
    sys.exit(main())
