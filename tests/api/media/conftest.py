"""Real clips made by ffmpeg in the test itself, a private media folder per test, and the worker
run eagerly (in the test's process, after the commit) unless a test starts a real one."""

import shutil
import subprocess
from pathlib import Path

import pytest

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)"
)


def make_clip(target: Path, *, seconds: float = 3, size: str = "320x240", audio: bool = True) -> Path:
    """A test-pattern clip with a tone, H.264 and AAC in MP4."""
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    args += ["-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=25"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-shortest"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(target)]
    subprocess.run(args, check=True, timeout=60)
    return target


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return make_clip(tmp_path / "clip.mp4")
