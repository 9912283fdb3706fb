"""The scheduled jobs: what each does, that a second run changes nothing, that the beat queues
each of them on an interval the environment can change, and that a rollup finding another one
running does nothing (PostgreSQL, where a second connection can hold the job)."""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from engagement.analytics.models import InsightsDay, InsightsExport
from engagement.analytics.rollups import ROLLUP_LOCK
from engagement.models import Video, VideoCounterSlot, VideoRank
from kernel.job_locks import job_lock
from tests.domain.helpers import counters_of
from tests.scheduled.jobs import JOBS, OUTCOMES, build_work

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 30


@pytest.mark.parametrize("job", sorted(JOBS))
def test_a_second_run_changes_nothing(job: str, now: datetime) -> None:
    build_work(now)
    before = OUTCOMES[job]()

    JOBS[job]()
    once = OUTCOMES[job]()
    JOBS[job]()

    assert once != before, "the job found nothing to do"
    assert OUTCOMES[job]() == once


def test_the_rollup_rolls_up_yesterday_and_today_then_ranks(now: datetime) -> None:
    build_work(now)

    JOBS["rollup_insights"]()

    today = now.date()
    assert set(InsightsDay.objects.values_list("day", flat=True)) == {today - timedelta(days=1), today}
    assert set(VideoRank.objects.values_list("video_id", flat=True)) == set(Video.objects.values_list("pk", flat=True))


def test_folding_keeps_every_total_and_leaves_no_slot(now: datetime) -> None:
    build_work(now)
    videos = list(Video.objects.values_list("pk", flat=True))
    totals = {video: counters_of(video) for video in videos}

    JOBS["fold_counters"]()

    assert {video: counters_of(video) for video in videos} == totals
    assert not VideoCounterSlot.objects.exists()


def test_clearing_credentials_keeps_those_in_date(now: datetime) -> None:
    build_work(now)

    JOBS["clear_expired_credentials"]()

    assert set(AccessToken.objects.values_list("info__name", "application__name")) == {
        ("fresh", None),
        (None, "tool"),  # expired, but its refresh token may still renew it
    }
    assert RefreshToken.objects.get().access_token.expires > now - timedelta(days=2)
    assert list(Grant.objects.values_list("code", flat=True)) == ["in-date"]
    assert [expires > now for expires in Session.objects.values_list("expire_date", flat=True)] == [True]


def test_the_export_clean_up_deletes_expired_exports_and_their_files(
    now: datetime, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Built or failed, an export past its end goes, and its file once the deletion commits; one
    that ends later stays, file and all."""
    build_work(now)

    with django_capture_on_commit_callbacks(execute=True):
        JOBS["delete_expired_insights_exports"]()

    assert list(InsightsExport.objects.values_list("file_key", flat=True)) == ["insights-exports/fresh.csv"]
    assert sorted(path.name for path in (media_root / "insights-exports").iterdir()) == ["fresh.csv"]


def test_the_beat_queues_each_job_on_its_interval_from_the_environment() -> None:
    """Read by a fresh process, as the worker reads its settings; every task the beat names is
    one the worker registers."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; from backend import celery_app; "
        "celery_app.loader.import_default_modules(); "
        "print(json.dumps({name: [entry['task'] in celery_app.tasks, entry['schedule'], entry['options']['expires']] "
        "for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": "sqlite:///:memory:",
        "SCHEDULE_FOLD_COUNTERS_SECONDS": "60",
    }
    environment.pop("SCHEDULE_ROLLUP_INSIGHTS_SECONDS", None)
    environment.pop("SCHEDULE_CLEAR_EXPIRED_SECONDS", None)
    environment.pop("SCHEDULE_EXPIRED_EXPORTS_SECONDS", None)
    answer = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, timeout=60, check=True
    )

    assert json.loads(answer.stdout) == {
        "rollup-insights-then-rank-videos": [True, 3600, 3600],
        "fold-counters": [True, 60, 60],
        "clear-expired-credentials": [True, 86400, 86400],
        "delete-expired-insights-exports": [True, 3600, 3600],
    }


@contextmanager
def rollup_held_elsewhere() -> Iterator[None]:
    """Another connection (another worker, a command) holds the rollup until the block ends."""
    held, release = threading.Event(), threading.Event()
    outcome: list[bool] = []

    def hold() -> None:
        try:
            with job_lock(ROLLUP_LOCK) as alone:
                outcome.append(alone)
                held.set()
                release.wait(TIMEOUT_SECONDS)
        finally:
            held.set()
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(TIMEOUT_SECONDS) and outcome == [True], "the other connection never held the rollup"
    try:
        yield
    finally:
        release.set()
        holder.join(TIMEOUT_SECONDS)


@pytest.mark.postgres
def test_a_rollup_while_another_runs_does_nothing(now: datetime) -> None:
    build_work(now)
    with rollup_held_elsewhere():
        JOBS["rollup_insights"]()
        with pytest.raises(CommandError, match="Another rollup is running"):
            call_command("rollup_insights", "--no-progress", stdout=StringIO())

    assert not InsightsDay.objects.exists()
    assert not VideoRank.objects.exists()  # the ranking is left to the running rollup
    JOBS["rollup_insights"]()  # and once it ended, the next one runs
    assert InsightsDay.objects.count() == 2
