"""The web client at /app/ in headless chromium against a live server: saves are silent and
private, creators see totals, and the dashboard draws its charts."""

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import AccountType, User
from engagement import services
from engagement.models import Favorite, Video
from tests.analytics.conftest import backdate, days_ago, people, roll_up, watch
from tests.e2e.browser import BROWSER_TEST_MARKS, artifacts_dir, log_in, open_screen
from tests.e2e.conftest import SignIn
from tests.factories import make_follow, make_user, make_video, password_of

pytestmark = BROWSER_TEST_MARKS

CAPTION = "Sunset timelapse"
SUPPRESSED = "fewer than 100 viewers, hidden to protect their privacy"
BREAKDOWN_NOTE = "Counts in breakdowns carry random noise and small groups are folded into \u201cOther\u201d"


@dataclass
class World:
    creator: User
    viewer: User
    video: Video


@pytest.fixture
def world() -> World:
    """A creator (a business account: its dashboard draws every chart, daily saves included) with
    one public video five days old, and a viewer who follows them."""
    creator = make_user("e2e_creator", account_type=AccountType.BUSINESS)
    viewer = make_user("e2e_viewer")
    video = backdate(make_video(creator, caption=CAPTION), 5)
    make_follow(viewer, creator)
    return World(creator=creator, viewer=viewer, video=video)


def card(page: Page) -> Any:
    return page.locator(f"[data-testid=video-card][data-caption='{CAPTION}']")


def test_a_viewer_saves_a_video_and_finds_it_in_favorites(world: World, sign_in: SignIn, live_server: Any) -> None:
    page = sign_in(world.viewer)
    save = card(page).locator("button.save")
    expect(save).to_have_attribute("aria-pressed", "false")

    save.click()

    expect(save).to_have_attribute("aria-pressed", "true")
    expect(save).to_contain_text("Saved")
    open_screen(page, live_server.url, "favorites")
    favorites = page.locator("[data-testid=favorite]")
    expect(favorites).to_have_count(1)
    expect(favorites.first).to_have_attribute("data-caption", CAPTION)
    assert Favorite.objects.filter(user=world.viewer, video=world.video).count() == 1


def test_another_viewer_does_not_see_the_save(world: World, browser: Browser, live_server: Any) -> None:
    """Someone new signs up through the form: their favorites are empty, and the saved video
    shows as not saved for them."""
    services.favorite_add(actor=world.viewer, video_id=world.video.pk)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/app/")
    form = page.locator("#signup-form")
    form.locator("input[name=username]").fill("e2e_other")
    form.locator("input[name=email]").fill("other@example.com")
    form.locator("input[name=password]").fill("a-long-enough-password-1")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("body[data-ready='feed']")
    expect(page.locator("#me")).to_have_text("@e2e_other")

    open_screen(page, live_server.url, "favorites")
    expect(page.locator("#favorites-empty")).to_be_visible()
    expect(page.locator("[data-testid=favorite]")).to_have_count(0)

    open_screen(page, live_server.url, "user/e2e_creator")
    save = card(page).locator("button.save")
    expect(save).to_have_attribute("aria-pressed", "false")
    expect(save).to_contain_text("Save")
    context.close()


def test_logging_in_draws_the_feed_once(world: World, browser: Browser, live_server: Any) -> None:
    """One log-in, one For You query: a second drawing would replace the buttons a person may
    already have clicked, and their like would seem lost."""
    page = browser.new_context().new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.post_data or ""))
    log_in(page, live_server.url, world.viewer.username, password_of(world.viewer.username))
    page.wait_for_load_state("networkidle")
    assert sum("query ForYou" in body for body in requests) == 1
    page.context.close()


def test_logging_out_from_any_screen_shows_the_log_in_form(world: World, sign_in: SignIn, live_server: Any) -> None:
    page = sign_in(world.viewer)
    for screen in ("feed", "settings"):
        open_screen(page, live_server.url, screen)
        page.locator("#logout").click()
        expect(page.locator("#login-form")).to_be_visible()
        expect(page.locator("#nav a")).to_have_count(0)
        log_in(page, live_server.url, world.viewer.username, password_of(world.viewer.username))


