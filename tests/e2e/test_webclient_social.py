"""The web client's feeds, search, hashtag and profile pages, blocks and settings, in headless
chromium against a live server: what the viewer may not see stays off every screen, a block
turns the profile into a missing one and takes its videos off For You, and settings survive a
reload."""

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.models import AccountType, Block, Follow, Mute, User
from engagement.models import Visibility
from tests.e2e.browser import BROWSER_TEST_MARKS, open_screen
from tests.e2e.conftest import SignIn
from tests.factories import make_follow, make_user, make_video

pytestmark = BROWSER_TEST_MARKS

SUNSET = "Sunset timelapse #Beach <b>not bold</b>"
STREET_FOOD = "Street food tour"
PRIVATE = "Private rehearsal"
FILLERS = 11  # with the two above, one more than a page of For You (12)


@dataclass
class World:
    viewer: User
    followed: User
    stranger: User


@pytest.fixture
def world() -> World:
    """A viewer who follows one creator (a public video, with a hashtag and markup in its caption,
    and a private one) but not another (one public video), and an account with enough videos
    that For You needs a second page."""
    viewer = make_user("e2e_viewer")
    followed = make_user("e2e_creator", account_type=AccountType.CREATOR)
    stranger = make_user("e2e_stranger", account_type=AccountType.CREATOR)
    filler = make_user("e2e_filler")
    make_video(followed, caption=SUNSET)
    make_video(followed, caption=PRIVATE, visibility=Visibility.PRIVATE)
    make_video(stranger, caption=STREET_FOOD)
    for number in range(FILLERS):
        make_video(filler, caption=f"Filler clip {number}")
    make_follow(viewer, followed)
    return World(viewer=viewer, followed=followed, stranger=stranger)


def card(page: Page, caption: str) -> Locator:
    return page.locator("[data-testid=video-card]").filter(has=page.get_by_role("heading", name=caption, exact=True))


def search(page: Page, words: str, path: str) -> None:
    """Search from the nav's box, as a person does, and wait for the results screen."""
    page.locator("#search-form input").fill(words)
    page.locator("#search-form button").click()
    page.wait_for_selector(f"body[data-ready='search/{path}']")


