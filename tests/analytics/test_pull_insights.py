"""``examples/pull_insights.py`` run as a creator would run it, against a live test server."""

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accounts.models import AccountType
from tests.analytics.conftest import backdate, days_ago, people, roll_up, token_for, watch
from tests.api.conftest import gid
from tests.factories import make_user, make_video

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "pull_insights.py"


def pull(live_server: Any, token: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SILENT_SAVES_TOKEN"}
    if token is not None:
        env["SILENT_SAVES_TOKEN"] = token
    command = [sys.executable, str(SCRIPT), "--url", f"{live_server.url}/graphql/", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.django_db(transaction=True)
def test_the_script_writes_every_videos_daily_series(live_server: Any, tmp_path: Path) -> None:
    """Given a business account (every column filled) with 22 videos (two pages), views on two of
    them and an INSIGHTS_READ token, when the script runs over three days, then the CSV has one
    row per video and day with the exact totals, and the token never appears in what it printed."""
    creator = make_user("csv_creator", account_type=AccountType.BUSINESS)
    videos = [backdate(make_video(creator, caption=f"clip {n}"), 10) for n in range(22)]
    watch(videos[0], people(3), days_ago(2), seconds=12)
    watch(videos[21], [*people(1), None], days_ago(3))
    roll_up(days_ago(5))
    token = token_for(creator, "INSIGHTS_READ")
    output = tmp_path / "insights.csv"

    done = pull(
        live_server, token, "--from", days_ago(4).isoformat(), "--to", days_ago(2).isoformat(), "-o", str(output)
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "Wrote 66 row(s)."
    assert token not in done.stdout + done.stderr
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == 66 and {row["video_id"] for row in rows} == {gid(video) for video in videos}
    by_key = {(row["video_id"], row["date"]): row for row in rows}
    first = by_key[(gid(videos[0]), days_ago(2).isoformat())]
    assert (first["caption"], first["views"], first["watchSeconds"], first["saves"]) == ("clip 0", "3", "36", "0")
    assert by_key[(gid(videos[21]), days_ago(3).isoformat())]["views"] == "2"
    assert sum(int(row["views"]) for row in rows) == 5


@pytest.mark.django_db(transaction=True)
def test_the_script_explains_a_refusal(live_server: Any, tmp_path: Path) -> None:
    """A token without INSIGHTS_READ: exit 1 with the API's FORBIDDEN and no file; no token at
    all: exit 2 before any request; ``--help`` documents the options."""
    creator = make_user("csv_creator2", account_type=AccountType.CREATOR)
    make_video(creator)
    output = tmp_path / "insights.csv"

    refused = pull(live_server, token_for(creator, "PROFILE_READ"), "-o", str(output))
    missing = pull(live_server, None)
    helped = pull(live_server, None, "--help")

    assert refused.returncode == 1 and "FORBIDDEN" in refused.stderr
    assert not output.exists() and not Path(f"{output}.part").exists()
    assert missing.returncode == 2 and "SILENT_SAVES_TOKEN" in missing.stderr
    assert helped.returncode == 0 and "--from" in helped.stdout and "INSIGHTS_READ" in helped.stdout