def test_the_creator_sees_the_save_total_rise_and_no_notification(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    """The viewer likes and saves: the creator's save total goes from 0 to 1, and their only
    notification is the like."""
    creator = sign_in(world.creator)
    open_screen(creator, live_server.url, "insights")
    expect(creator.get_by_test_id("save-count")).to_contain_text("0")

    viewer = sign_in(world.viewer)
    card(viewer).locator("button.like").click()
    expect(card(viewer).locator("button.like")).to_have_attribute("aria-pressed", "true")
    card(viewer).locator("button.save").click()
    expect(card(viewer).locator("button.save")).to_have_attribute("aria-pressed", "true")

    open_screen(creator, live_server.url, "insights")
    expect(creator.get_by_test_id("save-count")).to_contain_text("1")
    open_screen(creator, live_server.url, "notifications")
    notifications = creator.locator("[data-testid=notification]")
    expect(notifications).to_have_count(1)
    expect(notifications.first).to_have_attribute("data-kind", "LIKE")


def test_the_dashboard_renders_its_charts(world: World, sign_in: SignIn, live_server: Any, settings: Any) -> None:
    """Three views two days ago, rolled up (one-day periods, so that day's period has ended
    whatever the date): two line charts with a point per day, both breakdowns suppressed (three
    viewers are far below the threshold) and said so in words, and the note that breakdown counts
    are noised."""
    settings.PRIVACY_PERIOD_DAYS = 1
    watch(world.video, people(3), days_ago(2))
    roll_up(days_ago(6))
    page = sign_in(world.creator)

    open_screen(page, live_server.url, "insights")

    lines = page.locator("#dashboard svg.line-chart")
    expect(lines).to_have_count(2)
    expect(lines.first.locator("polyline")).to_have_count(1)
    assert lines.first.locator("circle").count() >= 3  # one point per rolled-up day
    expect(lines.first).to_contain_text("3")  # the y axis tops out at the busiest day
    # Retention, traffic sources, countries, genders, ages, viewer types, devices and share
    # channels; follower genders, ages, devices, first active hour and the week.
    expect(page.locator("#dashboard [data-testid=suppressed]")).to_have_count(8)
    expect(page.locator("#followers [data-testid=suppressed]")).to_have_count(5)
    expect(page.get_by_test_id("suppressed").first).to_contain_text(SUPPRESSED)
    expect(page.get_by_test_id("error")).to_have_count(0)
    expect(page.get_by_test_id("breakdown-note")).to_contain_text(BREAKDOWN_NOTE)
    shot = artifacts_dir() / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_the_overview_compares_with_the_previous_period_and_the_export_downloads(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    """Two views in the previous 28 days and three in the last: the overview shows 3 views, 50%
    more than before; the export button has the worker build the CSV and offers its link, whose
    file holds the account's and the video's rows."""
    older = backdate(make_video(world.creator, caption="older"), 40)
    watch(older, people(2), days_ago(30))
    watch(world.video, people(3), days_ago(2))
    roll_up(days_ago(35))
    page = sign_in(world.creator)

    open_screen(page, live_server.url, "insights")

    views = page.get_by_test_id("overview-views")
    expect(views).to_contain_text("3")
    expect(views.get_by_test_id("change")).to_have_text("+50% vs previous")
    expect(page.get_by_test_id("net-followers")).to_be_visible()
    page.get_by_test_id("export").click()
    link = page.get_by_test_id("export-link")
    expect(link).to_be_visible()
    answer = page.request.get(link.get_attribute("href") or "")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = answer.text().splitlines()
    assert lines[0].startswith("date,scope,video_id,video_title,views")
    assert any(",VIDEO," in line and CAPTION in line for line in lines)
    expect(page.get_by_test_id("error")).to_have_count(0)