def test_for_you_pages_what_the_viewer_may_see_and_following_shows_followed_accounts(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    page = sign_in(world.viewer)  # For You is the home screen
    cards = page.locator("#feed [data-testid=video-card]")
    expect(cards).to_have_count(12)

    page.locator(".more").click()

    expect(cards).to_have_count(FILLERS + 2)
    expect(page.locator(".more")).to_be_hidden()
    expect(card(page, SUNSET)).to_be_visible()
    expect(card(page, STREET_FOOD)).to_be_visible()
    expect(card(page, PRIVATE)).to_have_count(0)

    page.locator("[data-tab=following]").click()
    page.wait_for_selector("body[data-ready='feed/following']")
    expect(cards).to_have_count(1)
    expect(card(page, SUNSET)).to_be_visible()


def test_search_finds_a_video_by_caption_word_and_hashtag_and_its_tag_link_opens_the_tag_page(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    page = sign_in(world.viewer)
    search(page, "sunset", "sunset")
    expect(card(page, SUNSET)).to_be_visible()
    expect(page.locator("#search-hashtags .empty")).to_have_text("No hashtags start with this.")

    search(page, "#beach", "%23beach")
    expect(page.locator("#search-hashtags a.tag[data-tag=beach]")).to_be_visible()
    sunset = card(page, SUNSET)
    expect(sunset).to_be_visible()
    # The caption is text: its markup shows as typed, and only the hashtag became a link.
    expect(sunset.locator("h3")).to_have_text(SUNSET)
    expect(sunset.locator("h3 b")).to_have_count(0)

    sunset.locator("a.tag").click()
    page.wait_for_selector("body[data-ready='tag/beach']")
    expect(page.locator("#tag-name")).to_have_text("#beach")
    expect(page.locator("#tag-videos [data-testid=video-card]")).to_have_count(1)

    search(page, "", "")
    expect(page.get_by_test_id("error")).to_have_text("query must not be empty. (BAD_USER_INPUT)")


def test_a_block_from_the_profile_hides_it_and_takes_its_videos_off_for_you(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    """Through the card's username to the profile; Follow; Mute and Unmute; Block, confirmed: the
    profile is then missing, the follow has ended, For You loses the account's video, and Settings
    lists it to unblock."""
    page = sign_in(world.viewer)
    page.locator(".more").click()
    card(page, STREET_FOOD).locator("a.user").click()
    page.wait_for_selector("body[data-ready='user/e2e_stranger']")
    page.locator("button.follow").click()
    expect(page.locator("button.follow")).to_have_text("Following")
    expect(page.locator("#profile-counts")).to_contain_text("1 follower")
    assert Follow.objects.filter(follower=world.viewer, followee=world.stranger).exists()
    mute = page.locator("#mute")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#muted-note")).to_be_visible()
    assert Mute.objects.filter(muter=world.viewer, muted=world.stranger).exists()
    page.locator("#mute").click()
    expect(page.locator("#mute")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("button.follow")).to_have_text("Following")  # the redrawn profile remembers

    page.locator("#block").click()
    expect(page.locator("#block-confirm")).to_contain_text("They are not told")
    page.locator("#block-confirm-button").click()

    expect(page.locator("#profile-missing")).to_contain_text("This account is not available.")
    assert Block.objects.filter(blocker=world.viewer, blocked=world.stranger).exists()
    assert not Follow.objects.filter(follower=world.viewer, followee=world.stranger).exists()
    open_screen(page, live_server.url, "feed")
    expect(page.locator("#feed [data-testid=video-card]")).to_have_count(FILLERS + 1)
    expect(card(page, STREET_FOOD)).to_have_count(0)

    open_screen(page, live_server.url, "settings")
    blocked = page.locator("#blockedUsers [data-testid=account][data-username=e2e_stranger]")
    blocked.get_by_role("button", name="Unblock").click()
    expect(blocked).to_have_text("@e2e_stranger is unblocked.")
    assert not Block.objects.filter(blocker=world.viewer).exists()


def test_notification_settings_and_the_account_type_persist_across_a_reload(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    page = sign_in(world.viewer)
    open_screen(page, live_server.url, "settings")
    notifications = page.locator("#notification-form")
    notifications.locator("input[name=likes]").uncheck()
    notifications.get_by_role("button").click()
    expect(page.locator("#notification-form-status")).to_have_text("Saved.")
    account_type = page.locator("#account-type-form")
    account_type.locator("input[value=BUSINESS]").check()
    account_type.get_by_role("button").click()
    expect(page.locator("#account-type-form-status")).to_have_text("Saved.")

    open_screen(page, live_server.url, "settings")

    expect(page.locator("#notification-form input[name=likes]")).not_to_be_checked()
    expect(page.locator("#notification-form input[name=comments]")).to_be_checked()
    expect(page.locator("#account-type-form input[value=BUSINESS]")).to_be_checked()
    world.viewer.refresh_from_db()
    assert (world.viewer.notify_likes, world.viewer.notify_comments) == (False, True)
    assert world.viewer.account_type == AccountType.BUSINESS


def test_the_time_zone_persists_and_an_unknown_one_is_refused(world: World, sign_in: SignIn, live_server: Any) -> None:
    """The settings' time zone field saves an IANA name; an unknown name shows the server's
    refusal in the banner and keeps the saved one."""
    page = sign_in(world.viewer)
    open_screen(page, live_server.url, "settings")
    form = page.locator("#time-zone-form")
    expect(form.locator("input[name=timeZone]")).to_have_value("UTC")
    form.locator("input[name=timeZone]").fill("Asia/Kolkata")
    form.get_by_role("button").click()
    expect(page.locator("#time-zone-form-status")).to_have_text("Saved.")
    form.locator("input[name=timeZone]").fill("Mars/Olympus_Mons")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("error")).to_contain_text("IANA time zone")

    open_screen(page, live_server.url, "settings")

    expect(page.locator("#time-zone-form input[name=timeZone]")).to_have_value("Asia/Kolkata")
    world.viewer.refresh_from_db()
    assert world.viewer.time_zone == "Asia/Kolkata"
