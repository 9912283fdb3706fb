"""A frame larger than ``MEDIA_MAX_FRAME_SIDE`` is refused on arrival, with its size, and nothing
of it is kept: the worker never spends memory on a giant frame."""

from pathlib import Path

import pytest
from pytest_django import Settings

from engagement.media import uploads
from engagement.models import ProcessingState, Video, VideoMedia
from tests.api.media.conftest import make_clip, needs_ffmpeg
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, needs_ffmpeg]


def test_a_frame_past_the_limit_is_refused_and_nothing_kept(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_MAX_FRAME_SIDE = 200
    clip = tmp_path / "wide.mp4"
    make_clip(clip, seconds=1, audio=False)
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
