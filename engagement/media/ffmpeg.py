"""ffmpeg and ffprobe, Debian's packages, run as subprocesses: what a file holds, its poster
frame, its web-playable copy, and its download copy marked with the creator's @username.

Every call has a time limit and fails with ``MediaError`` (a file that is not what it claims) or
``FFmpegMissing`` (the machine lacks the tools: ``apt-get install ffmpeg``)."""

import json
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FFMPEG_MISSING = "ffmpeg is not installed on this machine: install Debian's package (apt-get install ffmpeg)."


# Images, playlists and audio-only formats are not read at all (``_DEMUXERS``), so they get this too.
NOT_A_VIDEO = "The file is not a video this service reads (MP4, MOV, WebM or MKV), or it is corrupt or truncated."


class MediaError(Exception):
    """The file is not a video this service can use; the message says why, for its uploader."""


class FFmpegMissing(RuntimeError):
    """ffmpeg or ffprobe is not on PATH."""


@dataclass(frozen=True)
class Probe:
    duration: float
    width: int
    height: int


# An uploaded file is read with these demuxers from the local file alone: by its content ffmpeg
# would also take it for a playlist (HLS, concat) whose entries name other files or URLs, and
# read them into the copies it makes.
_DEMUXERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm"
_CONFINED = ("-protocol_whitelist", "file", "-format_whitelist", _DEMUXERS)


def _input(path: Path) -> list[str]:
    return [*_CONFINED, "-i", str(path)]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise FFmpegMissing(FFMPEG_MISSING)
    return path


def available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


def _run(args: list[str], *, timeout: float) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaError("The video took too long to process.") from exc


def probe(path: Path) -> Probe:
    """The duration and frame size of the file's first video stream; ``MediaError`` when it has
    none or cannot be read."""
    result = _run(
        [
            _tool("ffprobe"),
            *("-v", "error", "-print_format", "json", "-show_format", "-show_streams"),
            *_CONFINED,
            str(path),
        ],
        timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS,
    )
    if result.returncode != 0:
        raise MediaError(NOT_A_VIDEO)
    info = json.loads(result.stdout or b"{}")
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "video"]
    if not streams or streams[0].get("disposition", {}).get("attached_pic"):
        raise MediaError("The file holds no video stream.")
    try:
        duration = float(info.get("format", {}).get("duration") or streams[0].get("duration"))
        width, height = int(streams[0]["width"]), int(streams[0]["height"])
    except (TypeError, ValueError, KeyError) as exc:
        raise MediaError("The video's length or frame size cannot be read.") from exc
    if not math.isfinite(duration) or duration <= 0 or width <= 0 or height <= 0:
        raise MediaError("The video is empty.")
    return Probe(duration=duration, width=width, height=height)


def _ffmpeg(args: list[str]) -> None:
    result = _run(
        [_tool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        timeout=settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS,
    )
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no detail"]
        raise MediaError(f"ffmpeg could not process the video ({detail[0][:200]}).")


# Even dimensions, at most 720 pixels on the short side, as H.264 players want them.
_SCALE = "scale='if(gt(iw,ih),-2,min(720,iw))':'if(gt(iw,ih),min(720,ih),-2)'"
_H264 = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p")
# The audio, if any, as AAC; the index up front so that a browser can start and seek at once.
_PLAYABLE = ("-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart")


def make_poster(source: Path, target: Path, *, duration: float) -> None:
    """A JPEG of the frame a second in (the first one of a shorter video)."""
    at = "1" if duration > 2 else "0"
    _ffmpeg(["-ss", at, *_input(source), "-frames:v", "1", "-vf", _SCALE, "-q:v", "4", str(target)])


def make_rendition(source: Path, target: Path) -> None:
    """The web-playable copy: H.264 and AAC in MP4, at most 720p."""
    _ffmpeg([*_input(source), "-vf", _SCALE, *_H264, *_PLAYABLE, str(target)])


# Moving test patterns of ffmpeg's own (lavfi sources), for files that need no camera.
PATTERNS = ("testsrc2", "smptehdbars", "mandelbrot", "life=mold=10:ratio=0.1:death_color=#c83232", "rgbtestsrc")


def make_pattern_clip(target: Path, *, seconds: int, pattern: str, tone_hz: int, size: str = "360x640") -> None:
    """A clip of one of ``PATTERNS`` with a sine tone, as a phone would upload it: H.264 and AAC in
    MP4, portrait by default."""
    _ffmpeg(
        [
            *("-f", "lavfi", "-i", f"{pattern}{':' if '=' in pattern else '='}size={size}:rate=25"),
            *("-f", "lavfi", "-i", f"sine=frequency={tone_hz}:sample_rate=44100"),
            *("-t", str(seconds), "-shortest", "-vf", "format=yuv420p"),
            *_H264,
            *_PLAYABLE,
            str(target),
        ]
    )


def _drawtext_value(text: str) -> str:
    """``text`` quoted for a drawtext option inside a filter graph."""
    return "'" + text.replace("\\", "\\\\").replace("'", "'\\\\\\''").replace(":", "\\:").replace("%", "\\%") + "'"


def make_watermarked(source: Path, target: Path, *, username: str) -> None:
    """The download copy: the playable copy with ``@username`` drawn in the lower-left corner,
    white on a translucent box, as the big platforms mark the videos people download."""
    mark = (
        f"drawtext=text={_drawtext_value('@' + username)}:font=Sans:fontcolor=white:fontsize=min(w\\,h)/20:"
        "box=1:boxcolor=black@0.45:boxborderw=8:x=w/24:y=h-th-h/12"
    )
    _ffmpeg([*_input(source), "-vf", mark, *_H264, *_PLAYABLE, str(target)])
