"""Scoring an attack: the Wilson interval of its success, the most the privacy model lets any
guess succeed given the releases it read, and how many trials can tell five points from chance."""

import math

Z_95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval: unlike the normal one it stays inside [0, 1] and keeps its
    coverage at the extremes (a no-defense run that never misses)."""
    p = successes / trials
    spread = z * z / trials
    centre = (p + spread / 2) / (1 + spread)
    half = z * math.sqrt(p * (1 - p) / trials + spread / (4 * trials)) / (1 + spread)
    return max(0.0, centre - half), min(1.0, centre + half)


def epsilon_spent(releases: int, scale: float) -> float:
    """The loss of ``releases`` (histogram, period) releases holding the target, noised at
    ``scale`` (the breakdowns' or the geographic releases'): moving the target to another key
    moves two buckets by one, each noised at scale ``b``, so each costs ``2/b``."""
    return math.inf if scale == 0 else releases * 2 / scale


def success_bound(epsilon: float, candidates: int) -> float:
    """The best any guess among ``candidates`` equally likely values can do against ε-differential
    privacy: each world's output is at most ``e^ε`` times as likely in any other world."""
    if math.isinf(epsilon):
        return 1.0
    return math.exp(epsilon) / (math.exp(epsilon) + candidates - 1)


def trials_to_tell(margin: float, blind: float, spare: float = 3.0) -> int:
    """Trials enough that a guesser no better than ``blind`` has its interval's upper end
    ``spare`` standard errors short of ``blind + margin``: with fewer, chance alone would often
    push it over (at 1,000 trials, one run in nine for a guess between two values)."""
    return math.ceil(((Z_95 + spare) * math.sqrt(blind * (1 - blind)) / margin) ** 2)
