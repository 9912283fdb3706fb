"""Burst throttles count each credential apart, like budgets: an app can neither tell, by being
refused early, how much its user did elsewhere, nor use up the user's own allowance; the person
still has a ceiling across all their credentials."""

from typing import Any

from pytest_django import Settings

from api.mutations import PERSON_THROTTLE_CEILING
from tests.analytics.conftest import token_for
from tests.api.conftest import World, gid

VIEW = """mutation($id: ID!) {
  recordView(input: {videoId: $id, watchedSeconds: 3, trafficSource: FOR_YOU}) { video { id } }
}"""
LIMIT = 4


def _views(client: Any, world: World, count: int) -> list[list[str]]:
    return [client(VIEW, {"id": gid(world.public_video)}).codes for _ in range(count)]


def test_a_token_cannot_see_or_spend_the_sessions_allowance(gql: Any, world: World, settings: Settings) -> None:
    """Given the viewer recorded three views in the browser, when their token records views, then
    it gets its own full allowance (nothing tells it about the browser's three), and the browser
    still has its last view afterwards."""
    settings.GRAPHQL_MUTATION_THROTTLES = {"recordView": (LIMIT, 60)}
    browser = gql(world.viewer)
    app = gql(token=token_for(world.viewer, "INTERACTIONS_WRITE"))

    before = _views(browser, world, LIMIT - 1)
    by_app = _views(app, world, LIMIT + 1)
    last = _views(browser, world, 1)

    assert before == [[]] * (LIMIT - 1) and last == [[]]
    assert by_app == [[]] * LIMIT + [["RATE_LIMITED"]]


def test_the_person_has_a_ceiling_across_credentials(gql: Any, world: World, settings: Settings) -> None:
    """Given as many tokens as the ceiling allows each spending its whole allowance, then one more
    credential of the same person is refused: new tokens buy no unlimited views."""
    settings.GRAPHQL_MUTATION_THROTTLES = {"recordView": (LIMIT, 60)}
    tokens = [
        gql(token=token_for(world.viewer, "INTERACTIONS_WRITE", name=f"t{n}")) for n in range(PERSON_THROTTLE_CEILING)
    ]

    spent = [_views(client, world, LIMIT) for client in tokens]
    refused = _views(gql(world.viewer), world, 1)

    assert spent == [[[]] * LIMIT] * PERSON_THROTTLE_CEILING
    assert refused == [["RATE_LIMITED"]]
