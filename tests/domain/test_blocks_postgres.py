"""A double tap on "block", proven where it is real: on PostgreSQL, one connection per thread and
committed transactions. However many taps land at once, there is one block, the follows between
the two end once, and every counter still equals its rows."""

import threading

import pytest

from accounts import services
from accounts.models import Block, Follow, User
from engagement.counters import counter_drift
from tests.domain.test_concurrency_postgres import BARRIER_TIMEOUT_SECONDS, run_threads
from tests.factories import make_friends, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TAPS = 8


def test_concurrent_blocks_of_the_same_person_are_one_block() -> None:
    """Given two friends, when one blocks the other from 8 threads at once, then exactly one call
    made the block, no error escapes, both follows are gone and both counters moved once."""
    blocker, blocked = make_user(), make_user()
    make_friends(blocker, blocked)
    barrier = threading.Barrier(TAPS, timeout=BARRIER_TIMEOUT_SECONDS)
    made: list[bool] = []
    lock = threading.Lock()

    def tap(index: int) -> None:
        actor = User.objects.get(pk=blocker.pk)
        barrier.wait()
        _, created = services.user_block(actor=actor, username=blocked.username)
        with lock:
            made.append(created)

    errors = run_threads(TAPS, tap)

    assert errors == []
    assert sorted(made) == [False] * (TAPS - 1) + [True]
    assert Block.objects.filter(blocker=blocker, blocked=blocked).count() == 1
    assert not Follow.objects.exists()
    assert counter_drift() == []
