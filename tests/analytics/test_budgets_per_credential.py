"""Each credential spends its own hourly budget (the session, each personal token, each OAuth2
application's grant), so an app polling ``X-RateLimit-Used`` learns nothing of what its user does
in the browser; the user still sees every token's spending in ``Me.accessTokens``."""

from typing import Any

from tests.analytics.conftest import token_for
from tests.api.conftest import World

FAVORITES_PAGE = "{ me { favorites(first: 50) { edges { node { createdAt } } } } }"
PROBE = "{ me { id } }"
SPENT = "{ me { accessTokens { edges { node { name pointsUsedThisHour } } } } }"


def _used(response: Any) -> int:
    return int(response.headers["X-RateLimit-Used"])


def _post(client: Any, query: str) -> Any:
    """The raw HTTP answer (headers included) of the engine's client."""
    return client.http.post(
        client.endpoint,
        data={"query": query},
        content_type="application/json",
        headers=client._credentials(),
    )


def test_a_token_cannot_watch_the_session_spend(gql: Any, world: World) -> None:
    """Given an app polling with the viewer's token, when the viewer opens 50 favorites in the
    browser in between, then the app's X-RateLimit-Used moves by its own probes' cost only."""
    app = gql(token=token_for(world.viewer, "PROFILE_READ"))
    browser = gql(world.viewer)

    before = _used(_post(app, PROBE))
    for _ in range(5):
        _post(browser, FAVORITES_PAGE)
    after = _used(_post(app, PROBE))

    probe_cost = before  # the first probe was the token's first spending this hour
    assert after - before == probe_cost


def test_two_tokens_of_one_person_spend_apart(gql: Any, world: World) -> None:
    """Given two personal tokens of the viewer, then each has its own budget."""
    first = gql(token=token_for(world.viewer, "PROFILE_READ", name="one"))
    second = gql(token=token_for(world.viewer, "PROFILE_READ", name="two"))

    spent_first = [_used(_post(first, PROBE)) for _ in range(3)]
    spent_second = _used(_post(second, PROBE))

    assert spent_first == [spent_second, 2 * spent_second, 3 * spent_second]


def test_the_person_sees_what_each_token_spent(gql: Any, world: World) -> None:
    """Given a token that made three requests and one that made none, then ``Me.accessTokens``
    shows each one's spending this hour to the signed-in person."""
    busy = gql(token=token_for(world.viewer, "PROFILE_READ", name="busy"))
    token_for(world.viewer, "PROFILE_READ", name="idle")
    spent = [_used(_post(busy, PROBE)) for _ in range(3)][-1]

    listed = gql(world.viewer)(SPENT).data["me"]["accessTokens"]["edges"]

    assert {edge["node"]["name"]: edge["node"]["pointsUsedThisHour"] for edge in listed} == {"busy": spent, "idle": 0}
