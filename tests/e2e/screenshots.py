"""Take the README's screenshots from a running server with the demo data (``make run``).

Usage: ``python -m tests.e2e.screenshots --url http://127.0.0.1:8000 --out docs/screenshots``
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.browser import launch, log_in, open_screen

PASSWORD = "demo-password-123"
# (account, screen, file name, viewport height): each picture shows one screen's first view.
SHOTS = (
    ("demo_viewer", "favorites", "favorites", 760),
    ("demo_creator", "insights", "dashboard", 1180),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for username, route, name, height in SHOTS:
            context = browser.new_context(viewport={"width": 1100, "height": height})
            page = context.new_page()
            log_in(page, args.url, username, PASSWORD)
            open_screen(page, args.url, route)
            page.screenshot(path=str(args.out / f"{name}.png"))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
