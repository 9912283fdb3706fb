"""How the attacker turns what it read into a guess of the target's value. Each takes the
breakdown field (but the retention curve's, which has one field) and the candidates first (bound in
the catalogue), then the reader, the world and a random source for ties."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from random import Random
from statistics import mean

from tests.analytics.attacks.builders import FOLLOW_OFFSET, PADDED_DAY, depth_percent
from tests.analytics.attacks.reader import Reader, Shown
from tests.analytics.attacks.worlds import World

# Range differencing: ranges ending this many days from the follow day, of these lengths.
RANGE_ENDS = (-27, -14, -1, 0, 14, 27)
RANGE_LENGTHS = (1, 7, 30, 90)


def _excess(shown: Shown, world: World, candidates: Sequence[str]) -> dict[str, int]:
    """What each candidate shows beyond the attacker's own accounts; a hidden bucket tells
    nothing either way."""
    return {key: shown[key] - world.padding[key] if key in shown else 0 for key in candidates}


def _best(scores: Mapping[str, float], rng: Random) -> str:
    top = max(scores.values())
    return rng.choice(sorted(key for key, score in scores.items() if score == top))


def _mean_excess(answers: Iterable[Shown], world: World, candidates: Sequence[str]) -> dict[str, float]:
    excesses = [_excess(shown, world, candidates) for shown in answers]
    return {key: mean(excess[key] for excess in excesses) for key in candidates}


def padded_followers(
    field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random, *, country: str | None = None
) -> str:
    """The candidate whose bucket shows most beyond its padding, over the period the target
    followed in (``country``: in that country's slice, where the attacker put its accounts and
    the target); random among ties (and when nothing shows)."""
    [shown] = reader.followers(field, [world.layout.whole(1)], country=country)
    return _best(_excess(shown, world, candidates), rng)


def padded_weekly(field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random) -> str:
    """The candidate weekday-hour whose count shows most beyond its padding, over the period the
    target was active in (every slot shows: no gate to read, only the noisy counts)."""
    [shown] = reader.weekly(field, [world.layout.whole(1)])
    return _best(_excess(shown, world, candidates), rng)


def padded_audience(
    field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random, *, country: str | None = None
) -> str:
    """The same, over the video's viewers (``country``: those of that country's slice)."""
    [shown] = reader.videos(field, world.videos, world.layout.whole(1), country)
    return _best(_excess(shown, world, candidates), rng)


def padded_country_day(candidates: Sequence[str], reader: Reader, world: World, rng: Random) -> str:
    """The candidate country whose viewers on the target's day show most beyond its padding,
    reading that one day of each country's grid."""
    day = world.layout.day(1, PADDED_DAY)
    [video] = world.videos
    by_country = reader.country_viewers(video, (day, day), candidates)
    shown = {country: days[day.isoformat()] for country, days in by_country.items() if days}
    return _best(_excess(shown, world, candidates), rng)


def thin_side(field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random) -> str:
    """A pair shows only when both sides pass the gate, and the thin side (the first candidate,
    one short) passes only with the target in it: a shown pair names it, a hidden one the other."""
    thin, thick = candidates
    [shown] = reader.videos(field, world.videos, world.layout.whole(1))
    return thin if shown.get(thin, 0) > world.padding[thin] else thick


def differencing_ranges(period_days: int) -> list[tuple[bool, tuple[int, int]]]:
    """``(ends on or after the follow, (first, last))`` for every range end and length around
    the target's follow day, as day offsets from the first period's first day."""
    follow = period_days + FOLLOW_OFFSET
    return [(end >= 0, (follow + end - length + 1, follow + end)) for end in RANGE_ENDS for length in RANGE_LENGTHS]


def differencing_releases(period_days: int) -> int:
    """How many follower snapshots holding the target the ranges read: one per period that one
    of them ends in, from the target's (the second) on."""
    return len({last // period_days for _, (_, last) in differencing_ranges(period_days) if last >= period_days})


def range_differencing(field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random) -> str:
    """The candidate with the largest average excess of ranges ending on or after the follow day
    over those ending before it."""
    start = world.layout.periods[0].first
    ranges = differencing_ranges(world.layout.periods[0].length)
    answers = reader.followers(
        field, [(start + timedelta(days=first), start + timedelta(days=last)) for _, (first, last) in ranges]
    )
    after = _mean_excess([shown for (late, _), shown in zip(ranges, answers, strict=True) if late], world, candidates)
    before = _mean_excess(
        [shown for (late, _), shown in zip(ranges, answers, strict=True) if not late], world, candidates
    )
    return _best({key: after[key] - before[key] for key in candidates}, rng)


def follow_unfollow(field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random) -> str:
    """Every period's snapshot: the target is in the second and fourth, not in the first and
    third; the candidate with the largest average excess present over absent."""
    answers = reader.followers(field, [world.layout.whole(period) for period in range(len(world.layout.periods))])
    present = _mean_excess(answers[1::2], world, candidates)
    absent = _mean_excess(answers[0::2], world, candidates)
    return _best({key: present[key] - absent[key] for key in candidates}, rng)


def summed_videos(field: str, candidates: Sequence[str], reader: Reader, world: World, rng: Random) -> str:
    """The candidate with the largest excess summed over every video the target watched."""
    answers = reader.videos(field, world.videos, world.layout.whole(1))
    totals = {key: sum(_excess(shown, world, candidates)[key] for shown in answers) for key in candidates}
    return _best(totals, rng)


def depth_curve(
    candidates: Sequence[str], reader: Reader, world: World, rng: Random, *, country: str | None = None
) -> str:
    """The candidate depth whose step of the curve holds most beyond its padding: each step's
    share less the next one's, times the viewers the attacker knows of (its own and the target);
    ``country``: the curve of that country's slice."""
    [curve] = reader.curves(world.videos, world.layout.whole(1), country)
    viewers = sum(world.padding.values()) + 1
    percents = sorted(curve)
    step = {
        percent: (curve[percent] - (curve[percents[index + 1]] if index + 1 < len(percents) else 0.0)) * viewers
        for index, percent in enumerate(percents)
    }
    return _best({key: step[depth_percent(key)] - world.padding[key] for key in candidates}, rng)
