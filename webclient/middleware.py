"""whitenoise's middleware, quiet about a missing STATIC_ROOT.

Static files are served from the apps' folders (``WHITENOISE_USE_FINDERS``), and STATIC_ROOT
exists only after a ``collectstatic``; without this, every process and every test client would
warn "No directory at: …/staticfiles/".
"""

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root: str, prefix: str | None = None) -> None:
        if root == self.static_root and not Path(root).is_dir():
            return
        super().add_files(root, prefix)
