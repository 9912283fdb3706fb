"""graphql-cop's probe battery, replayed against both engines; each probe must hold."""

import json
from typing import Any

import pytest
from django.test import Client
from graphql import get_introspection_query

from engagement.models import FavoriteCollection
from tests.api.conftest import ENDPOINTS
from tests.factories import make_user

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def client(db: None) -> Client:
    return Client()


def post(client: Client, engine: str, payload: Any) -> Any:
    return client.post(ENDPOINTS[engine], data=json.dumps(payload), content_type="application/json")


def refused(response: Any, words: str) -> bool:
    """A GraphQL request error under application/json: 200 (GraphQL over HTTP), no ``data``,
    ``words`` in the first message."""
    body = response.json()
    return response.status_code == 200 and "data" not in body and words in body["errors"][0]["message"]


def test_introspection_is_on_as_documented(client: Client, engine: str) -> None:
    """The schema is public (committed as schema.graphql); the README says introspection stays on."""
    response = post(client, engine, {"query": get_introspection_query()})

    assert response.status_code == 200 and "__schema" in response.json()["data"]


def test_field_suggestions_are_off(client: Client, engine: str) -> None:
    body = post(client, engine, {"query": "{ vide { id } }"}).json()

    assert "Did you mean" not in json.dumps(body)


def test_mutation_over_get_is_refused(client: Client, engine: str) -> None:
    client.force_login(make_user("victim"))

    mutation = 'mutation { createCollection(input: {name: "x"}) { clientMutationId } }'

    response = client.get(ENDPOINTS[engine], {"query": mutation})

    assert response.status_code == 405 and not FavoriteCollection.objects.exists()


def test_url_encoded_post_is_refused(client: Client, engine: str) -> None:
    """graphql-cop's "POST based url-encoded query (possible CSRF)"."""
    response = client.post(ENDPOINTS[engine], data={"query": "{ __typename }"})

    assert response.status_code in (403, 415)


def test_alias_overloading_is_refused(client: Client, engine: str) -> None:
    query = "{ " + " ".join(f"a{n}: __typename" for n in range(101)) + " }"

    response = post(client, engine, {"query": query})

    assert refused(response, "aliases")


def test_batch_overloading_is_refused(client: Client, engine: str) -> None:
    response = post(client, engine, [{"query": "{ __typename }"}] * 10)

    assert response.status_code == 400


def test_directive_overloading_is_refused(client: Client, engine: str) -> None:
    response = post(client, engine, {"query": "query { __typename " + "@aa" * 50 + " }"})

    assert refused(response, "directives")


def test_circular_introspection_is_refused(client: Client, engine: str) -> None:
    query = (
        "{ __schema { types { fields { type { fields { type { fields {"
        " type { fields { type { name } } } } } } } } } } }"
    )

    response = post(client, engine, {"query": query})

    assert refused(response, "depth")


def test_no_trace_mode(client: Client, engine: str) -> None:
    body = post(client, engine, {"query": "{ __typename }", "extensions": {"tracing": True}}).json()

    assert "tracing" not in json.dumps(body) and "extensions" not in body


def test_no_debug_mode(client: Client, engine: str) -> None:
    response = client.post(
        ENDPOINTS[engine] + "?debug=1",
        data=json.dumps({"query": "{ __typename _debug { sql { rawSql } } }"}),
        content_type="application/json",
    )

    body = response.json()
    assert body.get("data") is None and "rawSql" not in json.dumps(body.get("data"))
    assert "SELECT" not in response.content.decode()


def test_unhandled_syntax_errors_reveal_nothing(client: Client, engine: str) -> None:
    response = post(client, engine, {"query": "{ __typename @"})

    text = response.content.decode()
    assert refused(response, "Syntax Error") and "Traceback" not in text and "site-packages" not in text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
