"""Real clips made by ffmpeg in the test itself, a private media folder per test, and the worker
run eagerly (in the test's process, after the commit) unless a test starts a real one."""

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import signing

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)"
)

_TEST_PATTERN = "testsrc=duration={seconds}:size={size}:rate=25"
_QUIET = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]


def _ffmpeg(*args: str) -> None:
    subprocess.run([*_QUIET, *args], check=True, timeout=60)


def make_clip(target: Path, *, seconds: float = 3, size: str = "320x240", audio: bool = True) -> Path:
    """A test-pattern clip with a tone, H.264 and AAC in MP4."""
    args = ["-f", "lavfi", "-i", _TEST_PATTERN.format(seconds=seconds, size=size)]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-shortest"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(target)]
    _ffmpeg(*args)
    return target


def make_tone(target: Path, *, seconds: float = 1) -> Path:
    """A tone alone, AAC in an MP4 container: a file that is a valid MP4 with no video stream."""
    _ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac", str(target))
    return target


def make_still(target: Path) -> Path:
    """One test-pattern frame as an image, of the type ``target``'s suffix names (.png, .jpg)."""
    _ffmpeg("-f", "lavfi", "-i", _TEST_PATTERN.format(seconds=1, size="320x240"), "-frames:v", "1", str(target))
    return target


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seconds, made once per module (never change it)."""
    return make_clip(tmp_path_factory.mktemp("clips") / "clip.mp4")


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One second, made once per module, for tests that upload or serve a file (never change it)
    without caring how long it runs."""
    return make_clip(tmp_path_factory.mktemp("clips") / "short.mp4", seconds=1)


@pytest.fixture
def scratch_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the jobs' scratch folders (``storage.workspace``) are made in, for this test
    alone, so that a test can see that none is left behind."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def signing_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """``move(seconds)``: signed links are checked as if that many seconds had passed since now
    (Django's signing alone sees the moved clock)."""
    now = time.time()

    def move(seconds: float) -> None:
        monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: now + seconds))

    return move
