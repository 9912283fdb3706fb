"""An uploaded file is read as a video container and nothing else: a playlist (concat, HLS)
disguised as a video, which ffmpeg would otherwise follow to other files, is refused like any
file that is not a video."""

import subprocess
from pathlib import Path

import pytest

from engagement.media import ffmpeg
from tests.api.media.conftest import make_clip, needs_ffmpeg

pytestmark = needs_ffmpeg


def _clip(target: Path) -> Path:
    return make_clip(target, seconds=1, size="160x120", audio=False)


def test_a_concat_playlist_naming_a_file_beside_it_is_not_followed(tmp_path: Path) -> None:
    _clip(tmp_path / "secret.mp4")
    playlist = tmp_path / "upload"
    playlist.write_text("ffconcat version 1.0\nfile secret.mp4\n")
    unconfined = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=format_name", str(playlist)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "concat" in unconfined.stdout  # ffprobe alone would follow it: the test means something

    with pytest.raises(ffmpeg.MediaError):
        ffmpeg.probe(playlist)
    with pytest.raises(ffmpeg.MediaError):
        ffmpeg.make_rendition(playlist, tmp_path / "out.mp4")


def test_an_hls_playlist_is_refused(tmp_path: Path) -> None:
    playlist = tmp_path / "upload"
    playlist.write_text("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\nsecret.ts\n#EXT-X-ENDLIST\n")

    with pytest.raises(ffmpeg.MediaError):
        ffmpeg.probe(playlist)


def test_a_real_clip_passes(tmp_path: Path) -> None:
    probe = ffmpeg.probe(_clip(tmp_path / "upload.mp4").rename(tmp_path / "upload"))

    assert (probe.width, probe.height) == (160, 120)
    assert 0.9 <= probe.duration <= 1.1
