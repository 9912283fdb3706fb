"""Helpers shared by the management-command tests."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Follow, User
from engagement.models import (
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    Share,
    Video,
    VideoCounters,
    View,
)

MODELS: tuple[Any, ...] = (
    User,
    Follow,
    Video,
    VideoCounters,
    FavoriteCollection,
    Favorite,
    Like,
    Comment,
    Share,
    Download,
    View,
    Notification,
)


def run(command: str, *args: str) -> tuple[str, str]:
    """Run a command as ``manage.py`` would, returning its stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(command: str, *args: str) -> tuple[str, str]:
    """Run a command that must fail with ``CommandError``; returns what it printed first."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}
