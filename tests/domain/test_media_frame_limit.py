"""A frame larger than ``MEDIA_MAX_FRAME_SIDE`` is refused on arrival, with its size, and nothing
of it is kept: the worker never spends memory on a giant frame."""

import shutil
import subprocess
from pathlib import Path

import pytest
from pytest_django import Settings

from engagement.media import uploads
from engagement.models import ProcessingState, Video, VideoMedia
from tests.factories import make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed"),
]


def test_a_frame_past_the_limit_is_refused_and_nothing_kept(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_MAX_FRAME_SIDE = 200
    clip = tmp_path / "wide.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=320x240:rate=10",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ],
        check=True,
        timeout=60,
    )
    ticket = uploads.upload_start(
        actor=make_user("wide"), caption="", content_type="video/mp4", size_bytes=clip.stat().st_size
    )
    queued: list[int] = []

    with pytest.raises(uploads.UploadRefused, match="320x240; at most 200 pixels"), clip.open("rb") as body:
        uploads.upload_receive(
            token=ticket.url.rstrip("/").rsplit("/", 1)[-1],
            body=body,
            content_type="video/mp4",
            length=str(clip.stat().st_size),
            enqueue=queued.append,
        )

    assert queued == []
    assert Video.objects.get(pk=ticket.video.pk).processing_state == ProcessingState.AWAITING_UPLOAD
    assert VideoMedia.objects.get(video=ticket.video).original == ""
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))
