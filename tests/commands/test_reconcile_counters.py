"""``reconcile_counters`` and ``engagement.counters``: planted drift is reported with its ids and
values, fails the command without ``--fix``, is repaired with it, and nothing else is touched."""

import importlib

import pytest
from django.apps import apps
from django.core.management import ManagementUtility
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import F

from accounts.models import User
from engagement import counters, services
from engagement.media import downloads
from engagement.models import COUNTER_FIELDS, Video, VideoCounters
from tests.commands.helpers import run, run_failing
from tests.factories import attach_files, make_follow, make_user, make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Video | User]:
    """Two videos with every kind of interaction, through the services (counters exact)."""
    creator, fan, other = make_user("creator"), make_user("fan"), make_user("other")
    make_follow(fan, creator)
    make_follow(other, creator, accepted=False)  # pending: not a follower yet
    video, quiet = make_video(creator), make_video(creator)
    attach_files(video)
    for actor in (fan, other):
        services.like_add(actor=actor, video_id=video.pk)
        services.favorite_add(actor=actor, video_id=video.pk)
        services.comment_create(actor=actor, video_id=video.pk, text="nice")
        services.share_create(actor=actor, video_id=video.pk, channel="COPY_LINK")
        downloads.download_create(actor=actor, video_id=video.pk)
        services.view_record(actor=actor, video_id=video.pk, watched_seconds=30, traffic_source="FOR_YOU")
    services.view_record(
        actor=fan, video_id=video.pk, watched_seconds=5, traffic_source="PROFILE", watch_position=12, replayed=True
    )
    return {"creator": creator, "fan": fan, "video": video, "quiet": quiet}


def test_clean_database_reports_no_drift(world: dict[str, Video | User]) -> None:
    assert counters.counter_drift() == []
    out, err = run("reconcile_counters")
    assert "No drift" in out
    assert err == ""  # no TTY: no progress bar


def test_every_counter_field_is_checked(world: dict[str, Video | User]) -> None:
    """The checker is not blind: each field, nudged by one, is reported as exactly that field."""
    video = world["video"]
    assert set(counters.video_counter_truth()) == set(COUNTER_FIELDS)
    for name in COUNTER_FIELDS:
        VideoCounters.objects.filter(pk=video.pk).update(**{name: F(name) + 1})
        [drift] = counters.counter_drift()
        assert (drift.kind, drift.object_id, drift.field, drift.counter) == ("video", video.pk, name, drift.actual + 1)
        VideoCounters.objects.filter(pk=video.pk).update(**{name: F(name) - 1})
    for name in counters.USER_COUNTER_FIELDS:
        User.objects.filter(pk=world["creator"].pk).update(**{name: F(name) + 1})
        assert [(d.kind, d.field) for d in counters.counter_drift()] == [("user", name)]
        User.objects.filter(pk=world["creator"].pk).update(**{name: F(name) - 1})
    assert counters.counter_drift() == []


def test_the_migration_counts_the_positions_and_replays_of_earlier_views(world: dict[str, Video | User]) -> None:
    """Given the two counters at 0, as the views recorded before them left them, when the
    migration's backfill runs, then they equal the views' rows again, the other counters untouched."""
    VideoCounters.objects.update(reached_seconds=0, replay_count=0)
    assert {d.field for d in counters.counter_drift()} == {"reached_seconds", "replay_count"}
    migration = importlib.import_module("engagement.migrations.0012_counters_reached_seconds_and_replays")

    migration.counters_from_views(apps, connection.schema_editor())

    assert counters.counter_drift() == []
    row = VideoCounters.objects.get(pk=world["video"].pk)
    assert (row.reached_seconds, row.replay_count) == (72, 1)


def test_true_values_count_the_rows(world: dict[str, Video | User]) -> None:
    VideoCounters.objects.update(**dict.fromkeys(COUNTER_FIELDS, 0))
    User.objects.update(follower_count=0, following_count=0)
    counters.counters_repair()
    row = VideoCounters.objects.values(*COUNTER_FIELDS).get(pk=world["video"].pk)
    assert row == {
        "view_count": 3,
        "like_count": 2,
        "comment_count": 2,
        "share_count": 2,
        "save_count": 2,
        "download_count": 2,
        "total_watch_seconds": 65,
        "completion_count": 2,
        "reached_seconds": 72,
        "replay_count": 1,
    }
    assert VideoCounters.objects.values(*COUNTER_FIELDS).get(pk=world["quiet"].pk) == dict.fromkeys(COUNTER_FIELDS, 0)
    creator = User.objects.get(pk=world["creator"].pk)
    assert (creator.follower_count, creator.following_count) == (1, 0)  # the pending request is not counted


