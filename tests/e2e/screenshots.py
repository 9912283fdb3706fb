"""Take the README's screenshots from a running server with the demo data (``make run``).

Usage: ``python -m tests.e2e.screenshots --url http://127.0.0.1:8000 --out docs/screenshots``
"""

import argparse
from pathlib import Path
from typing import NamedTuple

from playwright.sync_api import sync_playwright

from tests.e2e.browser import launch, log_in, open_screen

PASSWORD = "demo-password-123"


class Shot(NamedTuple):
    """One picture: a screen's first view as ``account`` sees it, after clicking ``click`` if given."""

    account: str
    screen: str
    name: str
    height: int
    click: str | None = None


SHOTS = (
    Shot("demo_viewer", "favorites", "favorites", 760),
    Shot("demo_creator", "insights", "dashboard", 1180),
    Shot("demo_viewer", "feed", "for-you", 900),
    Shot("demo_viewer", "search/pa", "search", 1000),
    Shot("demo_viewer", "user/demo_creator", "profile", 760, click="#block"),
    Shot("demo_viewer", "settings", "settings", 1180),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for shot in SHOTS:
            context = browser.new_context(viewport={"width": 1100, "height": shot.height})
            page = context.new_page()
            log_in(page, args.url, shot.account, PASSWORD)
            open_screen(page, args.url, shot.screen)
            if shot.click:
                page.locator(shot.click).click()
            page.screenshot(path=str(args.out / f"{shot.name}.png"))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
