"""``rank_videos``: scores every video into ``VideoRank`` and says what it read; running it again
changes nothing; ``--help`` says what enters the score and when to run it."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from engagement.analytics import ranking_refresh
from engagement.models import VideoRank
from tests.commands.helpers import run
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db


def test_ranks_every_video_and_again_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within one hour (the clock is held there, so the test cannot straddle two)."""
    clock = iter([datetime(2026, 6, 10, 12, 1, tzinfo=UTC), datetime(2026, 6, 10, 12, 59, tzinfo=UTC)])
    monkeypatch.setattr(ranking_refresh, "timezone", SimpleNamespace(now=lambda: next(clock)))
    owner = make_user()
    videos = [make_video(owner) for _ in range(3)]

    out, err = run("rank_videos")
    scores = dict(VideoRank.objects.values_list("video_id", "score"))
    run("rank_videos", "--no-progress")

    assert set(scores) == {video.pk for video in videos}
    assert dict(VideoRank.objects.values_list("video_id", "score")) == scores
    assert "Ranked 3 video(s) as of 2026-06-10 12:00 UTC" in out and "0 settled day(s): none rolled up yet" in out
    assert err == ""  # no terminal, no progress bar


def test_help_says_what_enters_the_score_and_when_to_run_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("rank_videos", "--help")
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "aggregates only" in text and "after rollup_insights" in text and "Idempotent" in text
    assert "--no-progress" in text