def test_planted_drift_is_reported_and_fails_without_fix(world: dict[str, Video | User]) -> None:
    video, creator = world["video"], world["creator"]
    VideoCounters.objects.filter(pk=video.pk).update(save_count=F("save_count") + 5, view_count=0)
    User.objects.filter(pk=creator.pk).update(follower_count=9)
    VideoCounters.objects.filter(pk=world["quiet"].pk).delete()
    # Three planted values, plus all ten fields of the missing row.
    with pytest.raises(CommandError, match=r"Drift found: 13 counter\(s\) on 2 video\(s\) and 1 user\(s\)"):
        run("reconcile_counters")
    drift = {(d.kind, d.object_id, d.field): (d.counter, d.actual) for d in counters.counter_drift()}
    assert drift[("video", video.pk, "save_count")] == (7, 2)
    assert drift[("video", video.pk, "view_count")] == (0, 3)
    assert drift[("user", creator.pk, "follower_count")] == (9, 1)
    # The quiet video has no counters row at all: every field is reported missing ...
    missing = {key[2] for key, (counter, _) in drift.items() if key[1] == world["quiet"].pk and counter is None}
    assert missing == set(COUNTER_FIELDS)
    # ... and nothing was changed.
    assert VideoCounters.objects.get(pk=video.pk).save_count == 7


def test_drift_lines_name_the_object_field_counter_and_actual(world: dict[str, Video | User]) -> None:
    video = world["video"]
    VideoCounters.objects.filter(pk=video.pk).update(like_count=40)
    out, _ = run_failing("reconcile_counters")
    assert f"video {video.pk} like_count: counter 40, actual 2" in out


def test_exit_status_is_one_with_drift_and_zero_without(
    world: dict[str, Video | User],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    production_keys: None,
) -> None:
    """What monitoring sees: ``manage.py reconcile_counters`` exits 1 on drift, 0 when clean (it
    runs the system checks first, which want production's keys with DEBUG off)."""
    # run_from_argv closes every connection when it ends, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    VideoCounters.objects.filter(pk=world["video"].pk).update(comment_count=0)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "reconcile_counters"]).execute()
    assert exit_info.value.code == 1
    assert "Run with --fix" in capsys.readouterr().err
    ManagementUtility(["manage.py", "reconcile_counters", "--fix"]).execute()  # returns: exit status 0
    ManagementUtility(["manage.py", "reconcile_counters"]).execute()
    assert "No drift" in capsys.readouterr().out


def test_fix_repairs_everything_and_the_next_run_is_clean(world: dict[str, Video | User]) -> None:
    video, creator, fan = world["video"], world["creator"], world["fan"]
    VideoCounters.objects.filter(pk=video.pk).update(total_watch_seconds=1, completion_count=99)
    User.objects.filter(pk=creator.pk).update(follower_count=0)
    User.objects.filter(pk=fan.pk).update(following_count=4)
    VideoCounters.objects.filter(pk=world["quiet"].pk).delete()
    out, _ = run("reconcile_counters", "--fix", "--chunk-size", "1")
    assert "Repaired" in out
    assert counters.counter_drift() == []
    assert VideoCounters.objects.filter(pk=world["quiet"].pk).exists()
    out, _ = run("reconcile_counters")
    assert "No drift" in out


def test_repair_can_be_limited_to_some_objects(world: dict[str, Video | User]) -> None:
    video, quiet = world["video"], world["quiet"]
    VideoCounters.objects.filter(pk__in=[video.pk, quiet.pk]).update(like_count=50)
    repaired = counters.counters_repair(video_ids=[quiet.pk])
    assert {d.object_id for d in repaired} == {quiet.pk}
    assert [(d.object_id, d.field) for d in counters.counter_drift()] == [(video.pk, "like_count")]


def test_progress_walks_every_row_in_chunks(world: dict[str, Video | User]) -> None:
    steps: list[int] = []
    counters.counter_drift(chunk_size=2, progress=steps.append)
    assert sum(steps) == counters.counter_rows_total() == Video.objects.count() + User.objects.count()
    assert max(steps) == 2


def test_show_limits_the_lines_printed(world: dict[str, Video | User]) -> None:
    VideoCounters.objects.update(**dict.fromkeys(COUNTER_FIELDS, 1000))
    out, _ = run_failing("reconcile_counters", "--show", "3")
    assert len([line for line in out.splitlines() if line.startswith("video ")]) == 3
    assert "... and 17 more." in out


def test_help_explains_fix_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("reconcile_counters", "--help")
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--fix" in text and "Exit status 0" in text and "--no-progress" in text
