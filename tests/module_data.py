"""Rows built once per test module, as Django's ``TestCase.setUpTestData`` builds them once per
class: written inside a transaction that stays open while the module runs and is rolled back
after it. Each test runs in a savepoint within it (pytest-django's ``db``), so what a test writes
is undone after it, and takes a deep copy of the built instances, so what it changes in memory
is too."""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import validate_django_db

T = TypeVar("T")

# What makes pytest-django run a test outside any transaction (it flushes the tables after it).
_TRANSACTIONAL_FIXTURES = frozenset({"transactional_db", "live_server", "django_db_reset_sequences"})


class ModuleData:
    """Builds rows in the module's transaction, with the database open only while it does."""

    def __init__(self, blocker: DjangoDbBlocker) -> None:
        self._blocker = blocker

    def build(self, make: Callable[[], T]) -> T:
        with self._blocker.unblock():
            return make()


@contextmanager
def module_transaction(blocker: DjangoDbBlocker) -> Iterator[ModuleData]:
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
    try:
        yield ModuleData(blocker)
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def is_transactional(item: pytest.Item) -> bool:
    """As pytest-django decides it: ``transaction=True`` or ``reset_sequences=True`` on the
    ``django_db`` mark (by keyword or position), or a fixture that needs real commits."""
    marker = item.get_closest_marker("django_db")
    marked, resets_sequences = validate_django_db(marker)[:2] if marker else (False, False)
    fixtures = set(getattr(item, "fixturenames", ()))
    return marked or resets_sequences or bool(_TRANSACTIONAL_FIXTURES & fixtures)


def transactional_tests_beside_module_data(items: list[pytest.Item]) -> list[str]:
    """Transactional tests in a module that builds rows once: they would run inside the module's
    transaction, where their flush empties the built rows and a live server sees none of them."""
    modules = {item.path for item in items if "module_data" in getattr(item, "fixturenames", ())}
    return [item.nodeid for item in items if item.path in modules and is_transactional(item)]


def copy_for_test(built: T) -> T:
    """The test's own copy of what the module built."""
    return copy.deepcopy(built)
