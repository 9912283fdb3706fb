"""Live notifications in the web client, in headless chromium against the ASGI application (HTTP
and WebSockets): a like by someone else raises the creator's unread badge without a reload."""

from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.e2e.browser import BROWSER_TEST_MARKS, artifacts_dir, log_in
from tests.factories import make_follow, make_user, make_video, password_of

pytestmark = BROWSER_TEST_MARKS

CAPTION = "Live from the harbour"


def _signed_in(browser: Browser, url: str, user: User) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 560})
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, url, user.username, password_of(user.username))
    return page


def test_a_like_by_someone_else_raises_the_badge_live(browser: Browser, asgi_live_server: str) -> None:
    """Given the creator's page open with no unread notification, when a fan likes the creator's
    video from their own browser, then the creator's Notifications badge shows 1, with no reload
    of the creator's page (the same document throughout)."""
    creator, fan = make_user("live_creator"), make_user("live_fan")
    make_video(creator, caption=CAPTION)
    make_follow(fan, creator)
    creator_page = _signed_in(browser, asgi_live_server, creator)
    badge = creator_page.locator("#unread-count")
    expect(badge).to_have_attribute("data-count", "0")
    expect(badge).to_be_hidden()
    creator_page.evaluate("window.sameDocument = true")

    fan_page = _signed_in(browser, asgi_live_server, fan)
    like = fan_page.locator(f"[data-testid=video-card][data-caption='{CAPTION}'] button.like")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")

    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    assert creator_page.evaluate("window.sameDocument") is True
    creator_page.screenshot(path=str(artifacts_dir() / "live-notification-badge.png"))
    for page in (creator_page, fan_page):
        page.context.close()
