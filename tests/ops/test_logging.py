"""Log records carry the id of the request they were made in, the one its response carries in
X-Request-ID; DJANGO_LOG_FORMAT=json writes them as JSON lines."""

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from backend.logs import JsonFormatter, RequestIdFilter
from tests.ops.unreachable import unreachable_cache  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the root logger writes through a handler set up like settings.LOGGING's console."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_cache")
def test_a_log_line_made_inside_a_request_carries_its_id(log_lines: io.StringIO) -> None:
    """Given a readiness check that fails (and logs why), then the logged line carries the id
    the response gave the caller, with the detail the response leaves out."""
    response = Client().get("/readyz")

    entries = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    failures = [entry for entry in entries if entry["logger"] == "backend.health"]
    assert response.status_code == 503
    assert [entry["request_id"] for entry in failures] == [response["X-Request-ID"]]
    assert failures[0]["level"] == "WARNING" and "cache server unreachable" in failures[0]["exception"]


def test_a_log_line_outside_any_request_says_so(log_lines: io.StringIO) -> None:
    logging.getLogger("tests.ops").warning("between requests")

    (entry,) = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert entry["request_id"] == "-" and entry["message"] == "between requests"


def test_the_plain_format_shows_the_request_id() -> None:
    record = logging.LogRecord("tests.ops", logging.WARNING, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)

    formatters: Any = settings.LOGGING["formatters"]
    line = logging.Formatter(formatters["plain"]["format"]).format(record)

    assert line.endswith("WARNING tests.ops [-] hello")


@pytest.mark.parametrize(("log_format", "json_lines"), [("json", True), ("plain", False)])
def test_the_configured_handler_writes_the_chosen_format(log_format: str, json_lines: bool) -> None:
    """Given DJANGO_LOG_FORMAT, when a command logs, then the console handler of settings.LOGGING
    writes a JSON line (json) or text with the request id in brackets (the default)."""
    env = {**os.environ, "DJANGO_LOG_FORMAT": log_format, "DATABASE_URL": "sqlite:///:memory:"}
    code = "import logging; logging.getLogger('ops.check').warning('configured %s', 'here')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    if json_lines:
        entry = json.loads(last)
        assert (entry["logger"], entry["message"], entry["request_id"]) == ("ops.check", "configured here", "-")
    else:
        assert last.endswith("WARNING ops.check [-] configured here")
