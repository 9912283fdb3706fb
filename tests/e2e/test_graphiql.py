"""GraphiQL at both GraphQL endpoints in headless chromium against a live server: a fresh browser
opens it, queries anonymously, signs in through GraphiQL itself and saves a video, and the page
asks nothing of any origin but ours, under its own Content-Security-Policy."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, Request, expect
from pytest_django import Settings

from accounts.models import AccountType, User
from engagement.models import Favorite, Video
from kernel.ids import global_id
from tests.api.conftest import ENDPOINTS
from tests.e2e.browser import BROWSER_TEST_MARKS
from tests.factories import make_user, make_video, password_of

pytestmark = BROWSER_TEST_MARKS

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
LOG_IN = 'mutation {{ logIn(input: {{username: "{username}", password: "{password}"}}) {{ user {{ username }} }} }}'
FAVORITE = 'mutation {{ favoriteVideo(input: {{videoId: "{video_id}"}}) {{ video {{ viewerHasSaved }} }} }}'


@dataclass
class World:
    creator: User
    viewer: User
    video: Video


@dataclass
class Visit:
    """A page of a fresh browser context, with every request it made and every error it logged
    (a script error, or a Content-Security-Policy violation)."""

    page: Page
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def posts(self) -> list[str]:
        return [urlsplit(request.url).path for request in self.requests if request.method == "POST"]


@pytest.fixture(autouse=True)
def _ide_on(settings: Settings) -> None:
    settings.GRAPHQL_IDE = True


@pytest.fixture
def world() -> World:
    creator = make_user("ide_creator", account_type=AccountType.CREATOR)
    return World(creator=creator, viewer=make_user("ide_viewer"), video=make_video(creator, caption="Tide pools"))


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def open_graphiql(context: BrowserContext, url: str) -> Visit:
    """Open ``url`` as a browser does (``Accept: text/html``) and wait for GraphiQL's editor."""
    visit = Visit(context.new_page())
    visit.page.on("request", lambda request: visit.requests.append(request))
    visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.errors.append(message.text)

    visit.page.on("console", on_console)
    visit.page.goto(url)
    visit.page.wait_for_selector(QUERY_EDITOR)
    return visit


def run(page: Page, document: str) -> None:
    """Put ``document`` in GraphiQL's editor (CodeMirror's own API: typing would meet its
    bracket completion) and press GraphiQL's run button."""
    page.evaluate(
        "([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text)", [QUERY_EDITOR, document]
    )
    page.locator(".graphiql-execute-button").click()


def answer(page: Page) -> Locator:
    return page.locator(".graphiql-response")


def assert_only_our_origin(visit: Visit, origin: str) -> None:
    assert [request.url for request in visit.requests if not request.url.startswith(origin + "/")] == []


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_a_fresh_browser_queries_signs_in_and_saves_through_graphiql(
    world: World, context: BrowserContext, live_server: Any, endpoint: str
) -> None:
    assert context.cookies() == []
    visit = open_graphiql(context, f"{live_server.url}{endpoint}")
    page = visit.page
    expect(page.locator("#endpoint")).to_have_value(endpoint)

    run(page, 'query { user(username: "ide_creator") { username } }')
    expect(answer(page)).to_contain_text('"username": "ide_creator"')

    run(page, LOG_IN.format(username="ide_viewer", password=password_of("ide_viewer")))
    expect(answer(page)).to_contain_text('"username": "ide_viewer"')

    run(page, FAVORITE.format(video_id=global_id("Video", world.video.pk)))
    expect(answer(page)).to_contain_text('"viewerHasSaved": true')

    assert Favorite.objects.filter(user=world.viewer, video=world.video).count() == 1
    assert set(visit.posts()) == {endpoint}
    assert_only_our_origin(visit, live_server.url)
    assert visit.errors == []


def test_the_select_switches_graphiql_to_the_other_endpoint(context: BrowserContext, live_server: Any) -> None:
    visit = open_graphiql(context, f"{live_server.url}{ENDPOINTS['strawberry']}")
    page = visit.page

    page.locator("#endpoint").select_option(ENDPOINTS["graphene"])
    run(page, "query { __typename }")

    expect(answer(page)).to_contain_text('"__typename": "Query"')
    assert urlsplit(page.url).path == ENDPOINTS["graphene"]  # a reload stays on graphene
    assert visit.posts()[-1] == ENDPOINTS["graphene"]
    assert_only_our_origin(visit, live_server.url)
    assert visit.errors == []
