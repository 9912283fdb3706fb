"""Rows built once per test module, as Django's ``TestCase.setUpTestData`` builds them once per
class: written inside a transaction that stays open while the module runs and is rolled back
after it. Each test runs in a savepoint within it (pytest-django's ``db``), so what a test writes
is undone after it, and takes a deep copy of the built instances, so what it changes in memory
is too. Building the API tests' world per test was a fifth of the suite's time."""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from django.db import connection, transaction
from pytest_django import DjangoDbBlocker

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


def is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        _TRANSACTIONAL_FIXTURES & set(request.fixturenames)
    )


def copy_for_test(built: T) -> T:
    """The test's own copy of what the module built."""
    return copy.deepcopy(built)


def refuse_transactional_test_inside(request: pytest.FixtureRequest) -> None:
    """A transactional test flushes the tables and lets other threads read them: inside the
    module's transaction it would empty the built rows, and a live server would not see them."""
    if is_transactional(request) and connection.in_atomic_block:
        pytest.fail(
            f"{request.node.nodeid} is transactional but runs inside rows built once per module "
            "(tests/module_data.py): move it to a module of its own or build its rows per test."
        )
