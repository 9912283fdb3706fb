"""Progress bars for management commands: on stderr, and only where a person is watching.

Logs, CI and ``call_command`` in tests get no bar at all, so their output stays readable and
stdout stays clean for whatever parses it.
"""

from typing import Any

from django.core.management.base import OutputWrapper
from tqdm import tqdm


class _RawStream:
    """tqdm redraws with ``\\r``; Django's ``OutputWrapper`` would append a newline to each write."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def write(self, text: str) -> None:
        self._out.write(text, ending="")

    def flush(self) -> None:
        self._out.flush()


def progress_bar(stderr: OutputWrapper, *, enabled: bool = True, **options: Any) -> Any:
    """A ``tqdm`` bar drawing on the command's stderr, disabled unless it is a terminal."""
    return tqdm(file=_RawStream(stderr), disable=not (enabled and stderr.isatty()), dynamic_ncols=True, **options)
