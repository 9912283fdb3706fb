"""The world built once per module (tests/module_data.py) is the same for every test: what one
test writes or changes in memory, the next does not see. The two tests below do the same thing,
so whichever runs second checks what the first left behind, in any order. A transactional test
cannot share a module with such rows: collection stops and names it."""

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from engagement import services
from engagement.models import FavoriteCollection
from tests.api.conftest import World
from tests.module_data import transactional_tests_beside_module_data


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


def _item(path: str, name: str, fixtures: list[str], mark: pytest.MarkDecorator | None = None) -> Any:
    return SimpleNamespace(
        path=Path(path),
        nodeid=f"{path}::{name}",
        fixturenames=fixtures,
        get_closest_marker=lambda _: mark.mark if mark else None,
    )


@pytest.mark.parametrize(
    ("fixtures", "mark"),
    [
        (["db"], pytest.mark.django_db(transaction=True)),
        (["db"], pytest.mark.django_db(True)),
        (["db"], pytest.mark.django_db(reset_sequences=True)),
        (["live_server", "transactional_db"], None),
        (["transactional_db"], None),
    ],
    ids=["transaction=True", "positional True", "reset_sequences", "live_server", "transactional_db"],
)
def test_a_transactional_test_beside_rows_built_once_is_refused(
    fixtures: list[str], mark: pytest.MarkDecorator | None
) -> None:
    items = [
        _item("tests/a.py", "test_reads_the_world", ["world", "module_data", "db"]),
        _item("tests/a.py", "test_commits", fixtures, mark),
        _item("tests/b.py", "test_commits_elsewhere", fixtures, mark),
    ]

    assert transactional_tests_beside_module_data(items) == ["tests/a.py::test_commits"]


def test_tests_in_transactions_of_their_own_are_not_refused() -> None:
    items = [
        _item("tests/a.py", "test_reads_the_world", ["world", "module_data", "db"]),
        _item("tests/a.py", "test_writes", ["db"], pytest.mark.django_db),
        _item("tests/a.py", "test_reads_nothing", []),
    ]

    assert transactional_tests_beside_module_data(items) == []
