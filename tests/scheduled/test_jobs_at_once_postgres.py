"""Two runs of a scheduled job at once (two workers, or a worker and a late duplicate of the same
beat entry) leave what one run leaves: nothing counted twice, no run failing. Each run has its
own connection and commits, so this runs on PostgreSQL, where transactions really overlap; both
runs are held at a point just before they write until the other is there too, so they overlap
however fast the machine is."""

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection, transaction

from accounts import scheduled as account_jobs
from engagement import counters
from engagement.analytics import exports, ranking_refresh, rollups
from tests.scheduled.jobs import JOBS, OUTCOMES, build_work

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT_SECONDS = 60
# Where each job's runs wait for each other, just before they write: before the ranking's upserts,
# before the fold reads and locks the slots in its transaction, before the expired credentials and
# the expired insights exports are deleted, and once the rollup has counted a day in its
# transaction (after its last count).
MEETING_POINTS: dict[str, tuple[object, str, bool]] = {  # job: (module, function, meet after it)
    "rank_videos": (ranking_refresh, "_store", False),
    "fold_counters": (counters, "_fold", False),
    "clear_expired_credentials": (account_jobs, "clear_expired", False),
    "rollup_insights": (rollups, "_account_counts", True),
    "delete_expired_insights_exports": (exports, "delete_expired", False),
}
# How long a run waits there for the other: one that found the job running never comes.
MEETING_SECONDS = 1.0


def one_run_rolled_back(job: str) -> dict[str, Any]:
    """What one run leaves, read before it is undone."""
    with transaction.atomic():
        JOBS[job]()
        outcome = OUTCOMES[job]()
        transaction.set_rollback(True)
    return outcome


def meeting_point(original: Callable[..., Any], times: int, *, after: bool) -> Callable[..., Any]:
    """``original``, with ``times`` runs waiting for each other before it (or after it) up to
    ``MEETING_SECONDS``: a run that found the job running never comes."""
    barrier = threading.Barrier(times, timeout=MEETING_SECONDS)

    def meet() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    def met(*args: Any, **kwargs: Any) -> Any:
        if not after:
            meet()
        result = original(*args, **kwargs)
        if after:
            meet()
        return result

    return met


def at_once(run: Callable[[], object], times: int) -> list[BaseException]:
    """``run`` from ``times`` threads released together, each on its own connection; the errors."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(times, timeout=TIMEOUT_SECONDS)

    def worker() -> None:
        try:
            barrier.wait()
            run()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a run never ended"
    return errors


# One test, so that the tables are emptied once: each job's outcome is its own tables, and the
# ranking runs before the rollup, which would rank the same videos in the same hour.
ORDER = (
    "rank_videos",
    "fold_counters",
    "clear_expired_credentials",
    "delete_expired_insights_exports",
    "rollup_insights",
)


def test_two_runs_at_once_leave_what_one_run_leaves(now: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sorted(ORDER) == sorted(JOBS) == sorted(MEETING_POINTS)
    build_work(now)
    for job in ORDER:
        before = OUTCOMES[job]()
        expected = one_run_rolled_back(job)
        assert expected != before, f"{job} found nothing to do"

        module, name, after = MEETING_POINTS[job]
        with monkeypatch.context() as patch:
            patch.setattr(module, name, meeting_point(getattr(module, name), times=2, after=after))
            errors = at_once(JOBS[job], times=2)

        assert errors == [], job
        assert OUTCOMES[job]() == expected, job
