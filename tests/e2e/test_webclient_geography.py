"""The web client's geographic analytics in headless chromium against a live server: a region
picked in Settings from the country's subdivisions is kept, and the insights' country filter
narrows the breakdowns to one country's viewers and shows its regions and daily viewers."""

import math
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings

from accounts.models import AccountType, User
from engagement.models import Video
from tests.analytics.conftest import backdate, days_ago, follow_all, people, roll_up, watch
from tests.e2e.browser import BROWSER_TEST_MARKS, artifacts_dir, open_screen
from tests.e2e.conftest import SignIn
from tests.factories import make_user, make_video

pytestmark = BROWSER_TEST_MARKS

NOT_A_COUNTRY = "country must be an ISO 3166-1 alpha-2 code such as FR."


@pytest.fixture
def creator() -> User:
    return make_user("e2e_creator", account_type=AccountType.CREATOR)


@pytest.fixture
def watched(creator: User, settings: Settings) -> Video:
    """Two days ago (one-day periods, so that day's period has ended), 150 viewers of the
    creator's video, rolled up without noise: in France 70 women of Île-de-France and 50 men of
    Auvergne-Rhône-Alpes, who all follow the creator, in Germany 30 men."""
    settings.PRIVACY_PERIOD_DAYS = 1
    settings.PRIVACY_EPSILON = math.inf
    settings.PRIVACY_GEO_EPSILON = math.inf
    video = backdate(make_video(creator, caption="Street food tour"), 5)
    viewers = [
        *people(70, country="FR", region="FR-IDF", gender="FEMALE"),
        *people(50, country="FR", region="FR-ARA", gender="MALE"),
        *people(30, country="DE", gender="MALE"),
    ]
    watch(video, viewers, days_ago(2))
    follow_all(viewers[:120], creator, days_ago(3))
    roll_up(days_ago(6))
    return video


def location(page: Page) -> Any:
    return page.locator("#location-form")


def pick_country(page: Page, code: str) -> None:
    field = location(page).locator("input[name=country]")
    field.fill(code)
    field.press("Tab")  # the list reloads when the field changes


def test_a_region_picked_in_settings_is_kept_after_a_reload(creator: User, sign_in: SignIn, live_server: Any) -> None:
    """A code that is no country is refused under the field, in the server's words and without
    its error code; France's regions are listed by name, the one picked is kept, and a new
    country empties it, on the page as on the server."""
    page = sign_in(creator)
    open_screen(page, live_server.url, "settings")
    pick_country(page, "XX")
    expect(page.locator("#location-country-error")).to_have_text(NOT_A_COUNTRY)
    pick_country(page, "F")
    location(page).get_by_role("button").click()
    expect(page.locator("#location-form-status")).to_have_text("Not saved.")
    expect(page.locator("#location-country-error")).to_have_text(NOT_A_COUNTRY)
    expect(page.get_by_test_id("error")).to_have_count(0)

    pick_country(page, "FR")
    expect(page.locator("#country-name")).to_have_text("France")
    location(page).locator("select[name=region]").select_option(label="Île-de-France")
    location(page).get_by_role("button").click()
    expect(page.locator("#location-form-status")).to_have_text("Saved.")
    open_screen(page, live_server.url, "settings")

    expect(location(page).locator("input[name=country]")).to_have_value("FR")
    expect(location(page).locator("select[name=region]")).to_have_value("FR-IDF")
    location(page).screenshot(path=str(artifacts_dir() / "settings-location.png"))
    creator.refresh_from_db()
    assert (creator.country, creator.region) == ("FR", "FR-IDF")

    pick_country(page, "DE")
    expect(location(page).locator("select[name=region]")).to_have_value("")
    expect(location(page).locator("select[name=region] option", has_text="Bayern")).to_have_count(1)
    location(page).get_by_role("button").click()
    expect(page.locator("#location-form-status")).to_have_text("Saved.")
    creator.refresh_from_db()
    assert (creator.country, creator.region) == ("DE", "")


def test_picking_a_country_narrows_the_breakdowns_to_its_viewers(
    creator: User, watched: Video, sign_in: SignIn, live_server: Any
) -> None:
    """All countries: 70 women and 80 men (47% and 53%). France: 70 women and 50 men (58% and
    42%), its viewers' and followers' regions by name, and its viewers per day; the page says in
    a line that a country's figures carry more noise."""
    page = sign_in(creator)
    open_screen(page, live_server.url, "insights")
    genders = page.locator("#dashboard svg.bar-chart", has_text="Genders")
    expect(genders).to_contain_text("47%")
    expect(page.locator("#country-filter option")).to_have_text(["All countries", "Germany (DE)", "France (FR)"])

    page.locator("#country-filter").select_option("FR")

    genders = page.locator("#dashboard svg.bar-chart", has_text="Genders in France (FR)")
    expect(genders).to_contain_text("58%")
    expect(genders).to_contain_text("42%")
    regions = page.locator("#dashboard svg.bar-chart", has_text="Regions in France (FR)")
    expect(regions).to_contain_text("Île-de-France")
    expect(regions).to_contain_text("Auvergne-Rhône-Alpes")
    followers = page.locator("#followers svg.bar-chart", has_text="Follower regions in France (FR)")
    expect(followers).to_contain_text("Île-de-France")
    expect(followers).to_contain_text("58%")
    daily = page.locator("#dashboard svg.line-chart", has_text="Daily viewers in France (FR)")
    expect(daily.locator("circle title", has_text=f"{days_ago(2).isoformat()}: 120")).to_have_count(1)
    expect(page.get_by_test_id("country-note")).to_contain_text("more noise")
    expect(page.get_by_test_id("error")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir() / "insights-country.png"), full_page=True)

    page.locator("#country-filter").select_option("")

    expect(page.locator("#dashboard svg.bar-chart", has_text="Genders,")).to_contain_text("47%")
    expect(page.locator("#dashboard svg.line-chart", has_text="Daily viewers in")).to_have_count(0)


def test_with_geographic_analytics_off_the_filter_says_so(
    creator: User, watched: Video, sign_in: SignIn, live_server: Any, settings: Settings
) -> None:
    """The server answers FORBIDDEN to a country: the page falls back to every country and
    replaces the filter with a line saying why, with no error in the banner."""
    page = sign_in(creator)
    open_screen(page, live_server.url, "insights")
    settings.PRIVACY_GEO_EPSILON = 0

    page.locator("#country-filter").select_option("FR")

    expect(page.get_by_test_id("geo-off")).to_contain_text("turned off")
    expect(page.locator("#country-filter")).to_have_count(0)
    expect(page.locator("#dashboard svg.bar-chart", has_text="Genders,")).to_contain_text("47%")
    expect(page.get_by_test_id("error")).to_have_count(0)
