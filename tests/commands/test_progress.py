"""Progress bars draw on a terminal's stderr only, so logs, CI and tests stay clean."""

from io import StringIO

from django.core.management.base import OutputWrapper

from kernel.commands import progress_bar


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def _draw(stream: StringIO, *, enabled: bool = True) -> str:
    with progress_bar(OutputWrapper(stream), enabled=enabled, total=3, desc="Working") as bar:
        bar.update(3)
    return stream.getvalue()


def test_draws_on_a_terminal_without_newline_per_refresh() -> None:
    drawn = _draw(_Terminal())
    assert "Working" in drawn and "3/3" in drawn
    assert "\r" in drawn


def test_silent_when_not_a_terminal_or_disabled() -> None:
    assert _draw(StringIO()) == ""
    assert _draw(_Terminal(), enabled=False) == ""
