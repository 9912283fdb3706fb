"""The project stands on its own: no file of it cites a design document kept somewhere else
("DESIGN.md", "DESIGN §6", "../shared") or a tracker issue by number ("issue 5", "issue #3").
The rules and conventions such citations pointed to live in docs/ARCHITECTURE.md and
docs/PRIVACY.md; cite those instead."""

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THIS_FILE = Path(__file__).resolve()

# An outside design document or folder, or an issue by number. Prose without a number ("a GitHub
# issue") and tracker URLs ("…/issues/123", as in a requirements comment) are not citations.
CITATION = re.compile(r"\bDESIGN(?:\.md\b|\s*§)|\.\./shared\b|(?i:\bissues?\s*#?\s*\d)")

# Where the walk (no git at hand) never looks: environments, caches, generated output, downloads
# (`vendor`: GraphiQL's files, fetched by `make install` and git-ignored).
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "artifacts",
        "staticfiles",
        "results",
        "vendor",
    }
)


def _walk() -> Iterator[Path]:
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS and not name.endswith(".egg-info"))
        for name in sorted(files):
            if not name.endswith((".pyc", ".sqlite3")) and "sqlite3-" not in name:
                yield Path(folder) / name


def project_files() -> list[Path]:
    """The tracked files (``git ls-files``), or every file of the tree when git is not at hand."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return list(_walk())
    names = listing.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [ROOT / name for name in names if name]


def _text(path: Path) -> str | None:
    """The file's text; None for a binary file, or one deleted but still tracked."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def citations(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if CITATION.search(line):
            yield number, line.strip()


def test_no_file_cites_an_outside_design_document_or_an_issue_number() -> None:
    """Given every file of the project, when each text line is searched, then none cites an
    outside design document or a tracker issue by number."""
    files = project_files()
    found = []
    for path in files:
        if path.resolve() == THIS_FILE:
            continue
        text = _text(path)
        if text is None:
            continue
        found += [f"{path.relative_to(ROOT)}:{number}: {line}" for number, line in citations(text)]

    assert not found, "cite docs/ARCHITECTURE.md or docs/PRIVACY.md instead:\n" + "\n".join(found)
    assert {ROOT / "README.md", ROOT / "backend" / "settings.py"} <= set(files)  # the listing saw the project


def test_the_search_tells_citations_from_prose() -> None:
    """Given citations and look-alikes, the search flags exactly the citations (the guard above
    can fail)."""
    flagged = [
        "see DESIGN.md",
        "(DESIGN §6)",
        "(DESIGN.md §2 rule 7)",
        "../shared/notes.md",
        "issue 5",
        "(issue 9)",
        "issue #3",
        "Issue 12",
        "issues 7 and 8",
    ]
    spared = [
        "report it as a GitHub issue",
        "# pinned until https://github.com/org/repo/issues/123 is released",
        "the issue is the lock",
        "tissue 5",
        "design choices",
        "docs/ARCHITECTURE.md §2, rule 7",
    ]

    assert [text for text in flagged if not CITATION.search(text)] == []
    assert [text for text in spared if CITATION.search(text)] == []
