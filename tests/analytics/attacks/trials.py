"""Running an attack's trials through the API, and the table of their results.

Each trial draws the target's value uniformly, takes that value's world and a fresh noise key
(fresh, independent noise on every release), and asks the attack for its guess on one engine,
the two engines taking turns."""

from collections.abc import Mapping
from dataclasses import dataclass
from random import Random

from django.test import override_settings

from tests.analytics.attacks.catalogue import Attack
from tests.analytics.attacks.reader import Reader
from tests.analytics.attacks.stats import wilson
from tests.analytics.attacks.worlds import World
from tests.analytics.conftest import both_engines


@dataclass(frozen=True)
class Tally:
    successes: int
    trials: int

    @property
    def rate(self) -> float:
        return self.successes / self.trials

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.successes, self.trials)


def run_trials(attack: Attack, worlds: Mapping[str, World], trials: int, *, phase: str) -> Tally:
    """Seeded by the attack and ``phase``, so a run repeats; ties are broken by a source of
    their own, which never sees the secret."""
    secrets, ties = Random(f"{attack.id}/{phase}/secrets"), Random(f"{attack.id}/{phase}/ties")
    readers = {
        value: [Reader(client) for _, client in sorted(both_engines(world.creator).items())]
        for value, world in worlds.items()
    }
    successes = 0
    for trial in range(trials):
        value = secrets.choice(attack.candidates)
        with override_settings(PRIVACY_NOISE_KEY=f"attack-trial-{trial}-{secrets.getrandbits(128):032x}"):
            guess = attack.guess(readers[value][trial % 2], worlds[value], ties)
        successes += guess == value
    return Tally(successes, trials)


@dataclass
class Result:
    """One attack's figures, filled in by its two tests."""

    attack: Attack
    defended: Tally | None = None
    bound: float = 1.0
    undefended: Tally | None = None

    def cells(self) -> tuple[str, ...]:
        attack, defended = self.attack, self.defended
        measured = ("-",) * 5
        if defended is not None:
            low, high = defended.interval
            measured = (
                str(defended.trials),
                f"{defended.rate:.1%}",
                f"[{low:.1%}, {high:.1%}]",
                f"{defended.rate - attack.blind:+.1%}",
                f"{self.bound:.1%}",
            )
        undefended = "-" if self.undefended is None else f"{self.undefended.rate:.1%}"
        return (attack.name, attack.breakdown, measured[0], f"{attack.blind:.1%}", *measured[1:], undefended)


COLUMNS = ("attack", "breakdown", "trials", "blind", "success", "95% CI", "advantage", "bound", "no defense")


def table(results: list[Result]) -> str:
    rows = [COLUMNS, *(result.cells() for result in results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])
