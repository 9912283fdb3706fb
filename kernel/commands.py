"""Shared pieces of our management commands: progress bars and help text.

Progress bars go to stderr and only where a person is watching: logs, CI and ``call_command``
in tests get no bar at all, so their output stays readable and stdout stays parseable.
"""

import textwrap
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter, OutputWrapper
from tqdm import tqdm


def _plain(text: str) -> str:
    return text


class _RawStream:
    """tqdm redraws with ``\\r``: Django's ``OutputWrapper`` would append a newline to each write
    and colour it as an error."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def write(self, text: str) -> None:
        self._out.write(text, style_func=_plain, ending="")

    def flush(self) -> None:
        self._out.flush()


def progress_bar(stderr: OutputWrapper, *, enabled: bool = True, **options: Any) -> Any:
    """A ``tqdm`` bar drawing on the command's stderr, disabled unless it is a terminal."""
    return tqdm(file=_RawStream(stderr), disable=not (enabled and stderr.isatty()), dynamic_ncols=True, **options)


class _HelpFormatter(DjangoHelpFormatter):
    """Wrap help without splitting at hyphens, so ``demo-password-123`` stays copy-pastable."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(
            " ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )


class ProjectCommand(BaseCommand):
    """Base for our commands: help that wraps cleanly."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        return parser
