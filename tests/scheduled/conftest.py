"""The jobs' clock held still (a rollup's finalizing and the ranking's hour read it), and tasks
queued by a job run at once in the process (the rollup queues the ranking)."""

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pytest_django import Settings

from engagement import scheduled
from engagement.analytics import ranking_refresh


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    held = timezone.now()
    clock = SimpleNamespace(now=lambda: held)
    monkeypatch.setattr(scheduled, "timezone", clock)
    monkeypatch.setattr(ranking_refresh, "timezone", clock)
    return held


@pytest.fixture(autouse=True)
def _eager(settings: Settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
