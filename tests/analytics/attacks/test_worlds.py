"""The worlds hold the target where the attacks' bounds count it, read without noise through the
API: a bound charging too few releases would let a leak pass as chance."""

import math

import pytest
from pytest_django import Settings

from tests.analytics.attacks.builders import SLICE, depth_percent
from tests.analytics.attacks.catalogue import (
    DEPTH_PADDING,
    FOLLOW_UNFOLLOW,
    FOLLOWER_SLICE_ATTACKS,
    RANGE_DIFFERENCING,
    SEVERAL_VIDEOS,
    WEEKLY_PADDING,
    Attack,
)
from tests.analytics.attacks.reader import Reader, Shown
from tests.analytics.attacks.worlds import World, Worlds
from tests.analytics.conftest import both_engines


def _excess(shown: Shown, world: World, attack: Attack) -> dict[str, int]:
    return {key: shown[key] - world.padding[key] for key in attack.candidates}


@pytest.mark.parametrize(
    ("attack", "presence"),
    [(RANGE_DIFFERENCING, (0, 1, 1)), (FOLLOW_UNFOLLOW, (0, 1, 0, 1))],
    ids=[RANGE_DIFFERENCING.name, FOLLOW_UNFOLLOW.name],
)
def test_a_follower_is_in_the_snapshots_the_bound_counts(
    db: None, worlds: Worlds, settings: Settings, attack: Attack, presence: tuple[int, ...]
) -> None:
    """The snapshot of each period holds the target (1) or not (0) as the timeline says, in
    their own value's bucket only; the bound charges one release per snapshot holding them."""
    settings.PRIVACY_EPSILON = math.inf
    for value, world in worlds[attack.id].items():
        reader = Reader(both_engines(world.creator)["strawberry"])
        answers = reader.followers(attack.field, [world.layout.whole(period) for period in range(len(presence))])

        assert [_excess(shown, world, attack) for shown in answers] == [
            {key: present * (key == value) for key in attack.candidates} for present in presence
        ]
    assert attack.releases == sum(presence)


def test_a_viewer_of_several_videos_counts_in_one(db: None, worlds: Worlds, settings: Settings) -> None:
    """The target watched every video in the period and is counted in exactly one of them: the
    one release the bound charges."""
    settings.PRIVACY_EPSILON = math.inf
    attack = SEVERAL_VIDEOS
    for value, world in worlds[attack.id].items():
        reader = Reader(both_engines(world.creator)["graphene"])
        answers = reader.videos(attack.field, world.videos, world.layout.whole(1))

        excesses = [_excess(shown, world, attack) for shown in answers]
        assert sorted(excess[value] for excess in excesses) == [0] * (len(world.videos) - 1) + [1]
        assert all(excess[key] == 0 for excess in excesses for key in attack.candidates if key != value)
    assert attack.releases == 1


def test_a_viewer_at_a_depth_is_one_step_of_the_curve(db: None, worlds: Worlds, settings: Settings) -> None:
    """Without noise the curve's steps, times the attacker's viewers and the target, are the
    padding and the target at its own depth: the one release the bound charges."""
    settings.PRIVACY_EPSILON = math.inf
    attack = DEPTH_PADDING
    for value, world in worlds[attack.id].items():
        [curve] = Reader(both_engines(world.creator)["strawberry"]).curves(world.videos, world.layout.whole(1))
        viewers = sum(world.padding.values()) + 1

        reached = {key: round(curve[depth_percent(key)] * viewers) for key in world.padding}
        beyond = {
            key: sum(n for other, n in world.padding.items() if depth_percent(other) >= depth_percent(key))
            for key in world.padding
        }
        assert reached == {key: beyond[key] + (depth_percent(value) >= depth_percent(key)) for key in world.padding}
    assert attack.releases == 1


def test_an_active_follower_counts_once_in_their_weekday_hour(db: None, worlds: Worlds, settings: Settings) -> None:
    """The target, active every day of the period, counts once, in the candidate cell of their
    value (the weekday drawn for them at the hour they watch) and in no other: one release."""
    settings.PRIVACY_EPSILON = math.inf
    attack = WEEKLY_PADDING
    for value, world in worlds[attack.id].items():
        reader = Reader(both_engines(world.creator)["strawberry"])
        [shown] = reader.weekly(attack.field, [world.layout.whole(1)])

        assert _excess(shown, world, attack) == {key: int(key == value) for key in attack.candidates}
        assert sum(shown.values()) == len(attack.candidates) * world.padding[value] + 1
    assert attack.releases == 1


@pytest.mark.parametrize("attack", FOLLOWER_SLICE_ATTACKS, ids=lambda attack: attack.id)
def test_a_follower_of_the_country_is_once_in_its_slice(
    db: None, worlds: Worlds, settings: Settings, attack: Attack
) -> None:
    """Without noise and with every bucket shown, the slice of the target's country holds the
    target once, in their own value's bucket, beside the attacker's padding: the one release of
    the geographic budget the bound charges."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_GEO_EPSILON, settings.PRIVACY_MIN_BUCKET = math.inf, math.inf, 1
    for value, world in worlds[attack.id].items():
        reader = Reader(both_engines(world.creator)["graphene"])
        [shown] = reader.followers(attack.field, [world.layout.whole(1)], country=SLICE)

        assert _excess(shown, world, attack) == {key: int(key == value) for key in attack.candidates}
    assert attack.releases == 1
