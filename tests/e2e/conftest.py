"""Browser fixtures: one headless chromium per module, a fresh context (cookie jar) per person."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django import Settings

from accounts.models import User
from tests.e2e.browser import launch, log_in
from tests.factories import password_of

SignIn = Callable[[User], Page]


@pytest.fixture(autouse=True)
def _browser_test_settings(settings: Settings) -> None:
    """The documented privacy threshold, whatever the environment says: the page explains it by
    number."""
    settings.PRIVACY_MIN_AUDIENCE = 100
    settings.PRIVACY_MIN_BUCKET = 10


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread, and Django would
        # take the tests' own ORM calls for calls from async code. The server thread is unaffected.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            yield browser
            browser.close()


@pytest.fixture
def sign_in(browser: Browser, live_server: Any) -> Iterator[SignIn]:
    """``sign_in(user)``: a page of a new browser context, signed in through the log-in form."""
    contexts = []

    def open_as(user: User) -> Page:
        context = browser.new_context(viewport={"width": 1200, "height": 1000})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server.url, user.username, password_of(user.username))
        return page

    yield open_as
    for context in contexts:
        context.close()
