"""Transport rules, the same on both endpoints: JSON bodies only, no batching, no mutation over
GET, 400/413/415 (never 500) for malformed requests; the answer's media type from Accept, the
status of a GraphQL request error by media type (GraphQL over HTTP), and at most ten errors."""

import json
from typing import Any
from unittest import mock

import graphql
import pytest
from django.test import Client
from graphql_relay import to_global_id

from engagement.models import Favorite
from tests.api.conftest import ENDPOINTS
from tests.factories import make_user, make_video

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def client(db: None) -> Client:
    return Client()


def test_malformed_json_is_a_400(client: Client, engine: str) -> None:
    response = client.post(ENDPOINTS[engine], data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_oversize_body_is_a_413(client: Client, engine: str) -> None:
    body = json.dumps({"query": "{ me { id } }", "variables": {"pad": "x" * (1024 * 1024)}})

    response = client.post(ENDPOINTS[engine], data=body, content_type="application/json")

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/x-www-form-urlencoded", "query=%7B+me+%7B+id+%7D+%7D"),
        ("application/graphql", "{ me { id } }"),
        ("text/plain", '{"query": "{ me { id } }"}'),
    ],
)
def test_post_bodies_must_be_json(client: Client, engine: str, content_type: str, data: str) -> None:
    """Form and text bodies are what a cross-site form can send: refused outright."""
    response = client.post(ENDPOINTS[engine], data=data, content_type=content_type)

    assert response.status_code == 415


def test_batching_is_off(client: Client, engine: str) -> None:
    batch = json.dumps([{"query": "{ me { id } }"}, {"query": "{ me { id } }"}])

    response = client.post(ENDPOINTS[engine], data=batch, content_type="application/json")

    assert response.status_code == 400
    assert "Batched" in response.json()["errors"][0]["message"]


def test_a_body_without_a_query_string_is_a_400(client: Client, engine: str) -> None:
    response = client.post(ENDPOINTS[engine], data=json.dumps({"query": 5}), content_type="application/json")

    assert response.status_code == 400


def test_a_mutation_over_get_is_refused_and_changes_nothing(client: Client, engine: str) -> None:
    viewer, video = make_user("viewer"), make_video(make_user("creator"))
    client.force_login(viewer)
    video_id = to_global_id("Video", video.pk)
    query = f'mutation {{ favoriteVideo(input: {{videoId: "{video_id}"}}) {{ clientMutationId }} }}'

    response = client.get(ENDPOINTS[engine], {"query": query})

    assert response.status_code == 405
    assert not Favorite.objects.exists()


