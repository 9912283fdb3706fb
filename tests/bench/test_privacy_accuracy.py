"""``python -m bench.privacy_accuracy``: the accuracy figures of docs/PRIVACY.md §8.6 are computed
by the code that publishes breakdowns, and its help and table stay as documented."""

import pytest

from bench import privacy_accuracy


def test_the_table_measures_each_size_and_breakdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert privacy_accuracy.main(["--sizes", "100000", "--trials", "3"]) == 0

    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| 100,000")]
    assert [row.split("|")[2].strip() for row in rows] == ["country", "gender", "age"]
    assert all(row.split("|")[4].strip() == "100%" for row in rows)  # a large audience is shown whole
    in_france = [line for line in out.splitlines() if line.startswith("| 30,000")]  # its largest country
    assert [row.split("|")[2].strip() for row in in_france] == ["gender, FR only", "region, FR only"]
    assert "32 in a country's slice" in out  # the geographic budget's noise scale


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        privacy_accuracy.main(["--help"])
    assert exit_info.value.code == 0
    assert "--trials" in capsys.readouterr().out
