"""``seed_demo`` as a command: idempotent, ``--if-empty``, ``--reset``, ``--scale`` and ``--help``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AccountType, User
from engagement import seeding
from engagement.counters import counter_drift
from engagement.models import Video
from engagement.seeding import DEMO_CREATOR, DEMO_PASSWORD
from tests.commands.helpers import row_counts, run
from tests.factories import make_follow, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_second_run_changes_nothing_and_reset_recreates_the_same_data() -> None:
    run("seed_demo")
    names = sorted(User.objects.values_list("username", flat=True))
    captions = sorted(Video.objects.values_list("caption", flat=True))
    before = row_counts()

    out, _ = run("seed_demo")
    assert "already present" in out
    assert row_counts() == before

    outsider = make_user("outsider")  # a real account that follows demo_creator
    make_follow(outsider, User.objects.get(username=DEMO_CREATOR))
    out, _ = run("seed_demo", "--reset")
    assert "Deleted the previous demo data" in out
    outsider.refresh_from_db()
    assert outsider.following_count == 0  # its follow went with demo_creator; counters repaired
    assert sorted(User.objects.exclude(pk=outsider.pk).values_list("username", flat=True)) == names
    assert sorted(Video.objects.values_list("caption", flat=True)) == captions  # same seed, same data
    assert row_counts() == before | {"User": before["User"] + 1}
    assert counter_drift() == []


def test_if_empty_skips_when_any_user_exists() -> None:
    make_user("someone")
    out, _ = run("seed_demo", "--if-empty")
    assert "skipping" in out
    assert User.objects.count() == 1 and not Video.objects.exists()


def test_rejects_a_scale_below_one() -> None:
    with pytest.raises(CommandError, match="--scale"):
        run("seed_demo", "--scale", "0")
    assert not User.objects.exists()


def test_refuses_to_take_over_a_real_account_named_like_a_demo_account() -> None:
    make_user(DEMO_CREATOR)
    out, _ = run("seed_demo")
    assert "already present" in out
    with pytest.raises(CommandError, match="rename it"):
        run("seed_demo", "--reset")
    assert User.objects.count() == 1


def test_help_explains_options_and_idempotency(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("seed_demo", "--help")
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--scale", "--if-empty", "--reset", "--seed", "--no-progress"):
        assert option in text
    assert DEMO_PASSWORD in text and "nothing" in text


def test_help_works_from_the_shell_before_migrate() -> None:
    """``make run`` calls it on a fresh checkout; ``--help`` must not need a database."""
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": "sqlite:////nonexistent/dir/db.sqlite3"},
    )
    assert result.returncode == 0, result.stderr
    assert "usage: manage.py seed_demo" in result.stdout


def test_scale_multiplies_people_and_videos(monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end at --scale 2, with a smaller unit so the test stays quick."""
    monkeypatch.setattr(seeding, "CREATORS_PER_SCALE", 3)
    monkeypatch.setattr(seeding, "VIEWERS_PER_SCALE", 12)
    monkeypatch.setattr(seeding, "REMIXES_PER_SCALE", 2)
    run("seed_demo", "--scale", "2", "--no-progress")
    assert User.objects.exclude(account_type=AccountType.PERSONAL).count() == 2 * 3 + 1
    assert User.objects.count() == 2 * (3 + 12) + 2
    assert counter_drift() == []
