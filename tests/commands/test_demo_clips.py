"""``manage.py demo_clips``: the demo creator's most viewed public videos get a file that plays,
made and processed in the command's own process; run again, it does nothing."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from engagement import seeding
from engagement.media import ffmpeg
from engagement.models import ProcessingState, Video, VideoMedia
from tests.factories import make_user, make_video

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (apt-get install ffmpeg)"),
]


def test_the_most_viewed_public_videos_get_files_once(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    creator = make_user(seeding.DEMO_CREATOR)
    watched, other = make_video(creator, caption="watched"), make_video(creator, caption="other")
    hidden = make_video(creator, caption="hidden", visibility="PRIVATE")
    watched.counters.view_count = 50
    watched.counters.save()

    call_command("demo_clips", count=1, seconds=1, no_progress=True, stdout=StringIO())
    again = StringIO()
    call_command("demo_clips", count=1, seconds=1, no_progress=True, stdout=again)

    media = VideoMedia.objects.get()
    assert media.video_id == watched.pk
    assert media.playback and media.poster and media.download_watermark == seeding.DEMO_CREATOR
    assert Video.objects.get(pk=watched.pk).processing_state == ProcessingState.READY
    assert not VideoMedia.objects.filter(video__in=[other, hidden]).exists()
    assert "nothing to do" in again.getvalue()


def test_without_ffmpeg_it_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ffmpeg, "available", lambda: False)

    with pytest.raises(CommandError, match="apt-get install ffmpeg"):
        call_command("demo_clips", no_progress=True)
