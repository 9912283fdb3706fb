"""Five attacks through the API, each on the breakdowns it applies to: without the defense they
work; at the documented settings their success stays within the privacy model's bound (and, at
the full size, within five points of a blind guess)."""

import math
import os
from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.analytics.attacks.catalogue import ATTACKS, Attack
from tests.analytics.attacks.stats import epsilon_spent, success_bound, trials_to_tell
from tests.analytics.attacks.trials import Result, run_trials, table
from tests.analytics.attacks.worlds import Worlds

TRIALS = int(os.environ.get("ATTACK_TRIALS", "40"))
FULL_SIZE = TRIALS >= 1000
UNDEFENDED_TRIALS = min(TRIALS // 4, 200)  # enough to show an attack that works
BLIND_MARGIN = 0.05


def defended_trials(attack: Attack) -> int:
    """``TRIALS``; at the full size at least as many as it takes to tell the margin from chance."""
    return max(TRIALS, trials_to_tell(BLIND_MARGIN, attack.blind)) if FULL_SIZE else TRIALS


@pytest.fixture(scope="module")
def results() -> Iterator[dict[str, Result]]:
    """Every attack's figures, printed as one table when the module is done (seen with ``-s``)."""
    collected = {attack.id: Result(attack) for attack in ATTACKS}
    yield collected
    print(f"\n\nAttacks through the API ({UNDEFENDED_TRIALS} trials each without the defense):")
    print(table(list(collected.values())))


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.id)
def test_without_the_defense_the_attack_works(
    db: None, worlds: Worlds, results: dict[str, Result], attack: Attack
) -> None:
    """With no noise (an infinite ε, the geographic one too; the gate is then the minimum bucket) the attack names the
    target's value: the harness can tell a leak."""
    with override_settings(PRIVACY_EPSILON=math.inf, PRIVACY_GEO_EPSILON=math.inf):
        tally = run_trials(attack, worlds[attack.id], UNDEFENDED_TRIALS, phase="undefended")
    results[attack.id].undefended = tally

    assert tally.rate >= attack.undefended, f"{attack.id}: {tally.rate:.1%} without the defense"


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.id)
def test_at_the_documented_settings_the_attack_is_bounded(
    db: None, worlds: Worlds, results: dict[str, Result], attack: Attack
) -> None:
    """The attack's success is consistent with the bound ε-differential privacy puts on any guess
    among equally likely values, ε being what the releases it reads spend on the target (at the
    noise scale of their budget, the breakdowns' or the geographic one): the 95%
    interval's lower end is not above it. At the full size its upper end is also within five
    points of a blind guess."""
    tally = run_trials(attack, worlds[attack.id], defended_trials(attack), phase="defended")
    bound = success_bound(epsilon_spent(attack.releases, attack.noise_scale()), len(attack.candidates))
    results[attack.id].defended, results[attack.id].bound = tally, bound
    low, high = tally.interval

    assert low <= bound, f"{attack.id}: {tally.rate:.1%} [{low:.1%}, {high:.1%}] beats the bound {bound:.1%}"
    if FULL_SIZE:
        assert high <= attack.blind + BLIND_MARGIN, f"{attack.id}: up to {high:.1%} against {attack.blind:.1%} blind"
