"""Operation limits and cost budgets, identical on both engines (docs/ARCHITECTURE.md, "Security defaults")."""

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from api import limits
from engagement.analytics import privacy as analytics_privacy
from tests.api.conftest import ENDPOINTS
from tests.factories import make_user


def post(client: Client, engine: str, query: str, accept: str = "application/json", **extra: Any) -> Any:
    body = json.dumps({"query": query, **extra})
    response = client.post(ENDPOINTS[engine], data=body, content_type="application/json", headers={"Accept": accept})
    return response, json.loads(response.content)


# A refused operation is a GraphQL request error (GraphQL over HTTP): no data, and 200 under
# application/json (a client trusts no other status there) or 400 under the GraphQL media type.
REFUSED = {"application/json": 200, "application/graphql-response+json": 400}


# Field levels: me 1, videos 2, edges 3, node 4, owner 5, videos 6, edges 7, node 8, then 9, 10, 11.
DEPTH_10 = (
    "{ me { videos(first: 1) { edges { node { owner { videos(first: 1) { edges { node { owner { id } } } } } } } } } }"
)
DEPTH_11 = (
    "{ me { videos(first: 1) { edges { node { owner { videos(first: 1) { edges { node"
    " { comments(first: 1) { edges { cursor } } } } } } } } } } }"
)


@pytest.fixture
def client(db: None) -> Client:
    return Client()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ a: me { id } " + " ".join(f"a{n}: me {{ id }}" for n in range(15)) + " }", "number of aliases is 16"),
        ("{ me { id " + "@include(if: true) " * 21 + "} }", "number of directives is 21"),
        (
            # 1 + 1 + 100 edges + 100 nodes, then 100 x (1 + 100 + 100) for the comments
            "{ me { videos(first: 100) { edges { node { comments(first: 100) { edges { node { id } } } } } } } }",
            "cost is 20302",
        ),
        ("{ " + "me { id } " * 1100 + "}", "more than 2000 tokens"),
    ],
    ids=["aliases", "directives", "cost", "tokens"],
)
@pytest.mark.parametrize("accept", sorted(REFUSED))
def test_an_operation_over_a_limit_is_refused_before_it_runs(
    client: Client, engine: str, query: str, message: str, accept: str
) -> None:
    response, body = post(client, engine, query, accept=accept)

    assert response.status_code == REFUSED[accept] and "data" not in body
    assert response["Content-Type"] == f"{accept}; charset=utf-8"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in body["errors"][0]["message"]


DAILY = """query($from: Date!, $to: Date!) { me { videos(first: 100) { edges { node {
  insights { daily(from: $from, to: $to) { date views } } } } } } }"""


@pytest.mark.parametrize(
    ("dates", "cost"),
    [
        # 1 + 1 + 100 edges + 100 nodes + 100 insights, then 100 x the days of the range
        (("2026-01-01", "2026-01-07"), 1 + 1 + 100 + 100 + 100 + 100 * 7),
        (("2026-01-01", "2026-12-31"), 1 + 1 + 100 + 100 + 100 + 100 * 365),
        (("2026-01-01", "not a date"), 1 + 1 + 100 + 100 + 100 + 100 * 366),  # counted at the widest
    ],
    ids=["a-week", "a-year", "unreadable"],
)
def test_a_daily_series_costs_one_object_per_day(
    client: Client, engine: str, dates: tuple[str, str], cost: int
) -> None:
    """A series is a list, not a connection: its length is its range, and 100 videos' yearly
    series is over the ceiling while their weekly one is not."""
    client.force_login(make_user("analyst"))

    response, body = post(client, engine, DAILY, variables={"from": dates[0], "to": dates[1]})

    if cost <= 10_000:
        assert response.status_code == 200, body
        assert int(response["X-RateLimit-Cost"]) == cost
    else:
        assert response.status_code == 200 and "data" not in body
        assert f"cost is {cost}" in body["errors"][0]["message"]


def test_the_longest_series_the_cost_walk_assumes_is_the_longest_range_insights_accept() -> None:
    assert limits.MAX_SERIES_DAYS == analytics_privacy.MAX_RANGE_DAYS


def test_depth_eleven_is_refused_and_ten_is_not(client: Client, engine: str) -> None:
    user = make_user("deep")
    client.force_login(user)

    too_deep, body = post(client, engine, DEPTH_11)
    deep_enough, _ = post(client, engine, DEPTH_10)

    assert too_deep.status_code == 200 and "depth is 11" in body["errors"][0]["message"]
    assert deep_enough.status_code == 200


def test_the_standard_introspection_query_fits_the_limits(client: Client, engine: str) -> None:
    """GraphiQL and codegen tools introspect: `ofType` chains are bounded and do not count."""
    from graphql import get_introspection_query

    response, body = post(client, engine, get_introspection_query(descriptions=True))

    assert response.status_code == 200 and "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_rate_limit_field_and_headers_report_the_budget(client: Client, engine: str, settings: Settings) -> None:
    """GitHub-style: the cost of this request, what is left this hour, and when it resets."""
    settings.GRAPHQL_HOURLY_BUDGET_IP = 1000
    query = "{ rateLimit { limit cost remaining resetAt } me { id } }"

    _first, body = post(client, engine, query)
    second, body_again = post(client, engine, query)

    assert body["data"]["rateLimit"]["limit"] == 1000
    assert body["data"]["rateLimit"]["cost"] == 2  # rateLimit and me: two objects
    assert body["data"]["rateLimit"]["remaining"] == 998
    assert body_again["data"]["rateLimit"]["remaining"] == 996
    assert second["X-RateLimit-Limit"] == "1000" and second["X-RateLimit-Remaining"] == "996"
    assert second["X-RateLimit-Cost"] == "2" and int(second["X-RateLimit-Reset"]) > 0


def test_a_spent_budget_answers_rate_limited_with_the_wait(client: Client, engine: str, settings: Settings) -> None:
    settings.GRAPHQL_HOURLY_BUDGET_USER = 400
    client.force_login(make_user("spender"))
    query = "{ me { videos(first: 100) { edges { node { id owner { id } } } } } }"  # cost 302

    allowed, _ = post(client, engine, query)
    refused, body = post(client, engine, query)

    assert allowed.status_code == 200
    assert refused.status_code == 429
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert body["errors"][0]["extensions"]["retryAfter"] >= 1
    assert int(refused["Retry-After"]) >= 1


def test_budgets_are_per_user(client: Client, engine: str, settings: Settings) -> None:
    """One user spending their budget leaves another's intact."""
    settings.GRAPHQL_HOURLY_BUDGET_USER = 3
    client.force_login(make_user("first"))
    post(client, engine, "{ me { id } }")
    post(client, engine, "{ me { id } }")
    post(client, engine, "{ me { id } }")
    spent, _ = post(client, engine, "{ me { id } }")
    other = Client()
    other.force_login(make_user("second"))

    fresh, _ = post(other, engine, "{ me { id } }")

    assert spent.status_code == 429 and fresh.status_code == 200
