"""The README's upload example runs as written: ffmpeg makes a clip, ``examples/upload_video.py``
signs in, uploads it with its progress, waits for the worker (run eagerly by the live server here,
as ``make run``'s worker would) and prints the playable video; and it explains a refusal."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from engagement.models import ProcessingState, Video
from tests.factories import make_user, password_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (apt-get install ffmpeg)"),
]
ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```sh\n(?P<body>[^`]*examples/upload_video\.py[^`]*)```")


def readme_commands() -> str:
    (block,) = [match["body"] for match in BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]
    return block.replace(".venv/bin/python examples/", f"{sys.executable} {ROOT}/examples/")


def run(script: str, cwd: Path, live_server: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SILENT_SAVES_URL": f"{live_server.url}/graphql/"}
    return subprocess.run(["bash", "-euc", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture
def worker_in_the_server(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_the_readme_upload_example_ends_with_a_playable_video(
    live_server: Any, worker_in_the_server: None, tmp_path: Path
) -> None:
    creator = make_user("demo_creator")
    creator.set_password("demo-password-123")
    creator.save()

    done = run(readme_commands(), tmp_path, live_server)

    assert done.returncode == 0, done.stderr
    assert "uploading 100%" in done.stderr and "processing state: READY" in done.stderr
    printed = json.loads(done.stdout.strip().splitlines()[-1])
    video = Video.objects.get(owner=creator)
    assert (video.caption, video.processing_state, video.duration_seconds) == (
        "My first clip #demo",
        ProcessingState.READY,
        5,
    )
    assert printed["processingState"] == "READY" and printed["playbackUrl"].startswith(live_server.url)


def test_the_script_explains_a_refused_file(live_server: Any, worker_in_the_server: None, tmp_path: Path) -> None:
    creator = make_user("uploader")
    (tmp_path / "notes.mp4").write_text("not a video at all")
    script = f"{sys.executable} {ROOT}/examples/upload_video.py notes.mp4 --username uploader"

    done = run(f"SILENT_SAVES_PASSWORD='{password_of('uploader')}' {script}", tmp_path, live_server)

    assert done.returncode == 1
    assert "refused (422 BAD_USER_INPUT)" in done.stderr
    assert Video.objects.get(owner=creator).processing_state == ProcessingState.AWAITING_UPLOAD
