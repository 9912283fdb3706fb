"""Helpers shared by the browser tests and the screenshot script: Debian's chromium driven by
Playwright (never a downloaded browser), and the client's screens reached as a person would."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright

CHROMIUM_MISSING = "chromium not installed: apt-get install chromium"
ROOT = Path(__file__).resolve().parents[2]


def chromium_path() -> str | None:
    return shutil.which("chromium")


# The marks of every browser test module: skipped without chromium, and on transactions of their
# own, since the live server's thread must see what the test wrote.
BROWSER_TEST_MARKS = [
    pytest.mark.e2e,
    pytest.mark.skipif(chromium_path() is None, reason=CHROMIUM_MISSING),
    pytest.mark.django_db(transaction=True),
]


def artifacts_dir() -> Path:
    """Where screenshots go: ``E2E_ARTIFACTS`` or ``artifacts/e2e`` (gitignored)."""
    path = Path(os.environ.get("E2E_ARTIFACTS") or ROOT / "artifacts" / "e2e")
    path.mkdir(parents=True, exist_ok=True)
    return path


def launch(playwright: Playwright) -> Browser:
    executable = chromium_path()
    if executable is None:
        raise RuntimeError(CHROMIUM_MISSING)
    # --no-sandbox: CI containers run as root, where chromium's sandbox refuses to start.
    return playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])


def open_screen(page: Page, base_url: str, route: str) -> None:
    """Load a screen afresh and wait until it has rendered (main.js sets ``data-ready``). Going
    through about:blank makes it a real load even when only the #hash would differ."""
    page.goto("about:blank")
    page.goto(f"{base_url}/app/#/{route}")
    page.wait_for_selector(f"body[data-ready='{route}']")


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/app/")
    form = page.locator("#login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("body[data-ready='feed']")
