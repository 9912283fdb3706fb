"""A subscription sent over HTTP is refused by the transport, on both engines alike: a request
error coded BAD_USER_INPUT that says where subscriptions are served, before either engine runs."""

from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import ENDPOINTS
from tests.factories import make_user

pytestmark = pytest.mark.both_engines

SUBSCRIPTION = "subscription Live { notifications { unreadNotificationCount } }"
REFUSAL = "Subscriptions are served over WebSocket (the graphql-transport-ws protocol) at this path, not over HTTP."


def test_a_subscription_posted_over_http_is_refused(gql: Any) -> None:
    """Given a signed-in viewer, when they POST a subscription, then the answer is a request
    error (no ``data``) coded BAD_USER_INPUT, with a request id, naming the WebSocket."""
    response = gql(make_user("viewer"))(SUBSCRIPTION)

    assert response.status == 200
    assert "data" not in response.body
    assert [error["message"] for error in response.errors] == [REFUSAL]
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["requestId"]


def test_a_subscription_over_get_is_refused_the_same_way(engine: str, db: None) -> None:
    """GET is for queries: a subscription there gets the same refusal, 400 under the GraphQL
    response media type as every request error."""
    response = Client().get(
        ENDPOINTS[engine], {"query": SUBSCRIPTION}, headers={"Accept": "application/graphql-response+json"}
    )

    assert response.status_code == 400
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["message"] == REFUSAL