def test_a_query_over_get_works(client: Client, engine: str) -> None:
    response = client.get(ENDPOINTS[engine], {"query": "{ me { id } }"}, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.json()["data"] == {"me": None}


def test_every_response_carries_a_request_id(client: Client, engine: str) -> None:
    body = json.dumps({"query": "{ me { id } }"})

    response = client.post(ENDPOINTS[engine], data=body, content_type="application/json")

    assert len(response["X-Request-ID"]) == 32


# Media types and GraphQL request errors (GraphQL over HTTP) ----------------------------------------

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
REQUEST_ERROR_STATUS = {JSON: 200, GRAPHQL_RESPONSE: 400}


def post(client: Client, engine: str, payload: dict[str, Any], accept: str | None = None) -> Any:
    headers = {"Accept": accept} if accept is not None else {}
    return client.post(ENDPOINTS[engine], data=json.dumps(payload), content_type=JSON, headers=headers)


def without_request_ids(body: dict[str, Any]) -> dict[str, Any]:
    for error in body.get("errors", []):
        error.get("extensions", {}).pop("requestId", None)
    return body


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON};q=0.9", GRAPHQL_RESPONSE),
        (f"{JSON};q=0.9, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", JSON),
        (f"{GRAPHQL_RESPONSE}, */*", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0, */*", JSON),
        (f"{GRAPHQL_RESPONSE}; charset=utf-8", GRAPHQL_RESPONSE),
    ],
)
def test_the_answer_is_in_the_media_type_the_client_prefers(
    client: Client, engine: str, accept: str | None, media_type: str
) -> None:
    response = post(client, engine, {"query": "{ __typename }"}, accept)

    assert response.status_code == 200 and response["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", ["text/html", "image/png, text/*", f"{JSON};q=0", "text/event-stream"])
def test_an_accept_header_that_allows_neither_media_type_is_406(client: Client, engine: str, accept: str) -> None:
    response = post(client, engine, {"query": "{ __typename }"}, accept)

    error = response.json()["errors"][0]
    assert response.status_code == 406 and response["Content-Type"] == f"{JSON}; charset=utf-8"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "requestId": response["X-Request-ID"]}


REQUEST_ERRORS = {
    "parse": ("{ me { id }", {}, "Syntax Error: Expected Name, found <EOF>."),
    "validation": ("{ me { nothingLikeThis } }", {}, "Cannot query field 'nothingLikeThis' on type 'Me'."),
    "operation": ("query A { __typename } query B { __typename }", {}, "Must provide operation name"),
    "variables": (
        "query($d: Date!) { me { insights { profileViews(from: $d, to: $d) } } }",
        {"d": "garbage"},
        "Variable '$d' got invalid value 'garbage'",
    ),
    "limit": (
        "{ " + " ".join(f"a{n}: __typename" for n in range(16)) + " }",
        {},
        "The operation's number of aliases is 16",
    ),
}


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
@pytest.mark.parametrize("kind", sorted(REQUEST_ERRORS))
def test_a_request_error_has_no_data_and_the_status_of_its_media_type(client: Client, kind: str, accept: str) -> None:
    """Given a well-formed request that cannot run, then both engines answer the same body: no
    ``data``, coded errors with the request id; 200 under application/json, 400 under the
    GraphQL media type. (strawberry used to run one of two unnamed operations.)"""
    query, variables, message = REQUEST_ERRORS[kind]

    answers = {engine: post(client, engine, {"query": query, "variables": variables}, accept) for engine in ENDPOINTS}

    for response in answers.values():
        body = response.json()
        assert response.status_code == REQUEST_ERROR_STATUS[accept], body
        assert response["Content-Type"] == f"{accept}; charset=utf-8"
        assert "data" not in body and body["errors"][0]["message"].startswith(message)
        assert {error["extensions"]["requestId"] for error in body["errors"]} == {response["X-Request-ID"]}
    strawberry, graphene = (without_request_ids(answers[engine].json()) for engine in sorted(ENDPOINTS, reverse=True))
    assert strawberry == graphene


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
def test_field_errors_answer_200_with_data_in_both_media_types(client: Client, engine: str, accept: str) -> None:
    response = post(client, engine, {"query": '{ node(id: "not an id") { id } }'}, accept)

    body = response.json()
    assert response.status_code == 200 and body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# At most ten errors ------------------------------------------------------------------------------


def test_the_settings_cap_errors_at_ten(settings: Any) -> None:
    assert settings.GRAPHQL_LIMITS["max_errors"] == 10


@pytest.mark.parametrize(
    "query",
    [
        "{ __typename " + " ".join(f"@nope{n}" for n in range(12)) + " }",
        "{ " + " ".join(f"unknown{n}" for n in range(500)) + " }",
    ],
    ids=["twelve-unknown-directives", "five-hundred-unknown-fields"],
)
def test_many_validation_errors_answer_ten_the_last_saying_so(client: Client, query: str) -> None:
    """Given a document with many validation errors, then both engines answer the same ten
    errors, the tenth saying the rest were left out: validation stopped there."""
    answers = {engine: post(client, engine, {"query": query}) for engine in ENDPOINTS}

    for response in answers.values():
        errors = response.json()["errors"]
        assert response.status_code == 200 and len(errors) == 10
        assert errors[-1]["message"] == "Too many errors: only the first 9 are listed."
        assert all(error["extensions"]["code"] == "BAD_USER_INPUT" for error in errors)
        assert errors[-1]["extensions"]["requestId"] == response["X-Request-ID"]
    strawberry, graphene = (without_request_ids(answers[engine].json()) for engine in sorted(ENDPOINTS, reverse=True))
    assert strawberry == graphene


def test_validation_stops_at_the_cap(client: Client, engine: str) -> None:
    with mock.patch("api.admission.validate", wraps=graphql.validate) as validate:
        post(client, engine, {"query": "{ " + " ".join(f"unknown{n}" for n in range(500)) + " }"})

    assert validate.call_args.kwargs["max_errors"] == 10


def test_many_field_errors_answer_ten_the_last_saying_so(client: Client, engine: str) -> None:
    """Field errors are cut too (the data keeps every field): twelve bad ids, ten errors."""
    query = "{ " + " ".join(f'n{n}: node(id: "bad{n}") {{ id }}' for n in range(12)) + " }"

    response = post(client, engine, {"query": query})

    body = response.json()
    assert response.status_code == 200 and body["data"] == {f"n{n}": None for n in range(12)}
    assert [error["path"] for error in body["errors"][:9]] == [[f"n{n}"] for n in range(9)]
    assert body["errors"][9] == {
        "message": "Too many errors: only the first 9 are listed.",
        "extensions": {"code": "BAD_USER_INPUT", "requestId": response["X-Request-ID"]},
    }
