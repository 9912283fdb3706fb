"""Concurrency claims of docs/ARCHITECTURE.md ("Data and counters"), proven where they are real: on
PostgreSQL, with one connection per thread and committed transactions.

1. Many users saving and unsaving the same video at once never lose a count (``F()`` updates,
   spilled into slot rows when the totals row is busy: a read adds them, see
   ``engagement.counters``).
2. A negative control: the naive read-modify-write the design forbids does lose counts under the
   same load, so the first test is not passing by luck of scheduling.
3. A double tap from many threads on the same (user, video) stays one save, with no
   ``IntegrityError`` escaping the service.

Run with ``-s`` to see the figures.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from accounts.models import User
from engagement import services
from engagement.counters import totals
from engagement.models import Favorite, Video, VideoCounters, VideoCounterSlot
from tests.factories import make_user, make_video

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 32
OPS_PER_THREAD = 20
JOIN_TIMEOUT_SECONDS = 120
# A thread that never reaches a barrier (its setup failed) breaks it for the others, which then
# fail with BrokenBarrierError instead of waiting for ever.
BARRIER_TIMEOUT_SECONDS = 30


def run_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(index)`` in ``count`` threads; return what they raised. Each thread closes its
    own database connection, so none is left open when the test database is flushed."""
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(index: int) -> None:
        try:
            work(index)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return errors


def save_count(video_id: int) -> int:
    """The total as reads show it: the counters row plus any slots a busy row spilled into."""
    return totals(Video.objects.get(pk=video_id))["save_count"]


def test_concurrent_favorite_add_remove_keeps_save_count_exact() -> None:
    """Given 32 users hammering add/remove on one video, then save_count equals the Favorite rows
    and no call failed."""
    video = make_video(make_user())
    users = [make_user() for _ in range(THREADS)]
    start = threading.Barrier(THREADS, timeout=BARRIER_TIMEOUT_SECONDS)

    def work(index: int) -> None:
        user = users[index]
        start.wait()
        for op in range(OPS_PER_THREAD):
            # Users with an odd index end on an add, so the final total is not trivially zero.
            if op % 2 == 0:
                services.favorite_add(actor=user, video_id=video.pk)
            else:
                services.favorite_remove(actor=user, video_id=video.pk)
        if index % 2:
            services.favorite_add(actor=user, video_id=video.pk)

    errors = run_threads(THREADS, work)

    rows = Favorite.objects.filter(video=video).count()
    final = save_count(video.pk)
    slots = VideoCounterSlot.objects.filter(video=video).count()
    print(
        f"\n[F() counters] threads={THREADS} ops={THREADS * OPS_PER_THREAD + THREADS // 2} "
        f"save_count={final} favorite_rows={rows} slot_rows_used={slots} errors={len(errors)}"
    )
    assert errors == []
    assert rows == THREADS // 2
    assert final == rows


def test_negative_control_naive_read_modify_write_loses_updates() -> None:
    """Given the same load through a Python-side ``n = n + 1``, then updates are lost. This is the
    bug ``F()`` prevents; if this ever stops losing updates, the test above proves nothing."""
    video = make_video(make_user())
    rounds = 5
    barrier = threading.Barrier(THREADS, timeout=BARRIER_TIMEOUT_SECONDS)

    def naive_increment(index: int) -> None:
        for _ in range(rounds):
            counters = VideoCounters.objects.get(video_id=video.pk)
            barrier.wait()  # everyone has read the same value before anyone writes
            counters.save_count = counters.save_count + 1
            counters.save(update_fields=["save_count"])

    errors = run_threads(THREADS, naive_increment)

    increments = THREADS * rounds
    final = VideoCounters.objects.get(video_id=video.pk).save_count
    print(f"\n[naive read-modify-write] threads={THREADS} increments={increments} final save_count={final}")
    assert errors == []
    assert final < increments, "the naive counter did not lose updates; the control is not controlling"


def test_concurrent_double_tap_is_one_save() -> None:
    """Given 32 threads saving the same video for the same user at once, then there is one row,
    save_count is 1 and no IntegrityError escapes."""
    video = make_video(make_user())
    user = make_user()
    barrier = threading.Barrier(THREADS, timeout=BARRIER_TIMEOUT_SECONDS)
    favorite_ids: list[int] = []
    lock = threading.Lock()

    def tap(index: int) -> None:
        actor = User.objects.get(pk=user.pk)
        barrier.wait()
        favorite = services.favorite_add(actor=actor, video_id=video.pk)
        with lock:
            favorite_ids.append(favorite.pk)

    errors = run_threads(THREADS, tap)

    rows = Favorite.objects.filter(user=user, video=video).count()
    final = save_count(video.pk)
    print(f"\n[double tap] threads={THREADS} favorite_rows={rows} save_count={final} errors={len(errors)}")
    assert errors == []
    assert rows == 1
    assert final == 1
    assert len(favorite_ids) == THREADS
    assert len(set(favorite_ids)) == 1
