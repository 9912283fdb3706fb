"""The world built once per module (tests/module_data.py) is the same for every test: what one
test writes or changes in memory, the next does not see. The two tests below do the same thing,
so whichever runs second checks what the first left behind, in any order."""

from types import SimpleNamespace
from typing import Any

import pytest

from engagement import services
from engagement.models import FavoriteCollection
from tests.api.conftest import World
from tests.module_data import refuse_transactional_test_inside


def _finds_the_world_untouched_then_changes_it(world: World) -> None:
    assert world.viewer.display_name == "Viewer"
    assert not FavoriteCollection.objects.filter(owner=world.viewer, name="Left behind").exists()
    assert world.collection.favorites.count() == 1

    world.viewer.display_name = "Changed in memory"
    services.collection_create(actor=world.viewer, name="Left behind")
    world.favorite.delete()


def test_a_test_changes_the_world(world: World) -> None:
    _finds_the_world_untouched_then_changes_it(world)


def test_another_test_changes_it_too(world: World) -> None:
    _finds_the_world_untouched_then_changes_it(world)


def test_each_test_has_its_own_copy_of_the_instances(world: World, _world_of_the_module: World) -> None:
    assert world.viewer == _world_of_the_module.viewer
    assert world.viewer is not _world_of_the_module.viewer


def _request(marks: dict[str, Any], fixtures: list[str]) -> Any:
    marker = SimpleNamespace(kwargs=marks) if marks is not None else None
    return SimpleNamespace(
        node=SimpleNamespace(nodeid="a transactional test", get_closest_marker=lambda name: marker),
        fixturenames=fixtures,
    )


@pytest.mark.parametrize(
    ("marks", "fixtures"),
    [({"transaction": True}, []), ({}, ["live_server"]), ({}, ["transactional_db"])],
    ids=["transaction=True", "live_server", "transactional_db"],
)
def test_a_transactional_test_inside_the_modules_transaction_fails_with_a_reason(
    world: World, marks: dict[str, Any], fixtures: list[str]
) -> None:
    with pytest.raises(pytest.fail.Exception, match="build its rows per test"):
        refuse_transactional_test_inside(_request(marks, fixtures))


def test_a_test_in_a_transaction_of_its_own_is_not_refused(world: World) -> None:
    refuse_transactional_test_inside(_request({}, ["db"]))
